// The incident API (docs/contract.md#major-incidents) against the real app (app.inject, embedded store on a temp DATA_DIR,
// a clock the test moves): roles, If-Match, Idempotency-Key, validation, 404s, the list, the state's
// `incidents` section, linked tickets from ingested events, and the Markdown report.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConflictBody } from '../../../contract/incidents.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { getState, postEvents } from '../../helpers/http.js';
import { addTask, call, declareIncident, expectIncident, getIncident, listIncidents, patchIncident, postUpdate } from '../../helpers/incidents.js';

const at = (time: string): string => `2026-11-26T${time}:00.000Z`;
let clock = Date.parse(at('10:00'));
let t: TestApp;

beforeEach(async () => {
  clock = Date.parse(at('10:00'));
  t = await startTestApp({ now: () => clock });
});

afterEach(async () => {
  await t.close();
});

const PAYMENTS = {
  title: 'Card payments failing',
  severity: 'SEV1',
  summary: 'Card payments fail with 502.',
  services: ['payments'],
  match: { tags: ['payments'] },
};

describe('roles (docs/contract.md#authentication-and-roles)', () => {
  it('answers 401 without a token and 403 to a role too low, on every route', async () => {
    const { app } = t;
    const incident = await declareIncident(app, PAYMENTS);
    const id = incident.id;
    const routes = [
      { method: 'GET', url: '/api/v1/incidents', needs: 'viewer' },
      { method: 'GET', url: `/api/v1/incidents/${id}`, needs: 'viewer' },
      { method: 'GET', url: `/api/v1/incidents/${id}/report`, needs: 'viewer' },
      { method: 'POST', url: '/api/v1/incidents', needs: 'commander', body: PAYMENTS },
      { method: 'PATCH', url: `/api/v1/incidents/${id}`, needs: 'commander', body: { status: 'identified' } },
      { method: 'POST', url: `/api/v1/incidents/${id}/updates`, needs: 'supervisor', body: { audience: 'internal', text: 'x' } },
      { method: 'POST', url: `/api/v1/incidents/${id}/tasks`, needs: 'supervisor', body: { title: 'x' } },
      { method: 'PATCH', url: `/api/v1/incidents/${id}/tasks/t1`, needs: 'supervisor', body: { done: true } },
    ] as const;
    const ranked = ['viewer', 'supervisor', 'commander', 'admin'] as const;
    for (const route of routes) {
      const noToken = await call(app, { method: route.method, url: route.url, as: null, ...('body' in route ? { body: route.body } : {}) });
      expect(noToken.statusCode, `${route.method} ${route.url} without a token`).toBe(401);
      expect(noToken.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/token/) } });
      const ingest = await call(app, { method: route.method, url: route.url, as: 'ingest', ...('body' in route ? { body: route.body } : {}) });
      expect(ingest.statusCode, `${route.method} ${route.url} as ingest`).toBe(403);
      for (const role of ranked.slice(0, ranked.indexOf(route.needs))) {
        const low = await call(app, { method: route.method, url: route.url, as: role, ...('body' in route ? { body: route.body } : {}) });
        expect(low.statusCode, `${route.method} ${route.url} as ${role}`).toBe(403);
        expect(low.json().error.message).toContain(`needs the ${route.needs} role`);
      }
    }
  });

  it('lets a viewer read, a supervisor post updates and tasks, a commander declare and change', async () => {
    const { app } = t;
    const viewerTry = await call(app, { method: 'POST', url: '/api/v1/incidents', as: 'viewer', body: PAYMENTS });
    expect(viewerTry.statusCode).toBe(403);
    expect(await listIncidents(app, 'all')).toEqual([]);

    const incident = await declareIncident(app, PAYMENTS);
    await postUpdate(app, incident.id, 'internal', 'Looking at the PSP.', 'supervisor');
    await addTask(app, incident.id, 'Call the PSP', 'omar');
    const done = await expectIncident(
      await call(app, { method: 'PATCH', url: `/api/v1/incidents/${incident.id}/tasks/t1`, as: 'supervisor', body: { done: true } }),
      200,
    );
    const changed = await patchIncident(app, incident.id, { status: 'identified' }, 'admin');
    expect(done.tasks).toMatchObject([{ id: 't1', done: true, owner: 'omar' }]);
    // Actors are the tokens' names.
    expect(changed.timeline.map((e) => e.actor)).toEqual([
      'commander-user',
      'commander-user',
      'supervisor-user',
      'supervisor-user',
      'supervisor-user',
      'admin-user',
    ]);
  });
});

