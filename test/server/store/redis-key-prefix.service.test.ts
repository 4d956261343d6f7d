// Two departments on one Redis (REDIS_KEY_PREFIX, docs/contract.md#configuration): instances with
// different prefixes share nothing (tickets, dedup ids, incidents, daily figures, arrivals, roster,
// outbox, report runs, suggestions' decisions, pollers' cursors and leases, pub/sub channels),
// instances with the same prefix share everything, and every key and channel the app uses in
// Redis starts with its prefix.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisCursorStore } from '../../../server/connectors/cursor-store.js';
import { loadConfig } from '../../../server/config.js';
import { queueOf as outboxQueueOf, type Delivery } from '../../../server/notify/outbox-store.js';
import { RedisDecisionStore } from '../../../server/surge/decision-store.js';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { getState, postEvents, queueOf } from '../../helpers/http.js';
import { RedisServer } from '../../helpers/redis-server.js';

const A = 'dept-a:';
const B = 'dept-b:';
const NOW = Date.parse('2026-11-26T10:00:00Z');
const at = (time: string) => `2026-11-26T${time}:00Z`;

let redis: RedisServer;
let admin: Redis;
const opened: TestApp[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  admin?.disconnect();
  await redis?.stop();
});

async function instance(prefix: string): Promise<TestApp> {
  const t = await startTestApp({ now: () => NOW, env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix } });
  opened.push(t);
  return t;
}

function delivery(id: string): Delivery {
  return {
    id,
    target: 'hook',
    event: 'incident.changed',
    incidentId: null,
    queue: outboxQueueOf('hook', null, id),
    body: '{}',
    status: 'pending',
    attempts: 0,
    lastStatus: null,
    lastError: null,
    nextAttemptAt: NOW,
    createdAt: NOW,
    deliveredAt: null,
  };
}

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await admin.scan(cursor, 'COUNT', 1000);
    keys.push(...page);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** The key families under a prefix: `events`, `seen`, `incident`, … (the part up to the next ":"). */
const familiesOf = (keys: string[], prefix: string): Set<string> =>
  new Set(keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length).split(':')[0]!));

it('REDIS_KEY_PREFIX defaults to the keys of before, and refuses a prefix another could begin with', () => {
  expect(loadConfig({}).redisKeyPrefix).toBe('wf:');
  expect(loadConfig({ REDIS_KEY_PREFIX: 'support-eu:' }).redisKeyPrefix).toBe('support-eu:');
  for (const bad of ['wf', 'a:b:', 'has space:', ':', `${'x'.repeat(64)}:`, 'é:', 'a{b}:']) {
    expect(() => loadConfig({ REDIS_KEY_PREFIX: bad }), bad).toThrow(/REDIS_KEY_PREFIX/);
  }
});

