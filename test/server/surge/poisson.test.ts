// The Poisson upper tail against values worked out from its definition, and the two-interval rule.
import { describe, expect, it } from 'vitest';
import { LineSurges } from '../../../server/surge/line-surges.js';
import { logGamma, poissonUpperTail, rateSurge } from '../../../server/surge/poisson.js';

/**
 * P(X ≥ k | λ) straight from the definition, Σ_{j≥k} e^-λ λ^j / j!, summed up to j = 170 (the
 * largest factorial a double holds) for small λ, where the terms beyond are far below rounding.
 * Independent of the implementation (no gamma function), and summed upward rather than as
 * 1 − Σ_{j<k}, which would cancel to noise in the tail.
 */
function tailByDefinition(k: number, lambda: number): number {
  let sum = 0;
  let factorial = 1;
  for (let j = 1; j < k; j += 1) factorial *= j;
  for (let j = k; j <= 170; j += 1) {
    if (j > 0) factorial *= j;
    sum += (Math.exp(-lambda) * lambda ** j) / factorial;
  }
  return sum;
}

describe('poissonUpperTail', () => {
  it('matches values worked out by hand', () => {
    // P(X ≥ 5 | 2) = 1 − e^-2 (1 + 2 + 2 + 4/3 + 2/3) = 1 − 7 e^-2 = 0.0526530173437111
    // (R: ppois(4, 2, lower.tail = FALSE) = 0.05265302).
    expect(poissonUpperTail(5, 2)).toBeCloseTo(1 - 7 * Math.exp(-2), 14);
    expect(poissonUpperTail(5, 2)).toBeCloseTo(0.0526530173437111, 14);
    // P(X ≥ 3 | 1) = 1 − e^-1 (1 + 1 + 1/2) = 1 − 2.5 e^-1 = 0.0803013970713942.
    expect(poissonUpperTail(3, 1)).toBeCloseTo(0.0803013970713942, 14);
    // P(X ≥ 1 | λ) = 1 − e^-λ.
    expect(poissonUpperTail(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 15);
  });

  it('matches the cumulative Poisson table of statistics textbooks', () => {
    // Table values P(X ≤ x | λ) to four places: λ = 5, x = 9: 0.9682; λ = 10, x = 15: 0.9513; λ = 2, x = 6: 0.9955.
    expect(1 - poissonUpperTail(10, 5)).toBeCloseTo(0.9682, 4);
    expect(1 - poissonUpperTail(16, 10)).toBeCloseTo(0.9513, 4);
    expect(1 - poissonUpperTail(7, 2)).toBeCloseTo(0.9955, 4);
  });

  it('agrees with the definition over a grid of small λ and k', () => {
    for (const lambda of [0.1, 0.5, 1, 2.5, 4, 7.5, 12, 20])
      for (let k = 1; k <= 40; k += 1) {
        const expected = tailByDefinition(k, lambda);
        expect(Math.abs(poissonUpperTail(k, lambda) - expected) / expected, `k=${k} λ=${lambda}`).toBeLessThan(1e-9);
      }
  });

  it('keeps the far tail that 1 − Σ loses, from the first term of the sum', () => {
    // P(X ≥ 50 | 1) = Σ_{j≥50} e^-1 / j! = e^-1/50! · (1 + 1/51 + 1/(51·52) + …); ln 50! = 148.47776695177302.
    let series = 0;
    let term = 1;
    for (let j = 51; j < 80; j += 1) {
      series += term;
      term /= j;
    }
    const expected = Math.exp(-1 - 148.47776695177302) * series;
    expect(expected).toBeGreaterThan(1e-66);
    expect(Math.abs(poissonUpperTail(50, 1) - expected) / expected).toBeLessThan(1e-10);
  });

  it('stays finite and ordered for a busy line', () => {
    // Successive tails differ by the pmf: P(X ≥ k) − P(X ≥ k+1) = e^-λ λ^k / k!.
    const lambda = 2_000;
    const k = 2_150;
    const pmf = Math.exp(k * Math.log(lambda) - lambda - logGamma(k + 1));
    expect(Math.abs(poissonUpperTail(k, lambda) - poissonUpperTail(k + 1, lambda) - pmf) / pmf).toBeLessThan(1e-8);
    // About 3.4 standard deviations above the mean: roughly the normal tail (0.0003), a little fatter.
    const tail = poissonUpperTail(k, lambda);
    expect(tail).toBeGreaterThan(2e-4);
    expect(tail).toBeLessThan(1e-3);
    expect(poissonUpperTail(100_000, 10)).toBe(0);
    expect(poissonUpperTail(1, 1e6)).toBe(1);
  });

  it('handles the edges', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(3, 0)).toBe(0);
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 12);
  });
});

describe('rateSurge', () => {
  it('needs both: above the band and unlikely', () => {
    // 30 against an expected 10: P(X ≥ 30 | 10) ≈ 7e-7.
    expect(rateSurge(30, 10, 15)).toEqual({ surging: true, p: poissonUpperTail(30, 10) });
    // Unlikely but inside a wide (over-dispersed) band.
    expect(rateSurge(30, 10, 32).surging).toBe(false);
    // Above the band, but 16 against 10 happens (p ≈ 0.049).
    expect(rateSurge(16, 10, 15).surging).toBe(false);
  });
});

describe('LineSurges', () => {
  const MIN = 60_000;
  const interval = (line: string, i: number, observed: number) => ({ line, start: i * 15 * MIN, end: (i + 1) * 15 * MIN, observed, expected: 10, p90: 14 });

  it('raises a surge on the second surging interval in a row, and follows it', () => {
    const surges = new LineSurges();
    expect(surges.interval(interval('l1', 0, 12))).toBeNull();
    expect(surges.interval(interval('l1', 1, 35))).toBeNull();
    const surge = surges.interval(interval('l1', 2, 40));
    expect(surge).toMatchObject({
      line: 'l1',
      startedAt: 15 * MIN,
      lastAt: 45 * MIN,
      intervals: 2,
      observed: 75,
      expected: 20,
      ratePerHour: 160,
      expectedPerHour: 40,
    });
    expect(surges.interval(interval('l1', 3, 38))).toMatchObject({ startedAt: 15 * MIN, intervals: 3, observed: 113 });
  });

  it('starts again after a normal or a missing interval, line by line', () => {
    const surges = new LineSurges();
    surges.interval(interval('l1', 0, 35));
    expect(surges.interval(interval('l2', 1, 35))).toBeNull();
    expect(surges.interval(interval('l1', 2, 35))).toBeNull();
    expect(surges.interval(interval('l1', 3, 11))).toBeNull();
    expect(surges.interval(interval('l1', 4, 35))).toBeNull();
    expect(surges.interval(interval('l1', 5, 35))).toMatchObject({ startedAt: 4 * 15 * MIN, intervals: 2 });
  });
});
