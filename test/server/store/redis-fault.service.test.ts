// Redis killed (SIGKILL) and restarted mid-ingest, with AOF fsync on every write: while it is
// down, ingest answers 503 with Retry-After, /healthz 503, and the walls keep the last numbers;
// once it is back everything resumes by itself, and after the client's retries no accepted event
// is lost and none is counted twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary, LiveState, TicketEvent } from '../../../contract/domain.js';
import { bearer } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { Cluster, inspect, stateOf, untilStateIs, waitForAsync, withoutSeq, type Instance } from '../../helpers/redis-cluster.js';

const BATCHES = 120;
/** The batch during whose request Redis is killed. */
const KILL_AT = 40;
const OUTAGE_MS = 1_000;
const START = Date.parse('2026-11-26T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

let redis: RedisServer;
let cluster: Cluster;

beforeAll(async () => {
  redis = await RedisServer.start({ durable: true });
});

afterEach(async () => {
  await cluster.closeAll();
  await redis.flush();
});

afterAll(async () => {
  await redis.stop();
});

/**
 * Batch k creates five tickets (created 09:00 + k s; three in l1, two in l2; no SLA) and, from
 * k = 2 on, solves the five of batch k − 2: answered 300 s and solved 600 s after creation.
 */
function batch(k: number): TicketEvent[] {
  const events: TicketEvent[] = [];
  for (let j = 0; j < 5; j++) {
    const created = START + k * 1000;
    events.push(
      ticketEvent(
        { id: `C${k}-${j}`, queue: j % 2 === 0 ? 'l1' : 'l2', status: 'open', createdAt: iso(created), updatedAt: iso(created) },
        { id: `f-c-${k}-${j}` },
      ),
    );
  }
  if (k >= 2) {
    for (let j = 0; j < 5; j++) {
      const created = START + (k - 2) * 1000;
      events.push(
        ticketEvent(
          {
            id: `C${k - 2}-${j}`,
            queue: j % 2 === 0 ? 'l1' : 'l2',
            status: 'solved',
            createdAt: iso(created),
            updatedAt: iso(created + 600_000),
            firstResponseAt: iso(created + 300_000),
            solvedAt: iso(created + 600_000),
          },
          { id: `f-s-${k - 2}-${j}` },
        ),
      );
    }
  }
  return events;
}

/** The state at 12:00 after every batch, worked out by hand. */
function expectedState(): Omit<LiveState, 'seq' | 'staffing'> {
  // Open: the tickets of the last two batches (118, 119), none answered: 3 + 3 in l1, 2 + 2 in l2.
  // The oldest waiting is batch 118's, created 09:01:58: 12:00 − 09:01:58 = 10,682 s.
  const oldest = (Date.parse('2026-11-26T12:00:00Z') - (START + (BATCHES - 2) * 1000)) / 1000;
  return {
    at: '2026-11-26T12:00:00.000Z',
    queues: [
      { id: 'l1', open: 6, waiting: 6, oldestWaitingSec: oldest, breached: 0, atRisk: 0 },
      { id: 'l2', open: 4, waiting: 4, oldestWaitingSec: oldest, breached: 0, atRisk: 0 },
    ],
    agents: { available: 0, busy: 0, away: 0, offline: 0 },
    // No ticket has an SLA target.
    sla: { breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: null },
    // 5 × 120 created today; 5 × 118 solved, each answered after 300 s and solved after 600 s.
    kpis: { createdToday: 600, solvedToday: 590, frtMedianSec: 300, frtP90Sec: 300, resolutionMedianSec: 600, csatToday: null },
    incidents: [],
    followUps: { open: 0, overdue: 0 },
    // Every solved ticket was solved in the queue it arrived in, never moved or reopened.
    flow: {
      escalatedToday: [],
      deescalatedToday: [],
      reopenedToday: 0,
      fcrToday: 1,
      timeToEscalateMedianSec: [
        { line: 'l1', seconds: null },
        { line: 'l2', seconds: null },
        { line: 'l3', seconds: null },
      ],
      lines: ['l1', 'l2', 'l3'],
    },
  };
}

async function post(instance: Instance, events: readonly unknown[]) {
  return instance.t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events as unknown[] });
}

