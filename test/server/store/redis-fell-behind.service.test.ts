// An instance that fell further behind than the log is kept (cut off from Redis while the others
// went on and the log was trimmed) takes the whole state again rather than silently missing batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../../contract/domain.js';
import type { LoadedState } from '../../../server/store/live-store.js';
import { RedisStore } from '../../../server/store/redis-store.js';
import { ticketEvent } from '../../helpers/events.js';
import { postEvents } from '../../helpers/http.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { Cluster, inspect, waitForAsync } from '../../helpers/redis-cluster.js';

let redis: RedisServer;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await redis.stop();
});

const quiet = { info: () => {}, warn: () => {} };

describe('an instance behind the trimmed log', () => {
  it('reloads the checkpointed state instead of reading on past the gap', async () => {
    const late = await RedisStore.connect({ url: redis.url, log: quiet });
    const cluster = new Cluster(() => redis.url, '2026-11-26T10:00:00Z');
    try {
      expect([...(await late.load(0)).tickets].flat()).toEqual([]);

      // Meanwhile another instance takes three batches and checkpoints them; then the log is trimmed.
      const a = await cluster.start();
      for (const id of ['G1', 'G2', 'G3']) {
        await postEvents(a.t.app, [ticketEvent({ id, queue: 'l1', status: 'open', createdAt: '2026-11-26T09:00:00Z' })]);
      }
      await a.t.app.checkpoint();
      const client = inspect(redis.url);
      await client.xtrim('wf:events', 'MAXLEN', 0);
      client.disconnect();

      const applied: WatchEvent[] = [];
      const reloads: LoadedState[] = [];
      late.follow({ events: (events) => applied.push(...events), reload: (state) => reloads.push(state) });
      await waitForAsync(async () => reloads.length > 0, 3_000, 'the reload');
      expect(
        [...reloads[0]!.tickets]
          .flat()
          .map((t) => t.ticket.id)
          .sort(),
      ).toEqual(['G1', 'G2', 'G3']);
      expect(applied).toEqual([]);

      // After the reload it follows the log as usual.
      await postEvents(a.t.app, [ticketEvent({ id: 'G4', queue: 'l1', status: 'open', createdAt: '2026-11-26T09:00:00Z' })]);
      await waitForAsync(async () => applied.length === 1, 3_000, 'the next batch');
      expect(applied.map((event) => (event.type === 'ticket' ? event.ticket.id : null))).toEqual(['G4']);
    } finally {
      await late.close();
      await cluster.closeAll();
    }
  });
});
