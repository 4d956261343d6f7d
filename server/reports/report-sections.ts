// The sections of a rendered report (docs/contract.md#reports-to-management), each laid out from
// the ReportData the server computed: no figure is computed here, only looked up, ordered and
// formatted. Line names and every other text from the data are escaped. Pure.
import { ALL_LINES, type DailyFigure, FIGURE_BETTER, type Figures, type ReportData, type ReportIncident, type ReportSection } from '../../contract/reports.js';
import { ALL_LINES_COLOR, groupedBarChartSvg, type LegendItem, legendHtml, lineChartSvg, SERIES_COLORS } from './report-charts.js';
import { escapeHtml } from './html-escape.js';
import { daysOf, formatChange, formatDay, formatFigure, formatInstant, formatAxisDay, formatPeriod, MISSING, NBSP } from './report-format.js';
import type { ReportStrings } from './report-strings.js';

/** The data of one report, indexed for the sections (names as Map keys, never object keys). */
export interface ReportContext {
  data: ReportData;
  s: ReportStrings;
  /** The period's days, in order. */
  days: string[];
  /** line → date → figures. */
  daily: Map<string, Map<string, Figures>>;
  totals: Map<string, Figures>;
  previousTotals: Map<string, Figures>;
}

export function reportContext(data: ReportData, s: ReportStrings): ReportContext {
  const daily = new Map<string, Map<string, Figures>>();
  for (const row of data.days) {
    let byDate = daily.get(row.line);
    if (byDate === undefined) {
      byDate = new Map();
      daily.set(row.line, byDate);
    }
    byDate.set(row.date, row.figures);
  }
  const byLine = (rows: ReportData['totals']): Map<string, Figures> => new Map(rows.map((row) => [row.line, row.figures]));
  return { data, s, days: daysOf(data.periodStart, data.periodEnd), daily, totals: byLine(data.totals), previousTotals: byLine(data.previousTotals) };
}

const t = escapeHtml;

function lineName(ctx: ReportContext, line: string): string {
  return line === ALL_LINES ? ctx.s.allLines : line;
}

/** A line keeps its colour in every chart: its place among the report's lines. */
function lineColor(ctx: ReportContext, line: string, order: string[]): string {
  if (line === ALL_LINES) return ALL_LINES_COLOR;
  const known = ctx.data.lines.indexOf(line);
  const index = known >= 0 ? known : ctx.data.lines.length + order.indexOf(line);
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? ALL_LINES_COLOR;
}

function value(figures: Figures | undefined, figure: DailyFigure): number | null {
  return figures === undefined ? null : figures[figure];
}

function section(type: ReportSection['type'], title: string, body: string): string {
  return `<section class="section section-${type}"><h2>${t(title)}</h2>${body}</section>`;
}

function row(cells: string[], className = ''): string {
  return `<tr${className === '' ? '' : ` class="${className}"`}>${cells.join('')}</tr>`;
}

const num = (text: string, extra = ''): string => `<td class="num${extra}">${t(text)}</td>`;
const th = (text: string, numeric = false): string => `<th${numeric ? ' class="num"' : ''}>${t(text)}</th>`;
const stripe = (i: number): string => (i % 2 === 1 ? 'striped' : '');

function summary(ctx: ReportContext, sec: Extract<ReportSection, { type: 'summary' }>): string {
  const { s, data } = ctx;
  const current = ctx.totals.get(ALL_LINES);
  const previous = ctx.previousTotals.get(ALL_LINES);
  const cards = sec.figures.map((figure) => {
    const now = value(current, figure);
    const before = value(previous, figure);
    const change = formatChange(s, figure, now, before);
    const verdict =
      change.tone === 'neutral' || FIGURE_BETTER[figure] === null
        ? ''
        : ` <span class="verdict">· ${t(change.tone === 'better' ? s.summary.better : s.summary.worse)}</span>`;
    const arrow = change.arrow === '' ? '' : `${change.arrow}${NBSP}`;
    return (
      `<div class="card tone-${change.tone}">` +
      `<div class="card-label">${t(s.figures[figure])}</div>` +
      `<div class="card-value">${t(formatFigure(s, figure, now))}</div>` +
      `<div class="card-change">${t(arrow + change.text)}${verdict}</div>` +
      `<div class="card-previous">${t(`${s.summary.previous}: ${formatFigure(s, figure, before)}`)}</div>` +
      '</div>'
    );
  });
  const note = `<p class="section-note">${t(s.summary.comparedWith(formatPeriod(s, data.previousStart, data.previousEnd)))}</p>`;
  return section('summary', sec.title ?? s.summary.title, `${note}<div class="cards">${cards.join('')}</div>`);
}

function seriesOf(ctx: ReportContext, lines: string[], figure: DailyFigure): { items: LegendItem[]; values: (number | null)[][] } {
  const items = lines.map((line): LegendItem => ({ name: lineName(ctx, line), color: lineColor(ctx, line, lines), kind: 'line', dashed: line === ALL_LINES }));
  const values = lines.map((line) => ctx.days.map((day) => value(ctx.daily.get(line)?.get(day), figure)));
  return { items, values };
}

