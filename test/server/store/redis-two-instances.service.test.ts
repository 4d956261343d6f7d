// Two instances on one Redis (docs/contract.md#configuration, distributed mode): what one takes in, the other shows, over
// the API and on its live connections; either goes on alone; an SLA breach is counted once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import { agentEvent, ticketEvent } from '../../helpers/events.js';
import { getAgents, postEvents, queueOf } from '../../helpers/http.js';
import { LiveRecorder, TOKENS, waitFor } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { Cluster, stateOf, untilStateIs, waitForAsync, withoutSeq } from '../../helpers/redis-cluster.js';

const at = (time: string) => `2026-11-26T${time.length === 5 ? `${time}:00` : time}Z`;

let redis: RedisServer;
let cluster: Cluster;
const clients: LiveRecorder[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await redis.stop();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await cluster.closeAll();
  await redis.flush();
});

/** A department at 10:00; its numbers are worked out in `expectTenOClock`. */
const scenario = {
  // T1: l1, waiting since 09:30, first response due 10:20 (at risk at 10:00).
  t1: ticketEvent(
    { id: 'T1', queue: 'l1', status: 'open', createdAt: at('09:30'), updatedAt: at('09:30'), firstResponseDueAt: at('10:20'), resolutionDueAt: at('18:00') },
    { id: 'ev-t1' },
  ),
  // T2: l2, waiting since 09:00, first response due 09:45: missed, breached.
  t2: ticketEvent(
    { id: 'T2', queue: 'l2', status: 'open', createdAt: at('09:00'), updatedAt: at('09:00'), firstResponseDueAt: at('09:45'), resolutionDueAt: at('18:00') },
    { id: 'ev-t2' },
  ),
  a1: agentEvent({ id: 'A-1', status: 'busy' }, at('09:00'), 'ev-a1'),
  a2: agentEvent({ id: 'A-2', status: 'away', team: 'l2' }, at('09:15'), 'ev-a2'),
};

function expectTenOClock(state: LiveState): void {
  expect(queueOf(state, 'l1')).toEqual({ id: 'l1', open: 1, waiting: 1, oldestWaitingSec: 1800, breached: 0, atRisk: 1 });
  expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 1, waiting: 1, oldestWaitingSec: 3600, breached: 1, atRisk: 0 });
  expect(state.agents).toEqual({ available: 0, busy: 1, away: 1, offline: 0 });
  // Decided today: T2's first response, missed → 0 / 1.
  expect(state.sla).toEqual({ breachedOpen: 1, breachedToday: 1, atRisk: 1, complianceToday: 0 });
  expect(state.kpis).toMatchObject({ createdToday: 2, solvedToday: 0 });
}

