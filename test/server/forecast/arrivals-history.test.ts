// The simulator's arrival history: seeded, with the volumes, the weekly and daily pattern and the
// holidays it promises.
import { describe, expect, it } from 'vitest';
import { LocalIntervals } from '../../../server/forecast/intervals.js';
import { arrivalInstants, generateArrivalsHistory } from '../../../server/simulator/arrivals-history.js';

const timeZone = 'Europe/Berlin';
// Monday 16 November 2026, 00:00 in Berlin.
const END = Date.parse('2026-11-16T00:00:00+01:00');
const history = generateArrivalsHistory({ seed: 42, endMs: END, days: 56, timeZone });
const intervals = new LocalIntervals(timeZone, 60);

/** Arrivals of `line` on the local day `n` days before the end. */
function dayTotal(line: string, n: number): number {
  const day = intervals.daysBefore(END, n);
  let total = 0;
  for (const [at, count] of history.lines.get(line) ?? []) if (at >= day.start && at < day.end) total += count;
  return total;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('generated arrival history', () => {
  it('starts at local midnight 8 weeks back and has every 15-minute bucket up to the end', () => {
    expect(history.start).toBe(Date.parse('2026-09-21T00:00:00+02:00'));
    // 56 days, one of them (25 October) 25 hours long: 56 × 96 + 4 buckets.
    expect(history.lines.get('l1')?.size).toBe(56 * 96 + 4);
  });

  it('is the same for the same seed and differs for another', () => {
    const again = generateArrivalsHistory({ seed: 42, endMs: END, days: 56, timeZone });
    const other = generateArrivalsHistory({ seed: 43, endMs: END, days: 56, timeZone });
    expect([...(again.lines.get('l2') ?? [])]).toEqual([...(history.lines.get('l2') ?? [])]);
    expect([...(other.lines.get('l2') ?? [])]).not.toEqual([...(history.lines.get('l2') ?? [])]);
  });

  it('gives l1, l2 and l3 about 1,500, 300 and 60 arrivals on a working day, far fewer at the weekend', () => {
    // Days back from Monday 16 November: 2 to 6 and 9 to 13 November but the 11th (a holiday);
    // the weekends of 7–8 and 14–15 November.
    const weekdays = [3, 4, 6, 7, 10, 11, 12, 13, 14];
    const weekend = [1, 2, 8, 9];
    const expected = new Map([
      ['l1', 1500],
      ['l2', 300],
      ['l3', 60],
    ]);
    for (const [line, perDay] of expected) {
      const working = mean(weekdays.map((n) => dayTotal(line, n)));
      expect(working).toBeGreaterThan(0.85 * perDay);
      expect(working).toBeLessThan(1.1 * perDay);
      expect(mean(weekend.map((n) => dayTotal(line, n)))).toBeLessThan(0.6 * working);
    }
  });

  it('puts public holidays at a fraction of the same weekday', () => {
    // Wednesday 11 November against the Wednesdays before and after it.
    const holiday = dayTotal('l1', 5);
    expect(holiday).toBeLessThan(0.35 * mean([dayTotal('l1', 12), dayTotal('l1', 19)]));
  });

  it('peaks in the late morning and is quiet at night on a working day', () => {
    const day = intervals.daysBefore(END, 7);
    const buckets = history.lines.get('l1') ?? new Map<number, number>();
    const hourTotal = (hour: number): number => {
      let total = 0;
      for (let q = 0; q < 4; q += 1) total += buckets.get(day.start + hour * 3_600_000 + q * 900_000) ?? 0;
      return total;
    };
    expect(hourTotal(11)).toBeGreaterThan(5 * hourTotal(3));
    expect(hourTotal(11)).toBeGreaterThan(hourTotal(12));
  });

  it('spreads a bucket history into ascending arrival instants inside their buckets', () => {
    const buckets = new Map([
      [0, 2],
      [900_000, 0],
      [1_800_000, 3],
    ]);
    const instants = arrivalInstants(buckets, 900_000, 1);
    expect(instants).toHaveLength(5);
    expect(instants.slice(0, 2).every((t) => t >= 0 && t < 900_000)).toBe(true);
    expect(instants.slice(2).every((t) => t >= 1_800_000 && t < 2_700_000)).toBe(true);
    expect([...instants].sort((x, y) => x - y)).toEqual(instants);
  });
});
