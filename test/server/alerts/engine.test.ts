// The alert engine on scripted streams of numbers: hold, blip, hysteresis, acknowledge, no-events;
// its snapshot as plain JSON and the restore of one (a restart, another instance taking over).
import { describe, expect, it } from 'vitest';
import { AlertEngine, entriesAfter, type AlertEngineSnapshot, type SourceTimes } from '../../../server/alerts/engine.js';
import type { AlertRule } from '../../../server/alerts/rules.js';
import type { LiveState } from '../../../contract/domain.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const sec = (s: number): number => T0 + s * 1000;
const noSources: SourceTimes = { any: null, bySource: new Map() };

function state(waiting: number, available = 5): Pick<LiveState, 'queues' | 'agents' | 'sla' | 'kpis' | 'staffing' | 'followUps' | 'flow'> {
  return {
    queues: [{ id: 'l1', open: waiting, waiting, oldestWaitingSec: 0, breached: 0, atRisk: 0 }],
    agents: { available, busy: 0, away: 0, offline: 0 },
    sla: { breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: null },
    kpis: { createdToday: 0, solvedToday: 0, frtMedianSec: null, frtP90Sec: null, resolutionMedianSec: null, csatToday: null },
    staffing: [],
    followUps: { open: 0, overdue: 0 },
    flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: null, timeToEscalateMedianSec: [], lines: [] },
  };
}

const waitingRule: AlertRule = {
  kind: 'threshold',
  id: 'l1-waiting',
  title: 'L1 waiting ≥ 20 for 2 min',
  metric: 'queues.l1.waiting',
  op: '>=',
  value: 20,
  clearValue: 15,
  forSec: 120,
  clearForSec: 0,
  severity: 'critical',
  wall: true,
};

/** Feeds `values[i]` at T0 + i·step seconds; returns the engine. */
function run(engine: AlertEngine, values: number[], stepSec = 5, startSec = 0): void {
  values.forEach((v, i) => {
    engine.evaluate(state(v), sec(startSec + i * stepSec), noSources);
  });
}

