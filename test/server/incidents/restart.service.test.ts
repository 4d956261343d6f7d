// Incidents survive restarts (docs/contract.md#configuration, #major-incidents), in both modes: embedded (the same DATA_DIR) and
// distributed (the same throwaway redis-server, fresh DATA_DIRs). Incidents, their whole
// timelines, their numbering and their Idempotency-Keys come back exactly; in Redis mode,
// instances also see each other's changes and never overwrite each other.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../contract/incidents.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { getState } from '../../helpers/http.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { Cluster, inspect, waitForAsync } from '../../helpers/redis-cluster.js';
import { addTask, call, declareIncident, expectIncident, getIncident, listIncidents, patchIncident, postUpdate } from '../../helpers/incidents.js';

const at = (time: string): string => `2026-11-26T${time}:00.000Z`;
const KEY = { 'idempotency-key': 'declare-payments-1' };
const PAYMENTS = { title: 'Card payments failing', severity: 'SEV1', services: ['payments'], match: { tags: ['payments'], keywords: ['checkout'] } };

/** A morning's incident work on `app`, with the clock moved by `setClock`. */
async function runIncidents(app: FastifyInstance, setClock: (iso: string) => void): Promise<void> {
  setClock(at('10:00'));
  await declareIncident(app, PAYMENTS, KEY);
  setClock(at('10:05'));
  await patchIncident(app, 'inc-1', { roles: { communications: 'lee', scribe: 'sam' }, summary: 'PSP rejects cards.' });
  await postUpdate(app, 'inc-1', 'customers', 'Card payments fail; we are on it.');
  await addTask(app, 'inc-1', 'Ask the PSP to roll back', 'omar');
  setClock(at('10:20'));
  await patchIncident(app, 'inc-1', { status: 'identified' });
  await expectIncident(await call(app, { method: 'PATCH', url: '/api/v1/incidents/inc-1/tasks/t1', as: 'supervisor', body: { done: true } }), 200);
  setClock(at('10:30'));
  await declareIncident(app, { title: 'Slow search', severity: 'SEV3' });
  await patchIncident(app, 'inc-2', { status: 'resolved' });
  setClock(at('10:40'));
  await patchIncident(app, 'inc-1', { status: 'monitoring', roles: { commander: 'boris' } });
}

/** Every incident in full, with its timeline. */
async function everything(app: FastifyInstance): Promise<Incident[]> {
  const list = await listIncidents(app, 'all');
  return Promise.all(list.map((i) => getIncident(app, i.id)));
}