async function health(instance: Instance): Promise<number> {
  return (await instance.t.app.inject({ method: 'GET', url: '/healthz' })).statusCode;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis killed and restarted mid-ingest', () => {
  it('answers 503 meanwhile, resumes by itself, and loses or doubles nothing', async () => {
    cluster = new Cluster(() => redis.url, '2026-11-26T12:00:00Z');
    const a = await cluster.start();
    const b = await cluster.start();
    const instances = [a, b];
    const outage = { seen503: 0, retryAfter: new Set<string>(), checks: null as Promise<void> | null };

    /** What happens while Redis is down, checked from outside as a balancer and a wall would. */
    const duringOutage = async (): Promise<void> => {
      await redis.kill();
      await waitForAsync(async () => (await health(a)) === 503 && (await health(b)) === 503, 3_000, '/healthz 503 on both');
      // A batch sent now is refused as a whole, with a retry hint; it is never sent again.
      const probe = ticketEvent(
        { id: 'PROBE', queue: 'probe', status: 'open', createdAt: '2026-11-26T11:00:00Z', updatedAt: '2026-11-26T11:00:00Z' },
        { id: 'f-probe' },
      );
      const refused = await post(a, [probe]);
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ error: { code: 'unavailable' } });
      // The walls keep the last numbers.
      const last = await stateOf(b);
      expect(last.kpis.createdToday).toBeGreaterThan(0);
      await sleep(OUTAGE_MS);
      await redis.start({ durable: true });
    };

    const results: Array<{ k: number; attempt: number; summary: IngestSummary }> = [];
    for (let k = 0; k < BATCHES; k++) {
      const events = batch(k);
      for (let attempt = 0; ; attempt++) {
        // Retries go to the other instance, as a balancer may send them.
        const request = post(instances[(k + attempt) % 2]!, events);
        if (k === KILL_AT && attempt === 0) outage.checks = duringOutage();
        const response = await request;
        if (response.statusCode === 202) {
          results.push({ k, attempt, summary: response.json<IngestSummary>() });
          break;
        }
        expect(response.statusCode).toBe(503);
        outage.seen503++;
        outage.retryAfter.add(String(response.headers['retry-after']));
        await sleep(100);
      }
    }
    await outage.checks;
    expect(outage.seen503).toBeGreaterThan(0);
    expect([...outage.retryAfter]).toEqual(['5']);

    // Each batch was acknowledged once; a first attempt saw no duplicates. A retry may find its
    // events already kept (the commit ran but its answer was lost with the connection): then they
    // are duplicates, applied all the same. Either way every event is kept exactly once.
    const total = results.reduce((n, r) => n + batch(r.k).length, 0);
    for (const { k, attempt, summary } of results) {
      expect(summary.accepted + summary.duplicates).toBe(batch(k).length);
      expect(summary.stale).toBe(0);
      if (attempt === 0) expect(summary.duplicates).toBe(0);
    }
    expect(total).toBe(5 * BATCHES + 5 * (BATCHES - 2));

    // Resumed by itself: healthy again, and both instances converge on the hand-computed state.
    await waitForAsync(async () => (await health(a)) === 200 && (await health(b)) === 200, 5_000, '/healthz 200 on both');
    for (const instance of instances) await untilStateIs(instance, expectedState(), 5_000);

    // The log holds every event exactly once, and not the refused probe.
    const client = inspect(redis.url);
    try {
      const ids: string[] = [];
      for (const [, fields] of await client.xrange('wf:events', '-', '+')) {
        const json = fields[fields.indexOf('e') + 1]!;
        for (const event of JSON.parse(json) as Array<{ id: string }>) ids.push(event.id);
      }
      const expectedIds = Array.from({ length: BATCHES }, (_, k) => batch(k).map((e) => e.id)).flat();
      expect(ids.length).toBe(expectedIds.length);
      expect(new Set(ids)).toEqual(new Set(expectedIds));
    } finally {
      client.disconnect();
    }

    // And a restart of both on the recovered Redis shows the same.
    await cluster.closeAll();
    const c = await cluster.start();
    expect(withoutSeq(await stateOf(c))).toEqual(expectedState());
  });

  it('keeps a batch whose commit ran in Redis but whose answer never came', async () => {
    cluster = new Cluster(() => redis.url, '2026-11-26T12:00:00Z');
    const a = await cluster.start();
    const b = await cluster.start();
    expect((await post(a, batch(0))).statusCode).toBe(202);

    // Writes held back past the 2 s command timeout: A gives up and answers 503, but the script
    // it sent runs once the pause ends.
    const client = inspect(redis.url);
    try {
      await client.call('CLIENT', 'PAUSE', '2500', 'WRITE');
      const refused = await post(a, batch(1));
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      await waitForAsync(async () => (await client.xlen('wf:events')) === 2, 3_000, 'the paused commit to run');
    } finally {
      client.disconnect();
    }
    // The client's retry (through B) finds the batch already kept: duplicates, not a second copy.
    const retried = await post(b, batch(1));
    expect(retried.statusCode).toBe(202);
    expect(retried.json<IngestSummary>()).toMatchObject({ accepted: 0, duplicates: 5 });

    // Both instances hold it: B from the log, A too (its own entry, whose commit it saw fail).
    // Ten tickets created 09:00:00 and 09:00:01, none answered: l1 3 + 3, l2 2 + 2; the oldest
    // waits 12:00 − 09:00 = 10,800 s.
    const expected: Omit<LiveState, 'seq' | 'staffing'> = {
      at: '2026-11-26T12:00:00.000Z',
      queues: [
        { id: 'l1', open: 6, waiting: 6, oldestWaitingSec: 10_800, breached: 0, atRisk: 0 },
        { id: 'l2', open: 4, waiting: 4, oldestWaitingSec: 10_800, breached: 0, atRisk: 0 },
      ],
      agents: { available: 0, busy: 0, away: 0, offline: 0 },
      sla: { breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: null },
      kpis: { createdToday: 10, solvedToday: 0, frtMedianSec: null, frtP90Sec: null, resolutionMedianSec: null, csatToday: null },
      incidents: [],
      followUps: { open: 0, overdue: 0 },
      flow: {
        escalatedToday: [],
        deescalatedToday: [],
        reopenedToday: 0,
        fcrToday: null,
        timeToEscalateMedianSec: [
          { line: 'l1', seconds: null },
          { line: 'l2', seconds: null },
          { line: 'l3', seconds: null },
        ],
        lines: ['l1', 'l2', 'l3'],
      },
    };
    for (const instance of [a, b]) await untilStateIs(instance, expected);
  });
});
