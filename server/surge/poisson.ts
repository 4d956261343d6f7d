// The Poisson test behind a line's rate surge (docs/contract.md#surge-detection): arrivals above the
// forecast's P90 band, by a margin that chance explains with probability below 0.001.
//
// P(X ≥ k | λ) for k ≥ 1 is the regularised lower incomplete gamma function P(k, λ), computed by its
// series below k + 1 and by the continued fraction of its complement above (Numerical Recipes §6.2),
// with ln Γ by Lanczos: no factorials, so a busy line (k in the thousands) neither overflows nor loses
// the tail to rounding.

/** A rate surge needs arrivals this unlikely under the forecast. */
export const SURGE_P_VALUE = 0.001;

const EPSILON = 1e-15;
const MAX_ITERATIONS = 10_000;
const TINY = 1e-300;

// Lanczos approximation, g = 7, n = 9: ln Γ to about 15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i += 1) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** P(X ≥ k) for X Poisson with mean `lambda`. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (!(k > 0)) return 1;
  if (!(lambda > 0)) return 0;
  const a = Math.ceil(k);
  // ln(e^-λ λ^a / Γ(a)): the common factor of both expansions.
  const logPrefix = a * Math.log(lambda) - lambda - logGamma(a);
  if (lambda < a + 1) return Math.min(1, lowerSeries(a, lambda, logPrefix));
  return Math.max(0, 1 - upperContinuedFraction(a, lambda, logPrefix));
}

/** P(a, x) = e^-x x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)), which converges fast for x < a + 1. */
function lowerSeries(a: number, x: number, logPrefix: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n += 1) {
    term *= x / (a + n);
    sum += term;
    if (term < sum * EPSILON) break;
  }
  return sum * Math.exp(logPrefix);
}

/** Q(a, x) = 1 − P(a, x) by Lentz's continued fraction, which converges fast for x > a + 1. */
function upperContinuedFraction(a: number, x: number, logPrefix: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  // e^-x x^a / Γ(a) · h, with the prefix's λ^a / Γ(a) already in logPrefix.
  return Math.exp(logPrefix) * h;
}

export interface RateTest {
  /** Above the band and unlikely under the forecast: this interval counts toward a surge. */
  surging: boolean;
  /** P(X ≥ observed | expected). */
  p: number;
}

/**
 * One interval of a line: `observed` arrivals against the forecast's `expected` (its mean) and its
 * P90 band edge. Both conditions, because each alone misleads: the band is wide when the forecast
 * is over-dispersed, and the Poisson test alone fires on a quiet line where 3 arrivals against an
 * expected 0.2 are "unlikely" but no one's problem.
 */
export function rateSurge(observed: number, expected: number, p90: number): RateTest {
  const p = poissonUpperTail(observed, Math.max(0, expected));
  return { surging: observed > p90 && p < SURGE_P_VALUE, p };
}
