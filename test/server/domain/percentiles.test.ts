// The two statistics of docs/contract.md#the-numbers: the median (mean of the two middle values for an even count)
// and the nearest-rank percentile (the value at rank ⌈p·n⌉, 1-based). Inputs are sorted.
import { describe, expect, it } from 'vitest';
import { median, nearestRank } from '../../../server/domain/daily-stats.js';

describe('median', () => {
  it('is null for no values', () => {
    expect(median([])).toBeNull();
  });

  it('is the middle value for an odd count', () => {
    expect(median([7])).toBe(7);
    expect(median([1, 2, 100])).toBe(2);
    expect(median([10, 20, 30, 40, 50])).toBe(30);
  });

  it('is the mean of the two middle values for an even count', () => {
    expect(median([1, 4])).toBe(2.5);
    expect(median([10, 20, 30, 40])).toBe(25);
    expect(median(Float64Array.from([60, 120, 180, 240, 300, 360]))).toBe(210);
  });
});

describe('nearestRank', () => {
  const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('is null for no values', () => {
    expect(nearestRank([], 0.9)).toBeNull();
  });

  it('takes rank ⌈0.9·n⌉', () => {
    // n = 1 → rank 1; n = 2 → ⌈1.8⌉ = 2; n = 10 → 9; n = 11 → ⌈9.9⌉ = 10; n = 20 → 18; n = 21 → ⌈18.9⌉ = 19.
    expect(nearestRank([5], 0.9)).toBe(5);
    expect(nearestRank([5, 8], 0.9)).toBe(8);
    expect(nearestRank(oneTo(10), 0.9)).toBe(9);
    expect(nearestRank(oneTo(11), 0.9)).toBe(10);
    expect(nearestRank(oneTo(20), 0.9)).toBe(18);
    expect(nearestRank(oneTo(21), 0.9)).toBe(19);
    // Fractions below one half still round up: n = 6 → ⌈5.4⌉ = 6; n = 16 → ⌈14.4⌉ = 15.
    expect(nearestRank(oneTo(6), 0.9)).toBe(6);
    expect(nearestRank(oneTo(16), 0.9)).toBe(15);
    // n = 100 → rank 90, n = 101 → ⌈90.9⌉ = 91.
    expect(nearestRank(oneTo(100), 0.9)).toBe(90);
    expect(nearestRank(oneTo(101), 0.9)).toBe(91);
  });

  it('gives the smallest value at p = 0 and the largest at p = 1', () => {
    expect(nearestRank([3, 6, 9], 0)).toBe(3);
    expect(nearestRank([3, 6, 9], 1)).toBe(9);
  });
});
