// Our forecast of one local day: a weighted same-weekday profile.
//
// - The day's total is the weighted mean of the same weekday's totals over the previous weeks,
//   the weights decaying by `decay` a week, so a trend or a change of level shows within weeks
//   instead of being averaged away over a fixed window.
// - Holidays (and outages) are left out: a day whose total is below `holidayRatio` × its weekday's
//   median is not a pattern to repeat; a plain average would carry a holiday's dip into the next
//   four weeks of that weekday.
// - The shape over the day mixes the weekday's own shape with the shape pooled over every recent
//   day of a similar level (weekdays with weekdays, weekend with weekend), in proportion to the
//   arrivals behind each: a busy line keeps its weekday's own shape, a quiet line, whose weekday
//   shape is mostly Poisson noise, leans on the pooled one (a pseudo-count of `poolStrength`
//   arrivals; empirical Bayes shrinkage).
// - The spread (over-dispersion beyond Poisson) is measured by leaving each past day out in turn
//   and forecasting it from the others, so the band reflects the errors this method makes.
import type { CountsByDay, DayCounts } from './day-counts.js';
import type { LocalDay, LocalIntervals } from './intervals.js';

export interface ProfileOptions {
  /** How many weeks back the same weekday is looked at. */
  weeks: number;
  /** Weight of a week relative to the one after it. */
  decay: number;
  /** A day below this share of its weekday's median total is a holiday (left out). */
  holidayRatio: number;
  /** Pseudo-count (arrivals) of the pooled shape against the weekday's own. */
  poolStrength: number;
  /** Days whose weekday level is within this ratio of the target's pool their shapes. */
  similarLevel: number;
}

// Chosen on the bench (test/bench/forecast.ts), not fitted to it: round values that did well.
export const PROFILE_DEFAULTS: ProfileOptions = { weeks: 8, decay: 0.85, holidayRatio: 0.6, poolStrength: 2000, similarLevel: 0.75 };

export interface DayProfile {
  /** Expected arrivals per wall-clock slot. */
  bySlot: Float64Array;
  /** An interval's variance is μ + dispersion × μ² + estimateVariance × μ. */
  dispersion: number;
  /** The part of `dispersion` due to the whole day's level (the variance of day total ÷ expected). */
  dayDispersion: number;
  /** Poisson noise left in the estimate itself, per unit of the mean. */
  estimateVariance: number;
}

// With fewer than two usable same-weekday days there is no residual to measure: assume a
// generous spread (a coefficient of variation of about 30 % per interval, 20 % per day).
const FALLBACK_DISPERSION = 0.09;
const FALLBACK_DAY_DISPERSION = 0.04;