describe('threshold rules', () => {
  it('fires once the condition held for forSec, not before', () => {
    const engine = new AlertEngine([waitingRule], { now: T0 });
    expect(engine.evaluate(state(25), sec(0), noSources)).toEqual([{ alertId: 'l1-waiting', from: 'cleared', to: 'pending', at: sec(0), value: 25 }]);
    expect(engine.evaluate(state(25), sec(60), noSources)).toEqual([]);
    expect(engine.evaluate(state(30), sec(119), noSources)).toEqual([]);
    expect(engine.active()).toEqual([]);
    expect(engine.stateOf('l1-waiting')).toBe('pending');
    const fired = engine.evaluate(state(30), sec(120), noSources);
    expect(fired).toEqual([{ alertId: 'l1-waiting', from: 'pending', to: 'firing', at: sec(120), value: 30 }]);
    expect(engine.active()).toMatchObject([
      { id: 'l1-waiting', state: 'firing', value: 30, instance: 1, firedAt: new Date(sec(120)).toISOString(), acknowledged: null },
    ]);
    expect(engine.history()).toMatchObject([{ type: 'fire', alertId: 'l1-waiting', value: 30, at: new Date(sec(120)).toISOString() }]);
  });

  it('does not fire on a blip shorter than forSec', () => {
    const engine = new AlertEngine([waitingRule], { now: T0 });
    // 25 for 115 s, then one sample at 19, then 25 again: the hold restarts from the new crossing.
    run(engine, [...Array(24).fill(25), 19, ...Array(23).fill(25)]);
    expect(engine.active()).toEqual([]);
    expect(engine.history()).toEqual([]);
    expect(engine.stateOf('l1-waiting')).toBe('pending');
    // 125 s after the blip (at 120 s): now it has held long enough.
    engine.evaluate(state(25), sec(125 + 120), noSources);
    expect(engine.active()).toHaveLength(1);
  });

  it('clears with hysteresis: oscillating between clearValue and the threshold stays firing', () => {
    const engine = new AlertEngine([waitingRule], { now: T0 });
    run(engine, Array(25).fill(22)); // fires at 120 s
    expect(engine.stateOf('l1-waiting')).toBe('firing');
    // 19, 21, 16, 20, 15 … around the threshold but never below clearValue 15.
    const transitions = [19, 21, 16, 20, 15, 19, 17, 22, 15].flatMap((v, i) => engine.evaluate(state(v), sec(200 + i * 5), noSources));
    expect(transitions).toEqual([]);
    expect(engine.stateOf('l1-waiting')).toBe('firing');
    const cleared = engine.evaluate(state(14), sec(300), noSources);
    expect(cleared.map((t) => `${t.from}>${t.to}`)).toEqual(['firing>clearing', 'clearing>cleared']);
    expect(engine.active()).toEqual([]);
    expect(engine.history().map((h) => h.type)).toEqual(['fire', 'clear']);
    expect(engine.history()[1]).toMatchObject({ type: 'clear', value: 14, at: new Date(sec(300)).toISOString() });
  });

  it('clearForSec: must stay back past clearValue that long; a relapse keeps the same instance firing', () => {
    const engine = new AlertEngine([{ ...waitingRule, clearForSec: 60 }], { now: T0 });
    run(engine, Array(25).fill(22));
    engine.evaluate(state(10), sec(200), noSources);
    expect(engine.stateOf('l1-waiting')).toBe('clearing');
    expect(engine.active()).toMatchObject([{ state: 'clearing', instance: 1 }]);
    engine.evaluate(state(18), sec(230), noSources); // back above clearValue: firing again
    expect(engine.stateOf('l1-waiting')).toBe('firing');
    engine.evaluate(state(10), sec(240), noSources);
    engine.evaluate(state(10), sec(299), noSources);
    expect(engine.stateOf('l1-waiting')).toBe('clearing');
    engine.evaluate(state(10), sec(300), noSources);
    expect(engine.stateOf('l1-waiting')).toBe('cleared');
    expect(engine.history().map((h) => `${h.type}#${h.instance}`)).toEqual(['fire#1', 'clear#1']);
  });

  it('a "<" rule (available agents < 2) clears once back at clearValue or above', () => {
    const rule: AlertRule = { ...waitingRule, id: 'agents', metric: 'agents.available', op: '<', value: 2, clearValue: 3, forSec: 60 };
    const engine = new AlertEngine([rule], { now: T0 });
    engine.evaluate(state(0, 1), sec(0), noSources);
    engine.evaluate(state(0, 1), sec(60), noSources);
    expect(engine.stateOf('agents')).toBe('firing');
    engine.evaluate(state(0, 2), sec(70), noSources);
    expect(engine.stateOf('agents')).toBe('firing');
    engine.evaluate(state(0, 3), sec(80), noSources);
    expect(engine.stateOf('agents')).toBe('cleared');
  });

  it('a metric with no value (compliance before anything came due) neither fires nor holds a firing alert', () => {
    const rule: AlertRule = { ...waitingRule, id: 'sla', metric: 'sla.complianceToday', op: '<', value: 0.9, clearValue: 0.9, forSec: 0 };
    const engine = new AlertEngine([rule], { now: T0 });
    const s = state(0);
    engine.evaluate(s, sec(0), noSources);
    expect(engine.stateOf('sla')).toBe('cleared');
    engine.evaluate({ ...s, sla: { ...s.sla, complianceToday: 0.8 } }, sec(5), noSources);
    expect(engine.stateOf('sla')).toBe('firing'); // forSec 0: at once
    engine.evaluate(s, sec(10), noSources);
    expect(engine.stateOf('sla')).toBe('cleared');
  });
});

describe('acknowledge', () => {
  it('records who and when on the firing instance; a new firing after a clear needs a new ack', () => {
    const engine = new AlertEngine([waitingRule], { now: T0 });
    expect(engine.acknowledge('nope', 'ann', sec(0))).toEqual({ ok: false, reason: 'unknown' });
    expect(engine.acknowledge('l1-waiting', 'ann', sec(0))).toEqual({ ok: false, reason: 'not-firing' });
    run(engine, Array(25).fill(22));
    const ack = engine.acknowledge('l1-waiting', 'ann', sec(130));
    expect(ack).toMatchObject({ ok: true, alert: { instance: 1, acknowledged: { by: 'ann', at: new Date(sec(130)).toISOString() } } });
    // A second ack keeps the first.
    engine.acknowledge('l1-waiting', 'bob', sec(140));
    expect(engine.active()[0]!.acknowledged).toEqual({ by: 'ann', at: new Date(sec(130)).toISOString() });
    // Clear, then fire again: a new instance, unacknowledged.
    engine.evaluate(state(0), sec(200), noSources);
    run(engine, Array(25).fill(22), 5, 300);
    expect(engine.active()).toMatchObject([{ instance: 2, acknowledged: null }]);
    expect(engine.history().map((h) => `${h.type}#${h.instance}${h.by ? `:${h.by}` : ''}`)).toEqual(['fire#1', 'ack#1:ann', 'clear#1', 'fire#2']);
  });
});

