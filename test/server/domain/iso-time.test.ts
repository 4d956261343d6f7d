// The hand-written ISO parser must agree with Date.parse on every valid form and refuse what
// the spec does not allow (no zone, impossible dates).
import { describe, expect, it } from 'vitest';
import { parseIsoTime } from '../../../server/domain/iso-time.js';

describe('parseIsoTime', () => {
  it.each([
    '2026-11-26T10:02:00Z',
    '2026-11-26T10:02Z',
    '2026-11-26T10:02:00.1Z',
    '2026-11-26T10:02:00.12Z',
    '2026-11-26T10:02:00.123Z',
    '2026-11-26T10:02:00.123456789Z',
    '2026-11-26T10:02:00+03:00',
    '2026-11-26T10:02:00-0530',
    '2024-02-29T23:59:59.999Z',
    '1999-12-31T00:00:00+14:00',
  ])('reads %s as Date.parse does', (text) => {
    expect(parseIsoTime(text)).toBe(Date.parse(text));
  });

  it.each([
    '2026-11-26',
    '2026-11-26T10:02:00',
    '2026-11-26 10:02:00Z',
    '2026-13-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-26T24:00:00Z',
    '2026-11-26T10:60:00Z',
    '2026-11-26T10:02:61Z',
    '2026-11-26T10:02:00.Z',
    '2026-11-26T10:02:00Zjunk',
    '2026-11-26T10:02:00+3:00',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseIsoTime(text)).toBeNaN();
  });

  it('agrees with Date.parse on 10,000 random instants in several zones', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 10_000; i++) {
      const ms = Math.floor(random() * 4e12);
      const iso = new Date(ms).toISOString();
      expect(parseIsoTime(iso)).toBe(ms);
      const offset = Math.floor(random() * 24) - 12;
      const sign = offset < 0 ? '-' : '+';
      const zoned = `${iso.slice(0, 19)}${sign}${String(Math.abs(offset)).padStart(2, '0')}:30`;
      expect(parseIsoTime(zoned)).toBe(Date.parse(zoned));
    }
  });
});
