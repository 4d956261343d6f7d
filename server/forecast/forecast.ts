// The arrivals forecast of docs/contract.md#forecast-shifts-and-staffing: per interval of a range
// (28 days back to 7 days ahead), the expected arrivals, a P10–P90 band and the actual count where
// known. Every day is forecast from the days before it only (a past day shows what would have been
// forecast that morning, so the range's WAPE is honest); today's remaining intervals are then
// re-forecast from what has arrived so far.
import type { ArrivalsSource } from './arrivals.js';
import { countBand } from './band.js';
import { CountsByDay } from './day-counts.js';
import { type IntervalMinutes, type LocalDay, LocalIntervals } from './intervals.js';
import { type DayProfile, PROFILE_DEFAULTS, type ProfileOptions, sameWeekdayAverage, weekdayProfile } from './profile.js';

export type ForecastMethod = 'weighted-weekday-profile' | 'same-weekday-average-4w' | 'insufficient-history';

export interface ForecastPoint {
  /** Start of the interval (ms). */
  at: number;
  expected: number;
  p10: number;
  p90: number;
  /** Arrivals in the interval once it has ended; null before that or before the history. */
  actual: number | null;
}

export interface Forecast {
  method: ForecastMethod;
  /** Σ|actual − expected| ÷ Σ actual over the points with an actual; null when there are none (or no arrivals). */
  wape: number | null;
  points: ForecastPoint[];
}

export interface ForecastOptions {
  /** 'baseline' is the 4-week same-weekday average, for comparison (the bench); its band is empty. */
  method: 'profile' | 'baseline';
  profile: ProfileOptions;
  /** Scale today's remaining intervals by today's level so far (off only to measure what it brings). */
  reforecastToday: boolean;
}

const DAY_MS = 86_400_000;
/** Below this much history the forecast says so instead of inventing a curve. */
export const MIN_HISTORY_MS = 7 * DAY_MS;
// The day-level dispersion is floored so that a history of identical days does not make the
// prior on today's level infinitely sure: at least a 2 % day-to-day variation is assumed.
const MIN_DAY_DISPERSION = 0.02 ** 2;

export function forecast(
  history: ArrivalsSource,
  line: string,
  fromMs: number,
  toMs: number,
  nowMs: number,
  timeZone: string | undefined,
  intervalMinutes: IntervalMinutes,
  options: Partial<ForecastOptions> = {},
): Forecast {
  if (!(toMs > fromMs)) throw new RangeError('forecast: `to` must be after `from`');
  const intervals = new LocalIntervals(timeZone, intervalMinutes);
  const profileOptions = options.profile ?? PROFILE_DEFAULTS;
  const historyStart = history.historyStart(line);
  if (historyStart === null || nowMs - historyStart < MIN_HISTORY_MS) {
    return insufficientHistory(intervals, history, line, fromMs, toMs, nowMs, historyStart);
  }

  const days = daysOfRange(intervals, fromMs, toMs);
  const first = days[0] as LocalDay;
  const last = days[days.length - 1] as LocalDay;
  const readFrom = intervals.daysBefore(first.start, 7 * Math.max(profileOptions.weeks, 5)).start;
  const counts = new CountsByDay(intervals, history, line, readFrom, Math.min(nowMs, last.end), historyStart);
  const today = intervals.dayStart(nowMs);
  const baseline = options.method === 'baseline';

  const points: ForecastPoint[] = [];
  for (const day of days) {
    const inRange = (i: number): boolean => {
      const start = day.start + i * intervals.stepMs;
      return start >= fromMs && start < toMs;
    };
    if (baseline) {
      const bySlot = sameWeekdayAverage(intervals, counts, day);
      day.slots.forEach((slot, i) => {
        if (!inRange(i)) return;
        const at = day.start + i * intervals.stepMs;
        const expected = bySlot?.[slot] ?? 0;
        points.push({ at, expected, p10: expected, p90: expected, actual: counts.actual(at) });
      });
      continue;
    }
    const profile = weekdayProfile(intervals, counts, day, profileOptions);
    if (profile === null) {
      // Nothing complete before this day (the first day of the history): no curve to show.
      points.push(...flatPoints(intervals, counts, day, inRange, Math.min(day.start, nowMs)));
      continue;
    }
    const level = day.start === today && options.reforecastToday !== false ? todayLevel(intervals, counts, day, profile) : null;
    day.slots.forEach((slot, i) => {
      if (!inRange(i)) return;
      const at = day.start + i * intervals.stepMs;
      const remaining = level !== null && at + intervals.stepMs > nowMs;
      const expected = (profile.bySlot[slot] as number) * (remaining ? level.factor : 1);
      const dispersion = remaining ? level.dispersion : profile.dispersion;
      const band = countBand(expected, expected + dispersion * expected * expected + profile.estimateVariance * expected);
      points.push({ at, expected, p10: Math.min(band.p10, expected), p90: Math.max(band.p90, expected), actual: counts.actual(at) });
    });
  }
  return { method: baseline ? 'same-weekday-average-4w' : 'weighted-weekday-profile', wape: wape(points), points };
}

/**
 * What `forecast` reads from the history for this range, so an asynchronous store can be read
 * first (into a `MemoryArrivals`): the weeks of profile before the range's first day up to now.
 */
