// Validation of a dashboard file (docs/contract.md#dashboards-as-code). Pure: the registry reads the file, this says whether it
// is a dashboard and, if not, every thing that is wrong, each with its JSON path and the reason,
// so that whoever edits the file can fix it from one log line.
//
// Hand-written rather than a JSON Schema for the messages: "pages[0].widgets[3].metric: unknown
// queue field "waitng"…" reads better on a support floor than an Ajv keyword dump.
import { checkWidgetMetric, defaultWidgetMetric, NUMBER_WIDGETS } from '../../contract/metrics.js';
import {
  DASHBOARD_LANGS,
  GRID_COLUMNS,
  GRID_ROWS,
  INCIDENT_MODES,
  THRESHOLD_COLORS,
  WIDGET_FORMATS,
  WIDGET_TYPES,
  type Dashboard,
  type DashboardPage,
  type DashboardProblem,
  type Threshold,
  type Widget,
  type WidgetType,
} from '../../contract/dashboards.js';
import { describeValue, isObject } from '../domain/validation.js';

export type DashboardValidation = { ok: true; dashboard: Dashboard } | { ok: false; problems: DashboardProblem[] };

/** Dashboard ids, and so file names: `support.json`, `l2-night.json`. */
export const DASHBOARD_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const MIN_ROTATE_SECONDS = 5;
const MAX_TITLE = 200;
const MAX_TEXT = 2000;

const DASHBOARD_KEYS = ['id', 'title', 'lang', 'rotateSeconds', 'incidentMode', 'alerts', 'pages'] as const;
const PAGE_KEYS = ['title', 'widgets'] as const;
const WIDGET_KEYS = ['type', 'metric', 'title', 'thresholds', 'format', 'min', 'max', 'text', 'forecast', 'x', 'y', 'w', 'h'] as const;
/** The one metric a forecast band is drawn for: a line's arrivals so far in the interval. */
const FORECAST_METRIC = /^staffing\.(.+)\.actual$/;
const THRESHOLD_KEYS = ['gte', 'lte', 'color'] as const;

type Json = Record<string, unknown>;

const at = (base: string, key: string): string => (base === '' ? key : `${base}.${key}`);
const item = (base: string, index: number): string => `${base}[${index}]`;
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

class Checker {
  readonly problems: DashboardProblem[] = [];

  report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Reports every key outside `allowed`, naming it and the keys that are allowed. */
  keys(object: Json, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) this.report(at(path, key), `unknown key "${key}"; allowed here: ${allowed.join(', ')}`);
    }
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) this.report(path, `must be one of ${allowed.join(', ')}`);
    return found;
  }

  /** An optional string: undefined when absent or wrong (and then reported). */
  text(value: unknown, path: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    const max = options.max ?? MAX_TITLE;
    if (value === undefined) {
      if (options.required) this.report(path, 'required, a non-empty string');
      return undefined;
    }
    if (typeof value !== 'string' || (options.required && value.trim() === '')) {
      this.report(path, options.required ? 'required, a non-empty string' : 'must be a string');
      return undefined;
    }
    if (value.length > max) this.report(path, `must be at most ${max} characters, got ${value.length}`);
    return value;
  }
}

/**
 * Validates a parsed dashboard file. `id` is the file name without `.json`, which the dashboard's
 * own `id` must equal. The dashboard returned holds only known keys, with list widgets' default
 * metric filled in.
 */
