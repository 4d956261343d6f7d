// A ticket's way between lines (server/domain/ticket-flow.ts) and its count in the live model:
// the history takes late and out-of-order observations where they belong, a duplicate changes
// nothing, the bound merges the oldest away, and the flow derived from it is the same whatever the
// order of delivery. Every expectation is computed by hand from the times given.
import { describe, expect, it } from 'vitest';
import {
  type History,
  MAX_OBSERVATIONS,
  type Observation,
  QueueCodes,
  deriveFlow as derive,
  firstContact,
  observe,
} from '../../../server/domain/ticket-flow.js';
import { LiveModel, readAll } from '../../../server/domain/live-model.js';
import { iso, ticketEvent } from '../../helpers/events.js';

const LINES = ['l1', 'l2', 'l3'];
const T0 = Date.parse('2026-12-02T09:00:00Z');
const MIN = 60_000;
const at = (minutes: number): number => T0 + minutes * MIN;
const seen = (minutes: number, queue: string, status: Observation['status'] = 'open'): Observation => ({ updatedMs: at(minutes), queue, status });

const codes = new QueueCodes();
/** A history back as observations, through the checkpoint's entries. */
const observations = (history: History): Observation[] => codes.entries(history).map(([updatedMs, queue, status]) => ({ updatedMs, queue, status }));
const put = (history: History, o: Observation): boolean => observe(history, o.updatedMs, codes.code(o.queue, o.status));
const deriveFlow = (history: History, createdMs: number, lines: readonly string[]) => derive(history, createdMs, lines, codes);

function historyOf(...observations: Observation[]): History {
  const history: History = [];
  for (const o of observations) put(history, o);
  return history;
}

describe('the history', () => {
  it('keeps observations sorted by updatedAt, whatever the order they come in', () => {
    const history = historyOf(seen(30, 'l2'), seen(0, 'l1'), seen(10, 'l1'));
    expect(observations(history).map((o) => [o.updatedMs, o.queue])).toEqual([
      [at(0), 'l1'],
      [at(10), 'l1'],
      [at(30), 'l2'],
    ]);
  });

  it('a duplicate changes nothing; the same updatedAt with other values replaces the one held', () => {
    const history = historyOf(seen(0, 'l1'), seen(10, 'l2'));
    expect(put(history, seen(10, 'l2'))).toBe(false);
    expect(observations(history)).toHaveLength(2);
    expect(put(history, seen(10, 'l3'))).toBe(true);
    expect(observations(history).map((o) => o.queue)).toEqual(['l1', 'l3']);
  });

  it(`is bounded at ${MAX_OBSERVATIONS}: a repeat merges away first, else the second oldest; the first line stays`, () => {
    // 0: l1, then 1..40 alternating l2/l3 (each a move): no repeats, so the second oldest goes each time.
    const history = observations(historyOf(seen(0, 'l1'), ...Array.from({ length: 40 }, (_, i) => seen(i + 1, i % 2 === 0 ? 'l2' : 'l3'))));
    expect(history).toHaveLength(MAX_OBSERVATIONS);
    expect(history[0]).toEqual(seen(0, 'l1'));
    // 41 observations, 9 merged away: minutes 1..9 are gone, 10..40 stay.
    expect(history[1]).toEqual(seen(10, 'l3'));
    expect(history.at(-1)).toEqual(seen(40, 'l3'));

    // A repeat (same queue and status as the one before) is merged away before any move.
    const repeats = observations(historyOf(seen(0, 'l1'), ...Array.from({ length: 31 }, (_, i) => seen(i + 1, 'l2')), seen(50, 'l3')));
    expect(repeats).toHaveLength(MAX_OBSERVATIONS);
    expect(repeats.slice(0, 2)).toEqual([seen(0, 'l1'), seen(1, 'l2')]);
    // Minute 2 (the first repeat) went.
    expect(repeats[2]).toEqual(seen(3, 'l2'));
  });
});

