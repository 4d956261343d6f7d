// The wall's flow widget, its pure parts (web/src/lib/widgets/flow-layout.ts): which section it
// reads, the boxes left to right, the bands' widths by count and where they and their counts go
// (hand-computed for a 1000 × 400 drawing).
import { describe, expect, it } from 'vitest';
import type { FlowState } from '../../../../contract/flow.js';
import { escalatingLines, flowLayout, flowOf } from '../../../../web/src/lib/widgets/flow-layout.js';

function flow(over: Partial<FlowState> = {}): FlowState {
  return {
    escalatedToday: [],
    deescalatedToday: [],
    reopenedToday: 0,
    fcrToday: null,
    timeToEscalateMedianSec: [],
    lines: ['l1', 'l2', 'l3'],
    ...over,
  };
}

describe('the flow section of a state', () => {
  it('is null before a state or when the state has none, else the section', () => {
    expect(flowOf(null)).toBeNull();
    expect(flowOf({ queues: [] })).toBeNull();
    expect(flowOf({ flow: null })).toBeNull();
    const f = flow();
    expect(flowOf({ flow: f })).toBe(f);
  });
});

describe('the flow drawing', () => {
  // 1000 / (3 + 2 × 0.75) = 222.2 per box, gaps of 166.7; boxes 0.28 × 400 = 112 high from y 184.
  const BOX_W = 1000 / 4.5;
  const GAP = BOX_W * 0.75;

  it('draws the lines as boxes left to right, and "no escalations yet" when nothing moved', () => {
    const layout = flowLayout(flow(), 1000, 400);
    expect(layout.boxes.map((b) => b.line)).toEqual(['l1', 'l2', 'l3']);
    expect(layout.boxes.map((b) => b.x)).toEqual([0, BOX_W + GAP, 2 * (BOX_W + GAP)].map((x) => expect.closeTo(x, 6)));
    expect(layout.boxes[2]!.x + layout.boxes[2]!.width).toBeCloseTo(1000, 6);
    for (const box of layout.boxes) {
      expect(box.y).toBeCloseTo(184, 6);
      expect(box.height).toBeCloseTo(112, 6);
    }
    expect(layout.bands).toEqual([]);
    expect(layout.empty).toBe(true);
    // min(112 × 0.6, 222.2 × 0.3, 400 × 0.15) = 60
    expect(layout.fontSize).toBeCloseTo(60, 6);
    expect(layout.emptyY).toBeCloseTo(92, 6);
  });

  it('draws the default lines before the first state', () => {
    const layout = flowLayout(null, 1000, 400);
    expect(layout.boxes.map((b) => b.line)).toEqual(['l1', 'l2', 'l3']);
    expect(layout.empty).toBe(true);
  });

  it('makes each band as wide as its count: 2 twice 1, the widest a fifth of the room above', () => {
    const layout = flowLayout(
      flow({
        escalatedToday: [
          { from: 'l1', to: 'l2', count: 2 },
          { from: 'l2', to: 'l3', count: 1 },
        ],
        deescalatedToday: [{ from: 'l2', to: 'l1', count: 1 }],
      }),
      1000,
      400,
    );
    expect(layout.empty).toBe(false);
    expect(layout.bands.map((b) => [b.direction, b.from, b.to, b.count])).toEqual([
      ['up', 'l1', 'l2', 2],
      ['up', 'l2', 'l3', 1],
      ['down', 'l2', 'l1', 1],
    ]);
    // min(184 × 0.2, 222.2 × 0.3) = 36.8 for the largest count (2), 18.4 for 1.
    expect(layout.bands.map((b) => b.width)).toEqual([36.8, 18.4, 18.4].map((w) => expect.closeTo(w, 6)));
    const [up, , down] = layout.bands;
    // l1→l2 leaves at 72 % of L1's top and lands at 28 % of L2's: the count is written between.
    expect(up!.d.startsWith(`M${BOX_W * 0.72},184C`)).toBe(true);
    expect(up!.labelX).toBeCloseTo((BOX_W * 0.72 + BOX_W + GAP + BOX_W * 0.28) / 2, 6);
    // Above the band and inside the drawing.
    expect(up!.labelY).toBeLessThan(184 - up!.width);
    expect(up!.labelY - layout.fontSize * 0.8).toBeGreaterThan(0);
    // De-escalations leave from the bottom of the higher box and are labelled under their arch.
    expect(down!.d.startsWith(`M${BOX_W + GAP + BOX_W * 0.28},296C`)).toBe(true);
    expect(down!.labelY).toBeGreaterThan(296 + down!.width);
    expect(down!.labelY).toBeLessThan(400);
  });

  it('arches a jump over a line (l1→l3) above the next-line bands, its count still inside', () => {
    const layout = flowLayout(
      flow({
        escalatedToday: [
          { from: 'l1', to: 'l2', count: 5 },
          { from: 'l1', to: 'l3', count: 1 },
        ],
      }),
      1000,
      400,
    );
    const [next, jump] = layout.bands;
    expect(jump!.labelY).toBeLessThan(next!.labelY);
    expect(jump!.labelY - layout.fontSize * 0.8).toBeGreaterThan(0);
    // From the middle of L1 to the middle of L3.
    expect(jump!.labelX).toBeCloseTo(500, 6);
  });

  it('leaves out moves of 0 and moves from or to a queue that is not a line', () => {
    const layout = flowLayout(
      flow({
        escalatedToday: [
          { from: 'l1', to: 'l2', count: 0 },
          { from: 'billing', to: 'l2', count: 3 },
          { from: 'l2', to: 'l3', count: 4 },
        ],
      }),
      1000,
      400,
    );
    expect(layout.bands.map((b) => `${b.from}>${b.to}`)).toEqual(['l2>l3']);
  });
});

describe('the times to escalate', () => {
  it('are shown for every line but the highest, null where the state has none', () => {
    expect(
      escalatingLines(
        flow({
          timeToEscalateMedianSec: [
            { line: 'l1', seconds: 840 },
            { line: 'l3', seconds: null },
          ],
        }),
      ),
    ).toEqual([
      { line: 'l1', seconds: 840 },
      { line: 'l2', seconds: null },
    ]);
    expect(escalatingLines(null)).toEqual([
      { line: 'l1', seconds: null },
      { line: 'l2', seconds: null },
    ]);
  });
});