export function forecastReadWindow(
  fromMs: number,
  nowMs: number,
  timeZone: string | undefined,
  intervalMinutes: IntervalMinutes,
  profile: ProfileOptions = PROFILE_DEFAULTS,
): { from: number; to: number } {
  const intervals = new LocalIntervals(timeZone, intervalMinutes);
  const from = Math.min(intervals.daysBefore(fromMs, 7 * Math.max(profile.weeks, 5)).start, intervals.daysBefore(nowMs, 7).start);
  return { from, to: nowMs };
}

export interface TodayLevel {
  /** What today's remaining intervals are multiplied by. */
  factor: number;
  /** Their dispersion once today's level is partly known. */
  dispersion: number;
}

/**
 * Today's level from the arrivals of its ended intervals. The day's level is a gamma-distributed
 * multiplier with mean 1 and variance `dayDispersion` (what the past days showed); with Poisson
 * arrivals the posterior mean after `arrived` against `expectedSoFar` is (α + arrived) ÷ (α +
 * expectedSoFar), α = 1 ÷ dayDispersion: close to 1 early in the day, following the arrivals as
 * they add up.
 */
export function levelFactor(arrived: number, expectedSoFar: number, dayDispersion: number): TodayLevel {
  const alpha = 1 / Math.max(dayDispersion, MIN_DAY_DISPERSION);
  return { factor: (alpha + arrived) / (alpha + expectedSoFar), dispersion: 1 / (alpha + arrived) };
}

function todayLevel(intervals: LocalIntervals, counts: CountsByDay, day: LocalDay, profile: DayProfile): TodayLevel {
  let arrived = 0;
  let expectedSoFar = 0;
  day.slots.forEach((slot, i) => {
    const actual = counts.actual(day.start + i * intervals.stepMs);
    if (actual === null) return;
    arrived += actual;
    expectedSoFar += profile.bySlot[slot] as number;
  });
  const level = levelFactor(arrived, expectedSoFar, profile.dayDispersion);
  // The level's remaining uncertainty replaces the day's share of the dispersion.
  return { factor: level.factor, dispersion: Math.max(0, profile.dispersion - profile.dayDispersion) + level.dispersion };
}

/** Σ|actual − expected| ÷ Σ actual over the points with an actual; null when nothing arrived. */
export function wape(points: readonly Pick<ForecastPoint, 'expected' | 'actual'>[]): number | null {
  let error = 0;
  let total = 0;
  for (const point of points) {
    if (point.actual === null) continue;
    error += Math.abs(point.actual - point.expected);
    total += point.actual;
  }
  return total > 0 ? error / total : null;
}

/**
 * Under 7 days of history there is no weekly pattern to learn, and a daily one would be a guess:
 * the forecast says so, with a flat line at the mean of what has arrived and a band from 0 to
 * well above anything seen, rather than a curve it cannot back.
 */
function insufficientHistory(
  intervals: LocalIntervals,
  history: ArrivalsSource,
  line: string,
  fromMs: number,
  toMs: number,
  nowMs: number,
  historyStart: number | null,
): Forecast {
  const days = daysOfRange(intervals, fromMs, toMs);
  const start = Math.min((days[0] as LocalDay).start, historyStart ?? nowMs);
  const counts = new CountsByDay(intervals, history, line, start, Math.max(start, nowMs), historyStart ?? nowMs);
  const points: ForecastPoint[] = [];
  for (const day of days) points.push(...flatPoints(intervals, counts, day, (i) => inside(day.start + i * intervals.stepMs, fromMs, toMs), nowMs));
  return { method: 'insufficient-history', wape: wape(points), points };
}

/** Flat points at the mean interval count of the history before `until`, band 0 … generous. */
function flatPoints(intervals: LocalIntervals, counts: CountsByDay, day: LocalDay, inRange: (i: number) => boolean, until: number): ForecastPoint[] {
  let total = 0;
  let ended = 0;
  let max = 0;
  const firstInterval = intervals.intervalOf(counts.historyStart).start;
  for (let at = firstInterval; at + intervals.stepMs <= until; at += intervals.stepMs) {
    const count = counts.actual(at) ?? 0;
    total += count;
    max = Math.max(max, count);
    ended += 1;
  }
  const expected = ended > 0 ? total / ended : 0;
  // Generous on purpose: twice the busiest interval seen, at least three times the mean.
  const p90 = Math.max(2 * max, 3 * expected, expected > 0 ? 1 : 0);
  const points: ForecastPoint[] = [];
  day.slots.forEach((_, i) => {
    if (!inRange(i)) return;
    const at = day.start + i * intervals.stepMs;
    points.push({ at, expected, p10: 0, p90: Math.ceil(p90), actual: counts.actual(at) });
  });
  return points;
}

function daysOfRange(intervals: LocalIntervals, fromMs: number, toMs: number): LocalDay[] {
  const days: LocalDay[] = [];
  for (let at = intervals.dayStart(fromMs); at < toMs; ) {
    const day = intervals.day(at);
    days.push(day);
    at = day.end;
  }
  return days;
}

function inside(at: number, fromMs: number, toMs: number): boolean {
  return at >= fromMs && at < toMs;
}
