// Alerts in distributed mode (issue 6): instances of the real app on one throwaway redis-server.
// Only the lease holder evaluates, so each firing is recorded once; every instance answers the
// same; an acknowledgement taken on another instance reaches the leader; when the leader goes
// (closed, or silent until its lease expires) another takes over with the state and the history.
// The store's lease and fencing are also checked on their own, with a short lease.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlertHistoryEntry } from '../../../contract/alerts.js';
import type { AlertEngineState } from '../../../server/alerts/engine.js';
import { RedisAlertStore } from '../../../server/store/redis-alert-store.js';
import { bearer } from '../../helpers/app.js';
import { agentEvent, iso } from '../../helpers/events.js';
import { postEvents } from '../../helpers/http.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { Cluster, inspect, waitForAsync, type Instance } from '../../helpers/redis-cluster.js';

interface AlertsBody {
  active: Array<{ id: string; state: string; instance: number; acknowledged: { by: string; at: string } | null }>;
  history: Array<{ type: string; alertId: string; instance: number; by?: string }>;
}

const RULE = 'agents-available-low';
const quiet = { info: () => {}, warn: () => {} };
let redis: RedisServer;
let cluster: Cluster;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await redis.stop();
});

afterEach(async () => {
  await cluster?.closeAll();
  await redis.flush();
});

async function alertsOf(instance: Instance): Promise<AlertsBody> {
  const res = await instance.t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer('viewer') });
  expect(res.statusCode).toBe(200);
  return res.json<AlertsBody>();
}

const ofHistory = (body: AlertsBody): string[] => body.history.map((h) => `${h.type}:${h.alertId}#${h.instance}`);

/** Polls `instance`'s GET /api/v1/alerts until `check` holds (3 s: a pub/sub hop is milliseconds). */
async function until(instance: Instance, what: string, check: (body: AlertsBody) => boolean): Promise<AlertsBody> {
  let last: AlertsBody | null = null;
  await waitForAsync(
    async () => {
      last = await alertsOf(instance);
      return check(last);
    },
    3_000,
    `${what}; last: ${JSON.stringify(last)}`,
  );
  return last!;
}

const evaluateAll = async (...instances: Instance[]): Promise<void> => {
  for (const instance of instances) await instance.t.app.alerts.evaluate();
};

/** One agent available: "fewer than 2 available for 1 min" fires; every instance has evaluated. */
async function fire(a: Instance, b: Instance): Promise<void> {
  await postEvents(a.t.app, [agentEvent({ id: 'a1', status: 'available' }, iso(cluster.time))]);
  await evaluateAll(a, b);
  cluster.setClock(iso(cluster.time + 60_000));
  await evaluateAll(b, a, b, a);
  for (const instance of [a, b]) await until(instance, `${RULE} firing`, (body) => body.active.some((x) => x.id === RULE));
}

/** Agents back: 3 available clears it. */
async function agentsBack(instance: Instance): Promise<void> {
  await postEvents(instance.t.app, [agentEvent({ id: 'a2' }, iso(cluster.time)), agentEvent({ id: 'a3' }, iso(cluster.time))]);
}

