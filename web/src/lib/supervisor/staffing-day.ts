// The supervisor's staffing panel, its pure parts (docs/contract.md#forecast-shifts-and-staffing):
// the day chart's geometry from `GET /api/v1/staffing`, the dates the picker offers, how a roster
// file is sent and how a refusal's rows are read, and the calculator's query. No I/O, no clock:
// "now" and "today" are passed in.
import { area, line, max, scaleLinear, scaleTime, curveStepAfter } from 'd3';
import { STAFFING_MODELS, type StaffingInterval, type StaffingModel } from '../../../../contract/staffing.js';

/** `GET /api/v1/staffing?line&date`. */
export interface StaffingDay {
  line: string;
  date: string;
  intervalMinutes: number;
  intervals: StaffingInterval[];
}

export interface ChartBox {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface DayChart {
  /** The P10–P90 area, the forecast line. */
  band: string;
  forecast: string;
  /** Actual arrivals of the intervals that have begun by `now`, as bars. */
  actual: { start: string; x: number; y: number; width: number; height: number; value: number }[];
  /** Step lines on the agents' axis. */
  required: string;
  requiredScheduled: string;
  /** Roster bars on the agents' axis, red where fewer than needed on the roster. */
  scheduled: { start: string; x: number; y: number; width: number; height: number; value: number; short: boolean }[];
  /** Where "now" falls, or null when the day is not today. */
  nowX: number | null;
  xTicks: { x: number; label: string }[];
  arrivalsTicks: { y: number; label: string }[];
  agentsTicks: { y: number; label: string }[];
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The chart of a line's day: arrivals (band, forecast, actual) on the left axis, agents (required,
 * needed on the roster, rostered) on the right. Hours are labelled in the browser's zone, which
 * the caller passes as `hourOf` so that tests need no zone of their own.
 */
export function dayChart(day: StaffingDay, box: ChartBox, now: number, hourOf: (ms: number) => number = (ms) => new Date(ms).getHours()): DayChart {
  const { width, height, margin } = box;
  const iv = day.intervals;
  const empty: DayChart = {
    band: '',
    forecast: '',
    actual: [],
    required: '',
    requiredScheduled: '',
    scheduled: [],
    nowX: null,
    xTicks: [],
    arrivalsTicks: [],
    agentsTicks: [],
  };
  if (iv.length === 0) return empty;
  const start = Date.parse(iv[0]!.start);
  const end = Date.parse(iv[iv.length - 1]!.end);
  const x = scaleTime<number>()
    .domain([start, end])
    .range([margin.left, width - margin.right]);
  const bottom = height - margin.bottom;
  const topArrivals = Math.max(1, max(iv, (i) => Math.max(i.p90, i.forecast, i.actual ?? 0)) ?? 1);
  const y = scaleLinear().domain([0, topArrivals]).range([bottom, margin.top]).nice();
  const topAgents = Math.max(1, max(iv, (i) => Math.max(i.required, i.requiredScheduled, i.scheduled)) ?? 1);
  const ya = scaleLinear().domain([0, topAgents]).range([bottom, margin.top]).nice();

  // Points sit in the middle of their interval; steps run from its start to its end.
  const mid = (i: StaffingInterval): number => (Date.parse(i.start) + Date.parse(i.end)) / 2;
  const band =
    area<StaffingInterval>()
      .x((i) => x(mid(i)))
      .y0((i) => y(i.p10))
      .y1((i) => y(i.p90))(iv) ?? '';
  const forecast =
    line<StaffingInterval>()
      .x((i) => x(mid(i)))
      .y((i) => y(i.forecast))(iv) ?? '';
  // A step line needs the last interval's end as its final point.
  const stepPoints = (value: (i: StaffingInterval) => number): [number, number][] => [
    ...iv.map((i): [number, number] => [x(Date.parse(i.start)), ya(value(i))]),
    [x(end), ya(value(iv[iv.length - 1]!))],
  ];
  const step = line<[number, number]>().curve(curveStepAfter);
  const bar = (i: StaffingInterval, share: number, offset: number): { x: number; width: number } => {
    const x0 = x(Date.parse(i.start));
    const w = x(Date.parse(i.end)) - x0;
    return { x: x0 + w * offset, width: w * share };
  };

  const actual = iv
    .filter((i) => i.actual !== null && Date.parse(i.start) <= now)
    .map((i) => ({ start: i.start, ...bar(i, 0.5, 0.25), y: y(i.actual!), height: bottom - y(i.actual!), value: i.actual! }));
  const scheduled = iv.map((i) => ({
    start: i.start,
    ...bar(i, 0.8, 0.1),
    y: ya(i.scheduled),
    height: bottom - ya(i.scheduled),
    value: i.scheduled,
    short: i.scheduled < i.requiredScheduled,
  }));

  const hours = Math.max(1, Math.round((end - start) / 3_600_000));
  const every = hours > 12 ? 3 : 1;
  const xTicks: DayChart['xTicks'] = [];
  for (let t = start; t <= end; t += 3_600_000) {
    const h = hourOf(t);
    if (h % every === 0) xTicks.push({ x: x(t), label: `${pad(h)}:00` });
  }
  return {
    band,
    forecast,
    actual,
    required: step(stepPoints((i) => i.required)) ?? '',
    requiredScheduled: step(stepPoints((i) => i.requiredScheduled)) ?? '',
    scheduled,
    nowX: now >= start && now < end ? x(now) : null,
    xTicks,
    arrivalsTicks: y.ticks(4).map((v) => ({ y: y(v), label: String(v) })),
    agentsTicks: ya.ticks(4).map((v) => ({ y: ya(v), label: String(v) })),
  };
}

/** A day's totals for the chart's caption: arrivals so far, forecast of the same intervals, intervals short on the roster. */
export function daySummary(day: StaffingDay): { actual: number; forecast: number; short: number; intervals: number } {
  let actual = 0;
  let forecast = 0;
  let short = 0;
  for (const i of day.intervals) {
    if (i.actual !== null) {
      actual += i.actual;
      forecast += i.forecast;
    }
    if (i.scheduled < i.requiredScheduled) short++;
  }
  return { actual, forecast: Math.round(forecast), short, intervals: day.intervals.length };
}

/** YYYY-MM-DD of a local calendar date moved by `days` (the picker's today ± 7). */
export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const moved = new Date(Date.UTC(y, m - 1, d + days));
  return moved.toISOString().slice(0, 10);
}

