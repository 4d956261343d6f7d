// The embedded history store: writes, aggregation per step (mean for levels, last for the daily
// counters), retention pruning, and a reopen of the same DATA_DIR.
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateOf } from '../../../server/history/history-store.js';
import { SqliteHistoryStore } from '../../../server/history/sqlite-history.js';
import { tempDir } from '../../helpers/app.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
let clock = T0;
const opened: SqliteHistoryStore[] = [];

function open(dataDir = tempDir('watchfloor-history-')): SqliteHistoryStore {
  const store = new SqliteHistoryStore({ dataDir, now: () => clock });
  opened.push(store);
  return store;
}

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  clock = T0;
});

/** Samples every 10 s from `from` for `count` samples, with value `value(i)`. */
function samples(metric: string, from: number, count: number, value: (i: number) => number) {
  return Array.from({ length: count }, (_, i) => ({ metric, t: from + i * 10_000, v: value(i) }));
}

describe('SqliteHistoryStore', () => {
  it('aggregates a level by the mean of each step and a daily counter by its last sample', async () => {
    const store = open();
    // 10:00–10:02, six samples a minute: waiting 0..11, createdToday 100..111.
    store.write([...samples('queues.l1.waiting', T0, 12, (i) => i), ...samples('kpis.createdToday', T0, 12, (i) => 100 + i)]);

    const waiting = await store.query({ metric: 'queues.l1.waiting', from: T0, to: T0 + 2 * MIN, stepSec: 60 });
    expect(waiting).toEqual({
      metric: 'queues.l1.waiting',
      step: 60,
      aggregate: 'mean',
      points: [
        { t: T0, v: 2.5 }, // mean of 0..5
        { t: T0 + MIN, v: 8.5 }, // mean of 6..11
      ],
    });
    const created = await store.query({ metric: 'kpis.createdToday', from: T0, to: T0 + 2 * MIN, stepSec: 60 });
    expect(created.aggregate).toBe('last');
    expect(created.points).toEqual([
      { t: T0, v: 105 },
      { t: T0 + MIN, v: 111 },
    ]);
    expect(aggregateOf('sla.breachedToday')).toBe('last');
    expect(aggregateOf('sla.complianceToday')).toBe('mean');
  });

  it('aligns steps to the epoch, keeps from/to inclusive, leaves empty steps out and keeps one value per second', async () => {
    const store = open();
    store.write([
      { metric: 'agents.busy', t: T0, v: 1 },
      { metric: 'agents.busy', t: T0 + 10_000, v: 3 },
      { metric: 'agents.busy', t: T0 + 10 * MIN, v: 7 },
      // The same second again (a second instance, a repeated sample): the newer value wins.
      { metric: 'agents.busy', t: T0 + 10 * MIN + 400, v: 9 },
    ]);
    const fiveMinutes = await store.query({ metric: 'agents.busy', from: T0 + 5_000, to: T0 + 10 * MIN, stepSec: 300 });
    // From 10:00:05 leaves the 10:00:00 sample out; the step still starts at 10:00 (epoch-aligned).
    expect(fiveMinutes.points).toEqual([
      { t: T0, v: 3 },
      { t: T0 + 10 * MIN, v: 9 },
    ]);
    expect((await store.query({ metric: 'agents.away', from: T0, to: T0 + MIN, stepSec: 60 })).points).toEqual([]);
  });

  it('prunes samples older than the retention, hourly and at open', async () => {
    const dataDir = tempDir('watchfloor-history-');
    const store = open(dataDir);
    store.write([
      { metric: 'sla.atRisk', t: T0 - 40 * DAY, v: 1 },
      { metric: 'sla.atRisk', t: T0 - 36 * DAY, v: 2 },
      { metric: 'sla.atRisk', t: T0 - 34 * DAY, v: 3 },
      { metric: 'sla.atRisk', t: T0, v: 4 },
    ]);
    expect(store.prune(T0)).toBe(2);
    const all = await store.query({ metric: 'sla.atRisk', from: T0 - 60 * DAY, to: T0, stepSec: 86400 });
    expect(all.points.map((p) => p.v)).toEqual([3, 4]);

    // A start two days later prunes what aged out meanwhile.
    await store.close();
    clock = T0 + 2 * DAY;
    const reopened = open(dataDir);
    const after = await reopened.query({ metric: 'sla.atRisk', from: T0 - 60 * DAY, to: clock, stepSec: 86400 });
    expect(after.points.map((p) => p.v)).toEqual([4]);
  });

  it('keeps its history across a reopen of the same DATA_DIR and reports itself healthy', async () => {
    const dataDir = tempDir('watchfloor-history-');
    const first = open(dataDir);
    first.write(samples('kpis.solvedToday', T0, 6, (i) => i * 2));
    await first.close();
    const second = open(dataDir);
    second.write([{ metric: 'agents.offline', t: T0, v: 5 }]);
    expect((await second.query({ metric: 'kpis.solvedToday', from: T0, to: T0 + MIN, stepSec: 60 })).points).toEqual([{ t: T0, v: 10 }]);
    expect(await second.healthy()).toEqual({ kind: 'embedded', ok: true, bufferedPoints: 0, droppedPoints: 0 });
  });
});
