// The Zendesk reconciliation poller (issue 7) against a fake of Zendesk's incremental export on a
// real local HTTP server: pages, the SLA side-load, Retry-After, the per-minute budget, resuming
// from the stored cursor after a restart (SQLite under DATA_DIR, or Redis), one poller per Redis.
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CURSORS_KEY } from '../../../../server/connectors/cursor-store.js';
import { bearer, startTestApp, tempDir, type TestApp } from '../../../helpers/app.js';
import { FakeZendesk, restTicket } from '../../../helpers/fake-zendesk.js';
import { getState, getTickets, queueOf } from '../../../helpers/http.js';
import { RedisServer } from '../../../helpers/redis-server.js';
import { PollerApps } from '../poller-apps.js';
import { ZENDESK_SECRET, fixture, postZendesk } from '../zendesk-helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let clock = Date.parse('2025-01-08T13:05:00Z');
let fake: FakeZendesk;
let dashboardsDir: string;
let apps: PollerApps;

const GROUPS = { l1: 360000000001, l2: 360000000002 };

beforeEach(async () => {
  clock = Date.parse('2025-01-08T13:05:00Z');
  fake = await FakeZendesk.start({ email: 'ops@example.com', token: 'zd-api-token-1', pageSize: 10 });
  dashboardsDir = tempDir('watchfloor-poller-');
  fs.writeFileSync(path.join(dashboardsDir, 'connectors.json'), JSON.stringify({ zendesk: { queues: { [GROUPS.l1]: 'l1', [GROUPS.l2]: 'l2' } } }));
  apps = new PollerApps(() => ({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET, ...fake.env } }));
});

afterEach(async () => {
  await apps.closeAll();
  await fake.close();
});

const pollNow = (app: TestApp) => app.app.connectors.poller('zendesk')!.pollNow();

/** `count` tickets, one a minute from 10:00, alternating between the two groups. */
function tickets(count: number, firstId = 1): ReturnType<typeof restTicket>[] {
  return Array.from({ length: count }, (_, i) => {
    const at = Date.parse('2025-01-08T10:00:00Z') + (firstId + i) * 60_000;
    return restTicket({
      id: firstId + i,
      updated_at: new Date(at).toISOString().replace('.000Z', 'Z'),
      created_at: new Date(at - 30 * 60_000).toISOString().replace('.000Z', 'Z'),
      group_id: i % 2 === 0 ? GROUPS.l1 : GROUPS.l2,
    });
  });
}

