// Validation of a report definition, `dashboards/reports/<id>.json` (docs/contract.md#reports-to-management).
// Pure: every problem with its JSON path and the reason, like the dashboards
// (server/dashboards/validate-dashboard.ts), so whoever edits the file can fix it from one log line.
import { Cron } from 'croner';
import type { DashboardProblem } from '../../contract/dashboards.js';
import {
  DAILY_FIGURES,
  REPORT_LANGS,
  REPORT_PERIODS,
  REPORT_SECTION_TYPES,
  type DailyFigure,
  type ReportDefinition,
  type ReportSection,
  type ReportSectionType,
} from '../../contract/reports.js';
import { jsonErrorMessage } from '../dashboards/validate-dashboard.js';
import { cleanName } from '../domain/text-rules.js';
import { describeValue, isObject } from '../domain/validation.js';

export type ReportValidation = { ok: true; definition: ReportDefinition } | { ok: false; problems: DashboardProblem[] };

/** Report ids, and so file names: `weekly.json`, `l2-monthly.json`. */
export const REPORT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_TITLE = 200;
export const MAX_SECTIONS = 30;
/** A trend's lines: more than a department has; keeps a chart readable. */
export const MAX_TREND_LINES = 50;
export const MAX_WORST_DAYS = 31;

const DEFINITION_KEYS = ['id', 'title', 'period', 'schedule', 'lang', 'sections'] as const;
/** The keys each section type takes besides `type` and `title`. */
const SECTION_KEYS: { readonly [K in ReportSectionType]: readonly string[] } = {
  summary: ['figures'],
  trend: ['figure', 'lines'],
  lines: ['figures'],
  worstDays: ['figure', 'count'],
  incidents: [],
  forecast: [],
  staffing: [],
};

const at = (base: string, key: string): string => (base === '' ? key : `${base}.${key}`);
const item = (base: string, index: number): string => `${base}[${index}]`;

class Checker {
  readonly problems: DashboardProblem[] = [];

  report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  keys(object: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) this.report(at(path, key), `unknown key "${key}"; allowed here: ${allowed.join(', ')}`);
    }
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined)
      this.report(path, `${value === undefined ? 'required, one' : 'must be one'} of ${allowed.join(', ')}, got ${describeValue(value)}`);
    return found;
  }

  title(value: unknown, path: string, required: boolean): string | undefined {
    if (value === undefined) {
      if (required) this.report(path, `required, a non-empty string of at most ${MAX_TITLE} characters`);
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.report(path, `must be a non-empty string of at most ${MAX_TITLE} characters, got ${describeValue(value)}`);
      return undefined;
    }
    if (value.length > MAX_TITLE) {
      this.report(path, `must be at most ${MAX_TITLE} characters, got ${value.length}`);
      return undefined;
    }
    return value;
  }

  figure(value: unknown, path: string): DailyFigure | undefined {
    return this.oneOf(value, path, DAILY_FIGURES);
  }

  /** A non-empty list of distinct figures. */
  figures(value: unknown, path: string): DailyFigure[] | undefined {
    if (!Array.isArray(value) || value.length === 0) {
      this.report(path, `required, a non-empty array of figures (e.g. ["created", "compliance"]), got ${describeValue(value)}`);
      return undefined;
    }
    const figures: DailyFigure[] = [];
    value.forEach((entry, index) => {
      const figure = this.figure(entry, item(path, index));
      if (figure === undefined) return;
      if (figures.includes(figure)) this.report(item(path, index), `"${figure}" is listed twice`);
      else figures.push(figure);
    });
    return figures.length === value.length ? figures : undefined;
  }
}

/**
 * Whether `schedule` is a five-field cron expression (minute hour day-of-month month day-of-week)
 * that fires at all; the reason when not. Nicknames (`@weekly`) and seconds fields are refused:
 * the contract says five fields, and a report has no business running every second.
 */
export function checkSchedule(schedule: unknown): string | null {
  const example = 'a five-field cron expression such as "0 7 * * 1" (07:00 every Monday)';
  if (typeof schedule !== 'string') return `required, ${example}, got ${describeValue(schedule)}`;
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') return `must be ${example}: five fields, got ${fields[0] === '' ? 0 : fields.length}`;
  let cron: Cron;
  try {
    // Paused and without a function: parsing only, no timer.
    cron = new Cron(schedule, { mode: '5-part', paused: true });
  } catch (error) {
    return `not a valid cron expression: ${error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)}`;
  }
  if (cron.nextRun() === null) return 'never fires (no such date, e.g. 30 February)';
  return null;
}

/**
 * Validates a parsed report definition. `fileName` is the file's name (`weekly.json`): the id is
 * the name without `.json`; an `id` in the file is optional and, if given, must equal it. The
 * definition returned holds only known keys.
 */
