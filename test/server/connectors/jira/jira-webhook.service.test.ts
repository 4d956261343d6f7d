// POST /api/v1/connectors/jira against the real app: deliveries shaped as the research shows
// Jira's (fixtures/jira), signed Jira's way here (X-Hub-Signature: sha256=<hex HMAC of the raw
// body>), reach the live numbers; unsigned, replayed and older deliveries change nothing.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, tempDir, type TestApp } from '../../../helpers/app.js';
import { getState, getTickets, queueOf } from '../../../helpers/http.js';
import { deliver, ok, refused } from '../delivery.js';
import { fixtureBytes } from '../vendor-fixtures.js';

const SECRET = 'jira-webhook-secret-for-tests';
let clock = Date.parse('2024-07-03T10:45:00Z');
let t: TestApp;

beforeEach(async () => {
  clock = Date.parse('2024-07-03T10:45:00Z');
  const dashboardsDir = tempDir('watchfloor-jira-');
  // The request type of the fixtures → l2 (the default queue would be l1).
  fs.writeFileSync(path.join(dashboardsDir, 'connectors.json'), JSON.stringify({ jira: { queues: { 'Get IT help': 'l2' } } }));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, JIRA_WEBHOOK_SECRET: SECRET } });
});

afterEach(async () => {
  await t.close();
});

function jiraHeaders(body: Buffer, deliveryId: string, secret = SECRET): Record<string, string> {
  return {
    'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    'x-atlassian-webhook-identifier': deliveryId,
    'x-atlassian-webhook-flow': 'Primary',
  };
}

const post = (name: string, deliveryId: string) => {
  const body = fixtureBytes('jira', name);
  return deliver(t.app, 'jira', body, jiraHeaders(body, deliveryId));
};

const ticket = (key: string) => t.app.model.ticket('jira', key);