describe('pages and mapping', () => {
  it('pages through the export from 24 h back, with the SLA side-load, and applies every ticket', async () => {
    fake.put(...tickets(25));
    const t = await apps.start();
    const result = await pollNow(t);
    expect(result).toMatchObject({ polled: true, pages: 3, records: 25, accepted: 25, duplicates: 0, stale: 0, rejected: 0, behind: false });

    const requests = fake.exportRequests();
    expect(requests.map((r) => r.query)).toEqual([
      { start_time: String(Math.floor((clock - DAY_MS) / 1000)), include: 'slas' },
      { cursor: 'fake-cursor-10', include: 'slas' },
      { cursor: 'fake-cursor-20', include: 'slas' },
    ]);
    const state = await getState(t.app);
    expect(queueOf(state, 'l1').open).toBe(13);
    expect(queueOf(state, 'l2').open).toBe(12);

    // Caught up: the next round asks from the last cursor and gets nothing new.
    expect(await pollNow(t)).toMatchObject({ pages: 1, records: 0 });
    expect(fake.exportRequests().at(-1)!.query.cursor).toBe('fake-cursor-25');
  });

  it('maps REST tickets: SLA policy metrics to due times, achieved first reply, CSAT, solved', async () => {
    fake.put(
      restTicket({
        id: 41,
        status: 'open',
        priority: 'urgent',
        group_id: GROUPS.l2,
        assignee_id: 90006,
        created_at: '2025-01-08T12:00:00Z',
        updated_at: '2025-01-08T12:10:00Z',
        slas: {
          policy_metrics: [
            { breach_at: '2025-01-08T13:00:00Z', stage: 'active', metric: 'first_reply_time', hours: 0 },
            { breach_at: '2025-01-08T20:00:00Z', stage: 'active', metric: 'requester_wait_time', hours: 7 },
            { breach_at: '2025-01-08T14:00:00Z', stage: 'active', metric: 'next_reply_time', hours: 1 },
          ],
        },
      }),
      restTicket({
        id: 42,
        status: 'hold',
        created_at: '2025-01-08T09:00:00Z',
        updated_at: '2025-01-08T11:00:00Z',
        slas: {
          policy_metrics: [
            { breach_at: '2025-01-08T09:30:00Z', stage: 'achieved', metric: 'first_reply_time', days: 0 },
            { breach_at: null, stage: 'paused', metric: 'requester_wait_time' },
          ],
        },
      }),
      restTicket({ id: 43, status: 'solved', created_at: '2025-01-08T08:00:00Z', updated_at: '2025-01-08T12:30:00Z', satisfaction_rating: { score: 'good' } }),
    );
    const t = await apps.start();
    await pollNow(t);
    const model = t.app.model;
    expect(model.ticket('zendesk', '41')).toMatchObject({
      queue: 'l2',
      priority: 'urgent',
      assignee: '90006',
      firstResponseAt: null,
      firstResponseDueAt: '2025-01-08T13:00:00.000Z',
      resolutionDueAt: '2025-01-08T20:00:00.000Z',
    });
    // On hold: pending; the first reply came in time (achieved), the resolution clock is paused.
    expect(model.ticket('zendesk', '42')).toMatchObject({
      queue: 'l1',
      status: 'pending',
      firstResponseAt: '2025-01-08T09:30:00.000Z',
      firstResponseDueAt: '2025-01-08T09:30:00.000Z',
      resolutionDueAt: null,
    });
    expect(model.ticket('zendesk', '43')).toMatchObject({ status: 'solved', solvedAt: '2025-01-08T12:30:00.000Z', csat: 5 });
    // 13:05 now: 41's first reply (due 13:00) is overdue; 42's came in time.
    expect((await getTickets(t.app, 'breached')).map((row) => row.id)).toEqual(['41']);
    expect((await getState(t.app)).kpis.csatToday).toBe(1);

    // A webhook snapshot later (no SLA in it) keeps the polled due times.
    const status = JSON.parse(fixture('ticket-status-changed'));
    status.detail = { ...status.detail, id: '41', status: 'OPEN', updated_at: '2025-01-08T12:40:00Z' };
    const response = await postZendesk(t.app, status, { at: clock });
    expect(response.json()).toMatchObject({ accepted: 1 });
    expect(model.ticket('zendesk', '41')).toMatchObject({ firstResponseDueAt: '2025-01-08T13:00:00.000Z', resolutionDueAt: '2025-01-08T20:00:00.000Z' });
  });
});

describe('rate limits', () => {
  it('waits out a 429 per its Retry-After, then carries on', async () => {
    fake.put(...tickets(5));
    fake.vendor.script(
      { path: '/api/v2/incremental/tickets/cursor.json' },
      { status: 429, headers: { 'retry-after': '7' }, body: { error: 'TooManyRequests' } },
    );
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ pages: 1, accepted: 5 });
    expect(apps.sleeps).toEqual([7_000]);
    expect(fake.exportRequests()).toHaveLength(2);
    expect(fake.exportRequests()[1]!.query).toEqual(fake.exportRequests()[0]!.query);
  });

  it('caps Retry-After at 120 s and a 503 counts the same; gives up after three tries, and the next round recovers', async () => {
    fake.put(...tickets(3));
    const busy = { status: 503, headers: { 'retry-after': '3600' }, body: 'maintenance' };
    fake.vendor.script({ path: '/api/v2/incremental/tickets/cursor.json' }, busy, busy, busy, busy);
    const t = await apps.start();
    await expect(pollNow(t)).rejects.toThrow(/answered 503/);
    expect(apps.sleeps).toEqual([120_000, 120_000, 120_000]);
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer('viewer') });
    const poller = status.json().connectors.find((c: { vendor: string }) => c.vendor === 'zendesk').poller;
    expect(poller).toMatchObject({ enabled: true, store: 'embedded', lastError: expect.stringMatching(/answered 503/), cursor: null });
    // Nothing stored: the next round starts over from the same place, and works.
    expect(await pollNow(t)).toMatchObject({ accepted: 3 });
  });

  it('stops at once while waiting out a long Retry-After (real waits)', async () => {
    fake.vendor.script({ path: '/api/v2/incremental/tickets/cursor.json' }, { status: 429, headers: { 'retry-after': '100' } });
    const t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, ...fake.env } });
    await t.app.ready();
    await fake.vendor.waitForRequests(1);
    const started = Date.now();
    await t.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps to 10 requests a minute', async () => {
    fake.put(...tickets(120)); // 12 pages of 10
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ pages: 12, accepted: 120 });
    // The clock stands still in this test, so the 11th and 12th requests each wait a whole minute.
    expect(apps.sleeps).toEqual([60_000, 60_000]);
  });
});

