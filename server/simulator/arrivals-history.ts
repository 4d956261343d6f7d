// Weeks of past arrivals per line, so a demo (and the forecast bench) starts with a history to
// forecast from: the day curve of the live simulator (busy late morning and early afternoon),
// weekdays busier than weekends, public holidays at a fraction of a normal day, a slow upward
// trend, a day-to-day level that wanders a little, and Poisson noise on every bucket. Pure and
// seeded: the same options give the same history.
import { localDateOf } from '../forecast/intervals.js';
import { LocalTime } from '../domain/local-time.js';
import { dayCurve } from './day-curve.js';
import { mulberry32, normal, poisson, type Random } from './random.js';

export interface LineVolume {
  /** Arrivals on an ordinary Wednesday at the end of the history. */
  perDay: number;
}

/** l1 takes most contacts, l2 the technical ones, l3 a trickle of escalations. */
export const DEFAULT_VOLUMES: ReadonlyMap<string, LineVolume> = new Map([
  ['l1', { perDay: 1500 }],
  ['l2', { perDay: 300 }],
  ['l3', { perDay: 60 }],
]);

/** Relative volume by weekday, Sunday first: Monday's backlog, a quieter Friday, a quiet weekend. */
const WEEKDAY_FACTOR = [0.32, 1.12, 1.05, 1, 0.97, 0.86, 0.42] as const;

/** Fixed-date public holidays (month-day) common to much of Europe. */
export const DEFAULT_HOLIDAYS: readonly string[] = ['01-01', '05-01', '11-01', '11-11', '12-25', '12-26'];

export interface ArrivalsHistoryOptions {
  seed: number;
  /** The history ends here (exclusive): buckets that end by then are generated. */
  endMs: number;
  /** How many local days back from the day of `endMs` the history starts (8 weeks = 56). */
  days: number;
  timeZone?: string;
  /** Bucket length; 15 minutes serves 15, 30 and 60-minute forecasts. */
  bucketMinutes?: 15 | 30 | 60;
  volumes?: ReadonlyMap<string, LineVolume>;
  /** Holidays as `MM-DD` (every year) or `YYYY-MM-DD`. */
  holidays?: readonly string[];
  /** A holiday's volume relative to the same day otherwise. */
  holidayFactor?: number;
  /** Growth per year (0.15: +15 %). */
  trendPerYear?: number;
  /** Standard deviation of the day's level around the pattern (log scale). */
  dayNoise?: number;
}

export interface ArrivalsHistory {
  /** Local midnight that starts the history. */
  start: number;
  end: number;
  /** Per line, arrivals per bucket start (every bucket, zeros included). */
  lines: Map<string, Map<number, number>>;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function generateArrivalsHistory(options: ArrivalsHistoryOptions): ArrivalsHistory {
  const local = new LocalTime(options.timeZone);
  const random: Random = mulberry32(options.seed);
  const volumes = options.volumes ?? DEFAULT_VOLUMES;
  const holidays = new Set(options.holidays ?? DEFAULT_HOLIDAYS);
  const holidayFactor = options.holidayFactor ?? 0.2;
  const trend = options.trendPerYear ?? 0.15;
  const dayNoise = options.dayNoise ?? 0.06;
  const step = (options.bucketMinutes ?? 15) * MINUTE_MS;

  // Date arithmetic through noon, so DST days count as one day.
  const start = local.midnightOf(local.midnightOf(options.endMs) + DAY_MS / 2 - options.days * DAY_MS);
  const lines = new Map<string, Map<number, number>>();
  for (const line of volumes.keys()) lines.set(line, new Map());

  for (let day = start; day < options.endMs; day = local.nextMidnight(day)) {
    const date = localDateOf(day + DAY_MS / 2, options.timeZone);
    const holiday = holidays.has(date.key) || holidays.has(date.key.slice(5));
    const weekend = date.weekday === 0 || date.weekday === 6;
    const grown = Math.exp((Math.log1p(trend) * (day - options.endMs)) / (365 * DAY_MS));
    const dayFactor = (WEEKDAY_FACTOR[date.weekday] ?? 1) * grown * (holiday ? holidayFactor : 1);
    const next = local.nextMidnight(day);
    for (const [line, volume] of volumes) {
      const level = volume.perDay * dayFactor * Math.exp(dayNoise * normal(random) - (dayNoise * dayNoise) / 2);
      const buckets = lines.get(line) as Map<number, number>;
      for (let at = day; at < next && at + step <= options.endMs; at += step) {
        const hour = local.hourOf(at + step / 2);
        // Weekends and holidays are flatter: fewer office hours, more evenings.
        const shape = weekend || holiday ? 0.55 * dayCurve(hour) + 0.45 : dayCurve(hour);
        buckets.set(at, poisson(random, (level * shape * step) / DAY_MS));
      }
    }
  }
  return { start, end: options.endMs, lines };
}

/**
 * The arrival instants of one bucketed history (for a backfill of tickets by `createdAt`), spread
 * uniformly within each bucket, ascending.
 */
export function arrivalInstants(buckets: ReadonlyMap<number, number>, bucketMs: number, seed: number): number[] {
  const random = mulberry32(seed);
  const instants: number[] = [];
  for (const [start, count] of [...buckets].sort((x, y) => x[0] - y[0])) {
    const inBucket: number[] = [];
    for (let i = 0; i < count; i += 1) inBucket.push(start + Math.floor(random() * bucketMs));
    instants.push(...inBucket.sort((x, y) => x - y));
  }
  return instants;
}
