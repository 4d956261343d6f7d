// Surge detection through the app (docs/contract.md#surge-detection): tickets in through
// POST /api/v1/events, the suggestion out through the API and the live channel, declared as an
// incident linking exactly the group's tickets, dismissed until the group doubles; on two instances
// sharing Redis, one suggestion and one incident.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import type { Suggestion, SuggestionsMessage } from '../../../contract/suggestions.js';
import { bearer, startTestApp, type TestApp, TOKENS } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { baseUrl, LiveRecorder } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { EVERYDAY, PAYMENT_OUTAGE, seeded } from './streams.js';

const MINUTE = 60_000;
const opened: TestApp[] = [];

afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp({ env });
  opened.push(t);
  await t.app.ready();
  return t;
}

/** Outage tickets (payments at checkout, English and Russian) on l1, one a minute, ending a minute ago. */
function outage(from: number, count: number, now = Date.now()): ReturnType<typeof ticketEvent>[] {
  return Array.from({ length: count }, (_, i) => {
    const [subject, tags] = PAYMENT_OUTAGE[(from + i) % PAYMENT_OUTAGE.length]!;
    const created = new Date(now - (count - i) * MINUTE).toISOString();
    return ticketEvent({
      id: `PAY-${from + i}`,
      queue: 'l1',
      subject,
      tags: [...tags].map((t) => t.trim().toLowerCase()),
      createdAt: created,
      updatedAt: created,
    });
  });
}

async function post(t: TestApp, events: unknown[]): Promise<void> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
  expect(response.statusCode, response.body).toBe(202);
  // What the feed hands out every second, now, and through the detector (a few ms a turn).
  t.app.newTickets.drain();
  await vi.waitFor(() => expect(t.app.surge.waiting).toBe(0), { timeout: 5_000 });
}