describe('resuming after a restart', () => {
  it('resumes from the cursor stored under DATA_DIR, not from 24 h back', async () => {
    fake.put(...tickets(15));
    const dataDir = tempDir();
    const first = await apps.start({ dataDir });
    await pollNow(first);
    const lastCursor = fake.handedOut.at(-1)!;
    expect(lastCursor).toBe('fake-cursor-15');
    await apps.stop(first);
    expect(fs.existsSync(path.join(dataDir, 'connectors.sqlite'))).toBe(true);

    fake.put(...tickets(4, 100));
    const before = fake.exportRequests().length;
    const second = await apps.start({ dataDir });
    expect(await pollNow(second)).toMatchObject({ records: 4, accepted: 4 });
    expect(fake.exportRequests()[before]!.query).toEqual({ cursor: lastCursor, include: 'slas' });
    expect((await getState(second.app)).queues.reduce((sum, q) => sum + q.open, 0)).toBe(19);
  });

  it('polls on its own once the app is ready, and reports it', async () => {
    fake.put(...tickets(3));
    const t = await apps.start({ autoStart: true });
    await t.app.ready();
    await fake.vendor.waitForRequests(1);
    let poller: { lastSuccessAt: string | null; totals: { accepted: number } } | undefined;
    for (let i = 0; i < 100 && !poller?.lastSuccessAt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const status = await t.app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer('viewer') });
      poller = status.json().connectors.find((c: { vendor: string }) => c.vendor === 'zendesk').poller;
    }
    expect(poller).toMatchObject({ lastSuccessAt: new Date(clock).toISOString(), totals: { accepted: 3 }, cursor: 'fake-cursor-3', state: 'waiting' });
  });
});

describe('with REDIS_URL', () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = new Redis(redis.url);
  });

  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('keeps the cursor in Redis, resumes from it on another instance, and only one instance polls at a time', async () => {
    await redis.flush();
    fake.put(...tickets(12));
    const first = await apps.start({ env: { REDIS_URL: redis.url } });
    const second = await apps.start({ env: { REDIS_URL: redis.url } });
    expect(await pollNow(first)).toMatchObject({ polled: true, pages: 2, accepted: 12 });
    expect(await client.hget(CURSORS_KEY, 'zendesk')).toBe('fake-cursor-12');
    // The first holds the lease: the second stands by and fetches nothing.
    const requests = fake.exportRequests().length;
    expect(await pollNow(second)).toMatchObject({ polled: false, pages: 0 });
    expect(fake.exportRequests()).toHaveLength(requests);
    const status = await second.app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer('viewer') });
    expect(status.json().connectors.find((c: { vendor: string }) => c.vendor === 'zendesk').poller).toMatchObject({ store: 'redis', state: 'standby' });

    // The first stops (and hands the lease back): the second takes over from the stored cursor.
    await apps.stop(first);
    fake.put(...tickets(3, 200));
    expect(await pollNow(second)).toMatchObject({ polled: true, records: 3, accepted: 3 });
    expect(fake.exportRequests()[requests]!.query).toEqual({ cursor: 'fake-cursor-12', include: 'slas' });
    expect(await client.hget(CURSORS_KEY, 'zendesk')).toBe('fake-cursor-15');
  });
});
