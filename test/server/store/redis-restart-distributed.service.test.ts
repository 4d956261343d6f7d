// The production shape restarted (issue 4): every instance stopped and started again with the
// same Redis and InfluxDB, and new DATA_DIRs (nothing can come from local disk): live state,
// daily figures and metric history are all still there.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InfluxHistoryStore } from '../../../server/history/influx-history.js';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { getState, postEvents, queueOf } from '../../helpers/http.js';
import { startInfluxd, type Influxd } from '../../helpers/influxd.js';
import { RedisServer } from '../../helpers/redis-server.js';

let redis: RedisServer;
let influxd: Influxd;
const opened: TestApp[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  influxd = await startInfluxd();
});

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  await redis?.stop();
  await influxd?.dispose();
});

async function instance(): Promise<TestApp> {
  const app = await startTestApp({ env: { REDIS_URL: redis.url, INFLUX_URL: influxd.url('wf_restart') } });
  opened.push(app);
  return app;
}

it('keeps live state, daily figures and history when all instances restart on the same Redis and InfluxDB', async () => {
  const base = Date.now();
  const createdAt = new Date(base - 10 * 60_000).toISOString();
  const solvedAt = new Date(base - 5 * 60_000).toISOString();
  const a = await instance();
  const b = await instance();
  await postEvents(a.app, [
    ticketEvent({ id: 'D-1', queue: 'l3', createdAt, updatedAt: createdAt }, { id: 'ev-d1' }),
    ticketEvent({ id: 'D-2', queue: 'l3', status: 'solved', createdAt, updatedAt: solvedAt, solvedAt }, { id: 'ev-d2' }),
  ]);
  // One open ticket in l3 (D-1); two created today, one solved today (D-2, 300 s after creation).
  const before = await getState(a.app);
  expect(queueOf(before, 'l3').open).toBe(1);
  expect(before.kpis).toMatchObject({ createdToday: 2, solvedToday: 1, resolutionMedianSec: 300 });
  const sampledAt = a.app.history.sampler.sample()[0]!.t;
  await (a.app.history.store as InfluxHistoryStore).flush();
  await a.close();
  await b.close();

  const c = await instance();
  const after = await getState(c.app);
  // The real clock runs on, so the oldest wait has grown by the restart's duration.
  const { oldestWaitingSec: waitedBefore, ...l3Before } = queueOf(before, 'l3');
  const { oldestWaitingSec: waitedAfter, ...l3After } = queueOf(after, 'l3');
  expect(l3After).toEqual(l3Before);
  expect(waitedAfter).toBeGreaterThanOrEqual(waitedBefore);
  expect(waitedAfter - waitedBefore).toBeLessThan(60);
  expect(after.kpis).toEqual(before.kpis);
  expect(after.sla).toEqual(before.sla);
  const history = await c.app.inject({
    method: 'GET',
    url: '/api/v1/history?metric=queues.l3.open&from=-10m&step=10s',
    headers: bearer('viewer'),
  });
  expect(history.statusCode).toBe(200);
  expect(history.json().points).toContainEqual({ t: new Date(sampledAt).toISOString(), v: 1 });
  // And the old event id is still known: a retry after the restart is a duplicate.
  const retry = await postEvents(c.app, [ticketEvent({ id: 'D-1', queue: 'l3', createdAt, updatedAt: createdAt }, { id: 'ev-d1' })]);
  expect(retry.duplicates).toBe(1);
});
