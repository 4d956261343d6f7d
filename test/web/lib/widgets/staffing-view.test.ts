// The wall's staffing widget, its pure parts (web/src/lib/widgets/staffing-view.ts): which rows it
// reads, the gap's colour, how head counts read, and the next-two-hours strip's bars (hand-computed).
import { describe, expect, it } from 'vitest';
import type { StaffingNow } from '../../../../contract/staffing.js';
import { formatGap, formatHeads, gapColor, staffingRows, stripBars } from '../../../../web/src/lib/widgets/staffing-view.js';

const row: StaffingNow = {
  line: 'l1',
  intervalStart: '2026-12-02T09:00:00.000Z',
  intervalEnd: '2026-12-02T09:30:00.000Z',
  forecast: 40,
  actual: 12,
  required: 9,
  requiredScheduled: 13,
  scheduled: 12,
  next: [],
  staffedNow: 7,
  gap: -2,
};

describe('the staffing rows of a state', () => {
  it('are null before a state, [] when the state has no staffing section, else the section', () => {
    expect(staffingRows(null)).toBeNull();
    expect(staffingRows({ queues: [] })).toEqual([]);
    expect(staffingRows({ staffing: 'nonsense' })).toEqual([]);
    expect(staffingRows({ staffing: [row] })).toEqual([row]);
  });
});

describe('the gap', () => {
  it('is red when short, uncoloured when exactly enough, green with room to spare', () => {
    expect([-3, -1, 0, 1, 4].map(gapColor)).toEqual(['red', 'red', null, 'green', 'green']);
  });

  it('reads with its sign and a real minus', () => {
    expect(formatGap(-2, 'en')).toBe('−2');
    expect(formatGap(0, 'en')).toBe('0');
    expect(formatGap(3, 'en')).toBe('+3');
    expect(formatGap(-1.5, 'ru')).toBe('−1,5');
  });
});

describe('head counts', () => {
  it('are whole when whole, to one decimal with a break inside the interval', () => {
    expect(formatHeads(7, 'en')).toBe('7');
    expect(formatHeads(7.5, 'en')).toBe('7.5');
    expect(formatHeads(7.25, 'en')).toBe('7.3');
    expect(formatHeads(7.5, 'ru')).toBe('7,5');
    expect(formatHeads(1234, 'en')).toBe('1,234');
  });
});

describe('the next-two-hours strip', () => {
  it('draws a bar per interval for the roster and a mark for the required, red where fewer are rostered', () => {
    const bars = stripBars(
      [
        { start: 'a', required: 4, scheduled: 3 },
        { start: 'b', required: 2, scheduled: 4 },
      ],
      100,
      100,
    );
    // Band: step = 100 / (2 − 0.25 + 2 × 0.1) = 51.282; bandwidth = 0.75 step = 38.462;
    // the first starts at (100 − 1.75 step) / 2 = 5.128. Heights: 0..4 over 100..8.
    expect(bars.map((b) => b.start)).toEqual(['a', 'b']);
    expect(bars[0]!.x).toBeCloseTo(5.128, 3);
    expect(bars[1]!.x).toBeCloseTo(56.41, 2);
    expect(bars[0]!.width).toBeCloseTo(38.462, 3);
    expect([bars[0]!.y, bars[0]!.height, bars[0]!.requiredY]).toEqual([31, 69, 8]);
    expect([bars[1]!.y, bars[1]!.height, bars[1]!.requiredY]).toEqual([8, 92, 54]);
    expect(bars.map((b) => b.short)).toEqual([true, false]);
  });

  it('keeps a quiet night flat (a scale of at least one agent) and draws nothing without intervals', () => {
    const [bar] = stripBars([{ start: 'n', required: 0, scheduled: 0 }], 100, 100);
    expect([bar!.height, bar!.requiredY, bar!.short]).toEqual([0, 100, false]);
    expect(stripBars([], 100, 100)).toEqual([]);
  });
});
