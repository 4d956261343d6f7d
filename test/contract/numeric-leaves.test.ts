// One list of the state's numbers: the server's history sampler and the wall's sparkline history
// walk the same leaves, and a queue that goes quiet (leaves the state) reads 0 on both.
import { describe, expect, it } from 'vitest';
import { forEachNumericLeaf } from '../../contract/numeric-leaves.js';
import type { LiveState } from '../../contract/domain.js';
import { statePoints } from '../../server/history/sampler.js';
import { MetricHistory } from '../../web/src/lib/live/metric-history.js';

const queue = (id: string, waiting: number): LiveState['queues'][number] => ({ id, open: waiting, waiting, oldestWaitingSec: 60, breached: 0, atRisk: 0 });

function state(queues: LiveState['queues']): LiveState {
  return {
    seq: 1,
    at: '2026-12-02T12:00:00.000Z',
    queues,
    agents: { available: 1, busy: 2, away: 0, offline: 3 },
    sla: { breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: 0.9 },
    kpis: { createdToday: 4, solvedToday: 1, frtMedianSec: 30, frtP90Sec: 90, resolutionMedianSec: 600, csatToday: 1 },
    staffing: [],
    followUps: { open: 0, overdue: 0 },
    flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: 0.5, timeToEscalateMedianSec: [], lines: [] },
    incidents: [],
  };
}

describe('the numeric leaves of the state', () => {
  it('read 0 for a known queue that left the state', () => {
    const seen = new Map<string, number | null>();
    forEachNumericLeaf(state([queue('l1', 3)]), (path, value) => seen.set(path, value), ['l1', 'l2']);
    expect(seen.get('queues.l1.waiting')).toBe(3);
    expect(seen.get('queues.l2.waiting')).toBe(0);
    expect(seen.get('queues.l2.oldestWaitingSec')).toBe(0);
    expect(seen.get('agents.offline')).toBe(3);
  });

  it('are the same series on the server’s history and the wall’s, before and after a queue goes quiet', () => {
    const history = new MetricHistory();
    const busy = state([queue('l1', 3), queue('l2', 5)]);
    const quiet = state([queue('l1', 2)]);
    history.record(busy, 1_000);
    history.record(quiet, 2_000);

    const server = statePoints(quiet, 2_000, new Set(['l1', 'l2']));
    for (const point of server) {
      const samples = history.series(point.metric, 2_000, 10_000);
      expect(samples.at(-1)?.v, point.metric).toBe(point.v);
    }
    expect(history.seriesCount).toBe(server.length);
    expect(server.find((p) => p.metric === 'queues.l2.waiting')?.v).toBe(0);
  });
});