export function parseReportDefinition(value: unknown, fileName: string): ReportValidation {
  const check = new Checker();
  const id = fileName.replace(/\.json$/i, '');
  if (!REPORT_ID.test(id)) {
    check.report('', `file name "${fileName}" is not a report id: use a-z, 0-9 and - (at most 64 characters, e.g. weekly.json)`);
  }
  if (!isObject(value)) {
    check.report('', `must be a JSON object (a report definition), got ${describeValue(value)}`);
    return { ok: false, problems: check.problems };
  }
  check.keys(value, '', DEFINITION_KEYS);
  if (value.id !== undefined && value.id !== id) {
    check.report('id', `must equal the file name without .json ("${id}") or be left out, got ${describeValue(value.id)}`);
  }
  const title = check.title(value.title, 'title', true);
  const period = check.oneOf(value.period, 'period', REPORT_PERIODS);
  const scheduleProblem = checkSchedule(value.schedule);
  if (scheduleProblem !== null) check.report('schedule', scheduleProblem);
  const lang = check.oneOf(value.lang, 'lang', REPORT_LANGS);

  const sections: ReportSection[] = [];
  if (!Array.isArray(value.sections) || value.sections.length === 0 || value.sections.length > MAX_SECTIONS) {
    const got = Array.isArray(value.sections) ? `${value.sections.length} sections` : describeValue(value.sections);
    check.report('sections', `required, an array of 1 to ${MAX_SECTIONS} sections ({"type": "summary", …}), got ${got}`);
  } else {
    value.sections.forEach((section, index) => {
      const checked = checkSection(check, section, item('sections', index));
      if (checked !== undefined) sections.push(checked);
    });
  }

  if (check.problems.length > 0) return { ok: false, problems: check.problems };
  return {
    ok: true,
    definition: { id, title: title!, period: period!, schedule: (value.schedule as string).trim().split(/\s+/).join(' '), lang: lang!, sections },
  };
}

function checkSection(check: Checker, section: unknown, path: string): ReportSection | undefined {
  if (!isObject(section)) {
    check.report(path, `must be an object ({"type": "summary", …}), got ${describeValue(section)}`);
    return undefined;
  }
  const before = check.problems.length;
  const type = check.oneOf(section.type, at(path, 'type'), REPORT_SECTION_TYPES);
  if (type === undefined) return undefined; // which other keys belong depends on the type
  check.keys(section, path, ['type', 'title', ...SECTION_KEYS[type]]);
  const title = check.title(section.title, at(path, 'title'), false);
  const titled = title === undefined ? {} : { title };
  let result: ReportSection | undefined;
  switch (type) {
    case 'summary':
    case 'lines': {
      const figures = check.figures(section.figures, at(path, 'figures'));
      if (figures !== undefined) result = { type, ...titled, figures };
      break;
    }
    case 'trend': {
      const figure = check.figure(section.figure, at(path, 'figure'));
      const lines = section.lines === undefined ? undefined : checkLines(check, section.lines, at(path, 'lines'));
      if (figure !== undefined) result = { type, ...titled, figure, ...(lines === undefined ? {} : { lines }) };
      break;
    }
    case 'worstDays': {
      const figure = check.figure(section.figure, at(path, 'figure'));
      const count = section.count;
      const countOk = typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= MAX_WORST_DAYS;
      if (!countOk)
        check.report(
          at(path, 'count'),
          `${count === undefined ? 'required, ' : 'must be '}a whole number from 1 to ${MAX_WORST_DAYS}, got ${describeValue(count)}`,
        );
      if (figure !== undefined && countOk) result = { type, ...titled, figure, count: count as number };
      break;
    }
    case 'incidents':
    case 'forecast':
    case 'staffing':
      result = { type, ...titled };
      break;
  }
  return check.problems.length > before ? undefined : result;
}

/** A trend's lines: queue ids (or "all"), at most MAX_TREND_LINES, each a name without control characters. */
function checkLines(check: Checker, value: unknown, path: string): string[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_TREND_LINES) {
    const got = Array.isArray(value) ? `${value.length} entries` : describeValue(value);
    check.report(path, `must be an array of at most ${MAX_TREND_LINES} line names (queue ids, or "all"), got ${got}`);
    return undefined;
  }
  const lines: string[] = [];
  value.forEach((entry, index) => {
    if (typeof entry !== 'string') {
      check.report(item(path, index), `must be a line name (a queue id), got ${describeValue(entry)}`);
      return;
    }
    const cleaned = cleanName(entry);
    if (!cleaned.ok) check.report(item(path, index), `a line name: ${cleaned.reason}`);
    else if (lines.includes(cleaned.text)) check.report(item(path, index), `"${cleaned.text}" is listed twice`);
    else lines.push(cleaned.text);
  });
  return lines.length === value.length ? lines : undefined;
}

/**
 * Parses and validates the text of `file` (e.g. `weekly.json`); a JSON syntax error becomes one
 * problem at the file as a whole ('' path) with its line and column.
 */
export function parseReportFile(file: string, text: string): ReportValidation {
  // Editors on Windows like to start UTF-8 files with a byte-order mark, which JSON.parse refuses.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: jsonErrorMessage(source, error) }] };
  }
  return parseReportDefinition(value, file);
}
