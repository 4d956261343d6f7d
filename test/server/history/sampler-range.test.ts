// The sampler's points (names, nulls, queues that left the state) and the request's time range
// grammar (relative and ISO times, steps, the point limit).
import { describe, expect, it } from 'vitest';
import { parseNumberMetric } from '../../../contract/metrics.js';
import type { HistoryPoint, HistoryStore } from '../../../server/history/history-store.js';
import { MAX_POINTS, parseRange } from '../../../server/history/range.js';
import { HistorySampler, type SampledState } from '../../../server/history/sampler.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');

function state(queues: SampledState['queues']): SampledState {
  return {
    queues,
    agents: { available: 5, busy: 11, away: 2, offline: 4 },
    sla: { breachedOpen: 4, breachedToday: 9, atRisk: 6, complianceToday: null },
    kpis: { createdToday: 320, solvedToday: 280, frtMedianSec: 540, frtP90Sec: null, resolutionMedianSec: null, csatToday: 0.88 },
    staffing: [],
    followUps: { open: 2, overdue: 1 },
    flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: null, timeToEscalateMedianSec: [], lines: [] },
  };
}

describe('HistorySampler', () => {
  it('writes every live number under its wall path, on a 10 s boundary, skipping nulls', () => {
    const written: HistoryPoint[][] = [];
    const store = { write: (points: readonly HistoryPoint[]) => written.push([...points]) } as unknown as HistoryStore;
    let clock = T0 + 7_345;
    let current = state([{ id: 'l1', open: 41, waiting: 12, oldestWaitingSec: 1260, breached: 2, atRisk: 3 }]);
    const sampler = new HistorySampler({ state: () => current, store, now: () => clock });

    const first = sampler.sample();
    expect(written).toEqual([first]);
    expect(new Set(first.map((p) => p.t))).toEqual(new Set([T0]));
    expect(Object.fromEntries(first.map((p) => [p.metric, p.v]))).toEqual({
      'queues.l1.open': 41,
      'queues.l1.waiting': 12,
      'queues.l1.oldestWaitingSec': 1260,
      'queues.l1.breached': 2,
      'queues.l1.atRisk': 3,
      'agents.available': 5,
      'agents.busy': 11,
      'agents.away': 2,
      'agents.offline': 4,
      'sla.breachedOpen': 4,
      'sla.breachedToday': 9,
      'sla.atRisk': 6,
      'kpis.createdToday': 320,
      'kpis.solvedToday': 280,
      'kpis.frtMedianSec': 540,
      'kpis.csatToday': 0.88,
      'followUps.open': 2,
      'followUps.overdue': 1,
      'flow.reopenedToday': 0,
    });
    // Every name is a number path of the wall's grammar.
    for (const point of first) expect(parseNumberMetric(point.metric)).not.toHaveProperty('error');

    // l1 empties and leaves the state: it reads 0, as on the wall, rather than a gap.
    clock += 10_000;
    current = state([]);
    const second = sampler.sample();
    expect(second.filter((p) => p.metric.startsWith('queues.'))).toEqual(
      ['open', 'waiting', 'oldestWaitingSec', 'breached', 'atRisk'].map((field) => ({ metric: `queues.l1.${field}`, t: T0 + 10_000, v: 0 })),
    );
  });

  it('never throws to its timer', () => {
    const errors: unknown[] = [];
    const store = { write: () => {} } as unknown as HistoryStore;
    const sampler = new HistorySampler({
      state: () => {
        throw new Error('boom');
      },
      store,
      now: () => T0,
      onError: (e) => errors.push(e),
    });
    expect(sampler.sample()).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});

describe('parseRange', () => {
  const now = T0;
  it('takes relative, ISO and default times, and steps with or without a unit', () => {
    expect(parseRange({ from: '-6h', step: '5m' }, now)).toEqual({ from: now - 6 * 3600_000, to: now, stepSec: 300 });
    expect(parseRange({ from: 'now-30m', to: 'now', step: '60' }, now)).toEqual({ from: now - 1800_000, to: now, stepSec: 60 });
    expect(parseRange({ from: '2026-11-25T10:00:00Z', to: '2026-11-26T10:00:00+00:00', step: '1h' }, now)).toEqual({
      from: now - 86400_000,
      to: now,
      stepSec: 3600,
    });
    // No step: ~360 points at most, from a list of round steps.
    expect(parseRange({}, now)).toEqual({ from: now - 3600_000, to: now, stepSec: 10 });
    expect(parseRange({ from: '-7d' }, now)).toMatchObject({ stepSec: 1800 });
  });

  it('says what is wrong', () => {
    expect(parseRange({ from: 'yesterday' }, now)).toEqual({ error: expect.stringMatching(/^from: "yesterday" is not a time; use ISO-8601/) });
    expect(parseRange({ to: '2026-13-01T00:00:00Z' }, now)).toEqual({ error: expect.stringMatching(/^to: /) });
    expect(parseRange({ step: '5x' }, now)).toEqual({ error: expect.stringMatching(/^step: "5x" is not a step/) });
    expect(parseRange({ step: '1s' }, now)).toEqual({ error: 'step: must be between 10s and 1w, got 1s' });
    expect(parseRange({ from: '-1h', to: '-2h' }, now)).toEqual({ error: expect.stringMatching(/must be before to/) });
    expect(parseRange({ from: '-30d', step: '1m' }, now)).toEqual({
      error: `step: 1m over this range makes 43200 points; at most ${MAX_POINTS}: use step=30m or more`,
    });
    expect(parseRange({ from: '-30d', step: '30m' }, now)).toMatchObject({ stepSec: 1800 });
  });
});