export function validateDashboard(value: unknown, options: { id: string }): DashboardValidation {
  const check = new Checker();
  if (!DASHBOARD_ID.test(options.id)) {
    check.report('', `file name "${options.id}.json" is not a dashboard id: use a-z, 0-9 and - (e.g. l2-night.json)`);
  }
  if (!isObject(value)) {
    check.report('', `must be a JSON object (a dashboard), got ${describeValue(value)}`);
    return { ok: false, problems: check.problems };
  }
  check.keys(value, '', DASHBOARD_KEYS);

  if (typeof value.id !== 'string' || !DASHBOARD_ID.test(value.id)) {
    check.report('id', 'required, a string of a-z, 0-9 and - (at most 64 characters) that equals the file name without .json');
  } else if (value.id !== options.id) {
    check.report('id', `must equal the file name without .json ("${options.id}"), got "${value.id}"`);
  }
  const title = check.text(value.title, 'title', { required: true });
  const lang = value.lang === undefined ? undefined : check.oneOf(value.lang, 'lang', DASHBOARD_LANGS);
  if (value.rotateSeconds !== undefined && !(isWhole(value.rotateSeconds) && value.rotateSeconds >= MIN_ROTATE_SECONDS)) {
    check.report('rotateSeconds', `must be a whole number of seconds, at least ${MIN_ROTATE_SECONDS}, got ${describeValue(value.rotateSeconds)}`);
  }
  const incidentMode = value.incidentMode === undefined ? undefined : check.oneOf(value.incidentMode, 'incidentMode', INCIDENT_MODES);
  if (value.alerts !== undefined && typeof value.alerts !== 'boolean') {
    check.report('alerts', `must be true or false (show wall-visible alerts on this board), got ${describeValue(value.alerts)}`);
  }

  const pages: DashboardPage[] = [];
  if (!Array.isArray(value.pages) || value.pages.length === 0) {
    check.report('pages', 'required, a non-empty array of pages ({"widgets": [...]})');
  } else {
    value.pages.forEach((page, index) => {
      const checked = checkPage(check, page, item('pages', index));
      if (checked !== undefined) pages.push(checked);
    });
  }

  if (check.problems.length > 0) return { ok: false, problems: check.problems };
  const dashboard: Dashboard = {
    id: options.id,
    title: title!,
    ...(lang === undefined ? {} : { lang }),
    ...(value.rotateSeconds === undefined ? {} : { rotateSeconds: value.rotateSeconds as number }),
    ...(incidentMode === undefined ? {} : { incidentMode }),
    ...(typeof value.alerts === 'boolean' ? { alerts: value.alerts } : {}),
    pages,
  };
  return { ok: true, dashboard };
}

