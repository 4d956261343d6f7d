// Redis out of memory (maxmemory reached, eviction off): it answers but refuses every write. The
// instances say so at once (/healthz 503 "read-only", UPDATES PAUSED on the walls) instead of
// "ok"; the changes a failing checkpoint could not write are kept for the next one; an instance
// started against the full Redis comes up degraded (no EXECABORT crash) and answers ingest 503
// until Redis takes writes again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../../contract/domain.js';
import { LiveRecorder, TOKENS, waitFor } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { inspect, waitForAsync } from '../../helpers/redis-cluster.js';
import { batch, health, LoggedCluster, post, WARN } from '../../helpers/logged-instances.js';

let redis: RedisServer;
let cluster: LoggedCluster;
const clients: LiveRecorder[] = [];

beforeAll(async () => {
  redis = await RedisServer.start({ args: ['--maxmemory-policy', 'noeviction'] });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await cluster.closeAll();
});

afterAll(async () => {
  await redis.stop();
});

describe('Redis out of memory', () => {
  it('shows on /healthz and the walls at once, loses nothing, and lets a new instance start degraded', async () => {
    cluster = new LoggedCluster(() => redis.url);
    const a = await cluster.start();
    const b = await cluster.start();
    const wall = new LiveRecorder(b.url, TOKENS.viewer);
    clients.push(wall);
    const healthOnWall: boolean[] = [];
    wall.socket.on('health', (message) => healthOnWall.push(message.ok));
    await wall.ready();
    const admin = inspect(redis.url);
    try {
      // Acknowledged, and (the checkpoint runs every 5 s) not yet in the hashes.
      for (let k = 0; k < 4; k++) expect((await post(k % 2 === 0 ? a : b, batch('OOM', k))).statusCode).toBe(202);
      await admin.config('SET', 'maxmemory', '1');

      // /healthz and the walls say so within a probe's turn (2 s).
      const started = Date.now();
      await waitForAsync(async () => (await health(a)).statusCode === 503 && (await health(b)).statusCode === 503, 3_000, '/healthz 503 on both');
      expect(Date.now() - started).toBeLessThan(3_000);
      const full = await health(b);
      expect(full.body.status).not.toBe('ok');
      expect(full.body.store).toMatchObject({ ok: false, state: 'read-only' });
      expect(full.body.store.message).toMatch(/out of memory/);
      await waitFor(() => healthOnWall.at(-1) === false, 'UPDATES PAUSED on the wall', 3_000);

      // Ingest is refused as a whole; the checkpoint fails and keeps its changes.
      const refused = await post(a, batch('OOM', 10));
      expect(refused.statusCode).toBe(503);
      await expect(a.t.app.checkpoint()).rejects.toThrow(/OOM/);
      await expect(b.t.app.checkpoint()).rejects.toThrow(/OOM/);

      // A new instance starts against it: degraded, with the reason, not a crash.
      const c = await cluster.start();
      expect(c.t.app.model.ticketCount).toBe(80);
      const onC = await health(c);
      expect(onC.statusCode).toBe(503);
      expect(onC.body.store).toMatchObject({ ok: false, state: 'read-only' });
      expect(onC.body.store.message).toMatch(/out of memory/);
      expect(c.lines.some((line) => line.level === WARN && /does not take events: .*out of memory/.test(line.msg))).toBe(true);
      expect((await post(c, batch('OOM', 11))).statusCode).toBe(503);

      // Memory again: everything resumes by itself.
      await admin.config('SET', 'maxmemory', '0');
      await waitForAsync(
        async () => (await health(a)).statusCode === 200 && (await health(b)).statusCode === 200 && (await health(c)).statusCode === 200,
        5_000,
        '/healthz 200 on all three',
      );
      await waitFor(() => healthOnWall.at(-1) === true, 'the wall resuming', 3_000);
      const accepted = await post(c, batch('OOM', 11));
      expect(accepted.statusCode).toBe(202);
      expect(accepted.json<IngestSummary>()).toMatchObject({ accepted: 20, duplicates: 0 });

      // The changes the failed checkpoints kept are written by the next one: every acknowledged
      // ticket is in the hashes, whatever the log keeps.
      await a.t.app.checkpoint();
      const keys = [0, 1, 2, 3].flatMap((k) => batch('OOM', k).map((event) => `test:${event.ticket.id}`));
      const stored = await admin.hmget('wf:tickets', ...keys);
      expect(stored.filter((json) => json === null)).toHaveLength(0);
    } finally {
      await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
      admin.disconnect();
    }
  });
});