function expectTheIncidents(incidents: Incident[]): void {
  expect(incidents.map((i) => [i.id, i.number, i.severity, i.status, i.version])).toEqual([
    ['inc-2', 2, 'SEV3', 'resolved', 3],
    ['inc-1', 1, 'SEV1', 'monitoring', 11],
  ]);
  const payments = incidents[1]!;
  expect(payments).toMatchObject({
    roles: { commander: 'boris', communications: 'lee', operations: null, scribe: 'sam' },
    summary: 'PSP rejects cards.',
    identifiedAt: at('10:20'),
    mitigatedAt: at('10:40'),
    lastCustomerUpdateAt: at('10:05'),
    nextUpdateDueAt: at('10:35'),
    tasks: [{ id: 't1', done: true, owner: 'omar' }],
  });
  expect(payments.timeline.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
}

describe('embedded: a restart on the same DATA_DIR', () => {
  let clock = Date.parse(at('10:00'));
  const opened: TestApp[] = [];
  afterEach(async () => {
    for (const app of opened.splice(0).reverse()) await app.close();
  });
  const start = async (dataDir?: string): Promise<TestApp> => {
    const app = await startTestApp({ now: () => clock, dataDir });
    opened.push(app);
    return app;
  };

  it('keeps incidents, whole timelines, numbering and Idempotency-Keys', async () => {
    const first = await start();
    await runIncidents(first.app, (iso) => (clock = Date.parse(iso)));
    const before = await everything(first.app);
    expectTheIncidents(before);
    const stateBefore = (await getState(first.app)).incidents;

    // Each write is on disk before its answer: the file holds every entry while the app still runs.
    const db = new Database(path.join(first.dataDir, 'incidents.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM incident_entries').get()).toEqual({ n: 14 });
    } finally {
      db.close();
    }
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    clock = Date.parse(at('11:00'));
    const second = await start(first.dataDir);
    expect(await everything(second.app)).toEqual(before);
    expect((await getState(second.app)).incidents).toEqual(stateBefore);
    // The key still names inc-1; numbering goes on at 3.
    const again = await call(second.app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers: KEY });
    expect([again.statusCode, again.json().id]).toEqual([200, 'inc-1']);
    expect((await declareIncident(second.app, { title: 'Email delays', severity: 'SEV2' })).number).toBe(3);
    // Changes go on from where the timeline stopped.
    expect((await patchIncident(second.app, 'inc-1', { status: 'resolved' })).timeline.at(-1)).toMatchObject({ seq: 12, at: at('11:00') });
  });

  it('keeps the timeline append-only in the database itself', async () => {
    const first = await start();
    await declareIncident(first.app, PAYMENTS);
    const db = new Database(path.join(first.dataDir, 'incidents.sqlite'));
    try {
      expect(() => db.prepare("UPDATE incident_entries SET entry = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM incident_entries').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});

describe('Redis: instances on one redis-server', () => {
  let redis: RedisServer;
  let cluster: Cluster;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    await cluster.closeAll();
    await redis.flush();
  });

  it('keep incidents, whole timelines, numbering and Idempotency-Keys when all are stopped and started again', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    await runIncidents(a.t.app, (iso) => cluster.setClock(iso));
    const before = await everything(a.t.app);
    expectTheIncidents(before);
    // B heard of every change.
    await waitForAsync(async () => JSON.stringify(await everything(b.t.app)) === JSON.stringify(before), 2_000, 'B to show what A wrote');
    expect((await getState(b.t.app)).incidents).toEqual((await getState(a.t.app)).incidents);

    const client = inspect(redis.url);
    try {
      expect(await client.llen('wf:incident:inc-1')).toBe(11);
      expect(await client.get('wf:incidents:last')).toBe('2');
    } finally {
      client.disconnect();
    }
    await cluster.closeAll();

    cluster.setClock(at('11:00'));
    const c = await cluster.start();
    expect(await everything(c.t.app)).toEqual(before);
    const again = await call(c.t.app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers: KEY });
    expect([again.statusCode, again.json().id]).toEqual([200, 'inc-1']);
    expect((await declareIncident(c.t.app, { title: 'Email delays', severity: 'SEV2' })).number).toBe(3);
  });

  it('never let two instances overwrite each other: If-Match gives one 200 and one 409; without it both apply', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    await declareIncident(a.t.app, PAYMENTS);
    await waitForAsync(
      async () => (await call(b.t.app, { method: 'GET', url: '/api/v1/incidents/inc-1', as: 'viewer' })).statusCode === 200,
      2_000,
      'B to know inc-1',
    );

    const [onA, onB] = await Promise.all([
      call(a.t.app, { method: 'PATCH', url: '/api/v1/incidents/inc-1', as: 'commander', body: { severity: 'SEV2' }, headers: { 'if-match': '2' } }),
      call(b.t.app, { method: 'PATCH', url: '/api/v1/incidents/inc-1', as: 'commander', body: { status: 'resolved' }, headers: { 'if-match': '2' } }),
    ]);
    expect([onA.statusCode, onB.statusCode].sort()).toEqual([200, 409]);
    const loser = onA.statusCode === 409 ? onA : onB;
    expect(loser.json().incident.version).toBe(3);

    // Without If-Match, both changes land, one after the other, whoever comes first.
    await Promise.all([patchIncident(a.t.app, 'inc-1', { roles: { scribe: 'sam' } }), patchIncident(b.t.app, 'inc-1', { roles: { operations: 'omar' } })]);
    for (const instance of [a, b]) {
      await waitForAsync(async () => (await getIncident(instance.t.app, 'inc-1')).version === 5, 2_000, 'both instances to hear of both changes');
    }
    const after = await getIncident(a.t.app, 'inc-1');
    expect(after.roles).toMatchObject({ scribe: 'sam', operations: 'omar' });
    expect(await getIncident(b.t.app, 'inc-1')).toEqual(after);
  });

  it('give each declaration its own number, and one incident per Idempotency-Key, across instances', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    const [first, second] = await Promise.all([
      call(a.t.app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers: KEY }),
      call(b.t.app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers: KEY }),
      declareIncident(a.t.app, { title: 'Slow search', severity: 'SEV3' }),
      declareIncident(b.t.app, { title: 'Email delays', severity: 'SEV2' }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 201]);
    expect(first.json().id).toBe(second.json().id);
    const numbers = (await listIncidents(a.t.app, 'all')).map((i) => i.number);
    expect(numbers).toEqual([3, 2, 1]);
  });
});