/** The profile of `target` from the complete days before it, or null when there are none. */
export function weekdayProfile(
  intervals: LocalIntervals,
  counts: CountsByDay,
  target: LocalDay,
  options: ProfileOptions = PROFILE_DEFAULTS,
): DayProfile | null {
  const slots = intervals.slotsPerDay;
  const back = (j: number): DayCounts | undefined => counts.get(intervals.daysBefore(target.start, j).start);

  // The level of each weekday (offset o = 1…7 days before the target; 7 is the target's own).
  const levels: number[] = [Number.NaN];
  for (let o = 1; o <= 7; o += 1) {
    const totals: number[] = [];
    for (let i = 0; i < options.weeks; i += 1) {
      const day = back(o + 7 * i);
      if (day !== undefined) totals.push(day.total);
    }
    levels.push(median(totals));
  }
  const ownLevel = levels[7] as number;
  const isHoliday = (day: DayCounts, offset: number): boolean => day.total < options.holidayRatio * (levels[((offset - 1) % 7) + 1] as number);

  // The shape pooled over the last four weeks' days of a similar level.
  const pooled = new Float64Array(slots);
  let pooledTotal = 0;
  let pooledWeight = 0;
  for (let j = 1; j <= 28; j += 1) {
    const day = back(j);
    if (day === undefined || isHoliday(day, j)) continue;
    const level = levels[((j - 1) % 7) + 1] as number;
    if (!Number.isNaN(ownLevel) && (level < options.similarLevel * ownLevel || level * options.similarLevel > ownLevel)) continue;
    const weight = options.decay ** Math.floor((j - 1) / 7);
    addSlots(pooled, day.bySlot, weight);
    pooledTotal += weight * day.total;
    pooledWeight += weight;
  }

  // The same weekday, week by week.
  const candidates: { day: DayCounts; weight: number }[] = [];
  for (let k = 1; k <= options.weeks; k += 1) {
    const day = back(7 * k);
    if (day !== undefined && !isHoliday(day, 7 * k)) candidates.push({ day, weight: options.decay ** (k - 1) });
  }

  if (candidates.length === 0) {
    if (pooledWeight === 0) return null;
    // No usable same weekday yet (a young history): the pooled days' mean, spread assumed.
    const bySlot = new Float64Array(slots);
    for (let s = 0; s < slots; s += 1) bySlot[s] = (pooled[s] as number) / pooledWeight;
    return { bySlot, dispersion: FALLBACK_DISPERSION, dayDispersion: FALLBACK_DAY_DISPERSION, estimateVariance: 1 };
  }

  const sums = new Float64Array(slots);
  const weights = new Float64Array(slots);
  let weight = 0;
  let weightSquares = 0;
  let weightedTotal = 0;
  for (const { day, weight: w } of candidates) {
    addSlots(sums, day.bySlot, w, weights);
    weight += w;
    weightSquares += w * w;
    weightedTotal += w * day.total;
  }
  const share = (total: number, effectiveDays: number): number => {
    if (pooledTotal === 0) return 1;
    const arrivals = total * effectiveDays;
    return arrivals / (arrivals + options.poolStrength);
  };
  const expectedAt = (s: number, sum: number, slotWeight: number, total: number, a: number): number => {
    const pooledShape = pooledTotal > 0 ? (pooled[s] as number) / pooledTotal : 0;
    if (slotWeight <= 0) return total * pooledShape;
    return a * (sum / slotWeight) + (1 - a) * total * pooledShape;
  };

  const total = weightedTotal / weight;
  const effectiveDays = (weight * weight) / weightSquares;
  const a = share(total, effectiveDays);
  const bySlot = new Float64Array(slots);
  for (let s = 0; s < slots; s += 1) bySlot[s] = expectedAt(s, sums[s] as number, weights[s] as number, total, a);

  if (candidates.length < 2) {
    return { bySlot, dispersion: FALLBACK_DISPERSION, dayDispersion: FALLBACK_DAY_DISPERSION, estimateVariance: a * a };
  }

  // Leave each candidate out, forecast it from the others, and measure the variance beyond
  // Poisson (and beyond the Poisson noise of the leave-one-out estimate itself) by moments.
  let excess = 0;
  let scale = 0;
  let dayExcess = 0;
  let dayScale = 0;
  for (const { day, weight: w } of candidates) {
    const restWeight = weight - w;
    const restTotal = (weightedTotal - w * day.total) / restWeight;
    const restDays = (restWeight * restWeight) / (weightSquares - w * w);
    const restA = share(restTotal, restDays);
    const noise = 1 + (restA * restA) / restDays;
    for (let s = 0; s < slots; s += 1) {
      const x = day.bySlot[s] as number;
      if (Number.isNaN(x)) continue;
      const mean = expectedAt(s, (sums[s] as number) - w * x, (weights[s] as number) - w, restTotal, restA);
      excess += w * ((x - mean) ** 2 - mean * noise);
      scale += w * mean * mean;
    }
    dayExcess += w * ((day.total - restTotal) ** 2 - restTotal * (1 + 1 / restDays));
    dayScale += w * restTotal * restTotal;
  }
  return {
    bySlot,
    dispersion: scale > 0 ? Math.max(0, excess / scale) : FALLBACK_DISPERSION,
    dayDispersion: dayScale > 0 ? Math.max(0, dayExcess / dayScale) : FALLBACK_DAY_DISPERSION,
    estimateVariance: (a * a) / effectiveDays,
  };
}

/** The 4-week same-weekday average (the baseline to beat): each slot's mean over the same weekday of the previous 4 weeks. */
export function sameWeekdayAverage(intervals: LocalIntervals, counts: CountsByDay, target: LocalDay): Float64Array | null {
  const sums = new Float64Array(intervals.slotsPerDay);
  const weights = new Float64Array(intervals.slotsPerDay);
  let found = 0;
  for (const day of intervals.sameWeekdayBack(target.start, 4)) {
    const counted = counts.get(day.start);
    if (counted === undefined) continue;
    addSlots(sums, counted.bySlot, 1, weights);
    found += 1;
  }
  if (found === 0) return null;
  return sums.map((sum, s) => ((weights[s] as number) > 0 ? sum / (weights[s] as number) : 0));
}

/** Adds `weight × values` into `into` (skipping slots a day lacks), and the weight into `weights`. */
function addSlots(into: Float64Array, values: Float64Array, weight: number, weights?: Float64Array): void {
  for (let s = 0; s < into.length; s += 1) {
    const value = values[s] as number;
    if (Number.isNaN(value)) continue;
    into[s] = (into[s] as number) + weight * value;
    if (weights !== undefined) weights[s] = (weights[s] as number) + weight;
  }
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