describe('alerts on two instances', () => {
  it('only the lease holder evaluates: each firing is recorded once, and both answer the same', async () => {
    cluster = new Cluster(() => redis.url, '2026-11-26T10:00:00Z');
    const a = await cluster.start();
    const b = await cluster.start();
    // The first to start took the lease.
    expect([a.t.app.alerts.isLeading, b.t.app.alerts.isLeading]).toEqual([true, false]);
    await postEvents(a.t.app, [agentEvent({ id: 'a1', status: 'available' }, iso(cluster.time))]);
    await waitForAsync(async () => b.t.app.model.agentCount === 1, 2_000, 'the agent on B');
    await evaluateAll(a, b);
    cluster.setClock(iso(cluster.time + 60_000));
    // B has the same numbers, and evaluates nothing; A fires.
    expect(await b.t.app.alerts.evaluate()).toEqual([]);
    expect((await a.t.app.alerts.evaluate()).map((t) => `${t.alertId}:${t.from}>${t.to}`)).toEqual([`${RULE}:pending>firing`]);
    await until(b, `${RULE} firing on B`, (body) => body.active.some((x) => x.id === RULE));
    // More evaluations on both change nothing.
    await evaluateAll(a, b, a, b);
    const onA = await alertsOf(a);
    expect(onA.active).toMatchObject([{ id: RULE, state: 'firing', instance: 1, acknowledged: null }]);
    expect(ofHistory(onA)).toEqual([`fire:${RULE}#1`]);
    await until(b, 'B answering as A', (body) => JSON.stringify(body) === JSON.stringify(onA));
    const client = inspect(redis.url);
    try {
      expect(await client.lrange('wf:alerts:history', 0, -1)).toHaveLength(1);
    } finally {
      client.disconnect();
    }
  });

  it('an acknowledgement on the instance that does not lead shows on the leader, recorded once', async () => {
    cluster = new Cluster(() => redis.url, '2026-11-26T10:00:00Z');
    const a = await cluster.start();
    const b = await cluster.start();
    await fire(a, b);
    // Decided on B's view: unknown 404, not firing 409.
    expect((await b.t.app.inject({ method: 'POST', url: '/api/v1/alerts/nope/ack', headers: bearer('supervisor') })).statusCode).toBe(404);
    expect((await b.t.app.inject({ method: 'POST', url: '/api/v1/alerts/l1-waiting/ack', headers: bearer('supervisor') })).statusCode).toBe(409);
    expect((await b.t.app.inject({ method: 'POST', url: `/api/v1/alerts/${RULE}/ack`, headers: bearer('viewer') })).statusCode).toBe(403);

    cluster.setClock(iso(cluster.time + 5_000));
    const ack = await b.t.app.inject({ method: 'POST', url: `/api/v1/alerts/${RULE}/ack`, headers: bearer('supervisor') });
    expect(ack.statusCode).toBe(200);
    const acknowledged = { by: 'supervisor-user', at: iso(cluster.time) };
    expect(ack.json()).toMatchObject({ id: RULE, instance: 1, acknowledged });
    // B shows it at once (optimistic), A once the request arrived.
    expect((await alertsOf(b)).active).toMatchObject([{ id: RULE, acknowledged }]);
    const onA = await until(a, 'the ack on A', (body) => body.active[0]?.acknowledged !== null);
    expect(onA.active).toMatchObject([{ id: RULE, acknowledged }]);
    expect(onA.history).toMatchObject([{ type: 'fire' }, { type: 'ack', by: 'supervisor-user', instance: 1 }]);
    // B's view is then the leader's save: the same answer, the ack once.
    await until(b, 'B answering as A', (body) => JSON.stringify(body) === JSON.stringify(onA));
    await evaluateAll(a, b);
    expect(ofHistory(await alertsOf(a))).toEqual([`fire:${RULE}#1`, `ack:${RULE}#1`]);
  });

  it('when the leader closes, the other takes over with the state and the history', async () => {
    cluster = new Cluster(() => redis.url, '2026-11-26T10:00:00Z');
    const a = await cluster.start();
    const b = await cluster.start();
    await fire(a, b);
    expect((await b.t.app.inject({ method: 'POST', url: `/api/v1/alerts/${RULE}/ack`, headers: bearer('supervisor') })).statusCode).toBe(200);
    const before = await until(a, 'the ack on A', (body) => body.active[0]?.acknowledged !== null);

    await a.close();
    // A handed the lease back: B takes over at its next evaluation, from the stored state.
    await evaluateAll(b);
    expect(b.t.app.alerts.isLeading).toBe(true);
    expect(await alertsOf(b)).toEqual(before);
    await agentsBack(b);
    await evaluateAll(b);
    const after = await alertsOf(b);
    expect(after.active).toEqual([]);
    expect(ofHistory(after)).toEqual([`fire:${RULE}#1`, `ack:${RULE}#1`, `clear:${RULE}#1`]);
    // A new instance starts with the same view.
    const c = await cluster.start();
    expect(c.t.app.alerts.isLeading).toBe(false);
    expect(await alertsOf(c)).toEqual(after);
  });

  it('a leader gone silent is replaced once its lease expires; meanwhile nobody evaluates, and an ack sent then is lost', async () => {
    cluster = new Cluster(() => redis.url, '2026-11-26T10:00:00Z');
    const a = await cluster.start();
    const b = await cluster.start();
    await fire(a, b);
    // A leader that crashed: its lease runs on (1.5 s here instead of up to 15 s) and nobody extends it.
    const client = inspect(redis.url);
    try {
      await client.set('wf:alerts:leader', 'crashed-instance', 'PX', 1_500);
      // A still believes it leads: the acknowledgement is refused by the lease check of the save,
      // and sent on to a leader that is not there. It shows on A, optimistically, for now.
      const ack = await a.t.app.inject({ method: 'POST', url: `/api/v1/alerts/${RULE}/ack`, headers: bearer('supervisor') });
      expect(ack.statusCode).toBe(200);
      expect(a.t.app.alerts.isLeading).toBe(false);
      // Agents come back, but nobody may evaluate: nothing clears while the lease runs.
      await agentsBack(a);
      await evaluateAll(a, b);
      expect([a.t.app.alerts.isLeading, b.t.app.alerts.isLeading]).toEqual([false, false]);
      expect(await client.lrange('wf:alerts:history', 0, -1)).toHaveLength(1);

      // Once it expired, one of them takes over, from what is stored: the ack was lost.
      await waitForAsync(
        async () => {
          await evaluateAll(a, b);
          return a.t.app.alerts.isLeading !== b.t.app.alerts.isLeading;
        },
        5_000,
        'a new leader',
      );
      const leader = a.t.app.alerts.isLeading ? a : b;
      const body = await alertsOf(leader);
      expect(body.active).toEqual([]);
      expect(ofHistory(body)).toEqual([`fire:${RULE}#1`, `clear:${RULE}#1`]);
      for (const instance of [a, b]) await until(instance, 'both answering the same', (x) => JSON.stringify(x) === JSON.stringify(body));
    } finally {
      client.disconnect();
    }
  });
});

