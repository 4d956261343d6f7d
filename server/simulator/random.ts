// Seedable randomness for the simulator: one PRNG stream drives every decision, so a fixed seed
// reproduces a whole simulated day event for event (tests, benchmarks).
import { randomInt } from 'node:crypto';

/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough for traffic simulation (not for anything secret). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh seed for runs that need no reproducibility (the demo). */
export function randomSeed(): number {
  return randomInt(0, 2 ** 32 - 1);
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** Uniform in [min, max). */
export function between(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick: no items');
  return items[Math.floor(random() * items.length)] as T;
}

/** One of `choices`, with probability proportional to its weight. */
export function weighted<T>(random: Random, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, weight] of choices) total += weight;
  let roll = random() * total;
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  const last = choices[choices.length - 1];
  if (last === undefined) throw new Error('weighted: no choices');
  return last[0];
}

/** Standard normal by Box-Muller (one value per call; the PRNG is cheap). */
export function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Log-normal around `median`, clamped to [min, max]. Handling times and customer reply delays are
 * long-tailed: most are quick, a few take ages; a normal distribution would look too tidy.
 */
export function logNormal(random: Random, options: { median: number; sigma: number; min: number; max: number }): number {
  const value = options.median * Math.exp(options.sigma * normal(random));
  return Math.min(options.max, Math.max(options.min, value));
}

/** Poisson-distributed count (Knuth's method: the rates here are small, a few per minute). */
export function poisson(random: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(random)));
  const limit = Math.exp(-lambda);
  let count = 0;
  let product = random();
  while (product > limit) {
    count += 1;
    product *= random();
  }
  return count;
}
