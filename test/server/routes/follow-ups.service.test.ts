// Follow-ups (docs/contract.md#follow-ups) against the real app (app.inject, embedded store on a temp DATA_DIR, a
// clock the test moves): adding and changing them with If-Match, on a resolved incident too, the
// refusals naming the field, roles, the list across incidents with its filters, the state's
// `followUps` section, and an alert rule on followUps.overdue that fires once time alone makes one
// overdue.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConflictBody, FollowUpRow, Incident } from '../../../contract/incidents.js';
import { startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { getState } from '../../helpers/http.js';
import { call, declareIncident, expectIncident, getIncident, patchIncident } from '../../helpers/incidents.js';

const at = (time: string, day = '26'): string => `2026-11-${day}T${time}:00.000Z`;
const RULES = {
  rules: [{ id: 'follow-ups-late', title: 'Follow-ups overdue', metric: 'followUps.overdue', op: '>', value: 0, forSec: 0, severity: 'warning' }],
};
let clock = Date.parse(at('10:00'));
let t: TestApp;

beforeEach(async () => {
  clock = Date.parse(at('10:00'));
  const dashboards = tempDir('watchfloor-follow-ups-');
  fs.writeFileSync(path.join(dashboards, 'alerts.json'), JSON.stringify(RULES));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboards } });
});

afterEach(async () => {
  await t.close();
});

