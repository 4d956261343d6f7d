// Bad input on the public API (docs/contract.md#authentication-and-roles, #events-in, #the-numbers): every refusal has the one error shape, names
// what is wrong, and costs the valid events of a batch nothing; the server keeps answering.
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKENS, bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { agentEvent, ticketEvent } from '../../helpers/events.js';
import { getState, queueOf } from '../../helpers/http.js';

let clock = Date.parse('2026-11-26T10:00:00Z');
let t: TestApp;

beforeEach(async () => {
  clock = Date.parse('2026-11-26T10:00:00Z');
  t = await startTestApp({ now: () => clock });
});

afterEach(async () => {
  await t.close();
});

function post(body: string, options: { contentType?: string; headers?: Record<string, string> } = {}) {
  const headers = { ...(options.headers ?? bearer('ingest')), 'content-type': options.contentType ?? 'application/json' };
  return t.app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: body });
}

/** The one error shape, exactly: no extra fields, no stack trace; returns the message. */
function expectError(response: LightMyRequestResponse, status: number, code: string): string {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json<{ error: { code: string; message: string } }>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(response.body).not.toMatch(/\bat .*\.(ts|js):\d+|"stack"/);
  return body.error.message;
}

const valid = (id: string, queue = 'l1') => ticketEvent({ id, queue, status: 'open', createdAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' });

describe('bodies that are not a batch', () => {
  it('refuses malformed JSON with 400 invalid_json and the parser message', async () => {
    const message = expectError(await post('[{"id":'), 400, 'invalid_json');
    expect(message).toMatch(/^body is not valid JSON: /);
  });

  it('refuses a JSON object that is not an array', async () => {
    const message = expectError(await post(JSON.stringify(valid('T1'))), 400, 'invalid_body');
    expect(message).toContain('must be a JSON array');
    expect((await getState(t.app)).queues).toEqual([]);
  });

  it('refuses an empty body, with or without a content type', async () => {
    expect(expectError(await post(''), 400, 'invalid_body')).toContain('empty');
    expect(expectError(await post('  \n'), 400, 'invalid_body')).toContain('empty');
    const bare = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest') });
    expect(expectError(bare, 400, 'invalid_body')).toContain('empty');
  });

  it('refuses NDJSON in which no line is JSON', async () => {
    const message = expectError(await post('hello\nworld\n', { contentType: 'application/x-ndjson' }), 400, 'invalid_ndjson');
    expect(message).toContain('line 1 is not valid JSON');
  });

  it('refuses an unsupported content type with 415', async () => {
    expectError(await post(JSON.stringify([valid('T1')]), { contentType: 'text/plain' }), 415, 'unsupported_media_type');
    expectError(await post('<events/>', { contentType: 'application/xml' }), 415, 'unsupported_media_type');
    expect((await getState(t.app)).queues).toEqual([]);
  });
});

describe('events that are wrong one by one', () => {
  it('rejects each bad event with a message naming the field, and applies the valid ones', async () => {
    const base = valid('T-bad', 'bad');
    const ticketWith = (fields: Record<string, unknown>) => ({ ...base, id: `bad-${Object.keys(fields)[0]}`, ticket: { ...base.ticket, ...fields } });
    const batch: unknown[] = [
      valid('T-ok-1'), // 0: applied
      ticketWith({ status: 'wip' }), // 1
      ticketWith({ csat: 7 }), // 2
      { ...valid('T-bad-at', 'bad'), at: 'yesterday' }, // 3
      ticketWith({ priority: 3 }), // 4
      { ...valid('T-bad-type', 'bad'), type: 'comment' }, // 5
      { type: 'ticket', at: '2026-11-26T09:00:00Z', ticket: base.ticket }, // 6: no id
      agentEvent({ id: 'A-1', status: 'available' }, '2026-11-26T09:00:00Z'), // 7: applied
      42, // 8
      ticketWith({ createdAt: '2026-11-26T09:00:00' }), // 9: no zone
      agentEvent({ id: 'A-2', status: 'lunch' as never }, '2026-11-26T09:00:00Z'), // 10
      { id: 'no-ticket', type: 'ticket', at: '2026-11-26T09:00:00Z' }, // 11
      valid('T-ok-2'), // 12: applied
    ];
    const response = await post(JSON.stringify(batch));
    expect(response.statusCode).toBe(202);
    const zoned = 'must be an ISO-8601 time with a zone, like 2026-11-26T10:02:00Z';
    expect(response.json()).toEqual({
      accepted: 3,
      duplicates: 0,
      stale: 0,
      rejected: [
        { index: 1, error: 'ticket.status: must be one of new, open, pending, solved, closed' },
        { index: 2, error: 'ticket.csat: must be a whole number from 1 to 5, or null' },
        { index: 3, error: `at: ${zoned}` },
        { index: 4, error: 'ticket.priority: must be one of urgent, high, normal, low' },
        { index: 5, error: 'type: must be one of ticket, agent' },
        { index: 6, error: 'id: required, a non-empty string' },
        { index: 8, error: 'event: must be an object' },
        { index: 9, error: `ticket.createdAt: ${zoned}` },
        { index: 10, error: 'agent.status: must be one of available, busy, away, offline' },
        { index: 11, error: 'ticket: required, an object' },
      ],
    });
    const state = await getState(t.app);
    // T-ok-1 and T-ok-2 in l1; nothing of the rejected ones (all in queue "bad").
    expect(queueOf(state, 'l1')).toMatchObject({ open: 2, waiting: 2 });
    expect(queueOf(state, 'bad').open).toBe(0);
    expect(state.agents).toEqual({ available: 1, busy: 0, away: 0, offline: 0 });
    expect(state.kpis.createdToday).toBe(2);
  });

  it('rejects one bad NDJSON line and applies the others', async () => {
    const lines = [
      JSON.stringify(valid('N-1')),
      '{"id":"broken",', // 1: not JSON
      JSON.stringify({ ...valid('N-bad'), ticket: { ...valid('N-bad').ticket, status: 'wip' } }), // 2: JSON, invalid event
      '',
      JSON.stringify(agentEvent({ id: 'A-9', status: 'busy' }, '2026-11-26T09:30:00Z')),
    ];
    const response = await post(lines.join('\n'), { contentType: 'application/x-ndjson' });
    expect(response.statusCode).toBe(202);
    const summary = response.json<{ accepted: number; rejected: { index: number; error: string }[] }>();
    expect(summary.accepted).toBe(2);
    expect(summary.rejected).toHaveLength(2);
    expect(summary.rejected[0]!.index).toBe(1);
    expect(summary.rejected[0]!.error).toMatch(/^line 2 is not valid JSON: /);
    expect(summary.rejected[1]).toEqual({ index: 2, error: 'ticket.status: must be one of new, open, pending, solved, closed' });
    const state = await getState(t.app);
    expect(queueOf(state, 'l1').open).toBe(1);
    expect(state.agents.busy).toBe(1);
  });

  it('rejects an event id with a control character (ids are stored newline-separated)', async () => {
    const response = await post(JSON.stringify([{ ...valid('C-1'), id: 'evt\n42' }, valid('C-2')]));
    expect(response.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      stale: 0,
      rejected: [{ index: 0, error: 'id: must not contain control characters' }],
    });
  });

  it('reads NDJSON with Windows line endings', async () => {
    const lines = [valid('W-1'), valid('W-2')].map((event) => JSON.stringify(event));
    const response = await post(`${lines.join('\r\n')}\r\n`, { contentType: 'application/x-ndjson' });
    expect(response.json()).toEqual({ accepted: 2, duplicates: 0, stale: 0, rejected: [] });
  });
});

describe('limits', () => {
  const agents = (count: number) => Array.from({ length: count }, (_, i) => agentEvent({ id: `L-${i}`, status: 'busy' }, '2026-11-26T09:00:00Z'));

  it('takes exactly 10,000 events and refuses 10,001 with 413, applying none of them', async () => {
    const over = expectError(await post(JSON.stringify(agents(10_001))), 413, 'too_many_events');
    expect(over).toContain('10000');
    const overNdjson = await post(
      agents(10_001)
        .map((e) => JSON.stringify(e))
        .join('\n'),
      { contentType: 'application/x-ndjson' },
    );
    expectError(overNdjson, 413, 'too_many_events');
    expect((await getState(t.app)).agents.busy).toBe(0);

    const exact = await post(JSON.stringify(agents(10_000)));
    expect(exact.statusCode).toBe(202);
    expect(exact.json()).toMatchObject({ accepted: 10_000, rejected: [] });
    expect((await getState(t.app)).agents.busy).toBe(10_000);
  });

  it('refuses a body over 5 MB with 413 in the error shape', async () => {
    // One event whose name alone is just over 5 MB.
    const huge = JSON.stringify([agentEvent({ id: 'H-1', name: 'x'.repeat(5 * 1024 * 1024), status: 'busy' }, '2026-11-26T09:00:00Z')]);
    expectError(await post(huge), 413, 'payload_too_large');
    expectError(await post(huge.slice(1, -1), { contentType: 'application/x-ndjson' }), 413, 'payload_too_large');
    expect((await getState(t.app)).agents.busy).toBe(0);
  });

  it('takes a body of 5,000,000 bytes (within 5 MB however the MB is counted)', async () => {
    const events = JSON.stringify([agentEvent({ id: 'B-1', status: 'busy' }, '2026-11-26T09:00:00Z')]);
    // JSON allows whitespace between tokens: pad the array to exactly 5,000,000 bytes.
    const body = `[${' '.repeat(5_000_000 - events.length)}${events.slice(1)}`;
    expect(Buffer.byteLength(body)).toBe(5_000_000);
    const response = await post(body);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ accepted: 1 });
  });
});

