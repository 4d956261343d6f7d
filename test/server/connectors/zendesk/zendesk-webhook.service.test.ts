// POST /api/v1/connectors/zendesk (docs/contract.md#helpdesk-connectors, issue 7) against the real app: deliveries shaped as the
// research shows Zendesk's (fixtures/zendesk), signed Zendesk's way in the test, land in the live
// numbers; anything unsigned, stale, replayed, older or malformed changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentView, TicketView } from '../../../../contract/domain.js';
import { bearer, startTestApp, tempDir, type TestApp } from '../../../helpers/app.js';
import { getAgents, getState, getTickets, queueOf } from '../../../helpers/http.js';
import { ok, refused as refusedWith } from '../delivery.js';
import { ZENDESK_SECRET, fixture, fixtureJson, postZendesk, zendeskHeaders } from '../zendesk-helpers.js';

let clock = Date.parse('2025-01-08T13:05:00Z');
let t: TestApp;
let dashboardsDir: string;

/** The mapping file of these tests: the fixture's group id → l2, the trigger's group name → l1. */
const MAPPING = { zendesk: { queues: { '8447320466430': 'l2', 'L1 Support': 'l1' }, agentTeams: { '10011': 'l3' } } };

async function start(env: Record<string, string> = { ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET }): Promise<void> {
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, ...env }, connectors: { mappingCheckEveryMs: 0 } });
}

beforeEach(async () => {
  clock = Date.parse('2025-01-08T13:05:00Z');
  dashboardsDir = tempDir('watchfloor-connectors-');
  fs.writeFileSync(path.join(dashboardsDir, 'connectors.json'), JSON.stringify(MAPPING));
  await start();
});

afterEach(async () => {
  await t.close();
});