it('keeps two departments on one Redis apart, and every key and channel under its prefix', async () => {
  const a = await instance(A);
  const b = await instance(B);

  // The same event id in both: each department takes it, since their dedup ids are apart.
  const sameId = { id: 'ev-same' };
  expect(await postEvents(a.app, [ticketEvent({ id: 'A-1', queue: 'l1', createdAt: at('09:30'), updatedAt: at('09:30') }, sameId)])).toMatchObject({
    accepted: 1,
    duplicates: 0,
  });
  expect(await postEvents(b.app, [ticketEvent({ id: 'B-1', queue: 'l2', createdAt: at('09:40'), updatedAt: at('09:40') }, sameId)])).toMatchObject({
    accepted: 1,
    duplicates: 0,
  });
  // … and within one department it is a duplicate as ever.
  expect(await postEvents(a.app, [ticketEvent({ id: 'A-1', queue: 'l1', createdAt: at('09:30'), updatedAt: at('09:30') }, sameId)])).toMatchObject({
    accepted: 0,
    duplicates: 1,
  });

  const declared = await a.app.inject({
    method: 'POST',
    url: '/api/v1/incidents',
    headers: bearer('commander'),
    payload: { title: 'Payments down in A', severity: 'SEV2' },
  });
  expect(declared.statusCode).toBe(201);
  expect(await a.app.roster.replace([{ row: 2, agent: 'A-agent', line: 'l1', start: NOW, end: NOW + 8 * 3_600_000, breaks: [] }])).toMatchObject({
    ok: true,
    stored: 1,
  });
  expect(await a.app.outbox.enqueue([delivery('d-1')])).toBe(1);
  expect(await a.app.reports.runs.claim({ id: 'weekly', title: 'Weekly', period: 'week' }, '2026-11-23', 'manual', 'ops-lead', NOW)).not.toBeNull();
  // The stores the services keep to themselves, on A's prefix as their plugins build them.
  await new RedisDecisionStore(a.app.sharedRedis!, A).record({ id: 's-1', action: 'dismissed', by: 'lead', at: NOW, reason: null, incidentId: null });
  const cursors = new RedisCursorStore(a.app.sharedRedis!, A);
  await cursors.set('zendesk', 'cursor-a');
  expect(await cursors.acquire('zendesk', 60_000)).toBe(true);
  for (const t of [a, b]) {
    await t.app.checkpoint();
    await t.app.flushArrivals();
    await t.app.daily.flush();
  }

  // Nothing of A shows on B, and nothing of B on A.
  const [stateA, stateB] = [await getState(a.app), await getState(b.app)];
  expect([queueOf(stateA, 'l1').open, queueOf(stateA, 'l2').open]).toEqual([1, 0]);
  expect([queueOf(stateB, 'l1').open, queueOf(stateB, 'l2').open]).toEqual([0, 1]);
  const incidentsOnB = await b.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer('viewer') });
  expect(incidentsOnB.statusCode).toBe(200);
  expect(incidentsOnB.body).not.toContain('Payments down in A');
  expect(await b.app.roster.shifts(NOW - 3_600_000, NOW + 24 * 3_600_000)).toEqual([]);
  expect(await b.app.outbox.list(null, 10)).toEqual([]);
  expect(await b.app.reports.runs.list(10)).toEqual([]);
  expect(await new RedisDecisionStore(b.app.sharedRedis!, B).read()).toEqual([]);
  const cursorsOfB = new RedisCursorStore(b.app.sharedRedis!, B);
  expect(await cursorsOfB.get('zendesk')).toBeNull();
  // A's poller lease is A's alone: B's poller may poll its own helpdesk meanwhile.
  expect(await cursorsOfB.acquire('zendesk', 60_000)).toBe(true);

  // Another instance of A shares A's data: the ticket (from the checkpoint) and the incident.
  const a2 = await instance(A);
  expect(queueOf(await getState(a2.app), 'l1').open).toBe(1);
  expect(queueOf(await getState(a2.app), 'l2').open).toBe(0);
  const incidentsOnA2 = await a2.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer('viewer') });
  expect(incidentsOnA2.body).toContain('Payments down in A');

  // Every key is under one of the two prefixes, and each prefix holds every kind of data.
  const keys = await allKeys();
  expect(keys.filter((key) => !key.startsWith(A) && !key.startsWith(B))).toEqual([]);
  const familiesA = familiesOf(keys, A);
  for (const family of [
    'seen',
    'events',
    'tickets',
    'checkpoint',
    'generation',
    'incidents',
    'daily',
    'arrivals',
    'roster',
    'notify',
    'reports',
    'suggestions',
    'connectors',
  ]) {
    expect(familiesA, family).toContain(family);
  }
  const familiesB = familiesOf(keys, B);
  for (const family of ['seen', 'events', 'tickets', 'checkpoint', 'generation', 'daily', 'arrivals', 'connectors'])
    expect(familiesB, family).toContain(family);
  // The pub/sub channels too: alerts, incidents, and the socket.io adapter's.
  const channels = (await admin.pubsub('CHANNELS', '*')) as string[];
  expect(channels.filter((channel) => !channel.startsWith(A) && !channel.startsWith(B))).toEqual([]);
  for (const prefix of [A, B]) {
    expect(channels).toContain(`${prefix}alerts`);
    expect(channels).toContain(`${prefix}incidents:changed`);
    expect(channels.some((channel) => channel.startsWith(`${prefix}socket.io`))).toBe(true);
  }
});
