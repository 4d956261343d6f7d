// The pure part of a sparkline with `"forecast": true` (docs/screens.md#dashboards-as-code): which line
// its metric names, what to ask GET /api/v1/forecast, how to read the answer, and the band's
// geometry: the P10–P90 area, the expected line, the arrivals of each ended interval with the
// current interval's live count (`staffing.<line>.actual`) as the last point, and a "now" mark.
//
// Every time here is on the server's clock (the forecast's `at`, the state's `intervalStart`); the
// wall's own clock only says where in the current interval "now" is, clamped into it, so a TV whose
// clock is off by an hour still puts the live point and the now mark in the right interval.
import { extent, scaleLinear, area, curveMonotoneX, line } from 'd3';
import { parseNumberMetric } from '../../../../contract/metrics.js';

/** How far ahead of now the band reaches: the look-ahead of the staffing plan. */
export const AHEAD_MS = 2 * 3_600_000;
/** The answer covers the window and an interval before it (at most 60 min), for the first point. */
const ASK_BACK = '-5h';
const ASK_AHEAD = '+2h';
/** 6 h at 15-minute intervals is 25 points; this only guards the widget against a runaway answer. */
const MAX_POINTS = 500;

export interface BandPoint {
  /** The interval's start (ms, server clock). */
  t: number;
  expected: number;
  p10: number;
  p90: number;
  /** Arrivals of an interval that has ended; null otherwise. */
  actual: number | null;
}

export interface Forecast {
  stepMs: number;
  points: BandPoint[];
}

/** The line of a forecast sparkline: `staffing.l1.actual` → `l1`; null for any other metric. */
export function forecastLine(metric: string): string | null {
  const parsed = parseNumberMetric(metric);
  return 'error' in parsed || parsed.section !== 'staffing' || parsed.field !== 'actual' ? null : parsed.queue;
}

/** The query of GET /api/v1/forecast for a line: its sparkline window and the next 2 h. */
export function forecastQuery(line: string): string {
  return `line=${encodeURIComponent(line)}&from=${encodeURIComponent(ASK_BACK)}&to=${encodeURIComponent(ASK_AHEAD)}`;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The answer of GET /api/v1/forecast as the band reads it; null when it is not one. */
export function readForecast(answer: unknown): Forecast | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { intervalMinutes, points } = answer as { intervalMinutes?: unknown; points?: unknown };
  if (!finite(intervalMinutes) || intervalMinutes <= 0 || !Array.isArray(points)) return null;
  const out: BandPoint[] = [];
  for (const raw of points.slice(0, MAX_POINTS) as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const p = raw as Record<string, unknown>;
    const t = typeof p.at === 'string' ? Date.parse(p.at) : Number.NaN;
    if (Number.isNaN(t) || !finite(p.expected) || !finite(p.p10) || !finite(p.p90)) continue;
    out.push({ t, expected: p.expected, p10: p.p10, p90: p.p90, actual: finite(p.actual) ? p.actual : null });
  }
  out.sort((a, b) => a.t - b.t);
  return { stepMs: intervalMinutes * 60_000, points: out };
}

/** Now on the server's clock, as well as the wall can tell: its own clock, held inside the state's current interval. */
export function nowInInterval(clientNow: number, intervalStart: number | null, intervalEnd: number | null): number {
  if (intervalStart === null || intervalEnd === null || !(intervalEnd > intervalStart)) return clientNow;
  return Math.min(Math.max(clientNow, intervalStart), intervalEnd - 1);
}

export interface BandInput {
  forecast: Forecast;
  /** The current interval (server clock) and its arrivals so far; null when the state has no row for the line. */
  live: { start: number; value: number } | null;
  /** The x axis, server clock: the sparkline's window back from now, and AHEAD_MS ahead. */
  from: number;
  to: number;
  now: number;
  width: number;
  height: number;
}

export interface BandGeometry {
  /** The P10–P90 area. */
  band: string;
  /** The expected arrivals. */
  expected: string;
  /** The arrivals of the ended intervals, then the live count of the current one. */
  actual: string;
  /** One point per arrivals value (the last one is the live count when there is one). */
  dots: Array<{ x: number; y: number }>;
  /** Whether the last dot is the live count. */
  liveDot: boolean;
  nowX: number;
  /** The forecast intervals drawn. */
  count: number;
}

/**
 * The band's paths in a `width` × `height` box. Each interval is drawn at its middle and only
 * when its middle lies on the axis, so nothing is drawn outside the box. The y axis starts at 0
 * (arrivals are counts) and reaches just above the highest of P90, expected and actual.
 */
export function bandGeometry(input: BandInput): BandGeometry {
  const { forecast, live, from, to, now, width, height } = input;
  const half = forecast.stepMs / 2;
  const shown = forecast.points.filter((p) => p.t + half >= from && p.t + half <= to);
  const arrivals: Array<{ t: number; v: number }> = [];
  for (const p of shown) {
    // The current interval's count comes from the state, not from an answer that may be minutes old.
    if (p.actual !== null && (live === null || p.t < live.start)) arrivals.push({ t: p.t + half, v: p.actual });
  }
  const liveMid = live === null ? Number.NaN : live.start + half;
  const liveDot = live !== null && liveMid >= from && liveMid <= to;
  if (live !== null && liveDot) arrivals.push({ t: liveMid, v: live.value });

  const [, highBand] = extent(shown, (p) => Math.max(p.p90, p.expected));
  const [, highActual] = extent(arrivals, (p) => p.v);
  const top = Math.max(highBand ?? 0, highActual ?? 0, 1) * 1.08;
  const x = scaleLinear().domain([from, to]).range([0, width]).clamp(true);
  const y = scaleLinear()
    .domain([0, top])
    .range([height - 4, 4]);
  const mid = (p: BandPoint): number => x(p.t + half);

  const band =
    area<BandPoint>()
      .curve(curveMonotoneX)
      .x(mid)
      .y0((p) => y(p.p10))
      .y1((p) => y(p.p90))(shown) ?? '';
  const expected =
    line<BandPoint>()
      .curve(curveMonotoneX)
      .x(mid)
      .y((p) => y(p.expected))(shown) ?? '';
  const actual =
    line<{ t: number; v: number }>()
      .x((p) => x(p.t))
      .y((p) => y(p.v))(arrivals) ?? '';
  return {
    band,
    expected,
    actual,
    dots: arrivals.map((p) => ({ x: x(p.t), y: y(p.v) })),
    liveDot,
    nowX: x(now),
    count: shown.length,
  };
}