const post = (body: string | Buffer | object, options: { headers?: Record<string, string | undefined>; secret?: string; at?: number } = {}) =>
  postZendesk(t.app, body, {
    at: options.at ?? clock,
    ...(options.secret ? { secret: options.secret } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });

/** The one error shape of the API, with the code and nothing else, and no stack trace; returns the message. */
function refused(response: LightMyRequestResponse, status: number, code: string): string {
  const message = refusedWith(response, status, code);
  expect(Object.keys(response.json())).toEqual(['error']);
  expect(response.body).not.toMatch(/\bat .*\.(ts|js):\d+|"stack"/);
  return message;
}

const ticket = (id: string) => t.app.model.ticket('zendesk', id);

/** Nothing reached the live state: no queue, no agent, no ticket event counted. */
async function expectNothingApplied(): Promise<void> {
  const state = await getState(t.app);
  expect(state.queues).toEqual([]);
  expect(state.agents).toEqual({ available: 0, busy: 0, away: 0, offline: 0 });
  expect(t.app.ingest.totals.accepted).toBe(0);
}

describe('Zendesk event webhooks', () => {
  it('maps ticket.agent_assignment_changed to the whole ticket, queue from connectors.json', async () => {
    const answer = ok(await post(fixture('ticket-agent-assignment-changed')));
    expect(answer).toEqual({
      vendor: 'zendesk',
      deliveryId: 'c6d7e8f9-0a1b-2c3d-4e5f-6a7b8c9d0e1f',
      accepted: 1,
      duplicates: 0,
      stale: 0,
      rejected: [],
      ignored: [],
    });
    const waiting = await getTickets(t.app, 'waiting');
    expect(waiting.map((row: TicketView) => [row.source, row.id, row.queue, row.priority, row.status, row.assignee, row.subject])).toEqual([
      ['zendesk', '5158', 'l2', 'urgent', 'open', '8447388090496', 'Cannot login to mobile app'],
    ]);
    expect(ticket('5158')).toMatchObject({
      createdAt: '2025-01-08T10:12:07.000Z',
      updatedAt: '2025-01-08T12:15:45.000Z',
      tags: ['mobile', 'login', 'priority-support'],
    });
    const state = await getState(t.app);
    expect(queueOf(state, 'l2')).toMatchObject({ open: 1, waiting: 1 });
    expect(state.kpis.createdToday).toBe(1);
  });

  it('a SOLVED status_changed solves the ticket at its updated_at and keeps what the snapshot lacks', async () => {
    ok(await post(fixture('ticket-agent-assignment-changed')));
    ok(await post(fixture('ticket-status-changed')));
    expect(ticket('5158')).toMatchObject({
      status: 'solved',
      solvedAt: '2025-01-08T13:00:00.000Z',
      // Not in the status_changed snapshot: kept from the first delivery.
      subject: 'Cannot login to mobile app',
      createdAt: '2025-01-08T10:12:07.000Z',
      tags: ['mobile', 'login', 'priority-support'],
    });
    const state = await getState(t.app);
    expect(queueOf(state, 'l2').open).toBe(0);
    expect(state.kpis.solvedToday).toBe(1);
    expect(state.kpis.resolutionMedianSec).toBe((Date.parse('2025-01-08T13:00:00Z') - Date.parse('2025-01-08T10:12:07Z')) / 1000);
  });

  it('SLA, comment and CSAT events set due time, first response and rating; later snapshots keep them', async () => {
    ok(await post(fixture('ticket-agent-assignment-changed')));
    ok(await post(fixture('ticket-next-sla-breach-changed')));
    expect(ticket('5158')!.firstResponseDueAt).toBe('2025-01-08T13:12:07.000Z');
    ok(await post(fixture('ticket-comment-added')));
    expect(ticket('5158')).toMatchObject({ firstResponseAt: '2025-01-08T12:30:00.000Z', firstResponseDueAt: '2025-01-08T13:12:07.000Z' });
    ok(await post(fixture('ticket-status-changed')));
    ok(await post(fixture('ticket-csat-received')));
    expect(ticket('5158')).toMatchObject({
      status: 'solved',
      csat: 5,
      firstResponseAt: '2025-01-08T12:30:00.000Z',
      firstResponseDueAt: '2025-01-08T13:12:07.000Z',
      solvedAt: '2025-01-08T13:00:00.000Z',
    });
    const state = await getState(t.app);
    expect(state.kpis.frtMedianSec).toBe((Date.parse('2025-01-08T12:30:00Z') - Date.parse('2025-01-08T10:12:07Z')) / 1000);
    expect(state.kpis.csatToday).toBe(1);
  });

  it('agent.state_changed (support channel) and unified_state_changed set the agent, team from connectors.json', async () => {
    ok(await post(fixture('agent-state-changed')));
    let agents = await getAgents(t.app);
    expect(agents.map((a: AgentView) => [a.id, a.name, a.team, a.status, a.since])).toEqual([
      ['10011', 'Agent 10011', 'l3', 'available', '2023-04-05T23:30:58.642Z'],
    ]);
    ok(await post(fixture('agent-unified-state-changed')));
    agents = await getAgents(t.app);
    expect(agents.map((a: AgentView) => [a.id, a.status, a.since])).toEqual([['10011', 'away', '2023-04-05T23:45:12.120Z']]);
    expect((await getState(t.app)).agents).toEqual({ available: 0, busy: 0, away: 1, offline: 0 });
  });

  it('says what it does not use: other channels, unmapped states, other event types', async () => {
    const talk = fixtureJson('agent-state-changed');
    (talk.event as Record<string, unknown>).channel = 'talk';
    (talk as Record<string, unknown>).id = 'talk-delivery-1';
    const answer = ok(await post(talk));
    expect(answer.accepted).toBe(0);
    expect(answer.ignored[0]).toMatch(/channel talk/);
    const custom = fixtureJson('agent-unified-state-changed');
    ((custom.event as Record<string, unknown>).new_unified_state as Record<string, unknown>).name = 'Lunch';
    expect(ok(await post(custom)).ignored[0]).toMatch(/"Lunch" is not in connectors.json agentStatuses/);
    const user = ok(await post(fixture('user-active-changed')));
    expect(user).toMatchObject({ accepted: 0, ignored: ['event type zen:event-type:user.active_changed is not used by Watchfloor'] });
    await expectNothingApplied();
  });
});

describe('the trigger/automation body of the README', () => {
  it('is recognised by its marker; group name, labels and space-separated tags are mapped', async () => {
    const answer = ok(await post(fixture('trigger-body'), { headers: { 'x-zendesk-webhook-invocation-id': '8350205582' } }));
    expect(answer).toMatchObject({ deliveryId: '8350205582', accepted: 1, ignored: [] });
    expect(ticket('5201')).toMatchObject({
      queue: 'l1',
      status: 'open',
      priority: 'high',
      assignee: 'anna.petrova@example.com',
      tags: ['vpn', 'network', 'remote'],
      createdAt: '2025-01-08T11:40:00.000Z',
      updatedAt: '2025-01-08T12:02:00.000Z',
      csat: null,
    });
    // The same invocation again (a retry) is a duplicate.
    expect(ok(await post(fixture('trigger-body'), { headers: { 'x-zendesk-webhook-invocation-id': '8350205582' } }))).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
  });

  it('refuses a trigger body without ticket_id or updated_at with 400, naming the field', async () => {
    const body = fixtureJson('trigger-body');
    delete body.updated_at;
    expect(refused(await post(body), 400, 'invalid_payload')).toMatch(/^updated_at: required/);
    await expectNothingApplied();
  });
});

describe('authenticity, before anything is parsed', () => {
  it('refuses a wrong signature with 401 and the reason; nothing applied', async () => {
    const message = refused(await post(fixture('ticket-agent-assignment-changed'), { secret: 'not-the-secret' }), 401, 'unauthorized');
    expect(message).toMatch(/x-zendesk-webhook-signature does not match/);
    await expectNothingApplied();
  });

  it('refuses a body changed after signing', async () => {
    const raw = fixture('ticket-agent-assignment-changed');
    const headers = zendeskHeaders(raw, { at: clock, secret: ZENDESK_SECRET });
    const tampered = raw.replace('"URGENT"', '"LOW"   ');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/connectors/zendesk', headers, payload: tampered });
    refused(response, 401, 'unauthorized');
    await expectNothingApplied();
  });

  it('refuses a timestamp outside ±5 minutes (replayed delivery), in both directions', async () => {
    expect(refused(await post(fixture('ticket-agent-assignment-changed'), { at: clock - 6 * 60_000 }), 401, 'unauthorized')).toMatch(/more than 5 minutes/);
    refused(await post(fixture('ticket-agent-assignment-changed'), { at: clock + 6 * 60_000 }), 401, 'unauthorized');
    // Within the window: fine.
    ok(await post(fixture('ticket-agent-assignment-changed'), { at: clock - 4 * 60_000 }));
  });

  it('refuses a missing signature or timestamp header, and garbage in them', async () => {
    expect(refused(await post(fixture('ticket-status-changed'), { headers: { 'x-zendesk-webhook-signature': undefined } }), 401, 'unauthorized')).toBe(
      'missing x-zendesk-webhook-signature header',
    );
    expect(
      refused(await post(fixture('ticket-status-changed'), { headers: { 'x-zendesk-webhook-signature-timestamp': undefined } }), 401, 'unauthorized'),
    ).toBe('missing x-zendesk-webhook-signature-timestamp header');
    refused(await post(fixture('ticket-status-changed'), { headers: { 'x-zendesk-webhook-signature-timestamp': 'yesterday' } }), 401, 'unauthorized');
    refused(await post(fixture('ticket-status-changed'), { headers: { 'x-zendesk-webhook-signature': '%%%not base64%%%' } }), 401, 'unauthorized');
    const bare = await t.app.inject({ method: 'POST', url: '/api/v1/connectors/zendesk', payload: fixture('ticket-status-changed') });
    refused(bare, 401, 'unauthorized');
    await expectNothingApplied();
  });

  it('does not take Watchfloor tokens instead of the signature', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/connectors/zendesk',
      headers: { ...bearer('admin'), 'content-type': 'application/json' },
      payload: fixture('ticket-status-changed'),
    });
    refused(response, 401, 'unauthorized');
  });
});