describe('the flow a history shows', () => {
  it('escalations and de-escalations at the moving event, each with its time on the line it left', () => {
    // Created at 0 on l1; l2 at 20; l1 at 30 (down); l3 at 45 (up).
    const flow = deriveFlow(historyOf(seen(0, 'l1'), seen(20, 'l2'), seen(30, 'l1'), seen(45, 'l3')), at(0), LINES);
    expect(flow.firstLine).toBe('l1');
    expect(flow.moves).toEqual([
      { from: 'l1', to: 'l2', atMs: at(20), arrivedMs: at(0), up: true },
      { from: 'l2', to: 'l1', atMs: at(30), arrivedMs: at(20), up: false },
      { from: 'l1', to: 'l3', atMs: at(45), arrivedMs: at(30), up: true },
    ]);
    expect(flow.escalated).toBe(true);
  });

  it('a move to or from a queue not in the lines is neither, but the arrival time follows the ticket', () => {
    // l1 → billing at 10 (not counted) → l2 at 25 (not counted: billing is no line) → l3 at 40 (counted, on l2 since 25).
    const flow = deriveFlow(historyOf(seen(0, 'l1'), seen(10, 'billing'), seen(25, 'l2'), seen(40, 'l3')), at(0), LINES);
    expect(flow.moves).toEqual([{ from: 'l2', to: 'l3', atMs: at(40), arrivedMs: at(25), up: true }]);
  });

  it('a solved or closed ticket that opens again is reopened, at that event', () => {
    const flow = deriveFlow(
      historyOf(seen(0, 'l1', 'new'), seen(10, 'l1', 'solved'), seen(20, 'l1', 'open'), seen(30, 'l1', 'closed'), seen(35, 'l1', 'pending')),
      at(0),
      LINES,
    );
    expect(flow.reopenedMs).toEqual([at(20), at(35)]);
    expect(flow.reopened).toBe(true);
    expect(flow.moves).toEqual([]);
    expect(firstContact(flow, 'l1')).toBe(false);
  });

  it('first contact: solved on the first line, never escalated, never reopened', () => {
    const solvedOnL1 = deriveFlow(historyOf(seen(0, 'l1'), seen(10, 'l1', 'solved')), at(0), LINES);
    expect(firstContact(solvedOnL1, 'l1')).toBe(true);
    // Up to l2 and back down, solved on l1: it was escalated once, so not first contact.
    const bounced = deriveFlow(historyOf(seen(0, 'l1'), seen(5, 'l2'), seen(8, 'l1'), seen(10, 'l1', 'solved')), at(0), LINES);
    expect(firstContact(bounced, 'l1')).toBe(false);
    // Taken first by l2, sent down and solved on l1: never escalated, but not solved by the line that first took it.
    const startedHigh = deriveFlow(historyOf(seen(0, 'l2'), seen(5, 'l1'), seen(10, 'l1', 'solved')), at(0), LINES);
    expect(startedHigh.escalated).toBe(false);
    expect(firstContact(startedHigh, 'l1')).toBe(false);
  });

  it('is the same in whatever order the observations arrive', () => {
    const ordered = [seen(0, 'l1'), seen(10, 'l1'), seen(20, 'l2'), seen(30, 'l2', 'solved'), seen(40, 'l2', 'open')];
    const expected = deriveFlow(historyOf(...ordered), at(0), LINES);
    for (const order of [
      [4, 3, 2, 1, 0],
      [2, 0, 4, 1, 3],
      [0, 2, 1, 2, 4, 3, 4],
    ]) {
      expect(deriveFlow(historyOf(...order.map((i) => ordered[i]!)), at(0), LINES)).toEqual(expected);
    }
  });
});