describe('the Redis alert store', () => {
  const stores: RedisAlertStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  const connect = async (leaseMs: number, keep?: number): Promise<RedisAlertStore> => {
    const store = await RedisAlertStore.connect({ url: redis.url, log: quiet, leaseMs, ...(keep === undefined ? {} : { keep }) });
    stores.push(store);
    return store;
  };
  const entry = (n: number): AlertHistoryEntry => ({
    type: 'fire',
    alertId: 'a',
    title: 'A',
    severity: 'warning',
    instance: n,
    at: new Date(n * 1000).toISOString(),
    value: n,
  });
  const stateAt = (recorded: number): AlertEngineState => ({ slots: {}, lastEvents: { any: null, bySource: {} }, recorded });

  it('one lease holder at a time; only it can save; a lease not extended expires; a closed store hands it back', async () => {
    const [s1, s2] = [await connect(400), await connect(400)];
    expect(await s1.lead()).toBe(true);
    expect(await s2.lead()).toBe(false);
    expect(await s1.lead()).toBe(true); // extended
    expect(await s1.save({ state: stateAt(1), appended: [entry(1)] })).toBe(true);
    expect(await s2.save({ state: stateAt(2), appended: [entry(2)] })).toBe(false);
    expect(await s2.load(100)).toEqual({ ...stateAt(1), history: [entry(1)] });

    // s1 stops extending (a crash, a pause): s2 gets the lease after it expired, s1 is fenced out.
    await waitForAsync(() => s2.lead(), 3_000, 's2 taking the expired lease');
    expect(await s1.save({ state: stateAt(2), appended: [entry(2)] })).toBe(false);
    expect(await s1.lead()).toBe(false);
    expect(await s2.save({ state: stateAt(2), appended: [entry(1), entry(2)] })).toBe(true);
    expect((await s1.load(100))?.history).toEqual([entry(1), entry(2)]); // entry 1 not twice

    await s2.close();
    expect(await s1.lead()).toBe(true); // at once, not after the lease
  });

  it('keeps the newest entries, and tells the others of saves and acknowledgement requests', async () => {
    const [s1, s2] = [await connect(5_000, 3), await connect(5_000, 3)];
    // Each hears the other's messages, never its own.
    const heard: Record<'s1' | 's2', string[]> = { s1: [], s2: [] };
    for (const [name, store] of [
      ['s1', s1],
      ['s2', s2],
    ] as const) {
      store.follow({
        saved: (change) => heard[name].push(`saved ${change.state.recorded} ${change.appended.length}`),
        ackRequested: (request) => heard[name].push(`ack ${request.alertId} ${request.by} ${request.at}`),
        missed: () => heard[name].push('missed'),
      });
    }
    expect(await s1.lead()).toBe(true);
    await s1.save({ state: stateAt(5), appended: [1, 2, 3, 4, 5].map(entry) });
    await s2.requestAck({ alertId: 'a', by: 'ann', at: 7 });
    await waitForAsync(async () => heard.s1.length + heard.s2.length >= 2, 2_000, 'both messages');
    // A moment for a message that should not come.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual({ s1: ['ack a ann 7'], s2: ['saved 5 5'] });
    expect((await s2.load(100))?.history).toEqual([3, 4, 5].map(entry));
  });
});
