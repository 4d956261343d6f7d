// How a report writes its numbers and dates (docs/contract.md#reports-to-management): by the
// figure's unit (FIGURE_UNIT) and the report's language, and the change against the previous
// period coloured by which way is better (FIGURE_BETTER). Pure; the text it returns is plain text,
// escaped by whoever puts it into HTML or SVG.
import { type DailyFigure, FIGURE_BETTER, FIGURE_UNIT } from '../../contract/reports.js';
import type { ReportStrings } from './report-strings.js';

type Unit = (typeof FIGURE_UNIT)[DailyFigure];

/** Keeps a number and its unit on one line. */
export const NBSP = '\u00a0';
const MINUS = '\u2212';
export const MISSING = '—';

function number(s: ReportStrings, value: number, minDigits: number, maxDigits: number): string {
  return new Intl.NumberFormat(s.locale, { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits }).format(value);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A duration: "42 s", "4 min 12 s", "57 min", "1 h 05 min", "2 d 03 h" (each rounded to its smaller part). */
export function formatDuration(s: ReportStrings, seconds: number): string {
  const u = s.units;
  const total = Math.round(Math.abs(seconds));
  if (total < 60) return `${total}${NBSP}${u.second}`;
  // Seconds matter for a first response of a few minutes, not beside tens of minutes.
  if (total < 600) return `${Math.floor(total / 60)}${NBSP}${u.minute} ${pad(total % 60)}${NBSP}${u.second}`;
  if (total < 3_570) return `${Math.round(total / 60)}${NBSP}${u.minute}`;
  if (total < 86_400) {
    const minutes = Math.round(total / 60);
    return `${Math.floor(minutes / 60)}${NBSP}${u.hour} ${pad(minutes % 60)}${NBSP}${u.minute}`;
  }
  const hours = Math.round(total / 3_600);
  return `${Math.floor(hours / 24)}${NBSP}${u.day} ${pad(hours % 24)}${NBSP}${u.hour}`;
}

/** A value in a unit, without its sign: the magnitude is what the unit's format shows. */
function formatUnit(s: ReportStrings, unit: Unit, value: number): string {
  switch (unit) {
    case 'count':
      return number(s, value, 0, 1);
    case 'share':
      return `${number(s, value * 100, 1, 1)}${NBSP}%`;
    case 'hours':
      return `${number(s, value, 1, 1)}${NBSP}${s.units.hours}`;
    case 'seconds':
      return formatDuration(s, value);
    case 'minutes':
      return value < 59.5 ? `${Math.round(value)}${NBSP}${s.units.minute}` : formatDuration(s, value * 60);
  }
}

/** A figure's value as the report shows it; "—" for none. */
export function formatFigure(s: ReportStrings, figure: DailyFigure, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  const text = formatUnit(s, FIGURE_UNIT[figure], Math.abs(value));
  return value < 0 ? `${MINUS}${text}` : text;
}

/** Below this a change rounds away in the unit's format, so it is shown as none. */
const UNCHANGED: { readonly [U in Unit]: number } = { count: 0.05, share: 0.0005, hours: 0.05, seconds: 0.5, minutes: 0.05 };

export interface Change {
  arrow: '▲' | '▼' | '';
  text: string;
  /** better/worse per FIGURE_BETTER; neutral for a volume, no change, or a side without a value. */
  tone: 'better' | 'worse' | 'neutral';
}

/** The change from the previous period: "▲ 92 (+7.7 %)", "▼ 2.5 pp", "▼ 49 s (−16.3 %)". */
export function formatChange(s: ReportStrings, figure: DailyFigure, current: number | null, previous: number | null): Change {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) {
    return { arrow: '', text: s.summary.noComparison, tone: 'neutral' };
  }
  const unit = FIGURE_UNIT[figure];
  const diff = current - previous;
  if (Math.abs(diff) < UNCHANGED[unit]) return { arrow: '', text: s.summary.noChange, tone: 'neutral' };
  const up = diff > 0;
  const better = FIGURE_BETTER[figure];
  const tone = better === null ? 'neutral' : (better === 'up') === up ? 'better' : 'worse';
  const magnitude = unit === 'share' ? `${number(s, Math.abs(diff) * 100, 1, 1)}${NBSP}${s.units.percentPoints}` : formatUnit(s, unit, Math.abs(diff));
  const relative = unit !== 'share' && previous !== 0 ? ` (${up ? '+' : MINUS}${number(s, Math.abs(diff / previous) * 100, 1, 1)}${NBSP}%)` : '';
  return { arrow: up ? '▲' : '▼', text: `${magnitude}${relative}`, tone };
}

// Dates. A report's days are local days written YYYY-MM-DD; they are formatted as UTC dates so the
// server's own zone never shifts them. Instants (incident times, generatedAt) are formatted in the
// report's time zone.

const DAY_MS = 86_400_000;
/** A report covers at most a month; the bound only stops a malformed period from looping. */
const MAX_DAYS = 400;

function utcDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function isDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(utcDay(day).getTime());
}

export function addDays(day: string, days: number): string {
  return new Date(utcDay(day).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The local days of [start, end). */
export function daysOf(start: string, end: string): string[] {
  const days: string[] = [];
  if (!isDay(start) || !isDay(end)) return days;
  for (let day = start; day < end && days.length < MAX_DAYS; day = addDays(day, 1)) days.push(day);
  return days;
}

/** [start, end) as a range of dates: "23–29 November 2026", one date for a one-day period. */
export function formatPeriod(s: ReportStrings, start: string, end: string): string {
  if (!isDay(start) || !isDay(end) || end <= start) return `${start} – ${end}`;
  const format = new Intl.DateTimeFormat(s.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return format.formatRange(utcDay(start), utcDay(addDays(end, -1)));
}

/** A day in a table: "Thu 26 Nov". */
export function formatDay(s: ReportStrings, day: string): string {
  if (!isDay(day)) return day;
  return new Intl.DateTimeFormat(s.locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(utcDay(day));
}

/** A day under a chart's axis: "Thu 26". */
export function formatAxisDay(s: ReportStrings, day: string): string {
  if (!isDay(day)) return day;
  return new Intl.DateTimeFormat(s.locale, { weekday: 'short', day: 'numeric', timeZone: 'UTC' }).format(utcDay(day));
}

function inZone(s: ReportStrings, iso: string, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(s.locale, { ...options, timeZone }).format(instant);
  } catch {
    // An unknown zone name: UTC, said so, rather than no report.
    return `${new Intl.DateTimeFormat(s.locale, { ...options, timeZone: 'UTC' }).format(instant)} UTC`;
  }
}

/** An instant in a table: "24 Nov, 10:12". */
export function formatInstant(s: ReportStrings, iso: string, timeZone: string): string {
  return inZone(s, iso, timeZone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** When the report was made: "30 November 2026, 07:00". */
export function formatGeneratedAt(s: ReportStrings, iso: string, timeZone: string): string {
  return inZone(s, iso, timeZone, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