async function suggestions(t: TestApp, status = 'open'): Promise<Suggestion[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/suggestions?status=${status}`, headers: bearer('viewer') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('a group of similar tickets', () => {
  it('raises one suggestion at the fifth, on the API and the live channel, and grows it with 20 more', async () => {
    const t = await start();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const live = new LiveRecorder(baseUrl(t.app), TOKENS.viewer);
    const heard: SuggestionsMessage[] = [];
    live.socket.on('suggestions', (message) => heard.push(message));
    await live.ready();
    // A wall, where surge.json keeps suggestions off the walls (the default): it hears none.
    const wall = new LiveRecorder(baseUrl(t.app), TOKENS.viewer);
    const wallHeard: SuggestionsMessage[] = [];
    wall.socket.on('suggestions', (message) => wallHeard.push(message));
    await wall.ready();
    let wallAnswered = false;
    wall.socket.on('dashboard', () => {
      wallAnswered = true;
    });
    wall.socket.emit('wall', { dashboard: 'support', name: 'lobby' });
    await waitUntil(() => wallAnswered, 5_000);

    await post(t, outage(0, 4));
    expect(await suggestions(t)).toEqual([]);
    const before = Date.now();
    await post(t, outage(4, 1));
    const [first, ...rest] = await suggestions(t);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ kind: 'cluster', line: 'l1', count: 5, status: 'open', incidentId: null });
    expect(first!.tickets.map((key) => key.slice(key.indexOf(':') + 1))).toEqual(['PAY-0', 'PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']);
    expect(first!.tags).toContain('payments');
    // The live channel within the publishing beat (the contract allows 60 s).
    await waitUntil(() => heard.some((m) => m.open.some((s) => s.id === first!.id)), 5_000);
    expect(Date.now() - before).toBeLessThan(5_000);
    // The live card is the suggestion less its ticket list (the API has it): count and the newest.
    const card = heard.at(-1)!.open.find((s) => s.id === first!.id)!;
    expect(card).not.toHaveProperty('tickets');
    const { tickets: _tickets, ...wholeLessTickets } = first!;
    expect(card).toEqual(wholeLessTickets);

    await post(t, outage(5, 20));
    const grown = await suggestions(t);
    expect(grown.map((s) => [s.id, s.count])).toEqual([[first!.id, 25]]);
    // Growth reaches the screens within GROWN_PUBLISH_MS (10 s), not every second.
    const grownAt = Date.now();
    await waitUntil(() => heard.some((m) => m.open.some((s) => s.id === first!.id && s.count === 25)), 15_000);
    expect(Date.now() - grownAt).toBeLessThan(12_000);
    // The one on connect (before it said `wall`), empty then; none since.
    expect(wallHeard.flatMap((m) => m.open)).toEqual([]);
    live.close();
    wall.close();
  });

  it('raises nothing for everyday tickets at a normal rate', async () => {
    const t = await start();
    const random = seeded(11);
    const now = Date.now();
    const events = Array.from({ length: 120 }, (_, i) => {
      const [subject, tags] = EVERYDAY[Math.floor(random() * EVERYDAY.length)]!;
      const created = new Date(now - (120 - i) * 30_000).toISOString();
      return ticketEvent({ id: `E-${i}`, queue: 'l1', subject, tags: [...tags], createdAt: created, updatedAt: created });
    });
    await post(t, events);
    expect(await suggestions(t)).toEqual([]);
  });
});

describe('a flood', () => {
  it('takes at most 2,000 new tickets a second into the detector and counts the rest as skipped', async () => {
    const t = await start();
    const created = new Date(Date.now() - MINUTE).toISOString();
    const events = Array.from({ length: 2_500 }, (_, i) =>
      ticketEvent({ id: `BULK-${i}`, queue: 'l1', subject: `Imported ticket ${i}`, createdAt: created, updatedAt: created }),
    );
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
    expect(response.statusCode).toBe(202);
    t.app.newTickets.drain();
    await vi.waitFor(() => expect(t.app.surge.waiting).toBe(0), { timeout: 5_000 });
    // Unless the second turned over meanwhile (then fewer are skipped, never more).
    expect(t.app.surge.skipped).toBeGreaterThan(0);
    expect(t.app.surge.skipped).toBeLessThanOrEqual(500);
  });

  it('puts a big second of new tickets through the detector a few ms at a time, all of them, in order', async () => {
    const t = await start();
    const now = Date.now();
    const count = 1_500;
    // One outage, 1,500 tickets within the last 2.5 minutes: a single group.
    const events = Array.from({ length: count }, (_, i) => {
      const [subject, tags] = PAYMENT_OUTAGE[i % PAYMENT_OUTAGE.length]!;
      const created = new Date(now - (count - i) * 100).toISOString();
      return ticketEvent({ id: `WAVE-${i}`, queue: 'l1', subject, tags: [...tags], createdAt: created, updatedAt: created });
    });
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
    expect(response.statusCode).toBe(202);
    t.app.newTickets.drain();
    // The drain came back with tickets still to go (~25 µs each: ~40 ms in all, 5 ms a turn).
    expect(t.app.surge.waiting).toBeGreaterThan(0);
    await vi.waitFor(() => expect(t.app.surge.waiting).toBe(0), { timeout: 10_000 });
    expect(t.app.surge.skipped).toBe(0);
    t.app.surge.flush();
    const open = await suggestions(t);
    expect(open).toHaveLength(1);
    expect(open[0]!.count).toBe(count);
    // The list (the API's newest 500) ends with the last ticket: they went in in order.
    expect(open[0]!.tickets.at(-1)).toBe(`test:WAVE-${count - 1}`);
  });
});

describe('deciding', () => {
  it('declares an incident linking exactly the open tickets of the group, which takes over the walls', async () => {
    const t = await start();
    const now = Date.now();
    const unrelated = ticketEvent({
      id: 'OTHER-1',
      queue: 'l1',
      subject: 'Invoice shows the wrong VAT number after checkout',
      tags: ['billing'],
      createdAt: new Date(now - 3 * MINUTE).toISOString(),
      updatedAt: new Date(now - 3 * MINUTE).toISOString(),
    });
    await post(t, [...outage(0, 6, now), unrelated]);
    const [suggestion] = await suggestions(t);
    expect(suggestion?.count).toBe(6);

    const viewer = await t.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${suggestion!.id}/declare`,
      headers: bearer('viewer'),
      payload: { severity: 'SEV2' },
    });
    expect(viewer.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${suggestion!.id}/declare`,
      headers: bearer('commander'),
      payload: { severity: 'SEV9' },
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/suggestions/c-0000000000000000/declare',
      headers: bearer('commander'),
      payload: { severity: 'SEV2' },
    });
    expect(unknown.statusCode).toBe(404);

    const declared = await t.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${suggestion!.id}/declare`,
      headers: bearer('commander'),
      payload: { severity: 'SEV2' },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const { incident, suggestion: after } = declared.json() as { incident: { id: string; title: string }; suggestion: Suggestion };
    expect(after).toMatchObject({ status: 'declared', incidentId: incident.id });
    expect(after.history.map((h) => h.action)).toEqual(['opened', 'declared']);
    expect(incident.title).toBe(suggestion!.title);

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${suggestion!.id}/declare`,
      headers: bearer('commander'),
      payload: { severity: 'SEV2' },
    });
    expect(again.statusCode).toBe(409);

    const state = (await t.app.inject({ method: 'GET', url: '/api/v1/state', headers: bearer('viewer') })).json() as LiveState;
    const summary = state.incidents.find((i) => i.id === incident.id);
    expect(summary).toBeDefined();
    const full = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}`, headers: bearer('viewer') })).json() as {
      linkedTickets: { count: number };
    };
    // The six outage tickets, not the billing ticket that also says "checkout".
    expect(full.linkedTickets.count).toBe(6);
    expect(await suggestions(t)).toEqual([]);

    // A commander changing the rules later keeps the group's tickets linked (the API cannot set them).
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${incident.id}`,
      headers: bearer('commander'),
      payload: { match: { tags: ['payments-outage'], keywords: [] } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const after2 = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}`, headers: bearer('viewer') })).json() as {
      linkedTickets: { count: number };
      match: { tags: string[]; tickets?: string[] };
    };
    expect(after2.match.tags).toEqual(['payments-outage']);
    expect(after2.match.tickets).toHaveLength(6);
    expect(after2.linkedTickets.count).toBe(6);
  });

  it('keeps a dismissed suggestion quiet until its group doubles, with who, when and why', async () => {
    const t = await start();
    const now = Date.now();
    await post(t, outage(0, 5, now - 3 * MINUTE));
    const [suggestion] = await suggestions(t);
    const empty = await t.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${suggestion!.id}/dismiss`,
      headers: bearer('supervisor'),
      payload: { reason: '   ' },
    });
    expect(empty.statusCode).toBe(400);
    const dismissed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${suggestion!.id}/dismiss`,
      headers: bearer('supervisor'),
      payload: { reason: 'A known card-network blip, fixed upstream' },
    });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(await suggestions(t)).toEqual([]);
    const [entry] = (await suggestions(t, 'dismissed'))[0]!.history.filter((h) => h.action === 'dismissed');
    expect(entry).toMatchObject({ by: 'supervisor-user', reason: 'A known card-network blip, fixed upstream' });

    await post(t, outage(5, 4, now));
    expect(await suggestions(t)).toEqual([]);
    await post(t, outage(9, 1, now));
    const reopened = await suggestions(t);
    expect(reopened.map((s) => [s.id, s.count, s.status])).toEqual([[suggestion!.id, 10, 'open']]);
  });
});