describe('the model counts the flow from the history', () => {
  const NOW = at(120);

  it('an out-of-order pair: the later event first, the earlier one (stale) still places the escalation at its time', () => {
    const model = new LiveModel({ atRiskMinutes: 15 });
    model.advance(NOW);
    const created = iso(at(0));
    // Created on l1 at 0, seen on l1 at 10, then moved to l2 at 30; the 30 comes before the 10.
    expect(model.apply(ticketEvent({ id: 'T-1', createdAt: created, updatedAt: created }), NOW)).toBe('accepted');
    expect(model.apply(ticketEvent({ id: 'T-1', createdAt: created, updatedAt: iso(at(30)), queue: 'l2' }), NOW)).toBe('accepted');
    expect(model.apply(ticketEvent({ id: 'T-1', createdAt: created, updatedAt: iso(at(10)), queue: 'l1' }), NOW)).toBe('stale');
    // A late one that says it was on l2 already at 20: the move is at 20, after 20 min on l1.
    expect(model.apply(ticketEvent({ id: 'T-1', createdAt: created, updatedAt: iso(at(20)), queue: 'l2' }), NOW)).toBe('stale');
    const flow = model.state(NOW).flow;
    expect(flow.escalatedToday).toEqual([{ from: 'l1', to: 'l2', count: 1 }]);
    expect(flow.timeToEscalateMedianSec).toEqual([
      { line: 'l1', seconds: 1200 },
      { line: 'l2', seconds: null },
      { line: 'l3', seconds: null },
    ]);
    expect(model.escalations(at(0), 10).map((row) => [row.key, row.from, row.to, row.at, row.onLineSec])).toEqual([
      ['test:T-1', 'l1', 'l2', iso(at(20)), 1200],
    ]);
    // The checkpoint carries the history: a new model restored from it counts the same.
    const restored = new LiveModel({ atRiskMinutes: 15 });
    restored.restore(readAll(model.everything().tickets), [], NOW);
    expect(restored.state(NOW).flow).toEqual(flow);
  });

  it('a checkpoint without a history starts from one observation: the ticket itself', () => {
    const model = new LiveModel({ atRiskMinutes: 15 });
    const [stored] = (() => {
      const m = new LiveModel({ atRiskMinutes: 15 });
      m.apply(ticketEvent({ id: 'T-2', createdAt: iso(at(0)), updatedAt: iso(at(5)), queue: 'l2' }), NOW);
      return readAll(m.everything().tickets);
    })();
    const { history: _history, ...old } = stored!;
    model.restore([old], [], NOW);
    expect(readAll(model.everything().tickets)[0]!.history).toEqual([[at(5), 'l2', 'open']]);
    // A later move from there counts: l2 → l3 at 50, on l2 since its creation (no earlier move seen).
    model.apply(ticketEvent({ id: 'T-2', createdAt: iso(at(0)), updatedAt: iso(at(50)), queue: 'l3' }), NOW);
    expect(model.state(NOW).flow.escalatedToday).toEqual([{ from: 'l2', to: 'l3', count: 1 }]);
    expect(model.escalations(0, 10)[0]!.onLineSec).toBe(3000);
  });

  it('the lines come from the settings: a new order counts every ticket again', () => {
    const model = new LiveModel({ atRiskMinutes: 15 });
    model.apply(ticketEvent({ id: 'T-3', createdAt: iso(at(0)), updatedAt: iso(at(0)), queue: 'l2' }), NOW);
    model.apply(ticketEvent({ id: 'T-3', createdAt: iso(at(0)), updatedAt: iso(at(10)), queue: 'l1' }), NOW);
    expect(model.state(NOW).flow.deescalatedToday).toEqual([{ from: 'l2', to: 'l1', count: 1 }]);
    model.setFlowLines(['l2', 'l1']);
    const flow = model.state(NOW).flow;
    expect(flow.escalatedToday).toEqual([{ from: 'l2', to: 'l1', count: 1 }]);
    expect(flow.deescalatedToday).toEqual([]);
    expect(flow.lines).toEqual(['l2', 'l1']);
  });
});
