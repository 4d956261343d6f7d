// The forecast on hand-made histories (UTC and hourly intervals, so every figure is computed by
// hand), and its guarantees on a generated one (band order, no peeking, DST days).
import { describe, expect, it } from 'vitest';
import { MemoryArrivals } from '../../../server/forecast/arrivals.js';
import { countBand } from '../../../server/forecast/band.js';
import { forecast, forecastReadWindow, levelFactor, wape } from '../../../server/forecast/forecast.js';
import { LocalIntervals } from '../../../server/forecast/intervals.js';
import { generateArrivalsHistory } from '../../../server/simulator/arrivals-history.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
// Monday 30 November 2026, 00:00 UTC.
const MONDAY = at('2026-11-30T00:00:00Z');

/** A history of `days` days before `end` at `perHour` arrivals every hour, then `edit` applied. */
function hourly(end: number, days: number, perHour: number, edit: (buckets: Map<number, number>) => void = () => {}): MemoryArrivals {
  const buckets = new Map<number, number>();
  for (let t = end - days * DAY; t < end; t += HOUR) buckets.set(t, perHour);
  edit(buckets);
  return new MemoryArrivals(new Map([['l1', buckets]]), end - days * DAY);
}

describe('the 4-week same-weekday average (baseline)', () => {
  it('averages the same hour of the same weekday over the previous 4 weeks only', () => {
    const history = hourly(MONDAY, 35, 0, (buckets) => {
      // 09:00 on the Mondays 2, 9, 16, 23 November: 40, 30, 20, 10; five weeks back (26 October) 1000.
      buckets.set(MONDAY - 7 * DAY + 9 * HOUR, 10);
      buckets.set(MONDAY - 14 * DAY + 9 * HOUR, 20);
      buckets.set(MONDAY - 21 * DAY + 9 * HOUR, 30);
      buckets.set(MONDAY - 28 * DAY + 9 * HOUR, 40);
      buckets.set(MONDAY - 35 * DAY + 9 * HOUR, 1000);
    });
    const result = forecast(history, 'l1', MONDAY + 8 * HOUR, MONDAY + 11 * HOUR, MONDAY, 'UTC', 60, { method: 'baseline' });
    expect(result.method).toBe('same-weekday-average-4w');
    expect(result.points.map((point) => point.expected)).toEqual([0, (10 + 20 + 30 + 40) / 4, 0]);
    expect(result.points.map((point) => point.at)).toEqual([MONDAY + 8 * HOUR, MONDAY + 9 * HOUR, MONDAY + 10 * HOUR]);
    // Nothing of Monday has happened yet: no actuals, no WAPE.
    expect(result.points.every((point) => point.actual === null)).toBe(true);
    expect(result.wape).toBeNull();
  });

  it('gives the WAPE of the range once the actuals are known', () => {
    const history = hourly(MONDAY + DAY, 36, 0, (buckets) => {
      buckets.set(MONDAY - 7 * DAY + 9 * HOUR, 10);
      buckets.set(MONDAY - 14 * DAY + 9 * HOUR, 20);
      buckets.set(MONDAY - 21 * DAY + 9 * HOUR, 30);
      buckets.set(MONDAY - 28 * DAY + 9 * HOUR, 40);
      buckets.set(MONDAY + 9 * HOUR, 20);
      buckets.set(MONDAY + 10 * HOUR, 5);
    });
    const result = forecast(history, 'l1', MONDAY + 9 * HOUR, MONDAY + 11 * HOUR, MONDAY + DAY, 'UTC', 60, { method: 'baseline' });
    expect(result.points.map((point) => [point.expected, point.actual])).toEqual([
      [25, 20],
      [0, 5],
    ]);
    // (|20 − 25| + |5 − 0|) ÷ (20 + 5) = 10 ÷ 25.
    expect(result.wape).toBeCloseTo(0.4, 12);
  });
});

describe('WAPE', () => {
  it('is Σ|actual − expected| ÷ Σ actual over the points with an actual', () => {
    const points = [
      { expected: 10, actual: 12 },
      { expected: 8, actual: 4 },
      { expected: 5, actual: null },
      { expected: 0, actual: 4 },
    ];
    // (2 + 4 + 4) ÷ (12 + 4 + 4) = 0.5; the point without an actual does not count.
    expect(wape(points)).toBe(0.5);
    expect(wape([{ expected: 3, actual: null }])).toBeNull();
    expect(wape([{ expected: 3, actual: 0 }])).toBeNull();
  });
});