async function addFollowUp(id: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Incident> {
  return expectIncident(await call(t.app, { method: 'POST', url: `/api/v1/incidents/${id}/follow-ups`, as: 'supervisor', body, headers }), 201);
}

async function patchFollowUp(id: string, fid: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call(t.app, { method: 'PATCH', url: `/api/v1/incidents/${id}/follow-ups/${fid}`, as: 'supervisor', body, headers });
}

async function listFollowUps(status?: string): Promise<FollowUpRow[]> {
  const response = await call(t.app, { method: 'GET', url: `/api/v1/follow-ups${status === undefined ? '' : `?status=${status}`}`, as: 'viewer' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ followUps: FollowUpRow[] }>().followUps;
}

const PAYMENTS = { title: 'Card payments failing', severity: 'SEV1' };
const POSTMORTEM = { title: 'Write the post-mortem', owner: 'anna', dueAt: '2026-11-28T17:00:00Z' };

describe('adding and changing follow-ups', () => {
  it('adds f1, f2… with a timeline entry each, normalizing the due time to UTC', async () => {
    await declareIncident(t.app, PAYMENTS);
    clock = Date.parse(at('10:05'));
    const first = await addFollowUp('inc-1', POSTMORTEM);
    const second = await addFollowUp('1', { title: '  Add a PSP timeout alert ', owner: 'omar', dueAt: '2026-11-27T12:00:00+03:00' });
    expect(first.version).toBe(3);
    expect(second.followUps).toEqual([
      {
        id: 'f1',
        title: 'Write the post-mortem',
        owner: 'anna',
        dueAt: '2026-11-28T17:00:00.000Z',
        status: 'open',
        createdAt: at('10:05'),
        createdBy: 'supervisor-user',
        doneAt: null,
      },
      {
        id: 'f2',
        title: 'Add a PSP timeout alert',
        owner: 'omar',
        dueAt: '2026-11-27T09:00:00.000Z',
        status: 'open',
        createdAt: at('10:05'),
        createdBy: 'supervisor-user',
        doneAt: null,
      },
    ]);
    expect(second.timeline.at(-1)).toEqual({
      seq: 4,
      at: at('10:05'),
      kind: 'follow-up-added',
      actor: 'supervisor-user',
      text: 'follow-up f2: Add a PSP timeout alert (owner omar, due 2026-11-27T09:00:00.000Z)',
      change: { field: 'followUps.f2', from: null, to: { title: 'Add a PSP timeout alert', owner: 'omar', dueAt: '2026-11-27T09:00:00.000Z' } },
    });
  });

  it('changes status, owner and due time with If-Match, one entry per field that moves; a stale version is a 409', async () => {
    await declareIncident(t.app, PAYMENTS);
    await addFollowUp('inc-1', POSTMORTEM);
    clock = Date.parse(at('11:00'));
    const changed = await patchFollowUp('inc-1', 'f1', { owner: 'boris', dueAt: '2026-11-29T17:00:00Z' }, { 'if-match': '3' });
    const incident = await expectIncident(changed, 200);
    expect(changed.headers.etag).toBe('"5"');
    expect(incident.followUps[0]).toMatchObject({ owner: 'boris', dueAt: '2026-11-29T17:00:00.000Z', status: 'open' });
    expect(incident.timeline.slice(-2).map((e) => [e.kind, e.change?.field, e.change?.from, e.change?.to])).toEqual([
      ['follow-up-changed', 'followUps.f1.owner', 'anna', 'boris'],
      ['follow-up-changed', 'followUps.f1.dueAt', '2026-11-28T17:00:00.000Z', '2026-11-29T17:00:00.000Z'],
    ]);

    const stale = await patchFollowUp('inc-1', 'f1', { status: 'done' }, { 'if-match': '3' });
    expect(stale.statusCode).toBe(409);
    const body = stale.json<ConflictBody>();
    expect(body.error.code).toBe('version_conflict');
    expect(body.error.message).toContain('changed since version 3 (now 5)');
    expect(body.incident.followUps[0]?.status).toBe('open');

    clock = Date.parse(at('11:30'));
    const done = await expectIncident(await patchFollowUp('inc-1', 'f1', { status: 'done' }, { 'if-match': '5' }), 200);
    expect(done.followUps[0]).toMatchObject({ status: 'done', doneAt: at('11:30') });
    // The same status again changes nothing: 200, same version.
    const again = await expectIncident(await patchFollowUp('inc-1', 'f1', { status: 'done' }), 200);
    expect(again.version).toBe(6);
    // Reopened, it is open again and no longer done.
    const reopened = await expectIncident(await patchFollowUp('inc-1', 'f1', { status: 'open' }), 200);
    expect(reopened.followUps[0]).toMatchObject({ status: 'open', doneAt: null });
  });

  it('are added to and changed on a resolved incident, which stays resolved', async () => {
    await declareIncident(t.app, PAYMENTS);
    await patchIncident(t.app, 'inc-1', { status: 'resolved' });
    const added = await addFollowUp('inc-1', POSTMORTEM);
    expect(added).toMatchObject({ status: 'resolved', followUps: [{ id: 'f1', status: 'open' }] });
    const wontfix = await expectIncident(await patchFollowUp('inc-1', 'f1', { status: 'wontfix' }), 200);
    expect(wontfix).toMatchObject({ status: 'resolved', followUps: [{ id: 'f1', status: 'wontfix', doneAt: null }] });
  });

  it('refuses bad bodies naming the field, unknown follow-ups and incidents with 404, and a viewer with 403', async () => {
    await declareIncident(t.app, PAYMENTS);
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ owner: 'anna', dueAt: '2026-11-28T17:00:00Z' }, 'title: must be a string (required)'],
      [{ title: 'x', dueAt: '2026-11-28T17:00:00Z' }, 'owner: must be a string (required)'],
      [{ title: 'x', owner: '  ', dueAt: '2026-11-28T17:00:00Z' }, 'owner: must not be empty'],
      [{ title: 'x', owner: 'anna' }, 'dueAt: must be an ISO-8601 time with a zone, e.g. 2026-12-10T17:00:00Z (required)'],
      [{ title: 'x', owner: 'anna', dueAt: '2026-11-28' }, 'dueAt: must be an ISO-8601 time with a zone, e.g. 2026-12-10T17:00:00Z, got "2026-11-28"'],
      [{ title: 'x', owner: 'anna', dueAt: '2026-11-28T17:00:00' }, 'dueAt: must be an ISO-8601 time with a zone'],
      [{ title: 'x', owner: 'anna', dueAt: '2026-02-30T17:00:00Z' }, 'dueAt: must be an ISO-8601 time with a zone'],
      [{ title: 'x', owner: 'anna', dueAt: 1764349200000 }, 'dueAt: must be an ISO-8601 time with a zone, e.g. 2026-12-10T17:00:00Z, got 1764349200000'],
      [{ ...POSTMORTEM, done: true }, 'done: unknown field; allowed: title, owner, dueAt'],
    ];
    for (const [body, message] of refusals) {
      const response = await call(t.app, { method: 'POST', url: '/api/v1/incidents/inc-1/follow-ups', as: 'supervisor', body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.message).toContain(message);
    }
    await addFollowUp('inc-1', POSTMORTEM);
    const patchRefusals: Array<[Record<string, unknown>, string]> = [
      [{}, 'body: send at least one of status, owner, dueAt'],
      [{ status: 'closed' }, 'status: must be one of open, done, wontfix, got "closed"'],
      [{ owner: null }, 'owner: must be a string, got null'],
      [{ dueAt: 'tomorrow' }, 'dueAt: must be an ISO-8601 time with a zone'],
    ];
    for (const [body, message] of patchRefusals) {
      const response = await patchFollowUp('inc-1', 'f1', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.message).toContain(message);
    }
    const missing = await patchFollowUp('inc-1', 'f9', { status: 'done' });
    expect([missing.statusCode, missing.json().error.message]).toEqual([404, 'incident inc-1 has no such follow-up']);
    const noIncident = await call(t.app, { method: 'POST', url: '/api/v1/incidents/inc-7/follow-ups', as: 'supervisor', body: POSTMORTEM });
    expect(noIncident.statusCode).toBe(404);

    for (const [method, url, body] of [
      ['POST', '/api/v1/incidents/inc-1/follow-ups', POSTMORTEM],
      ['PATCH', '/api/v1/incidents/inc-1/follow-ups/f1', { status: 'done' }],
    ] as const) {
      const viewer = await call(t.app, { method, url, as: 'viewer', body });
      expect(viewer.statusCode, `${method} ${url}`).toBe(403);
      expect(viewer.json().error.message).toContain('needs the supervisor role');
    }
    expect((await call(t.app, { method: 'GET', url: '/api/v1/follow-ups', as: null })).statusCode).toBe(401);
    // Nothing refused was written.
    expect((await getIncident(t.app, 'inc-1')).followUps).toHaveLength(1);
  });
});

