// Redis restarted empty (SIGKILL, no persistence) under two running instances and a client that
// alternates between them: both notice (log at error level, /healthz, UPDATES PAUSED on the walls),
// re-seed Redis from their live models, and carry on; an instance started afterwards shows every
// acknowledged ticket, and an acknowledged batch sent again comes back as duplicates.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary, TicketEvent } from '../../../contract/domain.js';
import { LiveRecorder, TOKENS, waitFor } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { inspect, waitForAsync } from '../../helpers/redis-cluster.js';
import { batch, ERROR, health, LoggedCluster, post, sleep, type LoggedInstance } from '../../helpers/logged-instances.js';

const BEFORE = 30;
const AFTER = 30;

let redis: RedisServer;
let cluster: LoggedCluster;
const clients: LiveRecorder[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await cluster.closeAll();
  await redis.flush();
  // The snapshot one test takes must not come back in the next one's restart.
  fs.rmSync(path.join(redis.dir, 'dump.rdb'), { force: true });
});

afterAll(async () => {
  await redis.stop();
});

/** Sends batch k until an instance acknowledges it, starting with instance k % 2 and alternating. */
async function deliver(instances: LoggedInstance[], events: TicketEvent[], k: number): Promise<IngestSummary> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await post(instances[(k + attempt) % instances.length]!, events);
    if (response.statusCode === 202) return response.json<IngestSummary>();
    expect(response.statusCode).toBe(503);
    await sleep(100);
  }
  throw new Error(`batch ${k} was never acknowledged`);
}

const lossLines = (instance: LoggedInstance) => instance.lines.filter((line) => line.level === ERROR && /Redis (lost|holds another|went back)/.test(line.msg));

describe('Redis restarted empty under running instances', () => {
  it('is noticed, re-seeded from the live models, and loses no acknowledged ticket or dedup id', async () => {
    cluster = new LoggedCluster(() => redis.url);
    const a = await cluster.start();
    const b = await cluster.start();
    const instances = [a, b];
    const wall = new LiveRecorder(b.url, TOKENS.viewer);
    clients.push(wall);
    const healthOnWall: boolean[] = [];
    wall.socket.on('health', (message) => healthOnWall.push(message.ok));
    await wall.ready();

    const acknowledged: TicketEvent[][] = [];
    for (let k = 0; k < BEFORE; k++) {
      const events = batch('DL', k);
      expect(await deliver(instances, events, k)).toMatchObject({ accepted: events.length, duplicates: 0 });
      acknowledged.push(events);
    }

    await redis.kill();
    await redis.start();
    // The client goes on; what arrives before the instances noticed is refused (503), then accepted.
    for (let k = BEFORE; k < BEFORE + AFTER; k++) {
      const events = batch('DL', k);
      const summary = await deliver(instances, events, k);
      expect(summary.accepted + summary.duplicates).toBe(events.length);
      acknowledged.push(events);
    }

    // Each instance said so once, at error level, and healthy again after re-seeding.
    await waitForAsync(async () => lossLines(a).length > 0 && lossLines(b).length > 0, 10_000, 'both instances to log the loss');
    await waitForAsync(async () => (await health(a)).statusCode === 200 && (await health(b)).statusCode === 200, 10_000, '/healthz 200 again');
    expect(lossLines(a)).toHaveLength(1);
    expect(lossLines(b)).toHaveLength(1);
    expect(a.lines.some((line) => /re-seeded from this instance/.test(line.msg))).toBe(true);
    expect((await health(a)).body.store).toMatchObject({ ok: true, state: 'ok' });
    // The wall on B showed UPDATES PAUSED (store health false) and then resumed.
    await waitFor(() => healthOnWall.includes(false) && healthOnWall.at(-1) === true, 'the wall paused and resumed', 5_000);

    // An instance started now holds every acknowledged ticket, from before the loss and after.
    const c = await cluster.start();
    const missing = acknowledged.flat().filter((event) => c.t.app.model.ticket('test', event.ticket.id) === null);
    expect(missing.map((event) => event.ticket.id)).toEqual([]);
    expect(c.t.app.model.ticketCount).toBe((BEFORE + AFTER) * 20);

    // Acknowledged batches sent again, from before the loss and after it, are duplicates everywhere.
    for (const [instance, k] of [
      [c, 0],
      [a, BEFORE - 1],
      [b, BEFORE + 3],
    ] as const) {
      const again = await post(instance, acknowledged[k]!);
      expect(again.statusCode).toBe(202);
      expect(again.json<IngestSummary>()).toMatchObject({ accepted: 0, duplicates: 20 });
    }
  });

  it('is noticed when Redis comes back from an older snapshot (rolled back), and re-seeded', async () => {
    cluster = new LoggedCluster(() => redis.url);
    const a = await cluster.start();
    const b = await cluster.start();
    const instances = [a, b];
    const acknowledged: TicketEvent[][] = [];
    const admin = inspect(redis.url);
    try {
      for (let k = 0; k < 20; k++) {
        // A snapshot half-way: what a restart from it brings back is older than what was acknowledged.
        if (k === 10) await admin.save();
        const events = batch('RB', k);
        expect(await deliver(instances, events, k)).toMatchObject({ accepted: 20 });
        acknowledged.push(events);
      }
    } finally {
      admin.disconnect();
    }
    await redis.kill();
    await redis.start();

    // The marker is there, with its old id, but counts fewer commits than the instances saw.
    await waitForAsync(async () => lossLines(a).length > 0 && lossLines(b).length > 0, 10_000, 'both instances to log the loss');
    expect(
      lossLines(a)
        .concat(lossLines(b))
        .some((line) => /went back/.test(line.msg)),
    ).toBe(true);
    await waitForAsync(async () => (await health(a)).statusCode === 200 && (await health(b)).statusCode === 200, 10_000, '/healthz 200 again');
    const c = await cluster.start();
    expect(c.t.app.model.ticketCount).toBe(20 * 20);
    const again = await post(c, acknowledged[15]!);
    expect(again.json<IngestSummary>()).toMatchObject({ accepted: 0, duplicates: 20 });
  });

  it('stays paused, saying so on /healthz, while the emptied Redis refuses the re-seed (full)', async () => {
    cluster = new LoggedCluster(() => redis.url);
    const a = await cluster.start();
    for (let k = 0; k < 5; k++) expect((await post(a, batch('FULL', k))).statusCode).toBe(202);
    await redis.kill();
    await redis.start({ args: ['--maxmemory', '1', '--maxmemory-policy', 'noeviction'] });

    await waitForAsync(async () => (await health(a)).body.store.state === 'data-lost', 10_000, '/healthz to say data-lost');
    const lost = await health(a);
    expect(lost.statusCode).toBe(503);
    expect(lost.body.status).not.toBe('ok');
    expect(lost.body.store).toMatchObject({ ok: false, state: 'data-lost' });
    expect(lost.body.store.message).toMatch(/lost its data/);
    expect((await post(a, batch('FULL', 9))).statusCode).toBe(503);

    const admin = inspect(redis.url);
    try {
      await admin.config('SET', 'maxmemory', '0');
    } finally {
      admin.disconnect();
    }
    await waitForAsync(async () => (await health(a)).statusCode === 200, 10_000, '/healthz 200 once re-seeded');
    expect(lossLines(a)).toHaveLength(1);
    const b = await cluster.start();
    expect(b.t.app.model.ticketCount).toBe(5 * 20);
  });
});