describe('retries and late deliveries', () => {
  it('counts the same delivery twice once (duplicates: 1)', async () => {
    ok(await post(fixture('ticket-agent-assignment-changed')));
    clock += 30_000; // Zendesk's retry comes later, freshly signed
    expect(ok(await post(fixture('ticket-agent-assignment-changed')))).toMatchObject({ accepted: 0, duplicates: 1, stale: 0 });
    expect(queueOf(await getState(t.app), 'l2').open).toBe(1);
  });

  it('an older update after a newer one is stale and changes nothing', async () => {
    ok(await post(fixture('ticket-status-changed')));
    const before = ticket('5158');
    // The assignment (12:15:45) arrives after the solve (13:00): late delivery.
    expect(ok(await post(fixture('ticket-agent-assignment-changed')))).toMatchObject({ accepted: 0, duplicates: 0, stale: 1 });
    expect(ticket('5158')).toEqual(before);
    expect(queueOf(await getState(t.app), 'l2').open).toBe(0);
  });

  it('an older agent state after a newer one is stale', async () => {
    ok(await post(fixture('agent-unified-state-changed')));
    expect(ok(await post(fixture('agent-state-changed')))).toMatchObject({ accepted: 0, stale: 1 });
    expect((await getAgents(t.app))[0]!.status).toBe('away');
  });
});

