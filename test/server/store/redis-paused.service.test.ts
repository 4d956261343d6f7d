// Redis paused (SIGSTOP: connections stay open, nothing answers), then resumed. No request waits
// past the command timeout; a batch refused meanwhile may still run once Redis wakes up (it was
// sent), so the 503 says the outcome is unknown and asks for the same batch again, and that retry
// comes back as duplicates: every event kept exactly once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../../contract/domain.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { stateOf, waitForAsync } from '../../helpers/redis-cluster.js';
import { batch, health, LoggedCluster, post } from '../../helpers/logged-instances.js';

const COMMAND_TIMEOUT_MS = 1_000;
const REFUSED = 4;

let redis: RedisServer;
let cluster: LoggedCluster;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterEach(async () => {
  redis.resume();
  await cluster.closeAll();
});

afterAll(async () => {
  await redis.stop();
});

describe('Redis paused', () => {
  it('answers within the command timeout, says the outcome is unknown, and the retries are duplicates', async () => {
    cluster = new LoggedCluster(() => redis.url);
    const env = { REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) };
    const a = await cluster.start(env);
    const b = await cluster.start(env);
    const instances = [a, b];
    expect((await post(a, batch('P', 0))).statusCode).toBe(202);

    redis.pause();
    const refused: number[] = [];
    for (let k = 1; k <= REFUSED; k++) {
      const started = Date.now();
      const response = await post(instances[k % 2]!, batch('P', k));
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 500);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
      const message = response.json<{ error: { message: string } }>().error.message;
      expect(message).toContain('the outcome is unknown; send the same batch again: duplicates are recognised');
      expect(message).not.toMatch(/nothing/i);
      refused.push(k);
    }
    // /healthz answers too, within the timeout: down.
    const started = Date.now();
    const down = await health(a);
    expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 500);
    expect(down.statusCode).toBe(503);
    expect(down.body.store).toMatchObject({ ok: false, state: 'down' });

    redis.resume();
    await waitForAsync(async () => (await health(a)).statusCode === 200 && (await health(b)).statusCode === 200, 5_000, '/healthz 200 again');
    // The client sends each refused batch again, to the other instance: Redis ran them after the
    // pause (they had been sent), so they are duplicates, never kept twice.
    for (const k of refused) {
      const retried = await post(instances[(k + 1) % 2]!, batch('P', k));
      expect(retried.statusCode).toBe(202);
      expect(retried.json<IngestSummary>()).toMatchObject({ accepted: 0, duplicates: 20 });
    }
    for (const instance of instances) {
      await waitForAsync(async () => (await stateOf(instance)).kpis.createdToday === 20 * (REFUSED + 1), 5_000, 'every batch once');
      expect(instance.t.app.model.ticketCount).toBe(20 * (REFUSED + 1));
    }
  });
});