describe('declaring', () => {
  it('answers 201 with the incident of docs/contract.md#major-incidents, its Location and ETag, and numbers incidents 1, 2, 3', async () => {
    const { app } = t;
    const response = await call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe('/api/v1/incidents/inc-1');
    expect(response.headers.etag).toBe('"2"');
    const incident = response.json();
    for (const field of [
      'id',
      'number',
      'title',
      'severity',
      'status',
      'summary',
      'services',
      'roles',
      'match',
      'declaredAt',
      'identifiedAt',
      'mitigatedAt',
      'resolvedAt',
      'nextUpdateDueAt',
      'linkedTickets',
      'tasks',
      'version',
      'timeline',
    ]) {
      expect(incident, field).toHaveProperty(field);
    }
    expect(incident).toMatchObject({
      id: 'inc-1',
      number: 1,
      severity: 'SEV1',
      status: 'investigating',
      services: ['payments'],
      match: { tags: ['payments'], keywords: [] },
      declaredAt: at('10:00'),
      nextUpdateDueAt: at('10:30'),
      roles: { commander: 'commander-user' },
      version: 2,
    });
    expect((await declareIncident(app, { title: 'Slow search', severity: 'SEV3' })).number).toBe(2);
    expect((await declareIncident(app, { title: 'Email delays', severity: 'sev2' })).number).toBe(3);
  });

  it('declares once for two requests with the same Idempotency-Key (201, then 200 with the same incident)', async () => {
    const { app } = t;
    const headers = { 'idempotency-key': '4f1c2a9e-double-click' };
    const [first, second] = await Promise.all([
      call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers }),
      call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers }),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect((await listIncidents(app, 'all')).map((i) => i.id)).toEqual(['inc-1']);

    // Later, after changes: still the same incident, as it is now.
    clock += 60_000;
    await patchIncident(app, 'inc-1', { status: 'identified' });
    const third = await call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers });
    expect(third.statusCode).toBe(200);
    expect(third.json()).toMatchObject({ id: 'inc-1', status: 'identified', version: 3 });

    // The same key with another body is a mistake, not a repeat.
    const other = await call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: { ...PAYMENTS, title: 'Other' }, headers });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toEqual({ error: { code: 'idempotency_key_reused', message: expect.stringContaining('already declared inc-1') } });

    // Without a key, or after 24 h, a new incident.
    await declareIncident(app, PAYMENTS);
    clock += 24 * 60 * 60_000 + 1;
    expect((await declareIncident(app, PAYMENTS, headers)).number).toBe(3);

    const bad = await call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: PAYMENTS, headers: { 'idempotency-key': 'has space' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^Idempotency-Key: /);
  });

  it('rejects bad bodies with what is wrong', async () => {
    const { app } = t;
    const cases: Array<[unknown, string]> = [
      [{ severity: 'SEV1' }, 'title: must be a string (required)'],
      [{ title: 'x', severity: 'SEV0' }, 'severity: must be one of SEV1, SEV2, SEV3, SEV4, got "SEV0"'],
      [{ title: 'x', severity: 'SEV1', owner: 'me' }, 'owner: unknown field; allowed: title, severity, summary, services, match'],
      [{ title: 'x', severity: 'SEV1', match: { keywords: 'sso' } }, 'match.keywords: must be an array of strings, got "sso"'],
      [[{ title: 'x' }], 'body: must be a JSON object with title, severity, summary, services, match'],
    ];
    for (const [body, message] of cases) {
      const response = await call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'invalid_body', message } });
    }
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: 'Bearer test-commander-secret-01', 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('invalid_json');
    const none = await app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: 'Bearer test-commander-secret-01' } });
    expect(none.statusCode).toBe(400);
    expect(await listIncidents(app, 'all')).toEqual([]);
  });
});

