// POST /api/v1/connectors/freshdesk against the real app: our automation body as Freshdesk renders
// it (fixtures/freshdesk), with the shared secret in X-Webhook-Secret, reaches the live numbers;
// a wrong or missing secret, a repeated body and an older REST version change nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, tempDir, type TestApp } from '../../../helpers/app.js';
import { getState, getTickets, queueOf } from '../../../helpers/http.js';
import { deliver, ok, refused } from '../delivery.js';
import { fixture, fixtureBytes } from '../vendor-fixtures.js';

const SECRET = 'freshdesk-shared-secret-for-tests';
let clock = Date.parse('2026-06-18T10:00:00Z');
let t: TestApp;

beforeEach(async () => {
  clock = Date.parse('2026-06-18T10:00:00Z');
  const dashboardsDir = tempDir('watchfloor-freshdesk-');
  fs.writeFileSync(path.join(dashboardsDir, 'connectors.json'), JSON.stringify({ freshdesk: { queues: { 'L2 Support': 'l2', '84000293343': 'l2' } } }));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, FRESHDESK_WEBHOOK_SECRET: SECRET } });
});

afterEach(async () => {
  await t.close();
});

const post = (body: Buffer, secret: string | null = SECRET) => deliver(t.app, 'freshdesk', body, { 'x-webhook-secret': secret ?? undefined });
const ticket = (id: string) => t.app.model.ticket('freshdesk', id);

describe('Freshdesk webhooks', () => {
  it('applies the automation body: the ticket is open and waiting in the mapped queue, with its due time', async () => {
    expect(ok(await post(fixtureBytes('freshdesk', 'automation-created.json')))).toEqual({
      vendor: 'freshdesk',
      deliveryId: null,
      accepted: 1,
      duplicates: 0,
      stale: 0,
      rejected: [],
      ignored: [],
    });
    expect(queueOf(await getState(t.app), 'l2')).toMatchObject({ open: 1, waiting: 1 });
    expect(await getTickets(t.app, 'waiting')).toEqual([
      expect.objectContaining({ id: '374', source: 'freshdesk', queue: 'l2', priority: 'urgent', status: 'open', resolutionDueAt: '2026-06-18T12:06:12.000Z' }),
    ]);
  });

  it('refuses a wrong or missing secret with 401 and applies nothing', async () => {
    const body = fixtureBytes('freshdesk', 'automation-created.json');
    expect(refused(await post(body, 'guess'), 401, 'unauthorized')).toBe('X-Webhook-Secret does not match');
    expect(refused(await post(body, null), 401, 'unauthorized')).toBe('missing X-Webhook-Secret header');
    expect(ticket('374')).toBeNull();
    expect((await getState(t.app)).queues).toEqual([]);
    expect(t.app.ingest.totals.accepted).toBe(0);
  });

  it('counts the same delivery (a retry of the same body) once', async () => {
    const body = fixtureBytes('freshdesk', 'automation-updated.json');
    ok(await post(body));
    clock += 5 * 60_000; // Freshdesk retries after 5 minutes.
    expect(ok(await post(body))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(t.app.ingest.totals).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('takes an older REST version after a newer one as stale: the state stays the newer one', async () => {
    const newer = fixtureBytes('freshdesk', 'rest-ticket.json');
    ok(await post(newer));
    const older = { ...fixture('freshdesk', 'rest-ticket.json'), status: 2, updated_at: '2026-06-18T09:00:00Z', stats: {} };
    expect(ok(await post(Buffer.from(JSON.stringify(older))))).toMatchObject({ accepted: 0, stale: 1 });
    expect(ticket('374')).toMatchObject({ status: 'closed', updatedAt: '2026-06-18T09:56:29.000Z' });
  });

  it('never makes a REST version stale: a webhook keeps the version it knows, so the next REST snapshot lands', async () => {
    const rest = fixture('freshdesk', 'rest-ticket.json');
    ok(await post(Buffer.from(JSON.stringify({ ...rest, status: 2, stats: {} }))));
    // Pending, said by the automation rule: shown at once, version unchanged.
    ok(await post(fixtureBytes('freshdesk', 'automation-updated.json')));
    expect(ticket('374')).toMatchObject({
      status: 'pending',
      assignee: 'mia.lopez@acme.example',
      updatedAt: '2026-06-18T09:56:29.000Z',
      firstResponseDueAt: '2026-06-18T09:06:12.000Z',
    });
    // The REST snapshot of that change, read a minute later by the poller, is not stale against it.
    clock += 60_000;
    const snapshot = { ...rest, status: 3, responder_id: null, updated_at: '2026-06-18T09:58:00Z', stats: {} };
    expect(ok(await post(Buffer.from(JSON.stringify(snapshot))))).toMatchObject({ accepted: 1, stale: 0 });
    expect(ticket('374')).toMatchObject({ status: 'pending', assignee: null, updatedAt: '2026-06-18T09:58:00.000Z' });
  });

  it('answers 400 for a body without our marker', async () => {
    refused(await post(Buffer.from(JSON.stringify({ ticket_id: '374', status: 'Open' }))), 400, 'invalid_payload');
  });
});

describe('Freshdesk webhooks without FRESHDESK_WEBHOOK_SECRET', () => {
  it('answer 404', async () => {
    await t.close();
    t = await startTestApp({ now: () => clock });
    refused(await post(fixtureBytes('freshdesk', 'automation-created.json')), 404, 'not_found');
  });
  it('applies Freshdesk’s own "Simple" content, and refuses a body it cannot read with what to change', async () => {
    expect(ok(await post(fixtureBytes('freshdesk', 'simple-status-changed.json')))).toMatchObject({ accepted: 1, rejected: [], ignored: [] });
    expect(ticket('512')).toMatchObject({ queue: 'l2', status: 'pending', priority: 'high', assignee: 'dana.agent@acme.example' });
    const message = refused(await post(Buffer.from(JSON.stringify({ ticket_id: '9', status: 'Open' }))), 400, 'invalid_payload');
    expect(message).toContain('without "source":"freshdesk"');
    expect(ticket('9')).toBeNull();
  });
});
