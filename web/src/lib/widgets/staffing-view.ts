// What the wall's staffing widget shows of the state's `staffing` section
// (docs/contract.md#forecast-shifts-and-staffing), pure: the rows, the gap's colour, how head
// counts are written and the geometry of the next-two-hours strip.
import { scaleBand, scaleLinear } from 'd3';
import type { ThresholdColor } from '../../../../contract/dashboards.js';
import type { StaffingNow } from '../../../../contract/staffing.js';

/**
 * The state's staffing rows: null before the first state, [] when the state carries none (a server
 * without `dashboards/staffing.json`, or one that does not send the section at all).
 */
export function staffingRows(state: object | null): StaffingNow[] | null {
  if (state === null) return null;
  const rows = (state as { staffing?: unknown }).staffing;
  return Array.isArray(rows) ? (rows as StaffingNow[]) : [];
}

/**
 * The gap's colour: red when short (fewer agents on the line than the target needs). Exactly
 * enough (0) stays uncoloured: `required` already holds the service-level target, so on-plan is
 * not a warning, and an amber that shows most of the day teaches the floor to ignore amber (which
 * the wall keeps for "at risk"). Room to spare is green.
 */
export function gapColor(gap: number): ThresholdColor | null {
  if (gap < 0) return 'red';
  return gap > 0 ? 'green' : null;
}

const headFormats = new Map<string, Intl.NumberFormat>();

/**
 * A head count: whole agents as they are, roster figures with a break inside the interval to one
 * decimal (an agent on a 15-minute break in a 30-minute interval counts 0.5): 7 → "7", 7.5 → "7.5"
 * ("7,5" in Russian).
 */
export function formatHeads(value: number, lang: string): string {
  let format = headFormats.get(lang);
  if (format === undefined) {
    format = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    headFormats.set(lang, format);
  }
  return format.format(Math.round(value * 10) / 10);
}

/** The gap with its sign, a real minus so that it reads across a room: −2, 0, +3. */
export function formatGap(gap: number, lang: string): string {
  const text = formatHeads(Math.abs(gap), lang);
  if (gap < 0) return `−${text}`;
  return gap > 0 ? `+${text}` : text;
}

export interface StripBar {
  start: string;
  x: number;
  width: number;
  /** The scheduled bar: top and height. */
  y: number;
  height: number;
  /** Where the required mark sits (its y). */
  requiredY: number;
  required: number;
  scheduled: number;
  /** Fewer scheduled than required: drawn red. */
  short: boolean;
}

/**
 * The next intervals as bars in a `width` × `height` box: one bar per interval for what the roster
 * holds, and a mark at what the line requires. Both share one scale from 0 to the largest of
 * either (at least 1, so that a quiet night does not draw a full-height bar for one agent).
 */
export function stripBars(next: readonly { start: string; required: number; scheduled: number }[], width: number, height: number): StripBar[] {
  if (next.length === 0) return [];
  const x = scaleBand<string>()
    .domain(next.map((n) => n.start))
    .range([0, width])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const top = Math.max(1, ...next.map((n) => Math.max(n.required, n.scheduled)));
  // A little room above the tallest, so that the required mark on top is not cut.
  const y = scaleLinear()
    .domain([0, top])
    .range([height, height * 0.08]);
  return next.map((n) => ({
    start: n.start,
    x: x(n.start) ?? 0,
    width: x.bandwidth(),
    y: y(n.scheduled),
    height: height - y(n.scheduled),
    requiredY: y(n.required),
    required: n.required,
    scheduled: n.scheduled,
    short: n.scheduled < n.required,
  }));
}