describe('no-events rules', () => {
  const silence: AlertRule = {
    kind: 'no-events',
    id: 'silence',
    title: 'No events for 5 min',
    source: null,
    forSec: 300,
    clearForSec: 0,
    severity: 'critical',
    wall: true,
  };
  const zendesk: AlertRule = { ...silence, id: 'zendesk-silent', source: 'zendesk' };

  it('fires when no event came for forSec (counted from start when none ever came), clears on the next event', () => {
    const engine = new AlertEngine([silence], { now: T0 });
    engine.evaluate(state(0), sec(299), noSources);
    expect(engine.stateOf('silence')).toBe('cleared');
    engine.evaluate(state(0), sec(300), noSources);
    expect(engine.active()).toMatchObject([{ id: 'silence', state: 'firing', value: 300 }]);
    engine.evaluate(state(0), sec(310), { any: sec(308), bySource: new Map() });
    expect(engine.stateOf('silence')).toBe('cleared');
    engine.evaluate(state(0), sec(607), { any: sec(308), bySource: new Map() });
    expect(engine.stateOf('silence')).toBe('cleared');
    engine.evaluate(state(0), sec(608), { any: sec(308), bySource: new Map() });
    expect(engine.stateOf('silence')).toBe('firing');
  });

  it('per source: another source talking does not keep it quiet', () => {
    const engine = new AlertEngine([zendesk], { now: T0 });
    const times = (ms: Record<string, number>): SourceTimes => ({ any: Math.max(...Object.values(ms)), bySource: new Map(Object.entries(ms)) });
    engine.evaluate(state(0), sec(10), times({ zendesk: sec(10), freshdesk: sec(10) }));
    engine.evaluate(state(0), sec(400), times({ zendesk: sec(10), freshdesk: sec(399) }));
    expect(engine.active()).toMatchObject([{ id: 'zendesk-silent', value: 390 }]);
    engine.evaluate(state(0), sec(405), times({ zendesk: sec(404), freshdesk: sec(399) }));
    expect(engine.active()).toEqual([]);
  });
});

describe('history', () => {
  it('is bounded', () => {
    const rule: AlertRule = { ...waitingRule, forSec: 0 };
    const engine = new AlertEngine([rule], { now: T0, historyLimit: 10 });
    for (let i = 0; i < 20; i++) engine.evaluate(state(i % 2 === 0 ? 25 : 0), sec(i), noSources);
    const history = engine.history();
    expect(history).toHaveLength(10);
    expect(history.at(-1)).toMatchObject({ type: 'clear', at: new Date(sec(19)).toISOString() });
  });

  it('a removed rule clears its active alert in the history', () => {
    const engine = new AlertEngine([{ ...waitingRule, forSec: 0 }], { now: T0 });
    engine.evaluate(state(25), sec(0), noSources);
    engine.setRules([], sec(5));
    expect(engine.active()).toEqual([]);
    expect(engine.history().at(-1)).toMatchObject({ type: 'clear', reason: 'the rule was removed' });
  });
});

