// How live messages change the state on a screen: a delta replaces the sections it carries,
// wholesale, and each section notes when it last arrived (per-widget freshness).
import { describe, expect, it } from 'vitest';
import type { LiveState } from '../../../../contract/domain.js';
import { applyDelta, sectionTimesAfter } from '../../../../web/src/lib/live/state-apply.js';

const base: LiveState = {
  seq: 4,
  at: '2026-12-02T10:00:00.000Z',
  queues: [
    { id: 'l1', open: 12, waiting: 3, oldestWaitingSec: 240, breached: 1, atRisk: 2 },
    { id: 'l2', open: 5, waiting: 0, oldestWaitingSec: 0, breached: 0, atRisk: 0 },
  ],
  agents: { available: 4, busy: 6, away: 1, offline: 2 },
  sla: { breachedOpen: 1, breachedToday: 3, atRisk: 2, complianceToday: 0.92 },
  kpis: { createdToday: 40, solvedToday: 31, frtMedianSec: 300, frtP90Sec: 900, resolutionMedianSec: 3600, csatToday: 0.88 },
  staffing: [],
  followUps: { open: 0, overdue: 0 },
  flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: null, timeToEscalateMedianSec: [], lines: [] },
  incidents: [],
};

describe('a delta', () => {
  it('replaces the sections it carries wholesale, keeps the others, and takes its seq and time', () => {
    const { state, sections } = applyDelta(base, {
      seq: 5,
      at: '2026-12-02T10:00:00.250Z',
      queues: [{ id: 'l1', open: 13, waiting: 4, oldestWaitingSec: 241, breached: 1, atRisk: 2 }],
      agents: { available: 3, busy: 7, away: 1, offline: 2 },
    });
    expect(sections).toEqual(['queues', 'agents']);
    expect(state.seq).toBe(5);
    expect(state.at).toBe('2026-12-02T10:00:00.250Z');
    // Wholesale: l2 is gone because the delta's queues section no longer lists it.
    expect(state.queues.map((q) => [q.id, q.open])).toEqual([['l1', 13]]);
    expect(state.agents.busy).toBe(7);
    expect(state.sla).toBe(base.sla);
    expect(state.kpis).toBe(base.kpis);
    // The previous state is not edited: screens hold it by reference.
    expect(base.queues).toHaveLength(2);
    expect(base.seq).toBe(4);
  });

  it('without sections only moves seq and time', () => {
    const { state, sections } = applyDelta(base, { seq: 5, at: '2026-12-02T10:00:01.000Z' });
    expect(sections).toEqual([]);
    expect({ ...state, seq: base.seq, at: base.at }).toEqual(base);
  });
});

describe('the section times', () => {
  it('date every section at the first arrival, then only those that arrive', () => {
    const first = sectionTimesAfter(null, ['queues', 'agents', 'sla', 'kpis', 'incidents', 'staffing', 'followUps', 'flow'], 1_000);
    expect(first).toEqual({ queues: 1_000, agents: 1_000, sla: 1_000, kpis: 1_000, incidents: 1_000, staffing: 1_000, followUps: 1_000, flow: 1_000 });
    const later = sectionTimesAfter(first, ['sla'], 2_500);
    expect(later).toEqual({ queues: 1_000, agents: 1_000, sla: 2_500, kpis: 1_000, incidents: 1_000, staffing: 1_000, followUps: 1_000, flow: 1_000 });
    expect(first.sla).toBe(1_000);
  });

  it('date every section even when the first arrival is a delta of one', () => {
    expect(sectionTimesAfter(null, ['kpis'], 7)).toEqual({ queues: 7, agents: 7, sla: 7, kpis: 7, incidents: 7, staffing: 7, followUps: 7, flow: 7 });
  });
});