describe('under 7 days of history', () => {
  it('says so, with a flat line at the mean so far and a wide band, instead of a curve', () => {
    // Six days (144 hours) of one arrival an hour, except one hour with 7: 150 arrivals.
    const history = hourly(MONDAY, 6, 1, (buckets) => buckets.set(MONDAY - 2 * DAY + 10 * HOUR, 7));
    const result = forecast(history, 'l1', MONDAY, MONDAY + DAY, MONDAY, 'UTC', 60);
    expect(result.method).toBe('insufficient-history');
    expect(result.points).toHaveLength(24);
    for (const point of result.points) {
      expect(point.expected).toBeCloseTo(150 / 144, 12);
      expect(point.p10).toBe(0);
      // Twice the busiest hour seen (7), above three times the mean.
      expect(point.p90).toBe(14);
    }
  });

  it('shows the actuals of the days that exist', () => {
    const history = hourly(MONDAY, 6, 1, (buckets) => buckets.set(MONDAY - 2 * DAY + 10 * HOUR, 7));
    const result = forecast(history, 'l1', MONDAY - 2 * DAY + 9 * HOUR, MONDAY - 2 * DAY + 12 * HOUR, MONDAY, 'UTC', 60);
    expect(result.points.map((point) => point.actual)).toEqual([1, 7, 1]);
  });

  it('has a method once 7 days have passed', () => {
    const result = forecast(hourly(MONDAY, 7, 1), 'l1', MONDAY, MONDAY + DAY, MONDAY, 'UTC', 60);
    expect(result.method).toBe('weighted-weekday-profile');
    expect(forecast(new MemoryArrivals(new Map()), 'l1', MONDAY, MONDAY + DAY, MONDAY, 'UTC', 60).method).toBe('insufficient-history');
  });
});

describe("today's re-forecast", () => {
  it('moves the level by (α + arrived) ÷ (α + expected so far), α = 1 ÷ the day-to-day variance', () => {
    // α = 1 ÷ 0.04 = 25. After 160 arrivals against 80 expected: (25 + 160) ÷ (25 + 80).
    expect(levelFactor(160, 80, 0.04).factor).toBeCloseTo(185 / 105, 12);
    // Early in the day, 20 against 10 is mostly noise: (25 + 20) ÷ (25 + 10), far from 2.
    expect(levelFactor(20, 10, 0.04).factor).toBeCloseTo(45 / 35, 12);
    expect(levelFactor(0, 0, 0.04).factor).toBe(1);
  });

  it("scales today's remaining hours up when today runs hot", () => {
    // Eight weeks of exactly 10 an hour: the day's level never varied, so the prior is at its
    // floor of a 2 % day-to-day variation, α = 1 ÷ 0.02² = 2500. Today, 20 an hour until 08:00:
    // 160 arrived against 80 expected, so the rest of the day is 10 × 2660 ÷ 2580.
    const now = MONDAY + 8 * HOUR;
    const history = hourly(now, 56 + 8 / 24, 10, (buckets) => {
      for (let h = 0; h < 8; h += 1) buckets.set(MONDAY + h * HOUR, 20);
    });
    const result = forecast(history, 'l1', MONDAY, MONDAY + DAY, now, 'UTC', 60);
    expect(result.method).toBe('weighted-weekday-profile');
    const before = result.points.filter((point) => point.at < now);
    const after = result.points.filter((point) => point.at >= now);
    expect(before).toHaveLength(8);
    for (const point of before) {
      expect(point.expected).toBeCloseTo(10, 9);
      expect(point.actual).toBe(20);
    }
    for (const point of after) {
      expect(point.expected).toBeCloseTo((10 * 2660) / 2580, 9);
      expect(point.actual).toBeNull();
    }
    // The morning's forecast was 10 an hour against 20 arrived: WAPE 80 ÷ 160.
    expect(result.wape).toBeCloseTo(0.5, 9);
    // Without the re-forecast the rest of the day stays at 10.
    const plain = forecast(history, 'l1', now, MONDAY + DAY, now, 'UTC', 60, { reforecastToday: false });
    expect(plain.points[0]?.expected).toBeCloseTo(10, 9);
  });
});

describe('holidays', () => {
  it('leaves a day far below its weekday out of the profile (the baseline keeps it)', () => {
    // Eight weeks of 10 an hour; Monday 16 November was a holiday at 1 an hour.
    const history = hourly(MONDAY, 56, 10, (buckets) => {
      for (let h = 0; h < 24; h += 1) buckets.set(MONDAY - 14 * DAY + h * HOUR, 1);
    });
    const ours = forecast(history, 'l1', MONDAY, MONDAY + DAY, MONDAY, 'UTC', 60);
    const baseline = forecast(history, 'l1', MONDAY, MONDAY + DAY, MONDAY, 'UTC', 60, { method: 'baseline' });
    for (const point of ours.points) expect(point.expected).toBeCloseTo(10, 9);
    for (const point of baseline.points) expect(point.expected).toBeCloseTo((10 + 1 + 10 + 10) / 4, 12);
  });
});

