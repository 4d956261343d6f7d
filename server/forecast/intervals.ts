// Forecast intervals in the local time zone (docs/contract.md#configuration: `TZ`). An interval
// starts at local midnight plus a whole number of steps, so a day where the clocks change has 23 or
// 25 hours and 46 or 50 half-hours. Intervals on different days are compared by their wall-clock
// "slot" (09:30 is slot 19 at 30 minutes), which on the autumn day occurs twice and on the spring
// day skips the missing hour.
import { INTERVAL_MINUTES, type IntervalMinutes } from '../../contract/staffing.js';
import { LocalTime } from '../domain/local-time.js';

export { INTERVAL_MINUTES, type IntervalMinutes };

export interface Interval {
  start: number;
  end: number;
}

/** One local day: its bounds and the wall-clock slot of each of its intervals. */
export interface LocalDay {
  start: number;
  end: number;
  /** `slots[i]` is the slot of the i-th interval (its start at `start + i × step`). */
  slots: readonly number[];
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;

export class LocalIntervals {
  readonly stepMs: number;
  /** Intervals on a 24-hour day, which is also the number of distinct slots. */
  readonly slotsPerDay: number;
  private readonly local: LocalTime;
  // Finding a midnight costs a few Intl calls; a forecast asks about the same hundred-odd days
  // many times.
  private readonly days = new Map<number, LocalDay>();
  // Midnights by quarter-hour of the instant asked about: every zone's offset is a whole number of
  // quarter-hours, so a quarter-hour never straddles a local midnight.
  private readonly midnights = new Map<number, number>();

  constructor(
    timeZone: string | undefined,
    readonly intervalMinutes: IntervalMinutes,
  ) {
    if (!(INTERVAL_MINUTES as readonly number[]).includes(intervalMinutes))
      throw new RangeError(`intervalMinutes must be 15, 30 or 60, not ${intervalMinutes}`);
    this.stepMs = intervalMinutes * MINUTE_MS;
    this.slotsPerDay = (24 * 60) / intervalMinutes;
    this.local = new LocalTime(timeZone);
  }

  /** The local midnight that starts the day containing `ms`. */
  dayStart(ms: number): number {
    const quarter = Math.floor(ms / QUARTER_HOUR_MS);
    let start = this.midnights.get(quarter);
    if (start === undefined) {
      start = this.local.midnightOf(ms);
      this.midnights.set(quarter, start);
    }
    return start;
  }

  /** The local day containing `ms`. */
  day(ms: number): LocalDay {
    const start = this.dayStart(ms);
    const cached = this.days.get(start);
    if (cached !== undefined) return cached;
    const end = this.local.nextMidnight(start);
    const count = Math.round((end - start) / this.stepMs);
    const slots: number[] = [];
    if (end - start === DAY_MS) {
      for (let i = 0; i < count; i += 1) slots.push(i);
    } else {
      // The clocks change today: the slot is read off the wall clock of each interval.
      for (let i = 0; i < count; i += 1) slots.push(Math.floor((this.local.hourOf(start + i * this.stepMs) * 60 + 1e-6) / this.intervalMinutes));
    }
    const day: LocalDay = { start, end, slots };
    this.days.set(start, day);
    return day;
  }

  /** The local day `n` days before the one containing `ms` (negative: after), counted in dates. */
  daysBefore(ms: number, n: number): LocalDay {
    // Noon of the day moved by n × 24 h stays inside the wanted date: the clock changes in
    // between shift it by an hour or so, never by twelve.
    return this.day(this.dayStart(ms) + 12 * HOUR_MS - n * DAY_MS);
  }

  /** The same weekday 1, 2 … `weeks` weeks before the day containing `ms`, most recent first. */
  sameWeekdayBack(ms: number, weeks: number): LocalDay[] {
    const days: LocalDay[] = [];
    for (let k = 1; k <= weeks; k += 1) days.push(this.daysBefore(ms, 7 * k));
    return days;
  }

  /** The intervals of the local day containing `ms`: 48 half-hours, 46 or 50 on DST days. */
  intervalsOf(ms: number): Interval[] {
    const day = this.day(ms);
    return day.slots.map((_, i) => ({ start: day.start + i * this.stepMs, end: day.start + (i + 1) * this.stepMs }));
  }

  /** The interval containing the instant `ms`. */
  intervalOf(ms: number): Interval {
    const day = this.day(ms);
    const start = day.start + Math.floor((ms - day.start) / this.stepMs) * this.stepMs;
    return { start, end: start + this.stepMs };
  }
}

/**
 * The local date of `ms` in `timeZone` as `YYYY-MM-DD` and its weekday (0 = Sunday), for
 * calendars of holidays and weekends. (LocalTime keeps its wall clock private.)
 */
export function localDateOf(ms: number, timeZone: string | undefined): { key: string; weekday: number } {
  const format = dateFormat(timeZone);
  let year = '';
  let month = '';
  let day = '';
  for (const part of format.formatToParts(ms)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  const weekday = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDay();
  return { key: `${year}-${month}-${day}`, weekday };
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const zone = timeZone?.replace(/^:/, '') || '';
  let format = dateFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(zone, format);
  }
  return format;
}
