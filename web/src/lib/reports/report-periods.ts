// The reports page's pure parts (docs/contract.md#reports-to-management): which periods the "Run now"
// picker offers, how a period and a run's start are written, and a cron schedule in words for the
// shapes the shipped definitions use. No I/O, no clock: "today" is passed in. Dates are local days
// written YYYY-MM-DD; a period is [start, end), `end` the first day after it, as the server has it.
import type { ReportPeriod } from '../../../../contract/reports.js';

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD date (computed in UTC: a date has no zone). */
function dayNumber(date: string): number {
  const match = DATE.exec(date);
  if (match === null) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

function fromDayNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** `date` moved by `days` (negative: back). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

function addMonths(monthStart: string, months: number): string {
  const index = Number(monthStart.slice(0, 4)) * 12 + Number(monthStart.slice(5, 7)) - 1 + months;
  const month = (index % 12) + 1;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-01`;
}

/** The start of the period of this kind that contains `date`: the day, its week's Monday, its month's 1st. */
export function periodStartOf(period: ReportPeriod, date: string): string {
  switch (period) {
    case 'day':
      return fromDayNumber(dayNumber(date));
    case 'week': {
      const days = dayNumber(date);
      // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on a Monday.
      return fromDayNumber(days - ((((days + 3) % 7) + 7) % 7));
    }
    case 'month':
      return `${date.slice(0, 7)}-01`;
  }
}

/** The first day after the period starting on `start`. */
export function periodEnd(period: ReportPeriod, start: string): string {
  switch (period) {
    case 'day':
      return addDays(start, 1);
    case 'week':
      return addDays(start, 7);
    case 'month':
      return addMonths(start, 1);
  }
}

/** Whether `date` can start a period of this kind (the server refuses any other with a 400). */
export function isPeriodStart(period: ReportPeriod, date: string): boolean {
  return DATE.test(date) && periodStartOf(period, date) === date;
}

/** The start of the last period that has ended by `today`: yesterday, last week's Monday, last month's 1st. */
export function lastCompleteStart(period: ReportPeriod, today: string): string {
  return periodStartOf(period, addDays(periodStartOf(period, today), -1));
}

/**
 * The periods the picker offers, newest first: the last complete one and the `count - 1` before
 * it. The current period is not offered: its figures are not all in yet.
 */
export function completePeriodStarts(period: ReportPeriod, today: string, count: number): string[] {
  const starts: string[] = [];
  let start = lastCompleteStart(period, today);
  for (let i = 0; i < count; i++) {
    starts.push(start);
    start = periodStartOf(period, addDays(start, -1));
  }
  return starts;
}

/** How many periods back the picker reaches: about the 400 days the daily figures are kept. */
export const PICKER_PERIODS: { readonly [K in ReportPeriod]: number } = { day: 62, week: 56, month: 13 };

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}\u0000${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang, options);
    formats.set(key, format);
  }
  return format;
}

const asDate = (date: string): Date => new Date(dayNumber(date) * DAY_MS);
const DAY_MONTH_YEAR: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };

/**
 * The days of a period in the language's words: "Nov 23 – 29, 2026", "23–29 нояб. 2026 г.", one
 * date for a day. `end` is the first day after the period.
 */
export function periodDates(start: string, end: string, lang: string): string {
  const last = addDays(end, -1);
  const format = dateFormat(lang, DAY_MONTH_YEAR);
  return last === start ? format.format(asDate(start)) : format.formatRange(asDate(start), asDate(last));
}

/** A picker option's words: a month by its name ("November 2026"), a week or day by its dates. */
export function periodLabel(period: ReportPeriod, start: string, lang: string): string {
  if (period === 'month') return dateFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(asDate(start));
  return periodDates(start, periodEnd(period, start), lang);
}

/** A moment (a run's start) as the browser's local date and time: "Dec 1, 07:00:03". */
export function dateTime(iso: string, lang: string): string {
  return dateFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** The shapes of a schedule put in words; anything else is shown as its cron expression only. */
export type ScheduleShape =
  | { kind: 'daily'; time: string }
  /** 0 = Sunday … 6 = Saturday, as cron counts (cron's 7 is Sunday too). */
  | { kind: 'weekly'; weekday: number; time: string }
  | { kind: 'monthly'; day: number; time: string };

const NUMBER = /^\d{1,2}$/;

/**
 * A five-field cron expression with a fixed minute and hour and either every day, one weekday, or
 * one day of the month: "0 7 * * 1" → weekly on Monday at 07:00. null for any other shape (lists,
 * ranges, steps, names, a month field): the page then shows the expression alone.
 */
export function scheduleShape(cron: string): ScheduleShape | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (!NUMBER.test(minute) || !NUMBER.test(hour) || month !== '*') return null;
  const m = Number(minute);
  const h = Number(hour);
  if (m > 59 || h > 23) return null;
  const time = `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
  if (dom === '*' && dow === '*') return { kind: 'daily', time };
  if (dom === '*' && NUMBER.test(dow) && Number(dow) <= 7) return { kind: 'weekly', weekday: Number(dow) % 7, time };
  if (dow === '*' && NUMBER.test(dom) && Number(dom) >= 1 && Number(dom) <= 31) return { kind: 'monthly', day: Number(dom), time };
  return null;
}

/** A day of the month as the language says it in "on the 1st of each month": 1st, 2nd, 23rd; 1-го. */
export function dayOrdinal(day: number, lang: string): string {
  if (lang === 'ru') return `${day}-го`;
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffix = teen ? 'th' : ((['th', 'st', 'nd', 'rd'] as const)[day % 10] ?? 'th');
  return `${day}${suffix}`;
}

/** The browser's local date at `ms`, YYYY-MM-DD: which periods have ended. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  const month = d.getMonth() + 1;
  const day = d.getDate();
  return `${d.getFullYear()}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}