describe('bodies that are not a delivery', () => {
  it('answers 400 to a signed body that is not JSON, and to JSON that is not Zendesk', async () => {
    expect(refused(await post('this is { not json'), 400, 'invalid_json')).toMatch(/^body is not valid JSON/);
    expect(refused(await post(''), 400, 'invalid_json')).toMatch(/empty/);
    expect(refused(await post('[1,2,3]'), 400, 'invalid_payload')).toMatch(/must be a JSON object/);
    expect(refused(await post({ hello: 'world' }), 400, 'invalid_payload')).toMatch(/^type: must be a Zendesk event type/);
    await expectNothingApplied();
  });

  it('survives hostile shapes and binary junk, and still works afterwards', async () => {
    const detail = { id: { nested: true }, updated_at: 12, status: ['OPEN'], priority: {}, group_id: [], tags: 'x'.repeat(5000), subject: 7 };
    const bodies: (string | Buffer | object)[] = [
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]),
      'null',
      '"string"',
      '{"type":"zen:event-type:ticket.status_changed"}',
      { type: 'zen:event-type:ticket.status_changed', detail, event: null, id: 'hostile-1' },
      { type: 'zen:event-type:ticket.status_changed', detail: { id: '1', updated_at: 'not a time' }, id: 'hostile-2' },
      { type: 'zen:event-type:agent.state_changed', detail: { agent_id: null }, event: 'x', id: 'hostile-3' },
      {
        type: 'zen:event-type:ticket.csat_received',
        detail: { id: '2', updated_at: '2025-01-08T12:00:00Z' },
        event: { current: { score: 'meh' } },
        id: 'hostile-4',
      },
      {
        type: 'zen:event-type:ticket.next_sla_breach_changed',
        detail: { id: '3', updated_at: '2025-01-08T12:00:00Z' },
        event: { current: { breach_at: 'soon' } },
        id: 'hostile-5',
      },
      { source: 'zendesk-trigger', ticket_id: 'x'.repeat(500), updated_at: '2025-01-08T12:00:00Z' },
      '['.repeat(5000) + ']'.repeat(5000),
      // Deeper than any stack: nothing may recurse over the payload unbounded.
      `{"type":"zen:event-type:ticket.csat_received","id":"hostile-6","detail":{"id":"4","updated_at":"2025-01-08T12:00:00Z"},"event":${'{"score":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
      `{"type":"zen:event-type:ticket.next_sla_breach_changed","id":"hostile-7","detail":{"id":"5","updated_at":"2025-01-08T12:00:00Z"},"event":{"current":${'{"at":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`,
      {
        type: 'zen:event-type:ticket.status_changed',
        id: 'hostile-8',
        detail: { id: '6', updated_at: '2025-01-08T12:00:00Z', status: 'x'.repeat(100_000), group_id: 'g'.repeat(100_000) },
      },
    ];
    for (const body of bodies) {
      const response = await post(body);
      expect([200, 400], response.body.slice(0, 300)).toContain(response.statusCode);
      expect(response.body.length).toBeLessThan(2_000);
    }
    ok(await post(fixture('ticket-agent-assignment-changed')));
    expect(queueOf(await getState(t.app), 'l2').open).toBeGreaterThanOrEqual(1);
  });

  it('answers 413 to a body over 1 MB', async () => {
    const big = JSON.stringify({ type: 'zen:event-type:ticket.status_changed', pad: 'x'.repeat(1024 * 1024) });
    refused(await post(big), 413, 'payload_too_large');
  });
});

describe('connectors that are off, and the mapping file', () => {
  it('answers 404 for a connector without its secret, and for unknown vendors', async () => {
    await t.close();
    await start({});
    refused(await post(fixture('ticket-agent-assignment-changed')), 404, 'not_found');
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/connectors/servicenow', headers: { 'content-type': 'application/json' }, payload: '{}' });
    refused(other, 404, 'not_found');
    await expectNothingApplied();
  });

  it('applies an edited connectors.json to the next delivery, and keeps the last good one over a bad edit', async () => {
    ok(await post(fixture('ticket-agent-assignment-changed')));
    expect(ticket('5158')!.queue).toBe('l2');
    const file = path.join(dashboardsDir, 'connectors.json');
    fs.writeFileSync(file, JSON.stringify({ zendesk: { queues: { '8447320466430': 'l3' } } }));
    ok(await post(fixture('ticket-next-sla-breach-changed')));
    expect(ticket('5158')!.queue).toBe('l3');

    fs.writeFileSync(file, JSON.stringify({ zendesk: { queues: { '8447320466430': 'not a queue!' }, pollSecond: 5 } }));
    ok(await post(fixture('ticket-comment-added')));
    expect(ticket('5158')!.queue).toBe('l3');
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer('viewer') });
    expect(status.json().mapping.problems).toEqual([
      { path: 'zendesk.queues["8447320466430"]', message: 'must be a queue id (letters, digits, - and _), got "not a queue!"' },
      { path: 'zendesk.pollSecond', message: expect.stringMatching(/^unknown setting/) },
    ]);
  });

  it('GET /api/v1/connectors (viewer) reports each connector', async () => {
    ok(await post(fixture('ticket-agent-assignment-changed')));
    refused(await post(fixture('ticket-status-changed'), { secret: 'wrong' }), 401, 'unauthorized');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/connectors' })).statusCode).toBe(401);
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer('viewer') });
    expect(response.statusCode).toBe(200);
    const zendesk = response.json().connectors.find((c: { vendor: string }) => c.vendor === 'zendesk');
    expect(zendesk.webhook).toMatchObject({
      enabled: true,
      path: '/api/v1/connectors/zendesk',
      received: 2,
      applied: 1,
      refused: 1,
      lastDeliveryAt: new Date(clock).toISOString(),
    });
    expect(zendesk.webhook.lastRefusal).toMatchObject({ status: 401 });
    expect(zendesk.poller).toEqual({ enabled: false });
  });
});