describe('on a generated history (Europe/Berlin, 30-minute intervals)', () => {
  const timeZone = 'Europe/Berlin';
  // Tuesday 27 October 2026, 09:10 local (CET), two days after summer time ended.
  const now = at('2026-10-27T08:10:00Z');
  const generated = generateArrivalsHistory({ seed: 5, endMs: now, days: 56, timeZone });
  const history = new MemoryArrivals(generated.lines, generated.start);
  const intervals = new LocalIntervals(timeZone, 30);
  const from = intervals.daysBefore(now, 28).start;
  const to = intervals.daysBefore(now, -7).end;

  it('covers 28 days back to 7 days ahead with p10 ≤ expected ≤ p90 everywhere', () => {
    for (const line of ['l1', 'l2', 'l3']) {
      const result = forecast(history, line, from, to, now, timeZone, 30);
      expect(result.method).toBe('weighted-weekday-profile');
      // 36 local days, one of them (25 October) with 50 half-hours.
      expect(result.points).toHaveLength(35 * 48 + 50);
      for (const point of result.points) {
        expect(point.p10).toBeLessThanOrEqual(point.expected);
        expect(point.expected).toBeLessThanOrEqual(point.p90);
        expect(point.p10).toBeGreaterThanOrEqual(0);
      }
      const known = result.points.filter((point) => point.actual !== null);
      expect(known.at(-1)?.at).toBe(at('2026-10-27T07:30:00Z'));
      expect(result.wape).toBeGreaterThan(0);
      expect(result.wape).toBeLessThan(1);
    }
  });

  it('forecasts a past day from the days before it only', () => {
    const day = intervals.daysBefore(now, 10);
    const then = forecast(history, 'l1', day.start, day.end, day.start, timeZone, 30);
    const later = forecast(history, 'l1', day.start, day.end, now, timeZone, 30);
    expect(later.points.map((point) => point.expected)).toEqual(then.points.map((point) => point.expected));
    expect(then.points.every((point) => point.actual === null)).toBe(true);
    expect(later.points.every((point) => point.actual !== null)).toBe(true);
  });

  it('gives the autumn day 50 intervals with its repeated hour forecast like an ordinary 02:00', () => {
    const sunday = intervals.day(at('2026-10-25T12:00:00Z'));
    const result = forecast(history, 'l1', sunday.start, sunday.end, now, timeZone, 30);
    expect(result.points).toHaveLength(50);
    // 02:00 CEST and 02:00 CET share the slot, so the same expectation.
    expect(result.points[4]?.expected).toBe(result.points[6]?.expected);
    expect(result.points[5]?.expected).toBe(result.points[7]?.expected);
  });

  it('reads only what the read window says', () => {
    const window = forecastReadWindow(from, now, timeZone, 30);
    const reads: [number, number][] = [];
    const watched = {
      counts: (line: string, f: number, t: number) => {
        reads.push([f, t]);
        return history.counts(line, f, t);
      },
      historyStart: (line: string) => history.historyStart(line),
    };
    forecast(watched, 'l1', from, to, now, timeZone, 30);
    for (const [f, t] of reads) {
      expect(f).toBeGreaterThanOrEqual(window.from);
      expect(t).toBeLessThanOrEqual(window.to);
    }
  });
});

describe('the band', () => {
  it('reads P10 and P90 off the count distribution, nearest to 10 % and 90 %', () => {
    // Poisson(1.25): P(X ≤ 2) = 0.868 is nearer 0.9 than P(X ≤ 3) = 0.962; P(X < 0) = 0 is nearer 0.1 than P(X < 1) = 0.287.
    expect(countBand(1.25, 1.25)).toEqual({ p10: 0, p90: 2 });
    // Poisson(10): P(X < 6) = 0.0671, P(X < 7) = 0.1301 → 7; P(X ≤ 13) = 0.8645, P(X ≤ 14) = 0.9165 → 14.
    expect(countBand(10, 10)).toEqual({ p10: 7, p90: 14 });
    // Over-dispersed (variance 60 around 20) is wider than Poisson.
    const wide = countBand(20, 60);
    const poisson = countBand(20, 20);
    expect(wide.p10).toBeLessThan(poisson.p10);
    expect(wide.p90).toBeGreaterThan(poisson.p90);
    expect(countBand(0, 0)).toEqual({ p10: 0, p90: 0 });
  });
});
