// Restarts in distributed mode: every instance stopped and started again on the same Redis (and
// fresh DATA_DIRs, so nothing can come from there) keeps tickets, agents, daily figures and dedup
// keys; an instance that starts while others run picks up the checkpoint plus the log after it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import { asChanged, readAll } from '../../../server/domain/live-model.js';
import { ticketEvent } from '../../helpers/events.js';
import { at, expectTheNumbers, expectedAgents, scenario } from '../../helpers/restart-scenario.js';
import { getAgents, postEvents, queueOf } from '../../helpers/http.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { Cluster, inspect, stateOf, untilStateIs, withoutSeq, type Instance } from '../../helpers/redis-cluster.js';

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

/** Waits until every instance shows what the first (which took the last batch) shows. */
async function settled(instances: Instance[]): Promise<LiveState> {
  const first = await stateOf(instances[0]!);
  for (const instance of instances) await untilStateIs(instance, withoutSeq(first));
  return first;
}

describe('all instances stopped and started again on the same Redis', () => {
  it('keep tickets, agents, daily figures and dedup keys', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    // Three batches over two instances; the agent batch on B must keep A-1's order (09:00, then 09:30).
    await postEvents(a.t.app, [scenario.t1, scenario.t2]);
    await postEvents(a.t.app, [scenario.t3, scenario.agents[0]]);
    await untilStateIs(b, withoutSeq(await stateOf(a)));
    await postEvents(b.t.app, scenario.agents.slice(1));
    const before = await settled([b, a]);
    expectTheNumbers(before);
    await cluster.closeAll();

    const c = await cluster.start();
    const d = await cluster.start();
    for (const instance of [c, d]) {
      const after = await stateOf(instance);
      expectTheNumbers(after);
      expect(withoutSeq(after)).toEqual(withoutSeq(before));
      expect(await getAgents(instance.t.app)).toEqual(expectedAgents);
    }

    // Old event ids are still known, on either instance; an older update of T1 is still stale.
    const t1Older = ticketEvent({ ...scenario.t1.ticket, status: 'pending', updatedAt: at('09:20') }, { id: 'ev-t1-older' });
    expect(await postEvents(c.t.app, [scenario.t3, scenario.agents[0], t1Older])).toEqual({ accepted: 0, duplicates: 2, stale: 1, rejected: [] });
    expect(await postEvents(d.t.app, [scenario.t1, scenario.agents[2]])).toMatchObject({ accepted: 0, duplicates: 2 });

    // The SLA clock was rebuilt too: T1's first response (due 10:20) breaches with no event.
    cluster.setClock('2026-11-26T10:20:01Z');
    for (const instance of [c, d]) {
      // Missed now: T2 FR, T1 FR; met: T3 FR, T3 resolution → 2 / 4.
      expect((await stateOf(instance)).sla).toEqual({ breachedOpen: 2, breachedToday: 2, atRisk: 0, complianceToday: 0.5 });
    }
  });
});

describe('an instance starting while others run', () => {
  it('loads the last checkpoint and replays the log after it', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    await postEvents(a.t.app, [scenario.t1, scenario.t2, scenario.agents[0]]);
    await untilStateIs(b, withoutSeq(await stateOf(a)));
    // The periodic checkpoint, run now rather than waiting 5 s for it.
    await b.t.app.checkpoint();
    // After the checkpoint: T3 arrives, A-1 repeats its status, A-2 appears.
    await postEvents(b.t.app, [scenario.t3, ...scenario.agents.slice(1)]);
    const before = await settled([b, a]);
    expectTheNumbers(before);

    const redisClient = inspect(redis.url);
    try {
      // The hashes hold the first batch; the second is only in the log, after the checkpoint.
      const checkpoint = (await redisClient.get('wf:checkpoint'))!;
      expect(checkpoint).toMatch(/^\d+-\d+$/);
      expect(await redisClient.hlen('wf:tickets')).toBe(2);
      expect(await redisClient.xrange('wf:events', `(${checkpoint}`, '+')).toHaveLength(1);
    } finally {
      redisClient.disconnect();
    }

    // As after a kill -9 of the others: nothing more was checkpointed when C starts.
    const c = await cluster.start();
    const onC = await stateOf(c);
    expectTheNumbers(onC);
    expect(withoutSeq(onC)).toEqual(withoutSeq(before));
    expect(await getAgents(c.t.app)).toEqual(expectedAgents);
    // Ids from both sides of the checkpoint are known.
    expect(await postEvents(c.t.app, [scenario.t1, scenario.t3])).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('does not let an older checkpoint overwrite a newer ticket', async () => {
    cluster = new Cluster(() => redis.url, at('10:00'));
    const a = await cluster.start();
    const b = await cluster.start();
    const fields = { id: 'X', status: 'open' as const, createdAt: at('08:59') };
    await postEvents(a.t.app, [ticketEvent({ ...fields, queue: 'l1', updatedAt: at('09:00') }, { id: 'ev-x-1' })]);
    await untilStateIs(b, withoutSeq(await stateOf(a)));
    // B takes its changes (X in l1) now but writes them after A has written X in l2.
    // Read at once: the model's changes are read when written, and this must be the state of now.
    const taken = b.t.app.model.takeChanges();
    const bChanges = { ...taken, tickets: readAll(taken.tickets).map(asChanged) };
    await postEvents(a.t.app, [ticketEvent({ ...fields, queue: 'l2', updatedAt: at('09:05') }, { id: 'ev-x-2' })]);
    await untilStateIs(b, withoutSeq(await stateOf(a)));
    await a.t.app.checkpoint();
    await b.t.app.store.checkpoint(bChanges, cluster.now());

    // Started before A or B checkpoint again (a graceful close would write X anew).
    const c = await cluster.start();
    const state = await stateOf(c);
    expect([queueOf(state, 'l1').open, queueOf(state, 'l2').open]).toEqual([0, 1]);
  });
});
