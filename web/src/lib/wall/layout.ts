// The grid of a dashboard page (docs/contract.md#dashboards-as-code): 12 columns, as many rows as its lowest widget reaches,
// so that every page fills the screen exactly.
import type { DashboardPage, Widget } from '../../../../contract/dashboards.js';

export const COLUMNS = 12;
export const MAX_ROWS = 12;

/** Rows the page needs (at least 1, at most 12). */
export function pageRows(page: DashboardPage): number {
  const bottom = page.widgets.reduce((max, w) => Math.max(max, w.y + w.h), 1);
  return Math.min(MAX_ROWS, bottom);
}

/**
 * A widget kept inside the grid: the server validates dashboards, but a wall must never scroll,
 * so a widget reaching past the 12th column or row is cut back rather than widening the page.
 */
export function placed(widget: Widget): Widget {
  const x = clamp(Math.floor(widget.x), 0, COLUMNS - 1);
  const y = clamp(Math.floor(widget.y), 0, MAX_ROWS - 1);
  const w = clamp(Math.floor(widget.w), 1, COLUMNS - x);
  const h = clamp(Math.floor(widget.h), 1, MAX_ROWS - y);
  return x === widget.x && y === widget.y && w === widget.w && h === widget.h ? widget : { ...widget, x, y, w, h };
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}

/**
 * The anti-burn-in drift: the whole wall moves by a fraction of a percent of the screen height
 * along this loop, one step every DRIFT_STEP_MS with a slow glide, so that no edge or label
 * stays on the same pixels for hours. Unnoticeable from the room.
 */
export const DRIFT_STEP_MS = 3 * 60_000;
export const DRIFT_VH = 0.35;
const DRIFT: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
  [0, -1],
  [1, -1],
];

export function driftAt(step: number): readonly [number, number] {
  return DRIFT[((step % DRIFT.length) + DRIFT.length) % DRIFT.length]!;
}
