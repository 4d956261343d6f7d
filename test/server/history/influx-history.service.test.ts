// The InfluxDB history store against a real, throwaway influxd: writes and queries, the
// retention policies and the continuous query it creates, long ranges read from the hourly
// policy, and InfluxDB down: points buffered (bounded), nothing thrown, all flushed when it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../server/history/history-store.js';
import { CONTINUOUS_QUERY, HOURLY_RP, InfluxHistoryStore, RAW_RP } from '../../../server/history/influx-history.js';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { postEvents } from '../../helpers/http.js';
import { freePort, startInfluxd, type Influxd } from '../../helpers/influxd.js';

const HOUR = 3600_000;
let influxd: Influxd;
const stores: InfluxHistoryStore[] = [];
const apps: TestApp[] = [];

beforeAll(async () => {
  influxd = await startInfluxd();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const store of stores) await store.close();
  await influxd?.dispose();
});

function open(options: ConstructorParameters<typeof InfluxHistoryStore>[0]): InfluxHistoryStore {
  const store = new InfluxHistoryStore(options);
  stores.push(store);
  return store;
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const tenSeconds = (t: number) => Math.floor(t / 10_000) * 10_000;

describe('InfluxHistoryStore', () => {
  it('creates the database, both retention policies and the continuous query, and reads back what it wrote', async () => {
    const store = open({ url: influxd.url('wf_basic') });
    const t0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
    const points: HistoryPoint[] = [];
    for (let i = 0; i < 12; i++) {
      const t = t0 + i * 10_000;
      points.push({ metric: 'queues.l1.waiting', t, v: i }, { metric: 'queues.l2.waiting', t, v: 100 + i });
      points.push({ metric: 'queues.l1.open', t, v: 50 }, { metric: 'kpis.createdToday', t, v: 200 + i }, { metric: 'sla.complianceToday', t, v: 0.5 });
    }
    store.write(points);
    await store.flush();
    expect(await store.healthy()).toEqual({ kind: 'influx', ok: true, bufferedPoints: 0, droppedPoints: 0 });

    const range = { from: t0, to: t0 + 2 * 60_000, stepSec: 60 };
    expect(await store.query({ metric: 'queues.l1.waiting', ...range })).toEqual({
      metric: 'queues.l1.waiting',
      step: 60,
      aggregate: 'mean',
      points: [
        { t: t0, v: 2.5 },
        { t: t0 + 60_000, v: 8.5 },
      ],
    });
    // The queue is a tag: l2's series is its own.
    expect((await store.query({ metric: 'queues.l2.waiting', ...range })).points.map((p) => p.v)).toEqual([102.5, 108.5]);
    expect(await store.query({ metric: 'kpis.createdToday', ...range })).toMatchObject({
      aggregate: 'last',
      points: [
        { t: t0, v: 205 },
        { t: t0 + 60_000, v: 211 },
      ],
    });
    expect((await store.query({ metric: 'sla.complianceToday', ...range })).points.map((p) => p.v)).toEqual([0.5, 0.5]);
    expect((await store.query({ metric: 'agents.busy', ...range })).points).toEqual([]);

    const policies = await influxd.query('SHOW RETENTION POLICIES ON "wf_basic"');
    const rows = policies.results[0]!.series![0]!.values.map(([name, duration, , , isDefault]) => ({ name, duration, isDefault }));
    expect(rows).toEqual(
      expect.arrayContaining([
        { name: RAW_RP, duration: '840h0m0s', isDefault: true },
        { name: HOURLY_RP, duration: '17520h0m0s', isDefault: false },
      ]),
    );
    const queries = await influxd.query('SHOW CONTINUOUS QUERIES');
    const ours = queries.results[0]!.series!.find((s) => s.name === 'wf_basic')!.values;
    expect(ours).toHaveLength(1);
    expect(ours[0]![0]).toBe(CONTINUOUS_QUERY);
    expect(ours[0]![1]).toMatch(
      /RESAMPLE EVERY 1h FOR 2h BEGIN SELECT mean\(\*\), last\(\*\) INTO wf_basic\.hourly\.:MEASUREMENT FROM wf_basic\.raw\.\/\.\*\/ GROUP BY time\(1h\), \* END/,
    );

    // A second instance on the same database finds everything in place.
    const again = open({ url: influxd.url('wf_basic') });
    await until('the second store to connect', async () => (await again.healthy()).ok);
    expect((await influxd.query('SHOW CONTINUOUS QUERIES')).results[0]!.series!.find((s) => s.name === 'wf_basic')!.values).toHaveLength(1);
  });

  it('answers long ranges from the hourly policy, and the hours not folded yet from raw', async () => {
    const store = open({ url: influxd.url('wf_long') });
    const now = Date.now();
    const base = Math.floor(now / HOUR) * HOUR - 10 * 24 * HOUR;
    const points: HistoryPoint[] = [];
    // Every 6 hours for 9 days, two samples in the hour: waiting k then k+1 (mean k+0.5),
    // createdToday 10k then 10k+5 (last 10k+5).
    for (let k = 0; k <= 36; k++) {
      const hour = base + k * 6 * HOUR;
      points.push({ metric: 'queues.l1.waiting', t: hour, v: k }, { metric: 'queues.l1.waiting', t: hour + 30 * 60_000, v: k + 1 });
      points.push({ metric: 'kpis.createdToday', t: hour, v: 10 * k }, { metric: 'kpis.createdToday', t: hour + 30 * 60_000, v: 10 * k + 5 });
    }
    // And one sample now, which no continuous query has folded yet.
    points.push({ metric: 'queues.l1.waiting', t: tenSeconds(now), v: 100 });
    store.write(points);
    // Old points are late for the continuous query: the flush folds them into `hourly` itself.
    await store.flush();

    const hourly = await influxd.query(`SELECT count("mean_waiting") FROM "${HOURLY_RP}"."queues"`, 'wf_long');
    expect(hourly.results[0]!.series![0]!.values[0]![1]).toBe(37);

    const waiting = await store.query({ metric: 'queues.l1.waiting', from: base, to: now, stepSec: 1800 });
    // A step finer than the hourly rows is rounded up to whole hours.
    expect(waiting.step).toBe(3600);
    expect(waiting.points).toHaveLength(38);
    expect(waiting.points.slice(0, 3)).toEqual([
      { t: base, v: 0.5 },
      { t: base + 6 * HOUR, v: 1.5 },
      { t: base + 12 * HOUR, v: 2.5 },
    ]);
    expect(waiting.points.at(-1)).toEqual({ t: Math.floor(now / HOUR) * HOUR, v: 100 });

    const created = await store.query({ metric: 'kpis.createdToday', from: base, to: now, stepSec: 86400 });
    expect(created.aggregate).toBe('last');
    // Daily steps (UTC days): the last sample of the first day, from the last k before its midnight.
    const firstDay = Math.floor(base / 86400_000) * 86400_000;
    const lastK = Math.floor((firstDay + 86400_000 - 1 - base) / (6 * HOUR));
    expect(created.points[0]).toEqual({ t: firstDay, v: 10 * lastK + 5 });
  });

  it('drops a batch InfluxDB refuses (older than the retention) instead of retrying it forever', async () => {
    const store = open({ url: influxd.url('wf_refused') });
    const now = tenSeconds(Date.now());
    store.write([{ metric: 'agents.away', t: now - 40 * 24 * HOUR, v: 1 }]);
    await store.flush();
    store.write([{ metric: 'agents.away', t: now, v: 2 }]);
    await store.flush();
    expect(await store.healthy()).toEqual({ kind: 'influx', ok: true, bufferedPoints: 0, droppedPoints: 1 });
    expect((await store.query({ metric: 'agents.away', from: now - HOUR, to: now, stepSec: 10 })).points).toEqual([{ t: now, v: 2 }]);
  });

  it('buffers while InfluxDB is down (bounded, oldest dropped), throws nothing, and flushes when it is back', async () => {
    const port = await freePort();
    const store = open({ url: `http://127.0.0.1:${port}/wf_outage`, flushIntervalMs: 50, batchSize: 200, maxBuffered: 1_000, retryMinMs: 50, retryMaxMs: 300 });
    const base = tenSeconds(Date.now()) - 1_500 * 10_000;
    const points = Array.from({ length: 1_500 }, (_, i) => ({ metric: 'agents.busy', t: base + i * 10_000, v: i }));
    // Nothing listens on the port yet: not even the database could be created.
    expect(() => store.write(points)).not.toThrow();
    await store.flush();
    expect(await store.healthy()).toEqual({ kind: 'influx', ok: false, bufferedPoints: 1_000, droppedPoints: 500 });
    await expect(store.query({ metric: 'agents.busy', from: base, to: Date.now(), stepSec: 10 })).rejects.toThrow();

    const server = await startInfluxd({ port });
    try {
      await until('the buffer to drain', async () => (await store.healthy()).bufferedPoints === 0);
      const range = { metric: 'agents.busy', from: base, to: Date.now(), stepSec: 10 };
      const written = await store.query(range);
      // The newest 1,000 survived, in order; the oldest 500 were dropped and counted.
      expect(written.points.map((p) => p.v)).toEqual(Array.from({ length: 1_000 }, (_, i) => 500 + i));
      expect(await store.healthy()).toEqual({ kind: 'influx', ok: true, bufferedPoints: 0, droppedPoints: 500 });

      // Down again mid-run, with the database in place: buffered, then written on return.
      await server.stop();
      const later = tenSeconds(Date.now());
      store.write([{ metric: 'agents.busy', t: later, v: -1 }]);
      await until('the failure to show', async () => !(await store.healthy()).ok);
      expect((await store.healthy()).bufferedPoints).toBe(1);
      await server.start();
      await until('the buffer to drain again', async () => (await store.healthy()).bufferedPoints === 0);
      const after = await store.query({ ...range, from: later, to: later });
      expect(after.points).toEqual([{ t: later, v: -1 }]);
    } finally {
      await server.dispose();
    }
  });
});

describe('the app with INFLUX_URL', () => {
  it('samples into InfluxDB and serves GET /api/v1/history from it; /healthz reports it', async () => {
    const app = await startTestApp({ env: { INFLUX_URL: influxd.url('wf_app') } });
    apps.push(app);
    const created = new Date(Date.now() - 60_000).toISOString();
    await postEvents(app.app, [ticketEvent({ id: 'I1', queue: 'l2', createdAt: created, updatedAt: created })]);
    const t = app.app.history.sampler.sample()[0]!.t;
    await (app.app.history.store as InfluxHistoryStore).flush();

    const response = await app.app.inject({ method: 'GET', url: '/api/v1/history?metric=queues.l2.open&from=-5m&step=10s', headers: bearer('viewer') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      metric: 'queues.l2.open',
      step: 10,
      aggregate: 'mean',
      points: expect.arrayContaining([{ t: new Date(t).toISOString(), v: 1 }]),
    });
    const health = await app.app.inject({ method: 'GET', url: '/healthz' });
    // The sampler runs on: a second's sample may already wait for the next write (not a backlog).
    const history = health.json().history as { kind: string; ok: boolean; bufferedPoints: number; droppedPoints: number };
    expect(history).toMatchObject({ kind: 'influx', ok: true, droppedPoints: 0 });
    expect(history.bufferedPoints).toBeLessThan(200);
  });

  it('keeps the live side up when InfluxDB is unreachable: /healthz 200, history 503, samples buffered', async () => {
    const app = await startTestApp({ env: { INFLUX_URL: `http://127.0.0.1:${await freePort()}/wf_gone` } });
    apps.push(app);
    await postEvents(app.app, [ticketEvent({ id: 'I2', queue: 'l1' })]);
    const sampled = app.app.history.sampler.sample();
    expect(sampled.length).toBeGreaterThan(0);

    const health = await app.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', store: { ok: true }, history: { kind: 'influx', ok: false } });
    // The sampler's own timer may have added a sample meanwhile.
    expect(health.json().history.bufferedPoints).toBeGreaterThanOrEqual(sampled.length);
    const response = await app.app.inject({ method: 'GET', url: '/api/v1/history?metric=queues.l1.open', headers: bearer('viewer') });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('history_unavailable');
    const state = await app.app.inject({ method: 'GET', url: '/api/v1/state', headers: bearer('viewer') });
    expect(state.json().queues).toEqual([expect.objectContaining({ id: 'l1', open: 1 })]);
  });
});