function checkPage(check: Checker, page: unknown, path: string): DashboardPage | undefined {
  if (!isObject(page)) {
    check.report(path, `must be an object ({"widgets": [...]}), got ${describeValue(page)}`);
    return undefined;
  }
  check.keys(page, path, PAGE_KEYS);
  const title = check.text(page.title, at(path, 'title'));
  if (!Array.isArray(page.widgets) || page.widgets.length === 0) {
    check.report(at(path, 'widgets'), 'required, a non-empty array of widgets');
    return undefined;
  }
  const widgets: Widget[] = [];
  const boxes: Array<{ path: string; box: Box }> = [];
  page.widgets.forEach((widget, index) => {
    const widgetPath = item(at(path, 'widgets'), index);
    const checked = checkWidget(check, widget, widgetPath);
    if (checked === undefined) return;
    widgets.push(checked.widget);
    // Overlapping widgets draw over each other on the TV: refuse, naming the one already there.
    const clash = boxes.find((other) => overlaps(other.box, checked.box));
    if (clash !== undefined) check.report(widgetPath, `overlaps ${clash.path}`);
    boxes.push({ path: widgetPath, box: checked.box });
  });
  const result: DashboardPage = { widgets };
  if (title !== undefined) result.title = title;
  return result;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function checkWidget(check: Checker, widget: unknown, path: string): { widget: Widget; box: Box } | undefined {
  if (!isObject(widget)) {
    check.report(path, `must be an object ({"type": …, "x": …, "y": …, "w": …, "h": …}), got ${describeValue(widget)}`);
    return undefined;
  }
  check.keys(widget, path, WIDGET_KEYS);
  const type = check.oneOf(widget.type, at(path, 'type'), WIDGET_TYPES);
  const box = checkBox(check, widget, path);

  let metric: string | undefined;
  if (widget.metric !== undefined && typeof widget.metric !== 'string') {
    check.report(at(path, 'metric'), 'must be a string (a metric path such as queues.l1.waiting)');
  } else if (type !== undefined) {
    const reason = checkWidgetMetric(type, widget.metric);
    if (reason !== null) check.report(at(path, 'metric'), reason);
    metric = widget.metric ?? defaultWidgetMetric(type);
  }
  const title = check.text(widget.title, at(path, 'title'));

  const numeric = type !== undefined && (NUMBER_WIDGETS as readonly WidgetType[]).includes(type);
  const onlyFor = (key: string, allowed: boolean, which: string): boolean => {
    if (widget[key] === undefined) return false;
    if (type !== undefined && !allowed) {
      check.report(at(path, key), `only for ${which} widgets`);
      return false;
    }
    return true;
  };

  let thresholds: Threshold[] | undefined;
  if (onlyFor('thresholds', numeric, 'stat, gauge and sparkline')) thresholds = checkThresholds(check, widget.thresholds, at(path, 'thresholds'));
  let format: Widget['format'];
  if (onlyFor('format', numeric, 'stat, gauge and sparkline')) format = check.oneOf(widget.format, at(path, 'format'), WIDGET_FORMATS);

  const gauge = type === 'gauge';
  const scale: { min?: number; max?: number } = {};
  for (const key of ['min', 'max'] as const) {
    if (!onlyFor(key, gauge, 'gauge')) continue;
    if (isNumber(widget[key])) scale[key] = widget[key];
    else check.report(at(path, key), `must be a number, got ${describeValue(widget[key])}`);
  }
  if (scale.min !== undefined && scale.max !== undefined && scale.min >= scale.max) {
    check.report(at(path, 'max'), `must be above min (${scale.min}), got ${scale.max}`);
  }

  let text: string | undefined;
  if (type === 'text') {
    text = check.text(widget.text, at(path, 'text'), { required: true, max: MAX_TEXT });
  } else {
    onlyFor('text', false, 'text');
  }

  let forecast: boolean | undefined;
  if (onlyFor('forecast', type === 'sparkline', 'sparkline')) forecast = checkForecast(check, widget.forecast, metric, at(path, 'forecast'));

  // Whatever else was wrong has been reported; the page is refused and nothing is built.
  if (type === undefined || box === undefined) return undefined;
  const result: Widget = {
    type,
    ...(metric === undefined ? {} : { metric }),
    ...(title === undefined ? {} : { title }),
    ...(format === undefined ? {} : { format }),
    ...scale,
    ...(thresholds === undefined ? {} : { thresholds }),
    ...(text === undefined ? {} : { text }),
    ...(forecast === undefined ? {} : { forecast }),
    ...box,
  };
  return { widget: result, box };
}

/**
 * `forecast` of a sparkline: true or false, and true only on `staffing.<line>.actual`, the one
 * metric the forecast answers for (arrivals per interval). A missing metric is reported as such.
 */
function checkForecast(check: Checker, value: unknown, metric: string | undefined, path: string): boolean | undefined {
  if (typeof value !== 'boolean') {
    check.report(path, `must be true or false (draw the line's forecast band), got ${describeValue(value)}`);
    return undefined;
  }
  if (value && metric !== undefined && !FORECAST_METRIC.test(metric)) {
    check.report(path, `only with a metric staffing.<line>.actual (a line's arrivals, e.g. staffing.l1.actual), got "${metric}"`);
    return undefined;
  }
  return value;
}

/** x, y, w and h on the 12 × 12 grid; undefined (reported) when any is wrong. */
function checkBox(check: Checker, widget: Json, path: string): Box | undefined {
  const whole = (key: 'x' | 'y' | 'w' | 'h', min: number, max: number): number | undefined => {
    const value = widget[key];
    if (isWhole(value) && value >= min && value <= max) return value;
    const got = value === undefined ? '' : `, got ${describeValue(value)}`;
    check.report(at(path, key), `${value === undefined ? 'required, ' : 'must be '}a whole number from ${min} to ${max}${got}`);
    return undefined;
  };
  // Every number is checked before any sum, so that one pass names every bad one.
  const x = whole('x', 0, GRID_COLUMNS - 1);
  const y = whole('y', 0, GRID_ROWS - 1);
  const w = whole('w', 1, GRID_COLUMNS);
  const h = whole('h', 1, GRID_ROWS);
  let fits = true;
  if (x !== undefined && w !== undefined && x + w > GRID_COLUMNS) {
    check.report(at(path, 'w'), `x + w must be at most ${GRID_COLUMNS} (the grid has ${GRID_COLUMNS} columns), got ${x} + ${w} = ${x + w}`);
    fits = false;
  }
  if (y !== undefined && h !== undefined && y + h > GRID_ROWS) {
    check.report(at(path, 'h'), `y + h must be at most ${GRID_ROWS} (the grid has ${GRID_ROWS} rows), got ${y} + ${h} = ${y + h}`);
    fits = false;
  }
  if (!fits || x === undefined || y === undefined || w === undefined || h === undefined) return undefined;
  return { x, y, w, h };
}

function checkThresholds(check: Checker, value: unknown, path: string): Threshold[] | undefined {
  if (!Array.isArray(value)) {
    check.report(path, `must be an array such as [{"gte": 10, "color": "amber"}, {"gte": 20, "color": "red"}], got ${describeValue(value)}`);
    return undefined;
  }
  const thresholds: Threshold[] = [];
  value.forEach((entry, index) => {
    const entryPath = item(path, index);
    if (!isObject(entry)) {
      check.report(entryPath, `must be an object such as {"gte": 10, "color": "amber"}, got ${describeValue(entry)}`);
      return;
    }
    check.keys(entry, entryPath, THRESHOLD_KEYS);
    const color = check.oneOf(entry.color, at(entryPath, 'color'), THRESHOLD_COLORS);
    const threshold: Partial<Threshold> = {};
    for (const key of ['gte', 'lte'] as const) {
      if (entry[key] === undefined) continue;
      if (isNumber(entry[key])) threshold[key] = entry[key];
      else check.report(at(entryPath, key), `must be a number, got ${describeValue(entry[key])}`);
    }
    threshold.color = color;
    if (entry.gte === undefined && entry.lte === undefined) check.report(entryPath, 'needs a numeric gte or lte');
    if (threshold.gte !== undefined && threshold.lte !== undefined && threshold.gte > threshold.lte) {
      check.report(entryPath, `gte (${threshold.gte}) is above lte (${threshold.lte}), so no value matches`);
    }
    thresholds.push(threshold as Threshold);
  });
  return thresholds;
}

/**
 * Parses and validates the text of `file` (e.g. `support.json`); a JSON syntax error becomes one
 * problem at the file as a whole ('' path) with its line and column.
 */
export function parseDashboardFile(file: string, text: string): DashboardValidation {
  const id = file.replace(/\.json$/i, '');
  // Editors on Windows like to start UTF-8 files with a byte-order mark, which JSON.parse refuses.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: jsonErrorMessage(source, error) }] };
  }
  return validateDashboard(value, { id });
}

/** "not valid JSON at line 3, column 14: Expected ',' or '}' after property value". */
export function jsonErrorMessage(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  // V8 says "… in JSON at position 42" (Node 22 adds " (line 3 column 14)"), or "Unexpected end
  // of JSON input" with no position, which is the end of the text.
  const match = / in JSON at position (\d+)/.exec(raw);
  const position = match ? Number(match[1]) : /end of JSON input/.test(raw) ? text.length : null;
  const reason = raw.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the file ends too early');
  if (position === null) return `not valid JSON: ${reason}`;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return `not valid JSON at line ${line}, column ${column}: ${reason}`;
}

/** One log line's worth: "support.json: pages[0].widgets[3].type: must be one of …". */
export function formatProblem(file: string, problem: DashboardProblem): string {
  return problem.path === '' ? `${file}: ${problem.message}` : `${file}: ${problem.path}: ${problem.message}`;
}
