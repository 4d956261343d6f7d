// When reports run and which period each run covers (docs/contract.md#reports-to-management). Pure: the
// caller gives the time (`now`, ms) and the time zone; dates are local days written YYYY-MM-DD.
//
// A period is [start, end): `end` is the first day after it, as in ReportData. A scheduled run
// covers the period that had just ended when it fired: the one containing the local day before
// the fire time (Monday 07:00 → the week that ended on Sunday).
//
// Daylight saving time is croner's: a fixed time that falls in the spring-forward gap (02:30 in
// Europe/Berlin on 29 March 2026) fires once, at the first valid time after the gap (03:00); a
// time that occurs twice on the fall-back day (25 October 2026) fires once, at its first occurrence.
import { Cron } from 'croner';
import type { ReportDefinition, ReportPeriod } from '../../contract/reports.js';

export interface PeriodRange {
  /** The first local day of the period. */
  start: string;
  /** The first local day after it. */
  end: string;
}

export interface DueRun {
  /** When the schedule fired (ms). */
  firedAt: number;
  /** The period that had just ended then. */
  period: PeriodRange;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date; null when it is not a real date. */
function dayNumber(date: string): number | null {
  const match = DATE.exec(date);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to 2 March: such a date is not a date.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

function fromDayNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

function parseDate(date: string): number {
  const days = dayNumber(date);
  if (days === null) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return days;
}

/** Whether `date` is a real YYYY-MM-DD date. */
export function isLocalDate(date: string): boolean {
  return dayNumber(date) !== null;
}

/** `date` moved by `days` (negative: back). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(parseDate(date) + days);
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(days: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

function addMonths(date: string, months: number): string {
  const match = DATE.exec(date)!;
  const index = Number(match[1]) * 12 + Number(match[2]) - 1 + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

/** The period of the given kind that contains the local day `date`. */
export function periodOf(period: ReportPeriod, date: string): PeriodRange {
  const days = parseDate(date);
  switch (period) {
    case 'day':
      return { start: date, end: fromDayNumber(days + 1) };
    case 'week': {
      const monday = days - (isoWeekday(days) - 1);
      return { start: fromDayNumber(monday), end: fromDayNumber(monday + 7) };
    }
    case 'month': {
      const start = `${date.slice(0, 7)}-01`;
      return { start, end: addMonths(start, 1) };
    }
  }
}

/** Whether `date` can start a period of this kind: any day, a Monday, the 1st of a month. */
export function isPeriodStart(period: ReportPeriod, date: string): boolean {
  const days = dayNumber(date);
  if (days === null) return false;
  return periodOf(period, date).start === date;
}

/** The period just before the one starting on `start` (which must be a period start). */
export function previousPeriod(period: ReportPeriod, start: string): PeriodRange {
  if (!isPeriodStart(period, start)) throw new RangeError(`${JSON.stringify(start)} does not start a ${period}`);
  return periodOf(period, addDays(start, -1));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local day (YYYY-MM-DD) at `ms` in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  const parts = new Map(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.get('year')}-${parts.get('month')}-${parts.get('day')}`;
}

/** The period a run fired at `firedAt` covers: the one containing the local day before it. */
export function periodEndedBy(period: ReportPeriod, firedAt: number, timeZone: string): PeriodRange {
  return periodOf(period, addDays(localDate(firedAt, timeZone), -1));
}

function cronOf(schedule: string, timeZone: string): Cron {
  // Paused and without a function: croner only computes times here, it never starts a timer.
  return new Cron(schedule, { mode: '5-part', timezone: timeZone, paused: true });
}

/** The first fire time strictly after `after` (ms), or null when the schedule never fires again. */
export function nextFireAfter(schedule: string, after: number, timeZone: string): number | null {
  return cronOf(schedule, timeZone).nextRun(new Date(after))?.getTime() ?? null;
}

/**
 * The scheduled runs due for `definition` at `now`: the fire times in (lastScheduledAt, now], of
 * which only the latest is returned (so 0 or 1 runs). After a restart, or a server that was down
 * for three weeks, one report for the latest finished period is what people want, not a flood of
 * old ones. `lastScheduledAt` null (the report never ran on a schedule) looks back without a limit,
 * so a new definition runs once for its last finished period. The caller claims the period in
 * the run store, which refuses a period that already has a scheduled run (another instance, or
 * this one before a restart in the same minute).
 */
export function dueRuns(definition: Pick<ReportDefinition, 'period' | 'schedule'>, lastScheduledAt: number | null, now: number, timeZone: string): DueRun[] {
  // croner's previous run is strictly before the reference: 1 ms later makes `now` itself count.
  const [latest] = cronOf(definition.schedule, timeZone).previousRuns(1, new Date(now + 1));
  if (latest === undefined) return [];
  const firedAt = latest.getTime();
  if (firedAt > now || (lastScheduledAt !== null && firedAt <= lastScheduledAt)) return [];
  return [{ firedAt, period: periodEndedBy(definition.period, firedAt, timeZone) }];
}