describe('tokens and roles', () => {
  const state = (headers: Record<string, string> = {}, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/state${query}`, headers });
  const batch = JSON.stringify([valid('AUTH-1')]);

  it('answers 401 to a missing or unknown token', async () => {
    expectError(await post(batch, { headers: {} }), 401, 'unauthorized');
    expectError(await post(batch, { headers: { authorization: 'Bearer not-a-known-secret-at-all' } }), 401, 'unauthorized');
    expectError(await post(batch, { headers: { authorization: `Basic ${TOKENS.ingest}` } }), 401, 'unauthorized');
    expectError(await state(), 401, 'unauthorized');
    expectError(await state({}, '?token=not-a-known-secret-at-all'), 401, 'unauthorized');
    expect(queueOf(await getState(t.app), 'l1').open).toBe(0);
  });

  it('answers 403 to a known token with the wrong role', async () => {
    // Viewers and even admins may not send events: ingest stands apart.
    expectError(await post(batch, { headers: bearer('viewer') }), 403, 'forbidden');
    expectError(await post(batch, { headers: bearer('admin') }), 403, 'forbidden');
    expectError(await state(bearer('ingest')), 403, 'forbidden');
    expect(queueOf(await getState(t.app), 'l1').open).toBe(0);
  });

  it('lets every ranked role read, by header or by ?token= on a GET', async () => {
    for (const role of ['viewer', 'supervisor', 'commander', 'admin'] as const) {
      expect((await state(bearer(role))).statusCode).toBe(200);
    }
    const byQuery = await state({}, `?token=${encodeURIComponent(TOKENS.viewer)}`);
    expect(byQuery.statusCode).toBe(200);
    expect(byQuery.json()).toHaveProperty('kpis');
    const tickets = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?view=waiting&token=${TOKENS.viewer}` });
    expect(tickets.statusCode).toBe(200);
  });

  it('leaves /healthz open', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('read API errors', () => {
  it('refuses a bad or missing ticket view with 400', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?view=everything', headers: bearer('viewer') });
    expect(expectError(bad, 400, 'invalid_request')).toContain('view');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer('viewer') });
    expect(expectError(missing, 400, 'invalid_request')).toContain('view');
  });

  it('answers an unknown /api route with 404 in the error shape', async () => {
    const message = expectError(await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: bearer('viewer') }), 404, 'not_found');
    expect(message).toContain('/api/v1/nothing-here');
    expectError(await t.app.inject({ method: 'DELETE', url: '/api/v1/state', headers: bearer('admin') }), 404, 'not_found');
  });
});

it('keeps answering after all of that', async () => {
  // A barrage of everything above, then ordinary work.
  await post('[{"id":');
  await post('{}');
  await post('');
  await post('x\ny', { contentType: 'application/x-ndjson' });
  await post('[]', { contentType: 'text/plain' });
  await post(`[${' '.repeat(5 * 1024 * 1024)}]`);
  await post(JSON.stringify([42, { id: 'x' }]));
  await post('[]', { headers: {} });
  await t.app.inject({ method: 'GET', url: '/api/v1/tickets?view=nope', headers: bearer('viewer') });

  const ok = await post(JSON.stringify([valid('AFTER-1')]));
  expect(ok.statusCode).toBe(202);
  expect(ok.json()).toEqual({ accepted: 1, duplicates: 0, stale: 0, rejected: [] });
  const state = await getState(t.app);
  expect(queueOf(state, 'l1')).toMatchObject({ open: 1, waiting: 1 });
  // Created 09:00, now 10:00.
  expect(queueOf(state, 'l1').oldestWaitingSec).toBe(3600);
  const health = await t.app.inject({ method: 'GET', url: '/healthz' });
  expect(health.json()).toMatchObject({ status: 'ok', tickets: 1 });
});
