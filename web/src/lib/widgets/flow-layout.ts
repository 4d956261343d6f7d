// What the wall's flow widget draws of the state's `flow` section
// (docs/contract.md#the-flow-between-lines), pure: the lines as boxes left to right, today's
// escalations as bands arching above them and de-escalations below, each band as wide as its
// count. The geometry is in the drawing's own pixels (the widget measures its box), so that text
// and band widths keep their proportions on any box and at 1080p and 4K alike.
import { path as d3path, scaleLinear } from 'd3';
import type { FlowMove, FlowState } from '../../../../contract/flow.js';

/** The lines when the state names none (the contract's default). */
export const DEFAULT_LINES: readonly string[] = ['l1', 'l2', 'l3'];

/**
 * The state's flow section: null before the first state or from a server that does not send it
 * (the widget then draws the default lines, empty).
 */
export function flowOf(state: object | null): FlowState | null {
  if (state === null) return null;
  const flow = (state as { flow?: unknown }).flow;
  return typeof flow === 'object' && flow !== null ? (flow as FlowState) : null;
}

export interface FlowBox {
  line: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The box's centre, where its name is written. */
  cx: number;
  cy: number;
}

export interface FlowBand {
  direction: 'up' | 'down';
  from: string;
  to: string;
  count: number;
  /** The band's stroke width: proportional to the count, never thinner than a readable line. */
  width: number;
  /** The band's centre line, ending where the arrowhead begins. */
  d: string;
  /** The arrowhead, a triangle pointing into the target box. */
  arrow: string;
  /** Where the count is written: above the arch (escalations) or below it (de-escalations). */
  labelX: number;
  labelY: number;
}

export interface FlowLayout {
  boxes: FlowBox[];
  bands: FlowBand[];
  /** No move today at all: the boxes and a sentence instead of bands. */
  empty: boolean;
  /** Where that sentence goes (the escalations' room, centred). */
  emptyX: number;
  emptyY: number;
  /** The size of the line names and band counts. */
  fontSize: number;
}

/** Share of the height above the boxes (escalations, the band that matters) and below (de-escalations). */
const UP_SHARE = 0.46;
const BOX_SHARE = 0.28;
/** The gap between boxes as a share of a box's width: room for the bands to turn. */
const GAP_OF_BOX = 0.75;

/**
 * The drawing for `flow` in a `width` × `height` box. Moves between lines that are not among the
 * lines are left out (a queue the dashboards do not call a line), and so are moves of 0.
 */
export function flowLayout(flow: FlowState | null, width: number, height: number): FlowLayout {
  const lines = flow !== null && flow.lines.length > 0 ? flow.lines : DEFAULT_LINES;
  const n = lines.length;
  const boxW = width / (n + (n - 1) * GAP_OF_BOX);
  const gap = boxW * GAP_OF_BOX;
  const boxH = height * BOX_SHARE;
  const boxY = height * UP_SHARE;
  const fontSize = Math.max(1, Math.min(boxH * 0.6, boxW * 0.3, height * 0.15));
  const boxes: FlowBox[] = lines.map((line, i) => {
    const x = i * (boxW + gap);
    return { line, x, y: boxY, width: boxW, height: boxH, cx: x + boxW / 2, cy: boxY + boxH / 2 };
  });
  const index = new Map<string, number>();
  for (const [i, line] of lines.entries()) index.set(line, i);

  const known = (moves: readonly FlowMove[] | undefined): FlowMove[] =>
    (moves ?? []).filter((m) => m.count > 0 && index.has(m.from) && index.has(m.to) && m.from !== m.to);
  const up = known(flow?.escalatedToday);
  const down = known(flow?.deescalatedToday);
  const largest = Math.max(1, ...up.map((m) => m.count), ...down.map((m) => m.count));
  // The widest band: a fifth of the room above the boxes, and no wider than a third of a box.
  const maxWidth = Math.min(height * UP_SHARE * 0.2, boxW * 0.3);
  const minWidth = Math.max(1, height * 0.012);
  const thickness = scaleLinear().domain([0, largest]).range([0, maxWidth]);
  const widthOf = (count: number): number => Math.max(minWidth, thickness(count));

  const bands: FlowBand[] = [];
  const upRoom = boxY;
  const downRoom = height - boxY - boxH;
  for (const m of up) bands.push(band('up', m, boxes, index, widthOf(m.count), upRoom, fontSize));
  for (const m of down) bands.push(band('down', m, boxes, index, widthOf(m.count), downRoom, fontSize));
  return {
    boxes,
    bands,
    empty: bands.length === 0,
    emptyX: width / 2,
    emptyY: boxY / 2,
    fontSize,
  };
}

