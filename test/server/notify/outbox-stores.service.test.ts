// The outbox stores (docs/contract.md#outbound-notifications), the same scenarios on both: SQLite
// in a temp DATA_DIR and a throwaway Redis. An id enqueued twice is stored once; only a queue's
// head goes, the next once it is finished; a retry waits for its time. Redis only: a lease held
// by an instance that died passes to another once it ran out, and the dead one's late result is
// refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedOutboxStore } from '../../../server/notify/embedded-outbox-store.js';
import { type Delivery, queueOf, type OutboxStore } from '../../../server/notify/outbox-store.js';
import { RedisOutboxStore } from '../../../server/notify/redis-outbox-store.js';
import { tempDir } from '../../helpers/app.js';
import { redisForThisFile } from '../../helpers/redis-per-file.js';

const redis = redisForThisFile();
const T = 1_000_000;

function delivery(id: string, incidentId: string | null, at = T): Delivery {
  return {
    id,
    target: 'hook',
    event: 'incident.changed',
    incidentId,
    queue: queueOf('hook', incidentId, id),
    body: `{"id":"${id}"}`,
    status: 'pending',
    attempts: 0,
    lastStatus: null,
    lastError: null,
    nextAttemptAt: at,
    createdAt: at,
    deliveredAt: null,
  };
}

const kinds: [string, () => Promise<OutboxStore>][] = [
  ['embedded', async () => new EmbeddedOutboxStore({ dataDir: tempDir('watchfloor-outbox-') })],
  [
    'redis',
    async () => {
      await redis.server.flush();
      return new RedisOutboxStore(redis.connect());
    },
  ],
];

describe.each(kinds)('%s outbox', (_kind, open) => {
  let store: OutboxStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores an id once, however often it is enqueued', async () => {
    expect(await store.enqueue([delivery('a', null)])).toBe(1);
    expect(await store.enqueue([delivery('a', null), delivery('b', null)])).toBe(1);
    expect((await store.list(null, 10)).map((d) => d.id).sort()).toEqual(['a', 'b']);
  });

  it('sends an incident queue head first; the next once it is finished; a retry at its time', async () => {
    await store.enqueue([delivery('e1', 'inc-1'), delivery('e2', 'inc-1', T + 1), delivery('x', null)]);
    const q = queueOf('hook', 'inc-1', 'e1');
    expect((await store.dueQueues(T + 1, 10)).sort()).toEqual([q, queueOf('hook', null, 'x')].sort());
    const head = await store.take(q, 'me', T + 1, 30_000);
    expect(head?.id).toBe('e1');
    // A failed attempt: e1 stays the head, due again at T + 500; e2 waits behind it.
    expect(await store.settle({ ...head!, attempts: 1, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: T + 500 }, 'me')).toBe(true);
    expect(await store.take(q, 'me', T + 100, 30_000)).toBeNull();
    expect(await store.nextDueAt()).toBe(T);
    const again = await store.take(q, 'me', T + 500, 30_000);
    expect([again?.id, again?.attempts]).toEqual(['e1', 1]);
    expect(await store.settle({ ...again!, status: 'delivered', attempts: 2, lastStatus: 200, lastError: null, deliveredAt: T + 501 }, 'me')).toBe(true);
    expect((await store.take(q, 'me', T + 502, 30_000))?.id).toBe('e2');
    expect((await store.list('delivered', 10)).map((d) => [d.id, d.attempts, d.deliveredAt])).toEqual([['e1', 2, T + 501]]);
    expect((await store.list('pending', 10)).map((d) => d.id).sort()).toEqual(['e2', 'x']);
  });
});

describe('redis outbox leases', () => {
  it('passes a queue held by a dead instance to another once the lease ran out, and refuses the dead one’s result', async () => {
    await redis.server.flush();
    const a = new RedisOutboxStore(redis.connect());
    const b = new RedisOutboxStore(redis.connect());
    await a.enqueue([delivery('e1', 'inc-1')]);
    const q = queueOf('hook', 'inc-1', 'e1');
    const held = await a.take(q, 'instance-a', T, 150);
    expect(held?.id).toBe('e1');
    expect(await b.take(q, 'instance-b', T, 150)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const taken = await b.take(q, 'instance-b', T, 30_000);
    expect(taken?.id).toBe('e1');
    expect(await a.settle({ ...held!, status: 'delivered', attempts: 1, lastStatus: 200, deliveredAt: T }, 'instance-a')).toBe(false);
    expect(await b.renew(q, 'instance-b', 30_000)).toBe(true);
    expect(await b.settle({ ...taken!, status: 'delivered', attempts: 1, lastStatus: 200, deliveredAt: T + 1 }, 'instance-b')).toBe(true);
    expect((await b.list('delivered', 10)).map((d) => [d.id, d.deliveredAt])).toEqual([['e1', T + 1]]);
    expect(await a.dueQueues(T + 10, 10)).toEqual([]);
  });
});