describe('two instances on one Redis', () => {
  it('show on B what A took in, over the API and on B’s live connections', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    expect(a.t.app.store.kind).toBe('redis');

    const live = new LiveRecorder(b.url, TOKENS.viewer);
    clients.push(live);
    const first = await live.ready();
    expect(first.sla.breachedToday).toBe(0);

    expect(await postEvents(a.t.app, [scenario.t1, scenario.t2])).toEqual({ accepted: 2, duplicates: 0, stale: 0, rejected: [] });
    expect(await postEvents(a.t.app, [scenario.a1, scenario.a2])).toMatchObject({ accepted: 2 });
    const onA = await stateOf(a);
    expectTenOClock(onA);
    // B applies A's batches from the shared log: identical within 2 s.
    await untilStateIs(b, withoutSeq(onA), 2_000);
    expect(await getAgents(b.t.app)).toEqual(await getAgents(a.t.app));

    // The wall on B got the change as deltas on its own connection, seq without gaps.
    await waitFor(
      () => JSON.stringify(live.view?.sla) === JSON.stringify(onA.sla) && JSON.stringify(live.view?.queues) === JSON.stringify(onA.queues),
      'the change on B’s live client',
      2_000,
    );
    expect(live.received.map((r) => r.message.seq)).toEqual(live.received.map((_, i) => i + 1));
    expect(live.deltas.length).toBeGreaterThan(0);

    // An event id A took is a duplicate on B too.
    expect(await postEvents(b.t.app, [scenario.t1])).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('count each SLA breach once with both up, and B goes on when A stops', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    // Half the department through each instance, as a balancer would spread it.
    await postEvents(a.t.app, [scenario.t1, scenario.a1]);
    await postEvents(b.t.app, [scenario.t2, scenario.a2]);
    // Each holds its own half at once and the other's within 2 s.
    await waitForAsync(
      async () => {
        const [onA, onB] = [await stateOf(a), await stateOf(b)];
        return onA.kpis.createdToday === 2 && onA.agents.away === 1 && JSON.stringify(withoutSeq(onA)) === JSON.stringify(withoutSeq(onB));
      },
      2_000,
      'both halves on both instances',
    );
    expectTenOClock(await stateOf(a));
    expectTenOClock(await stateOf(b));

    // 10:20:01: T1's first response (due 10:20) is missed, with no event, on both instances.
    // Breaches are derived from the same tickets on each, not fired by one: counted once per
    // target, whatever the number of instances. Missed today: T2 FR, T1 FR → 2 (not 4); met: none.
    cluster.setClock('2026-11-26T10:20:01Z');
    for (const instance of [a, b]) {
      const state = await stateOf(instance);
      expect(state.sla).toEqual({ breachedOpen: 2, breachedToday: 2, atRisk: 0, complianceToday: 0 });
      expect(queueOf(state, 'l1')).toMatchObject({ open: 1, breached: 1, atRisk: 0 });
    }
    expect(withoutSeq(await stateOf(a))).toEqual(withoutSeq(await stateOf(b)));

    // A stops; B keeps taking ingest and answering, healthy.
    await a.close();
    // T1 answered at 10:21 (late: still missed), T3 arrives new in l1.
    const t1Answered = ticketEvent({ ...scenario.t1.ticket, updatedAt: at('10:21'), firstResponseAt: at('10:21') }, { id: 'ev-t1-answered' });
    const t3 = ticketEvent(
      { id: 'T3', queue: 'l1', status: 'new', createdAt: at('10:15'), updatedAt: at('10:15'), firstResponseDueAt: at('11:15') },
      { id: 'ev-t3' },
    );
    expect(await postEvents(b.t.app, [t1Answered, t3])).toEqual({ accepted: 2, duplicates: 0, stale: 0, rejected: [] });
    const alone = await stateOf(b);
    // l1: T1 (answered, breached) and T3 (waiting since 10:15 → 10:20:01 = 301 s, due 11:15: not at risk).
    expect(queueOf(alone, 'l1')).toEqual({ id: 'l1', open: 2, waiting: 1, oldestWaitingSec: 301, breached: 1, atRisk: 0 });
    expect(alone.sla).toEqual({ breachedOpen: 2, breachedToday: 2, atRisk: 0, complianceToday: 0 });
    expect(alone.kpis.createdToday).toBe(3);
    const health = await b.t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', store: { kind: 'redis', ok: true } });
  });

  it('carry a namespace broadcast from A to a client on B (socket.io Redis adapter)', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    const live = new LiveRecorder(b.url, TOKENS.viewer);
    clients.push(live);
    await live.ready();
    const heard: Array<{ dashboard: string; message: string }> = [];
    live.socket.on('dashboard-error', (message) => heard.push(message));
    // Wall commands (docs/contract.md#wall-control) will travel this way: sent once, on any instance, to every wall.
    a.t.app.io.of('/live').emit('dashboard-error', { dashboard: 'x', message: 'from A' });
    await waitFor(() => heard.length > 0, 'the broadcast on B', 2_000);
    expect(heard).toEqual([{ dashboard: 'x', message: 'from A' }]);
  });
});