function trend(ctx: ReportContext, sec: Extract<ReportSection, { type: 'trend' }>): string {
  const { s } = ctx;
  const lines = sec.lines ?? ctx.data.lines;
  const { items, values } = seriesOf(ctx, lines, sec.figure);
  const chart = lineChartSvg(s, {
    days: ctx.days,
    figure: sec.figure,
    title: s.figures[sec.figure],
    series: items.map((item, i) => ({ name: item.name, color: item.color, dashed: item.dashed, values: values[i] ?? [] })),
  });
  return section('trend', sec.title ?? s.trend.title(s.figures[sec.figure]), chart + legendHtml(items));
}

function linesTable(ctx: ReportContext, sec: Extract<ReportSection, { type: 'lines' }>): string {
  const { s } = ctx;
  const head = row([th(s.line), ...sec.figures.map((figure) => th(s.figures[figure], true))]);
  const body = [...ctx.data.lines, ALL_LINES].map((line, i) => {
    const figures = ctx.totals.get(line);
    const cells = [
      `<td class="name">${t(line === ALL_LINES ? s.total : line)}</td>`,
      ...sec.figures.map((figure) => num(formatFigure(s, figure, value(figures, figure)))),
    ];
    return row(cells, line === ALL_LINES ? 'total' : stripe(i));
  });
  return section('lines', sec.title ?? s.lines.title, `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`);
}

function worstDays(ctx: ReportContext, sec: Extract<ReportSection, { type: 'worstDays' }>): string {
  const { s } = ctx;
  const better = FIGURE_BETTER[sec.figure];
  const name = s.figures[sec.figure];
  // Worst is the lowest of a figure where more is better, the highest otherwise (for a volume,
  // which is neither, the highest: the busiest days).
  const sign = better === 'up' ? 1 : -1;
  const all = ctx.daily.get(ALL_LINES);
  const ranked = ctx.days
    .map((day) => ({ day, value: value(all?.get(day), sec.figure) }))
    .filter((entry): entry is { day: string; value: number } => entry.value !== null && Number.isFinite(entry.value))
    .sort((a, b) => sign * (a.value - b.value) || (a.day < b.day ? -1 : 1))
    .slice(0, Math.max(0, Math.floor(sec.count)));
  const title = sec.title ?? (better === null ? s.worstDays.highest(name) : s.worstDays.title(name));
  if (ranked.length === 0) return section('worstDays', title, `<p class="empty">${t(s.worstDays.none)}</p>`);
  const head = row([th(s.worstDays.rank, true), th(s.day), th(name, true)]);
  const body = ranked.map((entry, i) =>
    row([num(String(i + 1)), `<td>${t(formatDay(s, entry.day))}</td>`, num(formatFigure(s, sec.figure, entry.value))], stripe(i)),
  );
  return section('worstDays', title, `<table class="narrow"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`);
}

function followUps(ctx: ReportContext, incident: ReportIncident): string {
  const { s, data } = ctx;
  const items = incident.followUps.map((followUp) => {
    const state = followUp.done ? `<span class="fu-state done">${t(s.incidents.done)}</span>` : `<span class="fu-state to-do">${t(s.incidents.toDo)}</span>`;
    const meta = [
      followUp.owner === null ? null : `${s.incidents.owner}: ${followUp.owner}`,
      followUp.dueAt === null ? null : `${s.incidents.due}: ${formatInstant(s, followUp.dueAt, data.timeZone)}`,
    ].filter((part): part is string => part !== null);
    return `<li>${state} ${t(followUp.title)}${meta.length === 0 ? '' : ` <span class="fu-meta">— ${t(meta.join(', '))}</span>`}</li>`;
  });
  return `<div class="follow-ups"><div class="follow-ups-title">${t(s.incidents.followUps)}</div><ul>${items.join('')}</ul></div>`;
}

function incidents(ctx: ReportContext, sec: Extract<ReportSection, { type: 'incidents' }>): string {
  const { s, data } = ctx;
  const title = sec.title ?? s.incidents.title;
  if (data.incidents.length === 0) return section('incidents', title, `<p class="empty">${t(s.incidents.none)}</p>`);
  const l = s.incidents;
  const head = row([th(l.number, true), th(l.incident), th(l.severity), th(l.declared), th(l.mitigated), th(l.resolved), th(l.duration, true)]);
  const body = data.incidents.map((incident, i) => {
    const hasFollowUps = incident.followUps.length > 0;
    const className = [stripe(i), hasFollowUps ? 'has-follow-ups' : ''].filter((c) => c !== '').join(' ');
    const resolved = incident.resolvedAt === null ? `<span class="status-open">${t(l.open)}</span>` : t(formatInstant(s, incident.resolvedAt, data.timeZone));
    const main = row(
      [
        num(`#${incident.number}`),
        `<td class="name">${t(incident.title)}</td>`,
        `<td><span class="badge">${t(incident.severity)}</span></td>`,
        `<td class="when">${t(formatInstant(s, incident.declaredAt, data.timeZone))}</td>`,
        `<td class="when">${incident.mitigatedAt === null ? MISSING : t(formatInstant(s, incident.mitigatedAt, data.timeZone))}</td>`,
        `<td class="when">${resolved}</td>`,
        num(formatFigure(s, 'incidentMinutes', incident.minutes)),
      ],
      className,
    );
    return hasFollowUps ? main + row(['<td></td>', `<td colspan="6">${followUps(ctx, incident)}</td>`], `follow-ups ${stripe(i)}`.trim()) : main;
  });
  return section('incidents', title, `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`);
}