describe('the list across incidents', () => {
  it('answers open ones by due time by default, overdue ones, or all', async () => {
    await declareIncident(t.app, PAYMENTS);
    await declareIncident(t.app, { title: 'Slow search', severity: 'SEV3' });
    await patchIncident(t.app, 'inc-2', { status: 'resolved' });
    await addFollowUp('inc-1', { title: 'Post-mortem', owner: 'anna', dueAt: at('12:00') }); // inc-1 f1
    await addFollowUp('inc-2', { title: 'Reindex', owner: 'omar', dueAt: at('09:00') }); // inc-2 f1: overdue at 10:00
    await addFollowUp('inc-1', { title: 'PSP alert', owner: 'lee', dueAt: at('11:00') }); // inc-1 f2
    await addFollowUp('inc-2', { title: 'Search runbook', owner: 'sam', dueAt: at('08:00') }); // inc-2 f2
    await expectIncident(await patchFollowUp('inc-2', 'f2', { status: 'done' }), 200);

    const open = await listFollowUps();
    expect(open.map((r) => [r.incidentId, r.id, r.dueAt, r.overdue])).toEqual([
      ['inc-2', 'f1', at('09:00'), true],
      ['inc-1', 'f2', at('11:00'), false],
      ['inc-1', 'f1', at('12:00'), false],
    ]);
    expect(open[0]).toEqual({
      incidentId: 'inc-2',
      incidentNumber: 2,
      incidentTitle: 'Slow search',
      id: 'f1',
      title: 'Reindex',
      owner: 'omar',
      dueAt: at('09:00'),
      status: 'open',
      createdAt: at('10:00'),
      createdBy: 'supervisor-user',
      doneAt: null,
      overdue: true,
    });
    expect((await listFollowUps('overdue')).map((r) => `${r.incidentId}/${r.id}`)).toEqual(['inc-2/f1']);
    expect((await listFollowUps('all')).map((r) => `${r.incidentId}/${r.id}:${r.status}`)).toEqual([
      'inc-2/f2:done',
      'inc-2/f1:open',
      'inc-1/f2:open',
      'inc-1/f1:open',
    ]);
    // At 11:30, the PSP alert is late too.
    clock = Date.parse(at('11:30'));
    expect((await listFollowUps('overdue')).map((r) => `${r.incidentId}/${r.id}`)).toEqual(['inc-2/f1', 'inc-1/f2']);
    const bad = await call(t.app, { method: 'GET', url: '/api/v1/follow-ups?status=late', as: 'viewer' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('status');
  });
});

describe('the followUps section of the state, and an alert on it', () => {
  it('counts open and overdue on every change, and overdue once a minute as time goes by; an alert rule fires on it', async () => {
    expect((await getState(t.app)).followUps).toEqual({ open: 0, overdue: 0 });
    await declareIncident(t.app, PAYMENTS);
    await addFollowUp('inc-1', { title: 'Post-mortem', owner: 'anna', dueAt: at('10:30') });
    await addFollowUp('inc-1', { title: 'PSP alert', owner: 'lee', dueAt: at('12:00') });
    expect((await getState(t.app)).followUps).toEqual({ open: 2, overdue: 0 });
    await t.app.alerts.evaluate();
    expect(t.app.alerts.active().map((a) => a.id)).toEqual([]);

    // 10:31: nothing was written, but the post-mortem is late; the minute's recount sees it.
    clock = Date.parse(at('10:31'));
    t.app.incidents.refreshFollowUps();
    expect((await getState(t.app)).followUps).toEqual({ open: 2, overdue: 1 });
    await t.app.alerts.evaluate();
    expect(t.app.alerts.active().map((a) => [a.id, a.value])).toEqual([['follow-ups-late', 1]]);

    // Done: nothing overdue; the PSP alert is still open.
    await expectIncident(await patchFollowUp('inc-1', 'f1', { status: 'done' }), 200);
    expect((await getState(t.app)).followUps).toEqual({ open: 1, overdue: 0 });
    // A resolved incident's follow-ups still count.
    await patchIncident(t.app, 'inc-1', { status: 'resolved' });
    clock = Date.parse(at('12:01'));
    t.app.incidents.refreshFollowUps();
    expect((await getState(t.app)).followUps).toEqual({ open: 1, overdue: 1 });
  });
});

describe('the incident report', () => {
  it('has a Follow-ups section: each with its owner and due time, done, wontfix or overdue, escaped', async () => {
    await declareIncident(t.app, PAYMENTS);
    await addFollowUp('inc-1', { title: 'Post-mortem', owner: 'anna', dueAt: at('10:30') });
    await addFollowUp('inc-1', { title: 'PSP *alert*', owner: 'lee', dueAt: at('12:00') });
    await addFollowUp('inc-1', { title: 'Migrate', owner: 'omar', dueAt: at('12:00') });
    await addFollowUp('inc-1', { title: 'Runbook', owner: 'sam', dueAt: at('09:00') });
    clock = Date.parse(at('11:00'));
    await expectIncident(await patchFollowUp('inc-1', 'f3', { status: 'wontfix' }), 200);
    await expectIncident(await patchFollowUp('inc-1', 'f4', { status: 'done' }), 200);
    const report = await call(t.app, { method: 'GET', url: '/api/v1/incidents/inc-1/report', as: 'viewer' });
    expect(report.statusCode).toBe(200);
    const section = report.body.slice(report.body.indexOf('## Follow-ups'), report.body.indexOf('## Updates sent'));
    expect(section).toBe(
      [
        '## Follow-ups',
        '',
        '- [ ] f1: Post-mortem (owner anna, due 2026-11-26 10:30:00 UTC, **overdue**)',
        '- [ ] f2: PSP \\*alert\\* (owner lee, due 2026-11-26 12:00:00 UTC, open)',
        "- [ ] f3: Migrate (owner omar, due 2026-11-26 12:00:00 UTC, won't fix)",
        '- [x] f4: Runbook (owner sam, due 2026-11-26 09:00:00 UTC, done 2026-11-26 11:00:00 UTC)',
        '',
        '',
      ].join('\n'),
    );
    // Without any, it says so.
    await declareIncident(t.app, { title: 'Slow search', severity: 'SEV3' });
    const empty = await call(t.app, { method: 'GET', url: '/api/v1/incidents/inc-2/report', as: 'viewer' });
    expect(empty.body).toContain('## Follow-ups\n\nNo follow-ups.\n\n## Updates sent');
  });
});
