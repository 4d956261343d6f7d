// The forecast band of a sparkline, its pure parts (web/src/lib/widgets/forecast-band.ts): which
// line a metric names, the query, reading the answer, "now" held in the state's interval, and the
// band's geometry on a box chosen so that every coordinate is computed by hand: 1 px per minute
// across the 6 h axis, and a y axis of 10 px per arrival (top = 10 × 1.08 = 10.8 arrivals over the
// 108 px between the 4 px margins of a 116 px box, so y = 112 − 10 × arrivals).
import { describe, expect, it } from 'vitest';
import { bandGeometry, type Forecast, forecastLine, forecastQuery, nowInInterval, readForecast } from '../../../../web/src/lib/widgets/forecast-band.js';

const MINUTE = 60_000;
const T = Date.parse('2026-12-03T08:00:00Z');

/** The numbers of an SVG path, in order. */
function numbers(d: string): number[] {
  return (d.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map(Number);
}

/** Each number close to its expected one (to 1e-9), and as many. */
function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 9);
}

describe('forecastLine', () => {
  it('is the line of staffing.<line>.actual, and nothing for any other metric', () => {
    expect(forecastLine('staffing.l1.actual')).toBe('l1');
    expect(forecastLine('staffing.night.desk.actual')).toBe('night.desk');
    expect(forecastLine('staffing.l1.forecast')).toBeNull();
    expect(forecastLine('queues.l1.waiting')).toBeNull();
    expect(forecastLine('kpis.createdToday')).toBeNull();
  });
});

describe('forecastQuery', () => {
  it('asks for the window and an interval before it, and 2 h ahead, with the + written as %2B', () => {
    expect(forecastQuery('l1')).toBe('line=l1&from=-5h&to=%2B2h');
    expect(forecastQuery('a&b c')).toBe('line=a%26b%20c&from=-5h&to=%2B2h');
  });
});

describe('readForecast', () => {
  it('reads the interval and the points, oldest first, skipping what is not a point', () => {
    const forecast = readForecast({
      line: 'l1',
      intervalMinutes: 30,
      method: 'weighted-weekday-profile',
      wape: 0.2,
      points: [
        { at: '2026-12-03T08:30:00.000Z', expected: 4.5, p10: 2, p90: 7, actual: null },
        { at: '2026-12-03T08:00:00.000Z', expected: 4, p10: 2, p90: 6, actual: 3 },
        { at: 'yesterday', expected: 1, p10: 0, p90: 2, actual: 1 },
        { at: '2026-12-03T09:00:00.000Z', expected: '5', p10: 3, p90: 8, actual: null },
        null,
      ],
    });
    expect(forecast).toEqual({
      stepMs: 30 * MINUTE,
      points: [
        { t: T, expected: 4, p10: 2, p90: 6, actual: 3 },
        { t: T + 30 * MINUTE, expected: 4.5, p10: 2, p90: 7, actual: null },
      ],
    });
  });

  it('is null for anything that is not an answer', () => {
    expect(readForecast(null)).toBeNull();
    expect(readForecast('{}')).toBeNull();
    expect(readForecast({ intervalMinutes: 0, points: [] })).toBeNull();
    expect(readForecast({ intervalMinutes: 30, points: {} })).toBeNull();
  });
});

describe('nowInInterval', () => {
  const start = T;
  const end = T + 30 * MINUTE;
  it('is the wall clock inside the current interval, held to it outside', () => {
    expect(nowInInterval(T + 10 * MINUTE, start, end)).toBe(T + 10 * MINUTE);
    // A TV clock an hour slow, or fast, still puts now in the server's current interval.
    expect(nowInInterval(T - 60 * MINUTE, start, end)).toBe(start);
    expect(nowInInterval(T + 90 * MINUTE, start, end)).toBe(end - 1);
    expect(nowInInterval(T + 90 * MINUTE, null, null)).toBe(T + 90 * MINUTE);
  });
});

describe('bandGeometry', () => {
  const forecast: Forecast = {
    stepMs: 30 * MINUTE,
    points: [
      // Its middle (T − 15 min) is before the axis: not drawn.
      { t: T - 30 * MINUTE, expected: 5, p10: 4, p90: 6, actual: 5 },
      { t: T, expected: 4, p10: 2, p90: 6, actual: 3 },
      // The current interval: the answer's actual (a minute old) gives way to the live count.
      { t: T + 30 * MINUTE, expected: 6, p10: 4, p90: 10, actual: 1 },
      { t: T + 60 * MINUTE, expected: 5, p10: 3, p90: 8, actual: null },
      // Its middle is the axis's end (T + 6 h): drawn at the right edge.
      { t: T + 345 * MINUTE, expected: 1, p10: 0, p90: 2, actual: null },
      { t: T + 360 * MINUTE, expected: 9, p10: 9, p90: 99, actual: null },
    ],
  };
  const box = { from: T, to: T + 360 * MINUTE, now: T + 40 * MINUTE, width: 360, height: 116 };

  it('draws the intervals whose middle is on the axis, with the live count as the last arrivals point', () => {
    const g = bandGeometry({ forecast, live: { start: T + 30 * MINUTE, value: 7 }, ...box });
    expect(g.count).toBe(4);
    expect(g.nowX).toBeCloseTo(40, 9);
    expect(g.liveDot).toBe(true);
    // 3 arrivals in the 08:00 interval (x 15), 7 so far in the 08:30 one (x 45).
    expect(g.dots.length).toBe(2);
    expect(g.dots[0]!.x).toBeCloseTo(15, 9);
    expect(g.dots[0]!.y).toBeCloseTo(82, 9);
    expect(g.dots[1]!.x).toBeCloseTo(45, 9);
    expect(g.dots[1]!.y).toBeCloseTo(42, 9);
    expectClose(numbers(g.actual), [15, 82, 45, 42]);
    // The expected line runs from (15, 112 − 40) to (360, 112 − 10).
    const expected = numbers(g.expected);
    expectClose(expected.slice(0, 2), [15, 72]);
    expectClose(expected.slice(-2), [360, 102]);
    // The band: P90 from (15, 52) to (360, 92), then P10 back from (360, 112) to (15, 92).
    const band = numbers(g.band);
    expectClose(band.slice(0, 2), [15, 52]);
    expect(g.band).toMatch(/Z$/);
    expectClose(band.slice(-2), [15, 92]);
    expect(band.some((n, i) => i % 2 === 0 && Math.abs(n - 360) < 1e-9 && Math.abs(band[i + 1]! - 112) < 1e-9)).toBe(true);
  });

  it('without a live row draws the answer’s arrivals only', () => {
    const g = bandGeometry({ forecast, live: null, ...box });
    expect(g.liveDot).toBe(false);
    expect(g.dots.map((d) => Math.round(d.x))).toEqual([15, 45]);
    expect(g.dots.map((d) => Math.round(d.y))).toEqual([82, 102]);
  });

  it('raises its top to a live count above the band', () => {
    // top = 20 × 1.08 = 21.6: 5 px per arrival, so y = 112 − 5 × arrivals.
    const g = bandGeometry({ forecast, live: { start: T + 30 * MINUTE, value: 20 }, ...box });
    expect(g.dots[1]!.y).toBeCloseTo(12, 9);
    expect(g.dots[0]!.y).toBeCloseTo(97, 9);
  });

  it('draws nothing when no interval lies on the axis', () => {
    const g = bandGeometry({ forecast: { stepMs: 30 * MINUTE, points: [] }, live: { start: T, value: 2 }, ...box });
    expect(g.count).toBe(0);
    expect(g.band).toBe('');
    expect(g.expected).toBe('');
  });
});
