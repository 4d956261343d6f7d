// Redis reached over a slow link (300 ms each way, through a TCP proxy): the instance still takes
// events, so /healthz answers 200 and says "slow" with the latency, and the walls are not paused.
// "Down" is kept for a command that fails or exceeds the command timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../../contract/domain.js';
import { LiveRecorder, TOKENS } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { SlowProxy } from '../../helpers/slow-proxy.js';
import { batch, health, LoggedCluster, post, sleep, type LoggedInstance } from '../../helpers/logged-instances.js';

const DELAY_MS = 300;

let redis: RedisServer;
let proxy: SlowProxy;
let cluster: LoggedCluster;
let a: LoggedInstance;

beforeAll(async () => {
  redis = await RedisServer.start();
  proxy = await SlowProxy.start(redis.port, DELAY_MS);
  // Start-up opens several connections, each a few round trips: ~15 s through this link.
  cluster = new LoggedCluster(() => proxy.url);
  a = await cluster.start();
});

afterAll(async () => {
  await cluster.closeAll();
  await proxy.close();
  await redis.stop();
});

describe('Redis over a slow link', () => {
  it('is reported slow, not down: /healthz 200 with the latency, walls not paused, ingest 202', async () => {
    const wall = new LiveRecorder(a.url, TOKENS.viewer);
    const healthOnWall: boolean[] = [];
    wall.socket.on('health', (message) => healthOnWall.push(message.ok));
    try {
      await wall.ready();
      const started = Date.now();
      const response = await post(a, batch('SLOW', 0));
      expect(response.statusCode).toBe(202);
      expect(response.json<IngestSummary>()).toMatchObject({ accepted: 20 });
      expect(Date.now() - started).toBeLessThan(2_000);

      for (let i = 0; i < 3; i++) {
        const probed = await health(a);
        // The store first: a failure then shows what the probe said.
        expect(probed.body.store).toMatchObject({ ok: true, state: 'slow', slow: true });
        expect(probed.statusCode).toBe(200);
        expect(probed.body.status).toBe('ok');
        // One round trip through the proxy: 2 × 300 ms, well under the 2 s command timeout.
        expect(probed.body.store.latencyMs).toBeGreaterThanOrEqual(2 * DELAY_MS - 20);
        expect(probed.body.store.latencyMs).toBeLessThan(2_000);
      }
      // Across a few of the walls' probes (every 2 s): never paused.
      await sleep(4_500);
      expect(healthOnWall.every((ok) => ok)).toBe(true);
    } finally {
      wall.close();
    }
  });
});
