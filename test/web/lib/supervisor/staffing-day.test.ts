// The supervisor's staffing panel, its pure parts (web/src/lib/supervisor/staffing-day.ts): the day
// chart's geometry (hand-computed on a 400 × 100 plot), the picker's dates, the roster's content
// type and refusal rows, and the calculator's query.
import { describe, expect, it } from 'vitest';
import type { StaffingInterval } from '../../../../contract/staffing.js';
import {
  calculatorQuery,
  dayChart,
  daySummary,
  refusalRows,
  rosterContentType,
  shiftDate,
  type CalculatorForm,
  type StaffingDay,
} from '../../../../web/src/lib/supervisor/staffing-day.js';

const T0 = Date.parse('2026-12-02T08:00:00Z');
const HALF = 30 * 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function interval(k: number, f: Omit<StaffingInterval, 'start' | 'end'>): StaffingInterval {
  return { start: iso(T0 + k * HALF), end: iso(T0 + (k + 1) * HALF), ...f };
}

const day: StaffingDay = {
  line: 'l1',
  date: '2026-12-02',
  intervalMinutes: 30,
  intervals: [
    interval(0, { forecast: 10, p10: 5, p90: 15, actual: 12, required: 2, requiredScheduled: 3, scheduled: 3 }),
    interval(1, { forecast: 20, p10: 15, p90: 25, actual: 18, required: 3, requiredScheduled: 5, scheduled: 4 }),
    interval(2, { forecast: 30, p10: 25, p90: 40, actual: null, required: 4, requiredScheduled: 6, scheduled: 6 }),
    interval(3, { forecast: 20, p10: 15, p90: 30, actual: null, required: 3, requiredScheduled: 5, scheduled: 5 }),
  ],
};
// Plot: x from 20 to 420 (100 px per interval), y from 110 (0) up to 10.
const box = { width: 440, height: 120, margin: { top: 10, right: 20, bottom: 10, left: 20 } };
const utcHour = (ms: number): number => new Date(ms).getUTCHours();

describe('the day chart', () => {
  const now = T0 + 2 * HALF + 60_000; // 09:01, inside the third interval
  const chart = dayChart(day, box, now, utcHour);

  it('draws the P10–P90 band and the forecast through the middle of each interval (arrivals 0..40)', () => {
    // y = 110 − 2.5 × arrivals; x = 70, 170, 270, 370.
    expect(chart.band).toBe('M70,72.5L170,47.5L270,10L370,35L370,72.5L270,47.5L170,72.5L70,97.5Z');
    expect(chart.forecast).toBe('M70,85L170,60L270,35L370,60');
  });

  it('draws actual arrivals only for intervals that have begun and have a count', () => {
    expect(chart.actual).toEqual([
      { start: day.intervals[0]!.start, x: 45, width: 50, y: 80, height: 30, value: 12 },
      { start: day.intervals[1]!.start, x: 145, width: 50, y: 65, height: 45, value: 18 },
    ]);
  });

  it('puts agents on their own axis (0..6): roster bars red where fewer than needed on the roster, steps for the needs', () => {
    expect(chart.scheduled.map((b) => b.short)).toEqual([false, true, false, false]);
    const second = chart.scheduled[1]!;
    expect([second.x, second.width, second.value]).toEqual([130, 80, 4]);
    expect(second.y).toBeCloseTo(110 - (4 / 6) * 100, 6);
    // Needed on the line 2, 3, 4, 3: a step line from 08:00 to 10:00.
    const numbers = chart.required.match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(numbers[0]).toBe(20);
    expect(numbers[1]).toBeCloseTo(110 - (2 / 6) * 100, 3);
    expect(numbers.at(-2)).toBe(420);
    expect(numbers.at(-1)).toBeCloseTo(60, 3);
    expect(chart.agentsTicks.map((t) => t.label)).toContain('6');
  });

  it('marks now, and labels the hours', () => {
    expect(chart.nowX).toBeCloseTo(220 + 100 / 30, 6);
    expect(chart.xTicks).toEqual([
      { x: 20, label: '08:00' },
      { x: 220, label: '09:00' },
      { x: 420, label: '10:00' },
    ]);
    expect(dayChart(day, box, T0 + 86_400_000, utcHour).nowX).toBeNull();
  });

  it('sums the day for its caption: arrived against the forecast of the same intervals, intervals short', () => {
    expect(daySummary(day)).toEqual({ actual: 30, forecast: 30, short: 1, intervals: 4 });
  });

  it('draws nothing for a day without intervals', () => {
    const empty = dayChart({ ...day, intervals: [] }, box, T0, utcHour);
    expect([empty.band, empty.actual, empty.nowX]).toEqual(['', [], null]);
  });
});

describe('the date picker', () => {
  it('moves a calendar date across months and years', () => {
    expect(shiftDate('2026-12-30', 7)).toBe('2027-01-06');
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDate('2028-03-01', -1)).toBe('2028-02-29');
  });
});

describe('the roster upload', () => {
  it('sends a file with the content type its name says, else by its first character', () => {
    expect(rosterContentType('week-49.csv', '{')).toBe('text/csv');
    expect(rosterContentType('week-49.JSON', 'agent,line')).toBe('application/json');
    expect(rosterContentType('roster', '  {"shifts":[]}')).toBe('application/json');
    expect(rosterContentType('roster', 'agent,line,start,end')).toBe('text/csv');
  });

  it('reads the rows of a refusal verbatim, and none from anything else', () => {
    const rows = ['row 2: start: not a time', 'rows 3 and 5: A-7 overlaps'];
    expect(refusalRows({ error: { code: 'invalid_roster', message: 'x', errors: rows } })).toEqual(rows);
    expect(refusalRows({ error: { code: 'store_unavailable', message: 'x' } })).toEqual([]);
    expect(refusalRows(null)).toEqual([]);
    expect(refusalRows('<html>')).toEqual([]);
  });
});

describe('the calculator query', () => {
  const form: CalculatorForm = {
    model: 'erlang-c',
    arrivals: 100,
    intervalMinutes: 30,
    ahtSeconds: 180,
    targetPercent: 80,
    targetSeconds: 20,
    shrinkage: 0.3,
    maxOccupancy: 0.85,
    patienceSeconds: 120,
  };

  it('sends what the model uses: the target for Erlang C and A, patience for Erlang A only', () => {
    expect(calculatorQuery(form)).toBe(
      'model=erlang-c&arrivals=100&intervalMinutes=30&ahtSeconds=180&targetPercent=80&targetSeconds=20&shrinkage=0.3&maxOccupancy=0.85',
    );
    expect(calculatorQuery({ ...form, model: 'erlang-a' })).toBe(
      'model=erlang-a&arrivals=100&intervalMinutes=30&ahtSeconds=180&targetPercent=80&targetSeconds=20&shrinkage=0.3&maxOccupancy=0.85&patienceSeconds=120',
    );
    expect(calculatorQuery({ ...form, model: 'workload', maxOccupancy: 0.8 })).toBe(
      'model=workload&arrivals=100&intervalMinutes=30&ahtSeconds=180&shrinkage=0.3&maxOccupancy=0.8',
    );
    expect(calculatorQuery({ ...form, maxOccupancy: null })).not.toContain('maxOccupancy');
  });
});