/** A day per column fits the page up to this many days; a longer period gets a chart instead. */
const FORECAST_DAY_COLUMNS = 10;

function forecast(ctx: ReportContext, sec: Extract<ReportSection, { type: 'forecast' }>): string {
  const { s } = ctx;
  const lines = [...ctx.data.lines, ALL_LINES];
  const byDay = ctx.days.length <= FORECAST_DAY_COLUMNS;
  const dayHeads = byDay ? ctx.days.map((day) => th(formatAxisDay(s, day), true)) : [];
  const head = row([th(s.line), ...dayHeads, th(s.forecast.period, true)]);
  const body = lines.map((line, i) => {
    const dayCells = byDay ? ctx.days.map((day) => num(formatFigure(s, 'forecastWape', value(ctx.daily.get(line)?.get(day), 'forecastWape')))) : [];
    const cells = [
      `<td class="name">${t(line === ALL_LINES ? s.total : line)}</td>`,
      ...dayCells,
      num(formatFigure(s, 'forecastWape', value(ctx.totals.get(line), 'forecastWape'))),
    ];
    return row(cells, line === ALL_LINES ? 'total' : stripe(i));
  });
  let chart = '';
  if (!byDay) {
    const { items, values } = seriesOf(ctx, ctx.data.lines, 'forecastWape');
    chart =
      lineChartSvg(s, {
        days: ctx.days,
        figure: 'forecastWape',
        title: s.figures.forecastWape,
        height: 190,
        series: items.map((item, i) => ({ name: item.name, color: item.color, values: values[i] ?? [] })),
      }) + legendHtml(items);
  }
  const table = `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
  return section('forecast', sec.title ?? s.forecast.title, `${chart}${table}<p class="explain">${t(s.forecast.explain)}</p>`);
}

const SCHEDULED_COLOR = '#2f5d8c';
const REQUIRED_COLOR = '#e0a43a';

function staffing(ctx: ReportContext, sec: Extract<ReportSection, { type: 'staffing' }>): string {
  const { s } = ctx;
  const keys: LegendItem[] = [
    { name: s.staffing.scheduled, color: SCHEDULED_COLOR, kind: 'box' },
    { name: s.staffing.required, color: REQUIRED_COLOR, kind: 'box' },
  ];
  const hours = (line: string): [number | null, number | null] => {
    const figures = ctx.totals.get(line);
    return [value(figures, 'scheduledAgentHours'), value(figures, 'requiredAgentHours')];
  };
  const chart = groupedBarChartSvg(s, {
    groups: ctx.data.lines.map((line) => ({ name: line, values: hours(line) })),
    keys,
    title: s.staffing.axis,
    label: (v) => new Intl.NumberFormat(s.locale, { maximumFractionDigits: 0 }).format(v),
  });
  const head = row([th(s.line), th(s.staffing.scheduled, true), th(s.staffing.required, true), th(s.staffing.difference, true), th(s.staffing.coverage, true)]);
  const body = [...ctx.data.lines, ALL_LINES].map((line, i) => {
    const [scheduled, required] = hours(line);
    const difference = scheduled === null || required === null ? null : scheduled - required;
    const coverage = scheduled === null || required === null || required <= 0 ? null : scheduled / required;
    const short = difference !== null && difference < 0 ? ' worse' : '';
    const signed = difference === null ? MISSING : `${difference > 0 ? '+' : ''}${formatFigure(s, 'scheduledAgentHours', difference)}`;
    const cells = [
      `<td class="name">${t(line === ALL_LINES ? s.total : line)}</td>`,
      num(formatFigure(s, 'scheduledAgentHours', scheduled)),
      num(formatFigure(s, 'requiredAgentHours', required)),
      num(signed, short),
      num(formatFigure(s, 'compliance', coverage), short),
    ];
    return row(cells, line === ALL_LINES ? 'total' : stripe(i));
  });
  const table = `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
  return section('staffing', sec.title ?? s.staffing.title, `${chart}${legendHtml(keys)}${table}<p class="explain">${t(s.staffing.explain)}</p>`);
}

export function renderSection(ctx: ReportContext, sec: ReportSection): string {
  switch (sec.type) {
    case 'summary':
      return summary(ctx, sec);
    case 'trend':
      return trend(ctx, sec);
    case 'lines':
      return linesTable(ctx, sec);
    case 'worstDays':
      return worstDays(ctx, sec);
    case 'incidents':
      return incidents(ctx, sec);
    case 'forecast':
      return forecast(ctx, sec);
    case 'staffing':
      return staffing(ctx, sec);
  }
}