/** The browser's local date of `ms`, YYYY-MM-DD. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The content type a roster file is sent with: CSV by its name or its first line, else JSON. */
export function rosterContentType(fileName: string, text: string): 'text/csv' | 'application/json' {
  if (/\.csv$/i.test(fileName)) return 'text/csv';
  if (/\.json$/i.test(fileName)) return 'application/json';
  return text.trimStart().startsWith('{') ? 'application/json' : 'text/csv';
}

/** The rows a 400/409 names (`error.errors`), verbatim; [] when the answer carries none. */
export function refusalRows(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return [];
  const rows = (error as { errors?: unknown }).errors;
  return Array.isArray(rows) ? rows.filter((r): r is string => typeof r === 'string') : [];
}

export interface CalculatorForm {
  model: StaffingModel;
  arrivals: number;
  intervalMinutes: number;
  ahtSeconds: number;
  targetPercent: number;
  targetSeconds: number;
  shrinkage: number;
  maxOccupancy: number | null;
  patienceSeconds: number;
}

export const CALCULATOR_MODELS = STAFFING_MODELS;

/**
 * The calculator's query string: only what the model uses (the route refuses no extra field, but a
 * target sent for workload would read as if it counted).
 */
export function calculatorQuery(form: CalculatorForm): string {
  const q = new URLSearchParams();
  q.set('model', form.model);
  q.set('arrivals', String(form.arrivals));
  q.set('intervalMinutes', String(form.intervalMinutes));
  q.set('ahtSeconds', String(form.ahtSeconds));
  if (form.model !== 'workload') {
    q.set('targetPercent', String(form.targetPercent));
    q.set('targetSeconds', String(form.targetSeconds));
  }
  q.set('shrinkage', String(form.shrinkage));
  if (form.maxOccupancy !== null) q.set('maxOccupancy', String(form.maxOccupancy));
  if (form.model === 'erlang-a') q.set('patienceSeconds', String(form.patienceSeconds));
  return q.toString();
}
