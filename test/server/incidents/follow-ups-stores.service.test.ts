// Follow-ups live in the incident's timeline (docs/contract.md#follow-ups), so they are kept by both incident
// stores: embedded (a restart on the same DATA_DIR) and Redis (instances on one redis-server, then
// all of them restarted). Each instance's state counts the same follow-ups, and If-Match keeps two
// instances from overwriting each other's change of one follow-up.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../contract/incidents.js';
import type { FastifyInstance } from 'fastify';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { getState } from '../../helpers/http.js';
import { call, declareIncident, expectIncident, getIncident, patchIncident } from '../../helpers/incidents.js';
import { Cluster, waitForAsync } from '../../helpers/redis-cluster.js';
import { RedisServer } from '../../helpers/redis-server.js';

const at = (time: string): string => `2026-11-26T${time}:00.000Z`;

/** An incident resolved with two follow-ups, one of them done; at 11:00 the open one is overdue. */
async function runFollowUps(app: FastifyInstance, setClock: (iso: string) => void): Promise<void> {
  setClock(at('10:00'));
  await declareIncident(app, { title: 'Card payments failing', severity: 'SEV1' });
  const add = (body: Record<string, unknown>) => call(app, { method: 'POST', url: '/api/v1/incidents/inc-1/follow-ups', as: 'supervisor', body });
  await expectIncident(await add({ title: 'Post-mortem', owner: 'anna', dueAt: at('10:30') }), 201);
  await expectIncident(await add({ title: 'PSP alert', owner: 'lee', dueAt: at('12:00') }), 201);
  setClock(at('10:20'));
  await patchIncident(app, 'inc-1', { status: 'resolved' });
  await expectIncident(
    await call(app, { method: 'PATCH', url: '/api/v1/incidents/inc-1/follow-ups/f2', as: 'supervisor', body: { status: 'done', owner: 'omar' } }),
    200,
  );
}

function expectTheFollowUps(incident: Incident): void {
  expect(incident.status).toBe('resolved');
  expect(incident.followUps.map((f) => [f.id, f.owner, f.status, f.doneAt])).toEqual([
    ['f1', 'anna', 'open', null],
    ['f2', 'omar', 'done', at('10:20')],
  ]);
  expect(incident.version).toBe(7);
}

describe('embedded: a restart on the same DATA_DIR', () => {
  let clock = Date.parse(at('10:00'));
  const opened: TestApp[] = [];
  afterEach(async () => {
    for (const app of opened.splice(0).reverse()) await app.close();
  });

  it('keeps the follow-ups and counts them on the state again, overdue by the clock', async () => {
    const first = await startTestApp({ now: () => clock });
    opened.push(first);
    await runFollowUps(first.app, (iso) => (clock = Date.parse(iso)));
    const before = await getIncident(first.app, 'inc-1');
    expectTheFollowUps(before);
    expect((await getState(first.app)).followUps).toEqual({ open: 1, overdue: 0 });
    await first.close();
    opened.splice(0);

    clock = Date.parse(at('11:00'));
    const second = await startTestApp({ now: () => clock, dataDir: first.dataDir });
    opened.push(second);
    expect(await getIncident(second.app, 'inc-1')).toEqual(before);
    expect((await getState(second.app)).followUps).toEqual({ open: 1, overdue: 1 });
  });
});

describe('Redis: instances on one redis-server', () => {
  let redis: RedisServer;
  let cluster: Cluster;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    await cluster.closeAll();
    await redis.flush();
  });

  it('show the same follow-ups and counts on every instance, and keep them when all restart', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    await runFollowUps(a.t.app, (iso) => cluster.setClock(iso));
    const before = await getIncident(a.t.app, 'inc-1');
    expectTheFollowUps(before);
    await waitForAsync(async () => JSON.stringify(await getIncident(b.t.app, 'inc-1')) === JSON.stringify(before), 2_000, 'B to show what A wrote');
    expect((await getState(b.t.app)).followUps).toEqual({ open: 1, overdue: 0 });

    // Two supervisors on two instances change f1 from version 7: one 200, one 409.
    const [onA, onB] = await Promise.all([
      call(a.t.app, {
        method: 'PATCH',
        url: '/api/v1/incidents/inc-1/follow-ups/f1',
        as: 'supervisor',
        body: { status: 'done' },
        headers: { 'if-match': '7' },
      }),
      call(b.t.app, {
        method: 'PATCH',
        url: '/api/v1/incidents/inc-1/follow-ups/f1',
        as: 'supervisor',
        body: { owner: 'boris' },
        headers: { 'if-match': '7' },
      }),
    ]);
    expect([onA.statusCode, onB.statusCode].sort()).toEqual([200, 409]);
    const loser = onA.statusCode === 409 ? onA : onB;
    expect(loser.json().incident.version).toBe(8);

    await cluster.closeAll();
    cluster.setClock(at('11:00'));
    const c = await cluster.start();
    const after = await getIncident(c.t.app, 'inc-1');
    expect(after.version).toBe(8);
    expect(after.followUps.map((f) => f.id)).toEqual(['f1', 'f2']);
    // Whichever won: f1 done (nothing open) or f1 reassigned (open, overdue at 11:00).
    const counts = after.followUps[0]?.status === 'done' ? { open: 0, overdue: 0 } : { open: 1, overdue: 1 };
    expect((await getState(c.t.app)).followUps).toEqual(counts);
  });
});