describe('changing an incident', () => {
  it('answers 409 with the current incident and who changed what when If-Match is stale', async () => {
    const { app } = t;
    const incident = await declareIncident(app, PAYMENTS);
    // Two commanders read version 2; Boris writes first.
    const first = await call(app, {
      method: 'PATCH',
      url: `/api/v1/incidents/${incident.id}`,
      as: 'commander',
      body: { severity: 'SEV2' },
      headers: { 'if-match': '2' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"3"');
    const second = await call(app, {
      method: 'PATCH',
      url: `/api/v1/incidents/${incident.id}`,
      as: 'admin',
      body: { status: 'resolved' },
      headers: { 'if-match': '"2"' },
    });
    expect(second.statusCode).toBe(409);
    const body = second.json<ConflictBody>();
    expect(body.error).toEqual({
      code: 'version_conflict',
      message: 'incident inc-1 changed since version 2 (now 3): commander-user: severity lowered: SEV1 → SEV2. Nothing was written; look again and resend.',
    });
    expect(body.incident).toEqual(await getIncident(app, incident.id));
    expect(body.incident).toMatchObject({ severity: 'SEV2', status: 'investigating', version: 3 });

    // Updates and tasks honour If-Match too; the current version passes.
    const staleUpdate = await call(app, {
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/updates`,
      as: 'supervisor',
      body: { audience: 'internal', text: 'x' },
      headers: { 'if-match': '2' },
    });
    expect(staleUpdate.statusCode).toBe(409);
    const fresh = await call(app, {
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/updates`,
      as: 'supervisor',
      body: { audience: 'internal', text: 'x' },
      headers: { 'if-match': 'W/"3"' },
    });
    expect(fresh.statusCode).toBe(201);
    const garbled = await call(app, {
      method: 'PATCH',
      url: `/api/v1/incidents/${incident.id}`,
      as: 'commander',
      body: { status: 'identified' },
      headers: { 'if-match': 'latest' },
    });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().error.message).toMatch(/^If-Match: must be the incident's version/);
    expect((await getIncident(app, incident.id)).version).toBe(4);
  });

  it('runs the lifecycle, with back-steps, resolution and reopening, all in the timeline', async () => {
    const { app } = t;
    const { id } = await declareIncident(app, PAYMENTS);
    clock = Date.parse(at('10:12'));
    await patchIncident(app, id, { status: 'identified', roles: { communications: 'lee', operations: 'omar' } });
    clock = Date.parse(at('10:40'));
    await patchIncident(app, id, { status: 'monitoring' });
    clock = Date.parse(at('10:45'));
    await patchIncident(app, id, { status: 'identified' });
    clock = Date.parse(at('11:00'));
    const resolved = await patchIncident(app, id, { status: 'resolved', roles: { commander: 'boris' } });
    expect(resolved).toMatchObject({
      status: 'resolved',
      identifiedAt: at('10:12'),
      mitigatedAt: at('10:40'),
      resolvedAt: at('11:00'),
      nextUpdateDueAt: null,
      roles: { commander: 'boris', communications: 'lee', operations: 'omar', scribe: null },
      metrics: { timeToIdentifySec: 720, timeToMitigateSec: 2400, timeToResolveSec: 3600 },
    });
    // Nothing changes: 200, same version.
    const same = await call(app, { method: 'PATCH', url: `/api/v1/incidents/${id}`, as: 'commander', body: { status: 'resolved' } });
    expect(same.statusCode).toBe(200);
    expect(same.json().version).toBe(resolved.version);

    clock = Date.parse(at('11:10'));
    const reopened = await patchIncident(app, id, { status: 'investigating' });
    expect(reopened.timeline.at(-1)).toMatchObject({
      kind: 'reopened',
      actor: 'commander-user',
      at: at('11:10'),
      change: { field: 'status', from: 'resolved', to: 'investigating' },
    });
    expect(reopened).toMatchObject({ resolvedAt: null, nextUpdateDueAt: at('11:40') });
    expect(reopened.timeline.map((e) => e.kind)).toEqual(['declared', 'role', 'status', 'role', 'role', 'status', 'status', 'status', 'role', 'reopened']);
  });

  it('answers 404 for unknown incidents and tasks, and takes the number for the id', async () => {
    const { app } = t;
    await declareIncident(app, PAYMENTS);
    expect((await getIncident(app, '1')).id).toBe('inc-1');
    for (const [method, url, body] of [
      ['GET', '/api/v1/incidents/inc-9', undefined],
      ['GET', '/api/v1/incidents/9/report', undefined],
      ['PATCH', '/api/v1/incidents/inc-9', { status: 'identified' }],
      ['POST', '/api/v1/incidents/nope/updates', { audience: 'internal', text: 'x' }],
      ['POST', '/api/v1/incidents/inc-9/tasks', { title: 'x' }],
      ['PATCH', '/api/v1/incidents/inc-1/tasks/t7', { done: true }],
    ] as const) {
      const response = await call(app, { method, url, as: 'admin', ...(body === undefined ? {} : { body }) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  it('rejects bad PATCH, update and task bodies with what is wrong', async () => {
    const { app } = t;
    const { id } = await declareIncident(app, PAYMENTS);
    const cases: Array<[Parameters<typeof call>[1], string]> = [
      [
        { method: 'PATCH', url: `/api/v1/incidents/${id}`, as: 'commander', body: {} },
        'body: send at least one of title, status, severity, summary, services, match, roles',
      ],
      [
        { method: 'PATCH', url: `/api/v1/incidents/${id}`, as: 'commander', body: { status: 'done' } },
        'status: must be one of investigating, identified, monitoring, resolved, got "done"',
      ],
      [
        { method: 'PATCH', url: `/api/v1/incidents/${id}`, as: 'commander', body: { roles: { lead: 'x' } } },
        'roles.lead: unknown role; roles are commander, communications, operations, scribe',
      ],
      [
        { method: 'POST', url: `/api/v1/incidents/${id}/updates`, as: 'supervisor', body: { text: 'x' } },
        'audience: must be one of internal, customers (required)',
      ],
      [{ method: 'POST', url: `/api/v1/incidents/${id}/updates`, as: 'supervisor', body: { audience: 'customers', text: ' ' } }, 'text: must not be empty'],
      [{ method: 'POST', url: `/api/v1/incidents/${id}/tasks`, as: 'supervisor', body: { title: 'x', owner: 5 } }, 'owner: must be a string, got 5'],
      [{ method: 'PATCH', url: `/api/v1/incidents/${id}/tasks/t1`, as: 'supervisor', body: { done: 1 } }, 'done: must be true or false, got 1'],
    ];
    for (const [request, message] of cases) {
      const response = await call(app, request);
      expect(response.statusCode, `${request.method} ${request.url} ${JSON.stringify(request.body)}`).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'invalid_body', message } });
    }
    expect((await getIncident(app, id)).version).toBe(2);
  });
});

describe('reading', () => {
  it('lists active, resolved or all incidents, newest first, without their timelines', async () => {
    const { app } = t;
    await declareIncident(app, PAYMENTS);
    await declareIncident(app, { title: 'Slow search', severity: 'SEV3' });
    await patchIncident(app, 'inc-1', { status: 'resolved' });
    expect((await listIncidents(app, 'active')).map((i) => i.id)).toEqual(['inc-2']);
    expect((await listIncidents(app, 'resolved')).map((i) => i.id)).toEqual(['inc-1']);
    const all = await listIncidents(app, 'all');
    expect(all.map((i) => i.id)).toEqual(['inc-2', 'inc-1']);
    expect(all[0]).not.toHaveProperty('timeline');
    expect(all[0]).toHaveProperty('tasks');
    const defaults = await call(app, { method: 'GET', url: '/api/v1/incidents', as: 'viewer' });
    expect(defaults.json().incidents.map((i: { id: string }) => i.id)).toEqual(['inc-2']);
    const bad = await call(app, { method: 'GET', url: '/api/v1/incidents?status=open', as: 'viewer' });
    expect(bad.statusCode).toBe(400);
  });

  it('puts the active incidents on the state, most severe first, and takes a resolved one off', async () => {
    const { app } = t;
    expect((await getState(app)).incidents).toEqual([]);
    await declareIncident(app, { title: 'Slow search', severity: 'SEV3' });
    const sev1 = await declareIncident(app, PAYMENTS);
    await postUpdate(app, sev1.id, 'customers', 'We are investigating failed card payments.');
    await addTask(app, sev1.id, 'Call the PSP');
    const { incidents } = await getState(app);
    expect(incidents.map((i) => [i.id, i.severity, i.status, i.major])).toEqual([
      ['inc-2', 'SEV1', 'investigating', true],
      ['inc-1', 'SEV3', 'investigating', false],
    ]);
    expect(incidents[0]).toEqual({
      id: 'inc-2',
      number: 2,
      title: 'Card payments failing',
      severity: 'SEV1',
      major: true,
      status: 'investigating',
      declaredAt: at('10:00'),
      commander: 'commander-user',
      latestUpdate: { at: at('10:00'), actor: 'supervisor-user', audience: 'customers', text: 'We are investigating failed card payments.' },
      nextUpdateDueAt: at('10:30'),
      linkedTickets: 0,
      linkedRatePerHour: 0,
      tasksDone: 0,
      tasksTotal: 1,
      version: 4,
    });
    await patchIncident(app, sev1.id, { status: 'resolved' });
    expect((await getState(app)).incidents.map((i) => i.id)).toEqual(['inc-1']);
  });
});

describe('linked tickets', () => {
  it('counts open tickets tagged incident-<n> or matching the rules, and their arrival rate, on the incident and the state', async () => {
    const { app } = t;
    await postEvents(app, [
      ticketEvent({ id: 'L1', subject: 'Card payment fails with 502', tags: ['payments'], createdAt: at('09:40') }),
      ticketEvent({ id: 'L2', subject: 'Cannot pay invoice', tags: ['INCIDENT-1'], createdAt: at('09:55') }),
      ticketEvent({ id: 'L3', subject: 'Checkout spins forever', createdAt: at('09:58') }),
      ticketEvent({ id: 'L4', subject: 'Checkout broken', status: 'solved', solvedAt: at('09:59'), createdAt: at('09:50') }),
      ticketEvent({ id: 'U1', subject: 'Printer not found', tags: ['desktop'], createdAt: at('09:57') }),
    ]);
    const { id } = await declareIncident(app, { ...PAYMENTS, match: { tags: ['payments'], keywords: ['checkout'] } });
    // Open and linked: L1, L2, L3. Created within 15 min of 10:00: L2, L3, L4 → 12 per hour.
    expect((await getIncident(app, id)).linkedTickets).toEqual({ count: 3, perHour: 12 });
    expect((await getState(app)).incidents[0]).toMatchObject({ linkedTickets: 3, linkedRatePerHour: 12 });

    // More arrive; the periodic recount (forced here rather than waited for) sees them. L4 (09:50) has left the 15 minutes.
    clock = Date.parse(at('10:05'));
    await postEvents(app, [ticketEvent({ id: 'L5', subject: 'Payment failed', tags: ['incident-1'], createdAt: at('10:04') })]);
    app.incidents.refreshLinks(true);
    expect((await getIncident(app, id)).linkedTickets).toEqual({ count: 4, perHour: 12 });
    expect((await getState(app)).incidents[0]).toMatchObject({ linkedTickets: 4, linkedRatePerHour: 12 });

    // Resolved: nothing is linked any more.
    expect((await patchIncident(app, id, { status: 'resolved' })).linkedTickets).toEqual({ count: 0, perHour: 0 });
  });
});

describe('the report', () => {
  it('is Markdown with summary, impact, times, roles, the whole timeline, tasks and updates', async () => {
    const { app } = t;
    await postEvents(app, [
      // Linked by tag; its first response (due 10:10) is missed during the incident.
      ticketEvent({
        id: 'R1',
        subject: 'Card payment fails',
        tags: ['payments'],
        createdAt: at('09:48'),
        firstResponseDueAt: at('10:10'),
        resolutionDueAt: at('18:00'),
      }),
      // Unlinked; first response due 10:20, missed; and one due after the incident.
      ticketEvent({ id: 'R3', subject: 'Printer offline', createdAt: at('09:40'), firstResponseDueAt: at('10:20') }),
      ticketEvent({ id: 'R4', subject: 'Password reset', createdAt: at('09:40'), firstResponseDueAt: at('12:00') }),
    ]);
    const { id } = await declareIncident(app, PAYMENTS);
    clock = Date.parse(at('10:05'));
    await postEvents(app, [ticketEvent({ id: 'R2', subject: 'Cannot pay', tags: ['incident-1'], createdAt: at('10:04'), resolutionDueAt: at('10:40') })]);
    clock = Date.parse(at('10:12'));
    await patchIncident(app, id, {
      status: 'identified',
      summary: 'The PSP rejects card payments after its certificate rotation.\nRetried payments succeed.',
      roles: { communications: 'lee' },
    });
    clock = Date.parse(at('10:15'));
    await postUpdate(app, id, 'customers', 'Card payments are failing. We know why and are fixing it.\nNext update by 10:45.');
    await postUpdate(app, id, 'internal', 'PSP confirmed | certificate issue.');
    await addTask(app, id, 'Ask the PSP to roll back', 'omar');
    await addTask(app, id, 'Write the customer FAQ');
    clock = Date.parse(at('10:35'));
    await expectIncident(await call(app, { method: 'PATCH', url: `/api/v1/incidents/${id}/tasks/t1`, as: 'supervisor', body: { done: true } }), 200);
    clock = Date.parse(at('10:40'));
    await patchIncident(app, id, { status: 'monitoring' });
    clock = Date.parse(at('10:50'));
    await postEvents(app, [
      ticketEvent({
        id: 'R2',
        subject: 'Cannot pay',
        tags: ['incident-1'],
        createdAt: at('10:04'),
        status: 'solved',
        solvedAt: at('10:50'),
        resolutionDueAt: at('10:40'),
      }),
    ]);
    clock = Date.parse(at('11:00'));
    const resolved = await patchIncident(app, id, { status: 'resolved', roles: { commander: 'boris' } });
    clock = Date.parse(at('11:30'));

    const response = await call(app, { method: 'GET', url: `/api/v1/incidents/${id}/report`, as: 'viewer' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const report = response.body;
    const lines = report.split('\n');
    expect(lines[0]).toBe('# Incident #1: Card payments failing');
    expect(report).toContain('**SEV1** (Critical) · **resolved** · declared 2026-11-26 10:00:00 UTC by commander-user · resolved 2026-11-26 11:00:00 UTC');
    for (const heading of ['## Summary', '## Impact', '## Key times', '## Roles', '## Timeline', '## Tasks', '## Updates sent'])
      expect(lines).toContain(heading);
    expect(report).toContain('The PSP rejects card payments after its certificate rotation.\nRetried payments succeed.');
    expect(report).toContain('- **Duration:** 1 h 00 min (2026-11-26 10:00:00 UTC to 2026-11-26 11:00:00 UTC)');
    // R1 (tag payments) and R2 (tagged incident-1); R2 is solved.
    expect(report).toContain('- **Linked tickets:** 2 (1 still open)');
    // R1 first response (10:10), R3 first response (10:20), R2 resolution (due 10:40, solved 10:50); not R4 (12:00).
    expect(report).toContain('- **SLA breaches during the incident:** 3 (2 on linked tickets)');
    expect(report).toContain('Time to identify: **12 min** · time to mitigate: **40 min** · time to resolve: **1 h 00 min**');
    expect(report).toContain('| commander | commander-user (from 2026-11-26 10:00:00 UTC) → boris (from 2026-11-26 11:00:00 UTC) |');
    expect(report).toContain('| communications | lee (from 2026-11-26 10:12:00 UTC) |');
    // Every entry of the timeline is a row, pipes escaped.
    const rows = lines.filter((l) => /^\| \d+ \| 2026/.test(l));
    expect(rows).toHaveLength(resolved.version);
    expect(report).toContain('| 7 | 2026-11-26 10:15:00 UTC | supervisor-user | Internal update: PSP confirmed \\| certificate issue. |');
    expect(report).toContain('- [x] t1: Ask the PSP to roll back (owner omar, done 2026-11-26 10:35:00 UTC)');
    expect(report).toContain('- [ ] t2: Write the customer FAQ (no owner)');
    expect(report).toContain(
      '**2026-11-26 10:15:00 UTC**, supervisor-user:\n\n> Card payments are failing. We know why and are fixing it.\n> Next update by 10:45.',
    );
    expect(report.endsWith('\n')).toBe(true);
  });

  it('says when the incident is still going', async () => {
    const { app } = t;
    const { id } = await declareIncident(app, PAYMENTS);
    clock = Date.parse(at('10:20'));
    const report = (await call(app, { method: 'GET', url: `/api/v1/incidents/${id}/report`, as: 'viewer' })).body;
    expect(report).toContain('> This incident is still active: the report is as of 2026-11-26 10:20:00 UTC.');
    expect(report).toContain('- **Duration:** 20 min (2026-11-26 10:00:00 UTC to now)');
    expect(report).toContain('| Resolved | not reached | — |');
  });
});
