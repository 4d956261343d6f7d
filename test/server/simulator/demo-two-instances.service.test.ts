// DEMO=1 on two instances sharing one Redis: one simulates, the other follows, and restarting
// either (the one simulating or the other) leaves both showing the same numbers, the run going on
// rather than starting over. Before, the restarted instance forgot the previous run on its own
// and started a new one: "Created today" split for good between the two.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../../server/simulator/demo.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { inspect, waitForAsync } from '../../helpers/redis-cluster.js';

interface DemoInstance {
  t: TestApp;
  demo: Demo;
  close(): Promise<void>;
}

let redis: RedisServer;
const opened: DemoInstance[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterEach(async () => {
  for (const instance of opened.splice(0).reverse()) await instance.close();
});

afterAll(async () => {
  await redis.stop();
});

/**
 * A zone where it is about noon now. A run starts at local midnight and is not taken over past 22 h
 * of age (demo.ts: RUN_MAX_AGE_MS); on the real clock in the last two hours of a UTC day the
 * takeover this test makes would rightly start a new run, so the test runs in a zone where that
 * cannot happen.
 */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
const TIME_ZONE = zoneAtNoon();

/** An instance as main.ts runs it with DEMO=1 (real clock), its demo turning every 300 ms. */
async function start(): Promise<DemoInstance> {
  const t = await startTestApp({ env: { REDIS_URL: redis.url, TZ: TIME_ZONE } });
  const demo = await startDemo({
    model: t.app.model,
    ingest: (events) => t.app.ingest.ingestEvents(events),
    timeZone: TIME_ZONE,
    log: t.app.log,
    redisUrl: redis.url,
    turnMs: 300,
  });
  let closing: Promise<void> | null = null;
  const instance: DemoInstance = {
    t,
    demo,
    close: () =>
      (closing ??= (async () => {
        await demo.stop();
        await t.close();
      })()),
  };
  opened.push(instance);
  return instance;
}

const createdToday = (instance: DemoInstance): number => instance.t.app.currentState().kpis.createdToday;
const demoTickets = (instance: DemoInstance): number => {
  let count = 0;
  instance.t.app.model.scanTickets((ticket) => (count += ticket.key.startsWith('demo:') ? 1 : 0));
  return count;
};

/** Exactly one simulates (its back-fill sent), and both show the same demo. */
async function agree(a: DemoInstance, b: DemoInstance, what: string): Promise<number> {
  await waitForAsync(async () => Number(a.demo.simulating) + Number(b.demo.simulating) === 1, 10_000, `${what}: one instance simulating`);
  await waitForAsync(async () => createdToday(a) > 0 && createdToday(a) === createdToday(b) && demoTickets(a) === demoTickets(b), 10_000, what);
  return createdToday(a);
}

describe('DEMO=1 on two instances', () => {
  it('keeps both on one run across restarts of either instance', async () => {
    let a = await start();
    let b = await start();
    const first = await agree(a, b, 'both instances to show the same demo');
    const client = inspect(redis.url);
    const run = JSON.parse((await client.get('wf:demo:run'))!) as { tag: string };
    client.disconnect();

    // Restart A, then B: whichever was simulating, the other (or the restarted one) takes the run over.
    await a.close();
    a = await start();
    const second = await agree(a, b, 'agreement after restarting A');
    await b.close();
    b = await start();
    const third = await agree(a, b, 'agreement after restarting B');

    // The same run went on: no new day's back-fill on top, nothing forgotten (a few arrivals at most).
    for (const figure of [second, third]) {
      expect(figure).toBeGreaterThanOrEqual(first);
      expect(figure).toBeLessThanOrEqual(first + 5);
    }
    let sameRun = true;
    a.t.app.model.scanTickets((ticket) => {
      if (ticket.key.startsWith('demo:') && !ticket.key.startsWith(`demo:${run.tag}-`)) sameRun = false;
    });
    expect(sameRun).toBe(true);
  });
});