describe('two instances sharing Redis', () => {
  let redis: RedisServer | null = null;
  afterAll(async () => {
    await redis?.stop();
  });

  it('show one suggestion with one id, and a declaration on one is seen on the other', async () => {
    redis = await RedisServer.start();
    const a = await start({ REDIS_URL: redis.url });
    const b = await start({ REDIS_URL: redis.url });
    const response = await a.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: outage(0, 5) });
    expect(response.statusCode).toBe(202);
    const read = async (instance: TestApp, status = 'open'): Promise<Suggestion[]> => {
      instance.app.newTickets.drain();
      return (await instance.app.inject({ method: 'GET', url: `/api/v1/suggestions?status=${status}`, headers: bearer('viewer') })).json();
    };
    await waitUntilAsync(async () => (await read(a)).length === 1 && (await read(b)).length === 1, 10_000);
    const [onA] = await read(a);
    const [onB] = await read(b);
    expect(onB!.id).toBe(onA!.id);

    const declared = await b.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${onB!.id}/declare`,
      headers: bearer('commander'),
      payload: { severity: 'SEV2' },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    // A hears of it at its next check (every 5 s), and declaring there again is refused.
    await waitUntilAsync(async () => (await read(a, 'declared')).length === 1, 10_000);
    const onAAgain = await a.app.inject({
      method: 'POST',
      url: `/api/v1/suggestions/${onA!.id}/declare`,
      headers: bearer('commander'),
      payload: { severity: 'SEV2' },
    });
    expect(onAAgain.statusCode).toBe(409);
    const active = (await a.app.inject({ method: 'GET', url: '/api/v1/state', headers: bearer('viewer') })).json() as LiveState;
    expect(active.incidents).toHaveLength(1);
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitUntilAsync(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
