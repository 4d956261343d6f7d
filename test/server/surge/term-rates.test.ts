// A line's usual share of each word, its window counts, and what a burst leaves out of the usual.
import { describe, expect, it } from 'vitest';
import { poissonUpperTail } from '../../../server/surge/poisson.js';
import { TermRates } from '../../../server/surge/term-rates.js';
import { MINUTE, START } from './streams.js';

describe('TermRates', () => {
  it('counts the window and turns what leaves it into the usual share', () => {
    const rates = new TermRates({ windowMinutes: 15, halfLifeMinutes: 60, priorCount: 1 });
    // Nine tickets at the start, three of them about the VPN.
    for (let i = 0; i < 9; i += 1) rates.observe('l1', i < 3 ? ['vpn'] : ['invoic'], START);
    expect(rates.windowCount('l1', 'vpn', START)).toBe(3);
    expect(rates.lineWindowCount('l1', START)).toBe(9);
    const now = START + 60 * MINUTE;
    expect(rates.windowCount('l1', 'vpn', now)).toBe(0);
    // An hour (one half-life) on: 1.5 of 4.5 usual, with the prior (2.5 of 5.5) a share of 5/11,
    // which expects 5/11 ÷ 6/11 = 5/6 of every other ticket: 5 among 6.
    expect(rates.expected('l1', 'vpn', now, 6)).toBeCloseTo(5, 10);
    // A word never seen: the prior alone, 1 of 5.5, expects 1/4.5 of every other ticket.
    expect(rates.expected('l1', 'login', now, 9)).toBeCloseTo(2, 10);
    expect(rates.expected('l2', 'vpn', now, 3)).toBe(3);
  });

  it('says how surprising a window count is at the usual share', () => {
    const rates = new TermRates({ windowMinutes: 15, halfLifeMinutes: 60, priorCount: 1 });
    for (let i = 0; i < 9; i += 1) rates.observe('l1', i < 3 ? ['vpn'] : ['invoic'], START);
    const now = START + 60 * MINUTE;
    // Six others without a word: "login" (share 1/5.5) expects 6 × 1/4.5 = 4/3 of them.
    for (let i = 0; i < 6; i += 1) rates.observe('l1', ['invoic'], now);
    expect(rates.surprise('l1', 'login', now)).toBe(0);
    rates.observe('l1', ['login'], now);
    // One against 4/3 expected: nothing unusual.
    expect(rates.surprise('l1', 'login', now)).toBe(0);
    for (let i = 0; i < 4; i += 1) rates.observe('l1', ['login'], now);
    expect(rates.surprise('l1', 'login', now)).toBeCloseTo(-Math.log10(poissonUpperTail(5, 4 / 3)), 10);
  });

  it('leaves a burst out of the usual', () => {
    const rates = new TermRates({ windowMinutes: 15, halfLifeMinutes: 60, priorCount: 1 });
    for (let i = 0; i < 9; i += 1) rates.observe('l1', ['invoic'], START);
    for (let i = 0; i < 9; i += 1) {
      rates.observe('l1', ['login'], START);
      rates.markBurst('l1', ['login'], START);
    }
    // Still counted in the window, but not among its usual tickets.
    expect(rates.windowCount('l1', 'login', START)).toBe(9);
    expect(rates.lineWindowCount('l1', START)).toBe(18);
    expect(rates.lineWindowCount('l1', START, true)).toBe(9);
    // An hour on, "login" is as if it had never come: the prior alone, 1 of 4.5 + 1.
    expect(rates.expected('l1', 'login', START + 60 * MINUTE, 9)).toBeCloseTo(2, 10);
  });

  it('remembers at most maxTerms words per line', () => {
    const rates = new TermRates({ maxTerms: 100 });
    for (let i = 0; i < 1_000; i += 1) rates.observe('l1', [`w${i}`, 'common'], START + i * 1_000);
    expect(rates.size).toBeLessThanOrEqual(100);
    // The word of every ticket is kept over the one-offs, its window counted up to 256 arrivals.
    expect(rates.windowCount('l1', 'common', START + 999_000)).toBe(256);
  });
});