/**
 * One arch from box to box. Escalations leave a box from the right of its top and land at the left
 * of the next one's; a jump over a line (l1→l3) arches higher and lands in the middle, so that no
 * two bands share an end. De-escalations mirror that below.
 */
function band(
  direction: 'up' | 'down',
  move: FlowMove,
  boxes: readonly FlowBox[],
  index: ReadonlyMap<string, number>,
  width: number,
  room: number,
  fontSize: number,
): FlowBand {
  const a = boxes[index.get(move.from)!]!;
  const b = boxes[index.get(move.to)!]!;
  const span = Math.abs(index.get(move.to)! - index.get(move.from)!);
  const adjacent = span === 1;
  const forward = b.x > a.x;
  const x1 = a.x + a.width * (adjacent ? (forward ? 0.72 : 0.28) : 0.5);
  const x2 = b.x + b.width * (adjacent ? (forward ? 0.28 : 0.72) : 0.5);
  const sign = direction === 'up' ? -1 : 1;
  const y1 = direction === 'up' ? a.y : a.y + a.height;
  const arrowLength = Math.min(room * 0.18, Math.max(width * 0.9, fontSize * 0.35));
  const arrowHalf = Math.max(width * 0.9, fontSize * 0.3);
  const tip = direction === 'up' ? b.y : b.y + b.height;
  const y2 = tip + sign * arrowLength;
  // The arch's top: room for the label (one font size) and half the band above it; a jump higher.
  const reach = room - fontSize * 1.15 - width / 2;
  const height = Math.max(arrowLength + width, reach * (adjacent ? 0.55 : 0.97));
  const peak = y1 + sign * height;
  // A cubic with both controls at c peaks at y1 + 0.75 (c − y1).
  const control = y1 + (peak - y1) / 0.75;
  const p = d3path();
  p.moveTo(x1, y1);
  p.bezierCurveTo(x1, control, x2, control, x2, y2);
  const head = d3path();
  head.moveTo(x2 - arrowHalf, y2);
  head.lineTo(x2 + arrowHalf, y2);
  head.lineTo(x2, tip);
  head.closePath();
  return {
    direction,
    from: move.from,
    to: move.to,
    count: move.count,
    width,
    d: p.toString(),
    arrow: head.toString(),
    labelX: (x1 + x2) / 2,
    // Text sits on its baseline: above the arch it ends a little over the band, below it starts under.
    labelY: direction === 'up' ? peak - width / 2 - fontSize * 0.2 : peak + width / 2 + fontSize * 0.85,
  };
}

/** The lines whose time to escalate the widget shows: every line but the highest (nothing is above it). */
export function escalatingLines(flow: FlowState | null): { line: string; seconds: number | null }[] {
  const lines = flow !== null && flow.lines.length > 0 ? flow.lines : DEFAULT_LINES;
  const medians = new Map<string, number | null>();
  for (const row of flow?.timeToEscalateMedianSec ?? []) medians.set(row.line, row.seconds);
  return lines.slice(0, -1).map((line) => ({ line, seconds: medians.get(line) ?? null }));
}
