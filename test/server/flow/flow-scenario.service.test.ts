// The flow between lines (docs/contract.md#the-flow-between-lines) end to end, on the embedded
// store and on Redis: a scripted morning, delivered with duplicates and an out-of-order pair, then
// GET /api/v1/state, the escalations list, an alert rule on `flow.reopenedToday`, a restart, and
// (Redis) a second instance that follows the shared log.
//
// The day, 2026-11-26 (UTC), read at 12:00; lines l1 < l2 < l3 (dashboards/flow.json):
//   E1 created 09:00 on l1, moved to l2 at 09:20            escalation l1→l2 after 1,200 s on l1
//   E2 created 09:00 on l1, moved to l2 at 09:40            escalation l1→l2 after 2,400 s on l1
//      (delivered out of order: the 09:40 event first, then the 09:10 one, which the model refuses as
//      stale but whose observation still places the ticket on l1 before 09:40)
//   E3 created 09:30 on l1, to l2 at 10:30, to l3 at 10:50  l1→l2 after 3,600 s; l2→l3 after 1,200 s on l2
//   D1 created 09:00 on l2, to l1 at 09:30, solved there at 10:00   de-escalation l2→l1; solved, not first contact
//      (its first line is l2)
//   R1 created 08:00 on l1, solved 09:00, opened again 10:00, solved 11:00   reopened once; not first contact
//   F1 created 09:00 on l1, solved there 09:30              first contact
//   E1's events are delivered twice (new event ids, the same ticket updates): they change nothing.
// So today: escalated l1→l2 ×3, l2→l3 ×1; de-escalated l2→l1 ×1; reopened 1; solved 3 (D1 R1 F1),
// first contact 1 (F1) → fcr 1/3; time to escalate from l1 [1,200 2,400 3,600] → median 2,400,
// from l2 [1,200] → 1,200, from l3 none.
// The escalations since 09:00, newest first: E3 l2→l3 10:50, E3 l1→l2 10:30, E2 09:40, E1 09:20.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import type { EscalatedTicket, FlowState } from '../../../contract/flow.js';
import type { DailyRow } from '../../../contract/reports.js';
import { validateFlowFile } from '../../../server/flow/flow-file.js';
import { bearer, startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { RedisServer } from '../../helpers/redis-server.js';

const at = (time: string): string => `2026-11-26T${time}:00.000Z`;
const NOON = Date.parse(at('12:00'));

type Update = { queue: string; updatedAt: string; status?: 'new' | 'open' | 'pending' | 'solved' | 'closed'; solvedAt?: string | null };

/** One ticket's updates, each a whole payload as a helpdesk sends it. */
function updates(id: string, createdAt: string, steps: Update[]): ReturnType<typeof ticketEvent>[] {
  return steps.map((step) =>
    ticketEvent({ id, createdAt, firstResponseAt: null, solvedAt: step.status === 'solved' ? step.updatedAt : null, status: 'open', ...step }),
  );
}

const E1 = updates('E1', at('09:00'), [
  { queue: 'l1', updatedAt: at('09:00') },
  { queue: 'l2', updatedAt: at('09:20') },
]);
const E2_LATER = updates('E2', at('09:00'), [{ queue: 'l2', updatedAt: at('09:40') }]);
const E2_EARLIER = updates('E2', at('09:00'), [{ queue: 'l1', updatedAt: at('09:10') }]);
const E3 = updates('E3', at('09:30'), [
  { queue: 'l1', updatedAt: at('09:30') },
  { queue: 'l2', updatedAt: at('10:30') },
  { queue: 'l3', updatedAt: at('10:50') },
]);
const D1 = updates('D1', at('09:00'), [
  { queue: 'l2', updatedAt: at('09:00') },
  { queue: 'l1', updatedAt: at('09:30') },
  { queue: 'l1', updatedAt: at('10:00'), status: 'solved' },
]);
const R1 = updates('R1', at('08:00'), [
  { queue: 'l1', updatedAt: at('09:00'), status: 'solved' },
  { queue: 'l1', updatedAt: at('10:00'), status: 'open' },
  { queue: 'l1', updatedAt: at('11:00'), status: 'solved' },
]);
const F1 = updates('F1', at('09:00'), [
  { queue: 'l1', updatedAt: at('09:00') },
  { queue: 'l1', updatedAt: at('09:30'), status: 'solved' },
]);

const EXPECTED_FLOW: FlowState = {
  escalatedToday: [
    { from: 'l1', to: 'l2', count: 3 },
    { from: 'l2', to: 'l3', count: 1 },
  ],
  deescalatedToday: [{ from: 'l2', to: 'l1', count: 1 }],
  reopenedToday: 1,
  fcrToday: 1 / 3,
  timeToEscalateMedianSec: [
    { line: 'l1', seconds: 2400 },
    { line: 'l2', seconds: 1200 },
    { line: 'l3', seconds: null },
  ],
  lines: ['l1', 'l2', 'l3'],
};

const EXPECTED_ESCALATIONS = [
  ['E3', 'l2', 'l3', at('10:50'), 1200],
  ['E3', 'l1', 'l2', at('10:30'), 3600],
  ['E2', 'l1', 'l2', at('09:40'), 2400],
  ['E1', 'l1', 'l2', at('09:20'), 1200],
];

/** The shipped dashboards with one alert rule, on the reopened count, and the lines' order. */
function dashboardsDir(): string {
  const dir = tempDir('watchfloor-flow-dashboards-');
  fs.cpSync(path.resolve('dashboards'), dir, { recursive: true });
  const rule = {
    id: 'reopened-today',
    title: 'A ticket was reopened today',
    metric: 'flow.reopenedToday',
    op: '>=',
    value: 1,
    forSec: 0,
    clearValue: 0,
    severity: 'warning',
  };
  fs.writeFileSync(path.join(dir, 'alerts.json'), JSON.stringify({ rules: [rule] }));
  fs.writeFileSync(path.join(dir, 'flow.json'), JSON.stringify({ lines: ['l1', 'l2', 'l3'] }));
  return dir;
}

for (const kind of ['embedded', 'redis'] as const) {
  describe(`the flow between lines on the ${kind} store`, () => {
    let redis: RedisServer | null = null;
    let t: TestApp;
    const clock = NOON;
    let dataDir: string | undefined;
    const dashboards = dashboardsDir();
    const env = (): Record<string, string> => ({ TZ: 'UTC', DASHBOARDS_DIR: dashboards, ...(redis === null ? {} : { REDIS_URL: redis.url }) });

    async function start(dir?: string): Promise<TestApp> {
      const started = await startTestApp({ now: () => clock, env: env(), ...(dir === undefined ? {} : { dataDir: dir }) });
      await started.app.ready();
      return started;
    }

    async function post(app: TestApp, events: unknown[]): Promise<{ accepted: number; duplicates: number; stale: number }> {
      const response = await app.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
      expect(response.statusCode, response.body).toBe(202);
      return response.json();
    }

    async function stateOf(app: TestApp): Promise<LiveState> {
      const response = await app.app.inject({ method: 'GET', url: '/api/v1/state', headers: bearer('viewer') });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as LiveState;
    }

    async function escalations(app: TestApp, since?: string): Promise<{ status: number; rows: EscalatedTicket[] }> {
      const query = since === undefined ? '' : `?since=${encodeURIComponent(since)}`;
      const response = await app.app.inject({ method: 'GET', url: `/api/v1/flow/escalations${query}`, headers: bearer('viewer') });
      return { status: response.statusCode, rows: response.statusCode === 200 ? (response.json() as EscalatedTicket[]) : [] };
    }

    beforeAll(async () => {
      if (kind === 'redis') redis = await RedisServer.start();
      t = await start();
      dataDir = t.dataDir;
    });
    afterAll(async () => {
      await t?.close();
      await redis?.stop();
    });

    it('counts the morning exactly, duplicates and the out-of-order pair included', async () => {
      await post(t, [...E1, ...E3, ...D1, ...R1, ...F1]);
      // The later E2 update first: on its own, E2 looks as if it had been on l2 from the start.
      await post(t, E2_LATER);
      expect((await stateOf(t)).flow.escalatedToday).toEqual([
        { from: 'l1', to: 'l2', count: 2 },
        { from: 'l2', to: 'l3', count: 1 },
      ]);
      // Then the earlier one: stale for the ticket, but it places the move at 09:40, after 40 min on l1.
      expect(await post(t, E2_EARLIER)).toMatchObject({ accepted: 0, stale: 1 });
      // E1 again, with new event ids: the same updates, nothing moves.
      const again = updates('E1', at('09:00'), [
        { queue: 'l1', updatedAt: at('09:00') },
        { queue: 'l2', updatedAt: at('09:20') },
      ]);
      await post(t, again);
      // And the very same events again: the store drops them as duplicates.
      expect(await post(t, E2_EARLIER)).toMatchObject({ duplicates: 1 });

      const state = await stateOf(t);
      expect(state.flow).toEqual(EXPECTED_FLOW);
      expect(state.kpis.solvedToday).toBe(3);
    });

    it('lists the escalations newest first; the last hour by default; at most 24 h back', async () => {
      const since9 = await escalations(t, at('09:00'));
      expect(since9.status).toBe(200);
      expect(since9.rows.map((row) => [row.id, row.from, row.to, row.at, row.onLineSec])).toEqual(EXPECTED_ESCALATIONS);
      expect(since9.rows[0]).toMatchObject({ key: 'test:E3', source: 'test', subject: 'Ticket E3', priority: 'normal' });
      // The last hour (11:00–12:00): nothing moved.
      expect(await escalations(t)).toEqual({ status: 200, rows: [] });
      expect((await escalations(t, '-3h')).rows).toHaveLength(4);
      expect((await escalations(t, '-25h')).status).toBe(400);
      expect((await escalations(t, 'yesterday')).status).toBe(400);
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/flow/escalations' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('the daily figures count the reopen on its day and each escalation on the line it left', async () => {
      await t.app.daily.flush();
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/reports/daily?from=2026-11-26&to=2026-11-26', headers: bearer('viewer') });
      expect(response.statusCode, response.body).toBe(200);
      const rows = new Map((response.json() as { rows: DailyRow[] }).rows.map((row) => [row.line, row.figures]));
      // From l1: E1, E2, E3; from l2: E3. R1 (on l1) reopened once.
      expect(rows.get('l1')).toMatchObject({ escalated: 3, reopened: 1 });
      expect(rows.get('l2')).toMatchObject({ escalated: 1, reopened: 0 });
      expect(rows.get('all')).toMatchObject({ escalated: 4, reopened: 1 });
    });

    it('an alert rule on flow.reopenedToday fires with the count', async () => {
      await t.app.alerts.evaluate();
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer('viewer') });
      const { active } = response.json() as { active: Array<Record<string, unknown>> };
      expect(active).toMatchObject([{ id: 'reopened-today', state: 'firing', value: 1 }]);
    });

    if (kind === 'redis') {
      it('a second instance on the same Redis follows the same events to the same numbers', async () => {
        const second = await start();
        try {
          expect((await stateOf(second)).flow).toEqual(EXPECTED_FLOW);
          // A late observation taken by one instance reaches the other: E1 seen on l1 at 09:10 moves nothing.
          await post(second, updates('E1', at('09:00'), [{ queue: 'l1', updatedAt: at('09:10') }]));
          await expect.poll(async () => (await stateOf(t)).flow, { timeout: 5_000 }).toEqual(EXPECTED_FLOW);
        } finally {
          await second.close();
        }
      });
    }

    it('keeps them across a restart (the checkpoint carries each ticket’s history)', async () => {
      await t.close();
      t = await start(dataDir);
      expect((await stateOf(t)).flow).toEqual(EXPECTED_FLOW);
      expect((await escalations(t, at('09:00'))).rows.map((row) => [row.id, row.from, row.to, row.at, row.onLineSec])).toEqual(EXPECTED_ESCALATIONS);
    });
  });
}