describe('snapshot and restore', () => {
  /** Through JSON, as a store keeps it. */
  const viaJson = (snapshot: AlertEngineSnapshot): AlertEngineSnapshot => JSON.parse(JSON.stringify(snapshot)) as AlertEngineSnapshot;
  const agentsRule: AlertRule = {
    ...waitingRule,
    id: 'agents',
    title: 'Agents < 2',
    metric: 'agents.available',
    op: '<',
    value: 2,
    clearValue: 3,
    forSec: 0,
    severity: 'warning',
  };

  it('is plain JSON of every slot and the history, and a copy', () => {
    const engine = new AlertEngine([waitingRule, agentsRule], { now: T0 });
    run(engine, Array(25).fill(22)); // l1-waiting fires at 120 s
    engine.acknowledge('l1-waiting', 'ann', sec(125));
    const snapshot = engine.snapshot();
    expect(viaJson(snapshot)).toEqual(snapshot);
    expect(snapshot.slots['l1-waiting']).toEqual({
      title: waitingRule.title,
      severity: 'critical',
      state: 'firing',
      since: sec(120),
      firedAt: sec(120),
      instance: 1,
      value: 22,
      ack: { by: 'ann', at: new Date(sec(125)).toISOString() },
    });
    expect(snapshot.slots.agents).toMatchObject({ state: 'cleared', instance: 0, ack: null });
    expect(snapshot.recorded).toBe(2);
    expect(snapshot.history.map((h) => h.type)).toEqual(['fire', 'ack']);
    // Later changes stay out of a snapshot taken before.
    engine.evaluate(state(0), sec(200), noSources);
    expect(snapshot.slots['l1-waiting']!.state).toBe('firing');
    expect(snapshot.history).toHaveLength(2);
  });

  it('restores into a new engine that goes on exactly as the old one would', () => {
    const before = new AlertEngine([waitingRule, agentsRule], { now: T0 });
    run(before, Array(25).fill(22));
    before.acknowledge('l1-waiting', 'ann', sec(125));
    const after = new AlertEngine([waitingRule, agentsRule], { now: sec(130) });
    after.restore(viaJson(before.snapshot()), sec(130));
    expect(after.active()).toEqual(before.active());
    expect(after.history()).toEqual(before.history());
    // The same numbers move both the same way: clear, then a new (unacknowledged) firing #2.
    for (const engine of [before, after]) {
      engine.evaluate(state(10), sec(140), noSources);
      run(engine, Array(25).fill(30), 5, 200);
    }
    expect(after.snapshot()).toEqual(before.snapshot());
    expect(after.active()).toMatchObject([{ id: 'l1-waiting', instance: 2, acknowledged: null }]);
    expect(after.history().map((h) => `${h.type}#${h.instance}`)).toEqual(['fire#1', 'ack#1', 'clear#1', 'fire#2']);
  });

  it('keeps the rules of the file: a gone rule’s active alert is cleared in the history, a new rule starts cleared', () => {
    const before = new AlertEngine([waitingRule, agentsRule], { now: T0 });
    before.evaluate(state(0, 1), sec(0), noSources); // agents fires at once (forSec 0)
    const pending = before.snapshot();
    expect(pending.slots.agents!.state).toBe('firing');
    const silence: AlertRule = {
      kind: 'no-events',
      id: 'silence',
      title: 'Silence',
      source: null,
      forSec: 300,
      clearForSec: 0,
      severity: 'critical',
      wall: true,
    };
    const after = new AlertEngine([waitingRule, silence], { now: sec(50) });
    after.restore(viaJson(pending), sec(60));
    expect(after.rules().map((r) => r.id)).toEqual(['l1-waiting', 'silence']);
    expect(after.active()).toEqual([]);
    expect(after.stateOf('agents')).toBeUndefined();
    expect(after.stateOf('silence')).toBe('cleared');
    expect(after.history().map((h) => `${h.type}:${h.alertId}`)).toEqual(['fire:agents', 'clear:agents']);
    expect(after.history()[1]).toMatchObject({
      title: 'Agents < 2',
      severity: 'warning',
      instance: 1,
      value: 1,
      reason: 'the rule was removed',
      at: new Date(sec(60)).toISOString(),
    });
    expect(after.snapshot().recorded).toBe(2);
  });

  it('numbers the entries across restores, so that a store can tell the new ones (entriesAfter)', () => {
    const engine = new AlertEngine([{ ...waitingRule, forSec: 0 }], { now: T0, historyLimit: 3 });
    for (let i = 0; i < 6; i++) engine.evaluate(state(i % 2 === 0 ? 25 : 0), sec(i), noSources); // fire, clear ×3
    const snapshot = engine.snapshot();
    expect(snapshot.recorded).toBe(6);
    expect(snapshot.history).toHaveLength(3);
    expect(entriesAfter(snapshot, 4).map((h) => h.at)).toEqual([new Date(sec(4)).toISOString(), new Date(sec(5)).toISOString()]);
    expect(entriesAfter(snapshot, 6)).toEqual([]);
    // More new entries than kept: all that are kept.
    expect(entriesAfter(snapshot, 0)).toHaveLength(3);
    const restored = new AlertEngine([{ ...waitingRule, forSec: 0 }], { now: sec(10), historyLimit: 3 });
    restored.restore(viaJson(snapshot), sec(10));
    restored.evaluate(state(25), sec(11), noSources);
    expect(restored.snapshot().recorded).toBe(7);
    expect(entriesAfter(restored.snapshot(), 6)).toMatchObject([{ type: 'fire', instance: 4 }]);
  });

  it('a no-events rule’s silence outlives a restart: counted from the last event before it, not from the restart', () => {
    const silence: AlertRule = {
      kind: 'no-events',
      id: 'silence',
      title: 'Silence',
      source: null,
      forSec: 300,
      clearForSec: 0,
      severity: 'critical',
      wall: true,
    };
    const before = new AlertEngine([silence], { now: T0 });
    before.evaluate(state(0), sec(10), { any: sec(10), bySource: new Map([['zendesk', sec(10)]]) });
    // The new process has seen no event yet: its own times are null.
    const after = new AlertEngine([silence], { now: sec(200) });
    after.restore(viaJson(before.snapshot()), sec(200));
    after.evaluate(state(0), sec(309), noSources);
    expect(after.stateOf('silence')).toBe('cleared');
    after.evaluate(state(0), sec(310), noSources);
    expect(after.active()).toMatchObject([{ id: 'silence', value: 300 }]);
    // And a firing one stays firing (same instance, same acknowledgement) through the next restart.
    after.acknowledge('silence', 'ann', sec(320));
    const third = new AlertEngine([silence], { now: sec(400) });
    third.restore(viaJson(after.snapshot()), sec(400));
    third.evaluate(state(0), sec(405), noSources);
    expect(third.active()).toMatchObject([{ id: 'silence', instance: 1, value: 395, acknowledged: { by: 'ann' } }]);
  });
});
