// The P10–P90 band of an interval's arrivals. Counts are over-dispersed: the day's level varies
// beyond Poisson noise, and the expected value is itself an estimate. So the count is taken as
// negative binomial with the forecast's mean and variance (a Poisson whose rate is gamma
// distributed), and the band is read off its quantiles.

const Z90 = 1.2815515655446004;
// Above this mean the distribution is close to normal and summing the pmf costs more than it is worth.
const NORMAL_ABOVE = 300;

export interface Band {
  p10: number;
  p90: number;
}

/** P10 and P90 of a count with this mean and variance (variance below the mean is taken as Poisson). */
export function countBand(mean: number, variance: number): Band {
  if (!(mean > 0)) return { p10: 0, p90: 0 };
  const v = Math.max(mean, variance);
  if (mean > NORMAL_ABOVE) {
    const sd = Math.sqrt(v);
    return { p10: Math.max(0, Math.round(mean - Z90 * sd)), p90: Math.round(mean + Z90 * sd) };
  }
  const [p10, p90] = countQuantiles(mean, v, 0.1, 0.9);
  return { p10: Math.min(p10, p90), p90 };
}

/**
 * The counts whose cumulative probabilities are nearest to `low` and `high` under a negative
 * binomial of this mean and variance (Poisson when they are equal): the lower bound is the k with
 * P(X < k) nearest to `low`, the upper the k with P(X ≤ k) nearest to `high`. Counts are whole, so
 * the usual "smallest k reaching p" would make a quiet line's band cover far more than 80 % (at a
 * mean of 1.25 it would reach 3, covering 96 %); the nearest keeps coverage near 80 % on average.
 * The pmf is summed from 0 by its ratio recursion, which needs no factorials.
 */
export function countQuantiles(mean: number, variance: number, low: number, high: number): [number, number] {
  let pmf: number;
  let ratio: (k: number) => number;
  if (variance <= mean * (1 + 1e-9)) {
    pmf = Math.exp(-mean);
    ratio = (k) => mean / (k + 1);
  } else {
    const r = (mean * mean) / (variance - mean);
    const q = mean / (r + mean);
    pmf = Math.exp(r * Math.log1p(-q));
    ratio = (k) => ((k + r) / (k + 1)) * q;
  }
  // Invariant: `below` = P(X < k), `cdf` = P(X ≤ k).
  let below = 0;
  let cdf = pmf;
  let k = 0;
  let lowAt = -1;
  const limit = mean + 40 * Math.sqrt(variance) + 50;
  while (k < limit) {
    if (lowAt < 0 && cdf > low) lowAt = Math.abs(below - low) <= Math.abs(cdf - low) ? k : k + 1;
    if (cdf >= high) return [lowAt, Math.abs(below - high) < Math.abs(cdf - high) && k > 0 ? k - 1 : k];
    pmf *= ratio(k);
    k += 1;
    below = cdf;
    cdf += pmf;
  }
  return [Math.max(0, lowAt), k];
}