describe('dashboards/flow.json', () => {
  it('ships good: l1, l2, l3', () => {
    expect(validateFlowFile(JSON.parse(fs.readFileSync(path.resolve('dashboards', 'flow.json'), 'utf8')))).toEqual({
      ok: true,
      config: { lines: ['l1', 'l2', 'l3'] },
    });
    expect(validateFlowFile({ lines: ['l1'], extra: 1 })).toEqual({
      ok: false,
      problems: [
        { path: 'extra', message: 'unknown key "extra"; allowed here: lines' },
        { path: 'lines', message: 'required, the queue ids of the lines lowest first, 2 to 20 (["l1", "l2", "l3"]), got 1' },
      ],
    });
  });

  it('sets the lines’ order; a bad file is refused with its JSON path and the last good one stays', async () => {
    const dir = dashboardsDir();
    const t = await startTestApp({ now: () => NOON, env: { TZ: 'UTC', DASHBOARDS_DIR: dir } });
    try {
      await t.app.ready();
      fs.writeFileSync(path.join(dir, 'flow.json'), JSON.stringify({ lines: ['l2', 'l1'] }));
      t.app.flowLines.reload();
      expect(t.app.model.state(NOON).flow.lines).toEqual(['l2', 'l1']);
      fs.writeFileSync(path.join(dir, 'flow.json'), JSON.stringify({ lines: ['l1', 'l1'] }));
      t.app.flowLines.reload();
      expect(t.app.flowLines.problems()).toEqual([{ path: 'lines[1]', message: '"l1" is listed twice' }]);
      expect(t.app.model.state(NOON).flow.lines).toEqual(['l2', 'l1']);
    } finally {
      await t.close();
    }
  });
});
