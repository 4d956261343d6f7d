// Outbound notifications through the app (docs/contract.md#outbound-notifications), against real
// HTTP receivers on loopback: signed as documented, retried until acknowledged and in order per
// incident, kept over a restart, sent once by two instances sharing Redis, stopped by a 410 and
// a 400, and listed to admins only.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp, tempDir } from '../../helpers/app.js';
import { logSink } from '../../helpers/log-sink.js';
import { declareIncident, patchIncident, postUpdate } from '../../helpers/incidents.js';
import { ticketEvent } from '../../helpers/events.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { PAYMENT_OUTAGE } from '../surge/streams.js';
import { Receiver, waitFor } from './receiver.js';

const SECRET = 'test-secret-0123456789';
const ALL_EVENTS = ['incident.declared', 'incident.changed', 'incident.update', 'incident.resolved', 'alert.fired', 'suggestion.raised'];
const opened: TestApp[] = [];
const receivers: Receiver[] = [];

afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
  for (const r of receivers.splice(0)) await r.close();
});

/** The verification function exactly as docs/contract.md shows it, loaded as the module it is. */
type Verify = (secret: string, rawBody: string | Buffer, header: string | undefined) => boolean;
let verifyWatchfloor: Verify;
beforeAll(async () => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/contract.md'), 'utf8');
  const recipe = /<!-- signature-recipe -->\n```js\n([\s\S]*?)```/.exec(doc);
  if (recipe === null) throw new Error('docs/contract.md has no signature recipe');
  const file = path.join(tempDir('watchfloor-recipe-'), 'verify.mjs');
  fs.writeFileSync(file, recipe[1]!);
  ({ verifyWatchfloor } = (await import(pathToFileURL(file).href)) as { verifyWatchfloor: Verify });
});

function dashboards(url: string, format = 'json'): string {
  const dir = tempDir('watchfloor-notify-dash-');
  fs.writeFileSync(path.join(dir, 'notifications.json'), JSON.stringify({ targets: [{ id: 'hook', url, secret: SECRET, events: ALL_EVENTS, format }] }));
  // No agent is available in a fresh app: this rule fires at its first evaluation.
  const rule = { id: 'nobody', title: 'Nobody available', metric: 'agents.available', op: '<', value: 1, forSec: 0, clearValue: 1, severity: 'critical' };
  fs.writeFileSync(path.join(dir, 'alerts.json'), JSON.stringify({ rules: [rule] }));
  return dir;
}

/** Outage tickets (payments at checkout) on l1, one a minute, ending a minute ago: five raise a suggestion. */
function outage(count: number): ReturnType<typeof ticketEvent>[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const [subject, tags] = PAYMENT_OUTAGE[i % PAYMENT_OUTAGE.length]!;
    const created = new Date(now - (count - i) * 60_000).toISOString();
    return ticketEvent({ id: `PAY-${i}`, queue: 'l1', subject, tags: [...tags].map((t) => t.trim().toLowerCase()), createdAt: created, updatedAt: created });
  });
}

async function start(env: Record<string, string>, dataDir?: string): Promise<TestApp> {
  const t = await startTestApp({ env: { NOTIFY_RETRY_BASE_MS: '50', ...env }, ...(dataDir === undefined ? {} : { dataDir }) });
  opened.push(t);
  await t.app.ready();
  return t;
}

async function receiver(answer?: (n: number, body: string) => number): Promise<Receiver> {
  const r = await Receiver.start(answer);
  receivers.push(r);
  return r;
}

interface Row {
  id: string;
  event: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  incidentId: string | null;
}

