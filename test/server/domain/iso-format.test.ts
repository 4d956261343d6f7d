// isoFromMs must write exactly what toISOString writes: the live model gives tickets back with it.
import { describe, expect, it } from 'vitest';
import { isoFromMs } from '../../../server/domain/iso-format.js';

describe('isoFromMs', () => {
  it('agrees with toISOString on leap days, year and century ends, the epoch and before it', () => {
    for (const iso of [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:34:56.789Z',
      '1900-03-01T00:00:00.001Z',
      '2024-12-31T23:59:59.999Z',
      '2026-12-03T13:05:07.050Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(isoFromMs(Date.parse(iso))).toBe(iso);
    }
  });

  it('agrees with toISOString on 200,000 instants spread from year 0 to 9999, and beyond it', () => {
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const from = Date.parse('0000-01-01T00:00:00.000Z');
    const to = Date.parse('9999-12-31T23:59:59.999Z');
    for (let i = 0; i < 200_000; i++) {
      const ms = Math.floor(from + next() * (to - from));
      expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
    }
    expect(isoFromMs(to + 1)).toBe(new Date(to + 1).toISOString());
    expect(isoFromMs(from - 1)).toBe(new Date(from - 1).toISOString());
  });
});
