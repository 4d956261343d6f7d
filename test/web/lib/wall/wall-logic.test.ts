// The wall's pure logic, without a browser: the sparklines' bounded history, per-widget freshness,
// the grid and the anti-burn-in drift, number formats. The browser suite (wall.test.ts) shows the
// same things working on a screen; these pin the edges a screen cannot reach in a test's time.
import { describe, expect, it } from 'vitest';
import type { LiveState } from '../../../../contract/domain.js';
import { formatDuration } from '../../../../web/src/lib/format.js';
import { BUCKET_MS, CAPACITY, HISTORY_WINDOW_MS, MAX_SERIES, MetricHistory } from '../../../../web/src/lib/live/metric-history.js';
import { forEachNumericLeaf } from '../../../../contract/numeric-leaves.js';
import { formatOf, formatValue, numericMetric } from '../../../../web/src/lib/metrics.js';
import { driftAt, pageRows, placed } from '../../../../web/src/lib/wall/layout.js';
import { emWidth } from '../../../../web/src/lib/widgets/fit.js';
import { freshness, STALE_AFTER_MS } from '../../../../web/src/lib/widgets/freshness.js';

const HOUR = 3_600_000;

function state(n: number, queues = ['l1', 'l2', 'l3']): LiveState {
  return {
    seq: n,
    at: new Date(n).toISOString(),
    queues: queues.map((id) => ({ id, open: n % 50, waiting: n % 7, oldestWaitingSec: n % 900, breached: 0, atRisk: 1 })),
    agents: { available: n % 5, busy: 3, away: 1, offline: 2 },
    sla: { breachedOpen: 0, breachedToday: 1, atRisk: 3, complianceToday: null },
    kpis: { createdToday: n, solvedToday: n - 1, frtMedianSec: 60, frtP90Sec: 120, resolutionMedianSec: null, csatToday: 0.9 },
    staffing: [],
    followUps: { open: 0, overdue: 0 },
    flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: null, timeToEscalateMedianSec: [], lines: [] },
    incidents: [],
  };
}

describe('the sparklines history', () => {
  it('stays bounded over a day of messages every second, keeping the last hours', () => {
    const history = new MetricHistory();
    const start = Date.parse('2026-11-26T00:00:00Z');
    for (let t = start; t < start + 24 * HOUR; t += 1000) history.record(state(t), t);
    let leaves = 0;
    forEachNumericLeaf(state(0), () => leaves++);
    expect(history.seriesCount).toBe(leaves);
    expect(history.sampleCount).toBe(leaves * CAPACITY);
    const now = start + 24 * HOUR;
    const series = history.series('kpis.createdToday', now);
    expect(series.length).toBe(CAPACITY);
    expect(series[0]!.t).toBeGreaterThanOrEqual(now - HISTORY_WINDOW_MS - BUCKET_MS);
    // One sample per bucket, the bucket's last value.
    expect(series.at(-1)).toEqual({ t: now - 1000, v: now - 1000 });
    // A null from the server is a gap, not a zero.
    expect(Number.isNaN(history.series('kpis.resolutionMedianSec', now).at(-1)!.v)).toBe(true);
  });

  it('takes no more series than MAX_SERIES, however many queues appear', () => {
    const history = new MetricHistory();
    for (let i = 0; i < 200; i++) history.record(state(i, [`q${i}`]), i * BUCKET_MS);
    expect(history.seriesCount).toBe(MAX_SERIES);
  });
});

describe('freshness', () => {
  const now = 1_000_000;
  it('marks a number stale after a minute without a message while live, and at once when not live', () => {
    expect(freshness({ live: true, confirmedAt: now - 5_000, section: 'queues', now }).stale).toBe(false);
    expect(freshness({ live: true, confirmedAt: now - STALE_AFTER_MS - 1, section: 'queues', now }).stale).toBe(true);
    expect(freshness({ live: false, confirmedAt: now - 1_000, section: 'agents', now })).toEqual({ at: now - 1_000, stale: true });
    expect(freshness({ live: false, confirmedAt: now - 1_000, section: null, now }).stale).toBe(false);
    // A polled list is as old as the older of its poll and the live channel.
    expect(freshness({ live: true, confirmedAt: now, section: 'sla', extraAt: now - 2 * STALE_AFTER_MS, now }).stale).toBe(true);
  });
});

describe('the grid', () => {
  it('has as many rows as the page reaches, and keeps widgets inside 12 × 12', () => {
    expect(
      pageRows({
        widgets: [
          { type: 'clock', x: 0, y: 0, w: 2, h: 2 },
          { type: 'clock', x: 0, y: 8, w: 2, h: 4 },
        ],
      }),
    ).toBe(12);
    expect(pageRows({ widgets: [{ type: 'clock', x: 0, y: 0, w: 2, h: 3 }] })).toBe(3);
    expect(pageRows({ widgets: [] })).toBe(1);
    expect(placed({ type: 'clock', x: 10, y: 11, w: 5, h: 4 })).toMatchObject({ x: 10, y: 11, w: 2, h: 1 });
  });

  it('drifts in a closed loop that comes back to the start', () => {
    const steps = Array.from({ length: 9 }, (_, i) => driftAt(i));
    expect(new Set(steps.map((s) => s.join())).size).toBe(9);
    expect(driftAt(9)).toEqual(driftAt(0));
    for (const [x, y] of steps) expect(Math.max(Math.abs(x), Math.abs(y))).toBeLessThanOrEqual(1);
  });
});

describe('numbers', () => {
  const en = { units: () => ({ s: 's', m: 'm', h: 'h' }), count: (n: number) => String(n) };
  it('reads paths and formats them', () => {
    const s = state(42);
    expect(numericMetric(s, 'queues.l2.waiting')).toBe(0);
    expect(numericMetric(s, 'queues.nowhere.waiting')).toBe(0);
    expect(numericMetric(s, 'sla.complianceToday')).toBeNull();
    expect(numericMetric(s, 'queues')).toBeNull();
    expect(formatOf({ metric: 'kpis.frtP90Sec' })).toBe('duration');
    expect(formatOf({ metric: 'kpis.csatToday' })).toBe('percent');
    expect(formatValue(0.934, 'percent', en)).toBe('93%');
    expect(formatValue(1260, 'duration', en)).toBe('21m 00s');
    expect(formatDuration(-75, { s: 'с', m: 'м', h: 'ч' })).toBe('−1м 15с');
    expect(formatDuration(14_400)).toBe('4h 00m');
    expect(emWidth('21m 00s')).toBeGreaterThan(emWidth('93%'));
  });
});