async function deliveries(t: TestApp, status?: string): Promise<Row[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/notifications/deliveries${status ? `?status=${status}` : ''}`, headers: bearer('admin') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const PAYMENTS = {
  title: 'Payments failing',
  severity: 'SEV1',
  summary: 'Card payments fail at checkout',
  services: ['payments'],
  match: { tags: [], keywords: [] },
};

describe('one instance', () => {
  it('retries through three 500s, then delivers every event once, in order, signed as documented', async () => {
    const r = await receiver((n) => (n < 3 ? 500 : 200));
    const t = await start({ DASHBOARDS_DIR: dashboards(r.url) });
    const incident = await declareIncident(t.app, PAYMENTS);
    await postUpdate(t.app, incident.id, 'internal', 'Rolling back the gateway');
    await patchIncident(t.app, incident.id, { status: 'identified' });
    await patchIncident(t.app, incident.id, { status: 'resolved' });
    await waitFor(() => r.acknowledged().length === 4, 10_000, 'four deliveries');

    const acked = r.acknowledged<{ id: string; event: string; incident: Record<string, unknown>; update?: Record<string, unknown> }>();
    expect(acked.map((b) => b.event)).toEqual(['incident.declared', 'incident.update', 'incident.changed', 'incident.resolved']);
    expect(new Set(acked.map((b) => b.id)).size).toBe(4);
    // The three 500s were the first event's, under its one delivery id.
    expect(r.requests.slice(0, 4).map((q) => [q.status, q.headers['x-watchfloor-delivery']])).toEqual([
      [500, acked[0]!.id],
      [500, acked[0]!.id],
      [500, acked[0]!.id],
      [200, acked[0]!.id],
    ]);
    for (const q of r.requests) {
      expect(verifyWatchfloor(SECRET, q.body, q.headers['x-watchfloor-signature'] as string)).toBe(true);
      expect(verifyWatchfloor('another-secret-000000', q.body, q.headers['x-watchfloor-signature'] as string)).toBe(false);
      expect(q.headers['content-type']).toBe('application/json');
      expect(q.headers['x-watchfloor-event']).toBe(JSON.parse(q.body).event);
    }
    // The internal update goes with its audience; the incident without its timeline.
    expect(acked[1]!.update).toMatchObject({ audience: 'internal', text: 'Rolling back the gateway' });
    expect(acked[1]!.incident).toMatchObject({ id: incident.id, title: 'Payments failing' });
    expect(acked[1]!.incident).not.toHaveProperty('timeline');
    expect(acked[3]!.incident).toMatchObject({ status: 'resolved' });

    const rows = await deliveries(t, 'delivered');
    expect(rows.map((d) => [d.event, d.attempts, d.lastStatus, d.incidentId])).toEqual([
      ['incident.resolved', 1, 200, incident.id],
      ['incident.changed', 1, 200, incident.id],
      ['incident.update', 1, 200, incident.id],
      ['incident.declared', 4, 200, incident.id],
    ]);
    expect(await deliveries(t, 'pending')).toEqual([]);
  });

  it('loses nothing over a restart in the middle of the retries', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    const dir = dashboards(r.url);
    const first = await start({ DASHBOARDS_DIR: dir });
    const incident = await declareIncident(first.app, PAYMENTS);
    await postUpdate(first.app, incident.id, 'customers', 'We are on it');
    await waitFor(() => r.requests.length >= 2, 5_000, 'two failed attempts');
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const before = r.requests.length;

    up = true;
    const second = await start({ DASHBOARDS_DIR: dir }, first.dataDir);
    await waitFor(() => r.acknowledged().length === 2, 10_000, 'both deliveries after the restart');
    expect(r.requests.length).toBeGreaterThan(before);
    expect(r.acknowledged<{ event: string; update?: { audience: string } }>().map((b) => [b.event, b.update?.audience ?? null])).toEqual([
      ['incident.declared', null],
      ['incident.update', 'customers'],
    ]);
    // Marked delivered once the answer is in, a moment after the receiver has it.
    await waitFor(async () => (await deliveries(second, 'delivered')).length === 2, 5_000, 'both marked delivered');
    expect(await deliveries(second, 'pending')).toEqual([]);
  });

  it('stops at a 410 Gone, and the next event of the incident goes', async () => {
    const r = await receiver((n) => (n === 0 ? 410 : 200));
    const t = await start({ DASHBOARDS_DIR: dashboards(r.url) });
    const incident = await declareIncident(t.app, PAYMENTS);
    await waitFor(async () => (await deliveries(t, 'failed')).length === 1, 5_000, 'the 410 to be final');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests.length).toBe(1);
    const [failed] = await deliveries(t, 'failed');
    expect(failed).toMatchObject({ event: 'incident.declared', attempts: 1, lastStatus: 410 });
    await patchIncident(t.app, incident.id, { severity: 'SEV2' });
    await waitFor(() => r.acknowledged().length === 1, 5_000, 'the next event');
    expect(r.acknowledged()[0]).toMatchObject({ event: 'incident.changed', incident: { severity: 'SEV2' } });
  });

  it('takes a 400 as final', async () => {
    const r = await receiver(() => 400);
    const t = await start({ DASHBOARDS_DIR: dashboards(r.url) });
    await declareIncident(t.app, PAYMENTS);
    await waitFor(async () => (await deliveries(t, 'failed')).length === 1, 5_000, 'the 400 to be final');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests.length).toBe(1);
    const [failed] = await deliveries(t, 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastStatus: 400 });
    expect(failed!.lastError).toContain('400');
  });

  it('sends Slack bodies to a slack target', async () => {
    const r = await receiver();
    const t = await start({ DASHBOARDS_DIR: dashboards(r.url, 'slack') });
    await declareIncident(t.app, { ...PAYMENTS, title: 'Checkout <down> & out' });
    await waitFor(() => r.acknowledged().length === 1, 5_000, 'the delivery');
    const body = r.acknowledged<{ text: string; blocks: { type: string }[] }>()[0]!;
    expect(body.text).toBe('Incident 1 (SEV1) declared: Checkout &lt;down&gt; &amp; out');
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'context']);
  });

  it('sends an alert that fires, and a suggestion surge detection raises', async () => {
    const r = await receiver();
    const t = await start({ DASHBOARDS_DIR: dashboards(r.url) });
    await t.app.alerts.evaluate();
    const posted = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: outage(7) });
    expect(posted.statusCode, posted.body).toBe(202);
    t.app.newTickets.drain();
    await waitFor(() => r.acknowledged().length === 2, 5_000, 'the alert and the suggestion');
    const [alert, raised] = r.acknowledged<{ id: string; event: string; alert?: Record<string, unknown>; suggestion?: { id: string; count: number } }>();
    expect(alert).toMatchObject({ event: 'alert.fired', alert: { id: 'nobody', title: 'Nobody available', state: 'firing', severity: 'critical' } });
    expect(raised!.event).toBe('suggestion.raised');
    expect(raised!.id).toBe(`suggestion.raised:${raised!.suggestion!.id}:hook`);
    // Raised at its fifth ticket; the two after it grew it without a second notification.
    expect(raised!.suggestion!.count).toBe(5);
    await t.app.alerts.evaluate();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.requests.length).toBe(2);
  });

  it('never logs the secret, the signature or the URL', async () => {
    const r = await receiver((n) => (n === 0 ? 500 : 400));
    const { stream, text } = logSink();
    const t = await startTestApp({
      env: { NOTIFY_RETRY_BASE_MS: '50', LOG_LEVEL: 'debug', DASHBOARDS_DIR: dashboards(r.url) },
      logger: undefined,
      logStream: stream,
    });
    opened.push(t);
    await t.app.ready();
    await declareIncident(t.app, PAYMENTS);
    await waitFor(async () => (await deliveries(t, 'failed')).length === 1, 5_000, 'the 400 to be final');
    const log = text();
    // The attempts were logged (so the check below is not vacuous), naming the target by its id.
    expect(log).toContain('notification to hook not delivered yet');
    expect(log).toContain('notification to hook failed');
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain('sha256=');
    expect(log).not.toContain(r.url.replace('http://', ''));
  });

  it('lists the deliveries to admins only', async () => {
    const t = await start({});
    const denied = await t.app.inject({ method: 'GET', url: '/api/v1/notifications/deliveries', headers: bearer('supervisor') });
    expect(denied.statusCode).toBe(403);
    // The shipped dashboards/notifications.json has no target: nothing is enqueued.
    await declareIncident(t.app, PAYMENTS);
    expect(await deliveries(t)).toEqual([]);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/notifications/deliveries?status=lost', headers: bearer('admin') });
    expect(bad.statusCode).toBe(400);
  });
});

describe('two instances on one Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('deliver each event exactly once, in order; the alert once from the lead; the suggestion both raise once', async () => {
    const r = await receiver((n) => (n % 3 === 0 ? 500 : 200));
    const dir = dashboards(r.url);
    const a = await start({ DASHBOARDS_DIR: dir, REDIS_URL: redis.url });
    const b = await start({ DASHBOARDS_DIR: dir, REDIS_URL: redis.url });
    const incident = await declareIncident(a.app, PAYMENTS);
    await postUpdate(b.app, incident.id, 'internal', 'Gateway team paged');
    await patchIncident(a.app, incident.id, { status: 'monitoring' });
    await patchIncident(b.app, incident.id, { status: 'resolved' });
    await a.app.alerts.evaluate();
    await b.app.alerts.evaluate();
    const posted = await a.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: outage(5) });
    expect(posted.statusCode, posted.body).toBe(202);
    // Every instance sees every ticket and raises the suggestion, under the same id.
    await waitFor(
      () => {
        a.app.newTickets.drain();
        b.app.newTickets.drain();
        return a.app.surge.list('open').length === 1 && b.app.surge.list('open').length === 1;
      },
      10_000,
      'the suggestion on both instances',
    );

    await waitFor(() => r.acknowledged().length === 6, 15_000, 'six deliveries');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const acked = r.acknowledged<{ id: string; event: string }>();
    expect(acked.length).toBe(6);
    expect(new Set(acked.map((d) => d.id)).size).toBe(6);
    expect(acked.filter((d) => d.event.startsWith('incident.')).map((d) => d.event)).toEqual([
      'incident.declared',
      'incident.update',
      'incident.changed',
      'incident.resolved',
    ]);
    expect(acked.filter((d) => d.event === 'alert.fired').length).toBe(1);
    const suggestionId = a.app.surge.list('open')[0]!.id;
    expect(acked.filter((d) => d.event === 'suggestion.raised').map((d) => d.id)).toEqual([`suggestion.raised:${suggestionId}:hook`]);
    expect((await deliveries(b, 'delivered')).length).toBe(6);
  });
});