describe('Jira webhooks', () => {
  it('applies jira:issue_created: the ticket is open and waiting in its queue, with both SLA due times', async () => {
    expect(ok(await post('issue-created.json', 'wh-1'))).toEqual({
      vendor: 'jira',
      deliveryId: 'wh-1',
      accepted: 1,
      duplicates: 0,
      stale: 0,
      rejected: [],
      ignored: [],
    });
    expect(queueOf(await getState(t.app), 'l2')).toMatchObject({ open: 1, waiting: 1, oldestWaitingSec: 6300 });
    const [row] = await getTickets(t.app, 'waiting');
    expect(row).toMatchObject({
      id: 'ITS-42',
      source: 'jira',
      queue: 'l2',
      priority: 'high',
      status: 'open',
      subject: 'Cannot log in to the VPN',
      firstResponseDueAt: '2024-07-03T13:00:00.000Z',
      resolutionDueAt: '2024-07-03T17:00:00.000Z',
    });
  });

  it('carries the SLA due time from the JSM SLA field to the wall: at risk 30 minutes before, breached after', async () => {
    ok(await post('issue-updated.json', 'wh-2'));
    clock = Date.parse('2024-07-03T12:40:00Z');
    t.app.tick();
    const [atRisk] = await getTickets(t.app, 'at-risk');
    expect(atRisk).toMatchObject({ id: 'ITS-42', dueAt: '2024-07-03T13:00:00.000Z', secondsToBreach: 1200, atRisk: true });
    clock = Date.parse('2024-07-03T13:00:01Z');
    t.app.tick();
    expect((await getTickets(t.app, 'breached')).map((row) => row.id)).toEqual(['ITS-42']);
    expect((await getState(t.app)).sla.breachedOpen).toBe(1);
  });

  it('refuses a wrong signature, the wrong secret and a missing header with 401, and applies nothing', async () => {
    const body = fixtureBytes('jira', 'issue-created.json');
    const good = jiraHeaders(body, 'wh-3');
    const tampered = `${good['x-hub-signature']!.slice(0, -1)}${good['x-hub-signature']!.endsWith('0') ? '1' : '0'}`;
    expect(refused(await deliver(t.app, 'jira', body, { ...good, 'x-hub-signature': tampered }), 401, 'unauthorized')).toMatch(/does not match/);
    expect(refused(await deliver(t.app, 'jira', body, jiraHeaders(body, 'wh-3', 'not-the-secret')), 401, 'unauthorized')).toMatch(/does not match/);
    expect(refused(await deliver(t.app, 'jira', body, { ...good, 'x-hub-signature': undefined }), 401, 'unauthorized')).toMatch(/missing X-Hub-Signature/);
    expect(refused(await deliver(t.app, 'jira', body, { ...good, 'x-hub-signature': 'sha256=xyz' }), 401, 'unauthorized')).toMatch(/64 hex/);
    // Signed body, altered in transit.
    const altered = Buffer.from(body.toString('utf8').replace('"High"', '"Highest"'));
    refused(await deliver(t.app, 'jira', altered, good), 401, 'unauthorized');
    expect(ticket('ITS-42')).toBeNull();
    expect((await getState(t.app)).queues).toEqual([]);
    expect(t.app.ingest.totals.accepted).toBe(0);
  });

  it('counts the same delivery (same X-Atlassian-Webhook-Identifier) once', async () => {
    ok(await post('issue-created.json', 'wh-4'));
    expect(ok(await post('issue-created.json', 'wh-4'))).toMatchObject({ accepted: 0, duplicates: 1, stale: 0 });
    expect(queueOf(await getState(t.app), 'l2').open).toBe(1);
    expect(t.app.ingest.totals).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('takes an older update delivered after a newer one as stale: the state stays the newer one', async () => {
    ok(await post('issue-updated.json', 'wh-5'));
    // The creation, retried late by Jira, arrives after the assignment.
    expect(ok(await post('issue-created.json', 'wh-6'))).toMatchObject({ accepted: 0, duplicates: 0, stale: 1 });
    expect(ticket('ITS-42')).toMatchObject({ status: 'open', assignee: '5b10a2844c20165700ede21g', updatedAt: '2024-07-03T10:40:00.000Z' });
  });

  it('solves with Jira resolutiondate, first response from the SLA cycle: the day figures count it', async () => {
    ok(await post('issue-created.json', 'wh-7'));
    clock = Date.parse('2024-07-03T11:31:00Z');
    ok(await post('issue-resolved.json', 'wh-8'));
    const state = await getState(t.app);
    expect(queueOf(state, 'l2').open).toBe(0);
    // Created 09:00, first response 10:40, solved 11:30.
    expect(state.kpis).toMatchObject({ createdToday: 1, solvedToday: 1, frtMedianSec: 6000, resolutionMedianSec: 9000 });
  });

  it('closes a deleted issue, and answers other webhook events with what was ignored', async () => {
    expect(ok(await post('issue-deleted.json', 'wh-9'))).toMatchObject({ accepted: 1 });
    expect(ticket('ITS-43')).toMatchObject({ status: 'closed' });
    expect(ok(await post('comment-created.json', 'wh-10'))).toMatchObject({
      accepted: 0,
      ignored: ['webhookEvent comment_created is not an issue change; nothing to apply'],
    });
  });

  it('answers 400 for a signed body that is not a Jira delivery', async () => {
    const body = Buffer.from(JSON.stringify({ hello: 'world' }));
    refused(await deliver(t.app, 'jira', body, jiraHeaders(body, 'wh-11')), 400, 'invalid_payload');
  });
});

describe('Jira webhooks without JIRA_WEBHOOK_SECRET', () => {
  it('answer 404', async () => {
    await t.close();
    t = await startTestApp({ now: () => clock });
    const body = fixtureBytes('jira', 'issue-created.json');
    refused(await deliver(t.app, 'jira', body, jiraHeaders(body, 'wh-12')), 404, 'not_found');
  });
  it('applies a JSM automation rule’s "Send web request" (Issue data, Jira format) sent with the secret as X-Webhook-Secret', async () => {
    clock = Date.parse('2024-07-03T13:20:00Z');
    const body = fixtureBytes('jira', 'automation-jira-format.json');
    expect(ok(await deliver(t.app, 'jira', body, { 'x-webhook-secret': SECRET }))).toMatchObject({ accepted: 1, rejected: [] });
    expect(t.app.model.ticket('jira', 'ITS-42')).toMatchObject({
      status: 'open',
      firstResponseDueAt: '2024-07-03T13:00:00.000Z',
      updatedAt: '2024-07-03T13:15:00.000Z',
    });
    // The rule firing again on the same state: a duplicate. A wrong secret: 401, nothing applied.
    expect(ok(await deliver(t.app, 'jira', body, { 'x-webhook-secret': SECRET }))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(refused(await deliver(t.app, 'jira', body, { 'x-webhook-secret': 'guess' }), 401, 'unauthorized')).toBe('X-Webhook-Secret does not match');
  });
});
