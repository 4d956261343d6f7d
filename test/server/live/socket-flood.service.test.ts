// A hostile viewer on the real server process (issue 11): one `/live` connection that stops
// reading and writes 20,000 `watch-agents` (or `resync`) in one go. Each of those used to be
// answered with a whole payload into a socket that never drains: ~2 GB in 5 s, /healthz silent for
// seconds, and the memory kept after the client left. The bar: the server's RSS stays within
// +50 MB of its baseline throughout, /healthz answers within 100 ms throughout (polled every
// 50 ms; a share of slow polls is put down to the shared machine, see NOISE_SHARE), the connection
// is cut, and the RSS is back near the baseline once it has gone.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../../contract/domain.js';
import { TOKENS, TOKEN_ENV, tempDir } from '../../helpers/tokens.js';
import { agentEvent, ticketEvent } from '../../helpers/events.js';
import { killServerProcesses, startServerProcess } from '../../helpers/server-process.js';
import { connectNonReading, repeatedFrames, type RawLiveSocket } from './raw-live-socket.js';

const MB = 1024 * 1024;
const AGENTS = 2_000;
const TICKETS = 3_000;
const FLOOD = 20_000;
/** The contract: no single connection raises the server's memory by more than this. */
const RSS_BOUND = 50 * MB;
const HEALTHZ_BOUND_MS = 100;
/**
 * The machine's own noise: on two cores shared with other suites, an idle server's /healthz
 * already takes over 100 ms now and then (about 1 poll in 200 at a load of 8, more above). A
 * share of slow polls is tolerated, none near a second; the fault held /healthz for seconds.
 */
const NOISE_SHARE = 0.1;
const HEALTHZ_NEVER_MS = 1_000;
/** "Given back": after the connection has gone, the RSS is within this of the baseline (V8 keeps some heap). */
const AFTER_SLACK = 25 * MB;
const POLL_MS = 50;
/** Watched at least this long, the time the fault took to reach ~2 GB. */
const WATCH_MS = 5_000;
/** The steady flood's rate: what the server's inbound limit lets a connection send for ever. */
const STEADY_PER_SECOND = 20;
/** A connection not cut by then never will be. */
const GIVE_UP_MS = 25_000;
/** Beyond this the fault is plain: stop before it takes the machine's memory. */
const ABORT_RSS = 250 * MB;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const sockets: RawLiveSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  killServerProcesses();
});

async function startServer(): Promise<{ base: string; pid: number }> {
  // Only the start-up lines matter; request logs of the polling below would pile up.
  const server = startServerProcess({ DATA_DIR: tempDir(), WATCHFLOOR_TOKENS: TOKEN_ENV }, { maxOutput: 100_000 });
  return { base: await server.listening(), pid: server.child.pid! };
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb[1]) * 1024;
}

async function post(base: string, events: WatchEvent[]): Promise<void> {
  const response = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  if (response.status !== 202) throw new Error(`POST /api/v1/events answered ${response.status}: ${await response.text()}`);
}

/** 2,000 agents and 3,000 tickets over 40 queues: a whole agents list is ~250 KB, a state ~10 KB. */
async function seed(base: string): Promise<void> {
  const now = Date.now();
  const at = (ms: number): string => new Date(now - ms).toISOString();
  const statuses = ['available', 'busy', 'away', 'offline'] as const;
  const agents = Array.from({ length: AGENTS }, (_, i) =>
    agentEvent({ id: `agent-${i}`, name: `Agent number ${i} of the floor`, team: `team-${i % 20}`, status: statuses[i % 4]! }, at(60_000)),
  );
  await post(base, agents);
  for (let from = 0; from < TICKETS; from += 1_000) {
    await post(
      base,
      Array.from({ length: 1_000 }, (_, j) => {
        const i = from + j;
        return ticketEvent({
          id: `T-${i}`,
          queue: `queue-${i % 40}`,
          createdAt: at(3_600_000),
          updatedAt: at(120_000),
          firstResponseDueAt: new Date(now + 3_600_000).toISOString(),
        });
      }),
    );
  }
}

interface Health {
  latencyMs: number;
  liveClients: number;
}

/** One GET /healthz; one that has not answered within 2 s counts as that slow (and no client count). */
async function healthz(base: string): Promise<Health> {
  const started = performance.now();
  try {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { liveClients: number };
    return { latencyMs: performance.now() - started, liveClients: body.liveClients };
  } catch {
    return { latencyMs: performance.now() - started, liveClients: -1 };
  }
}

/** Samples the RSS a few times over a second and takes the highest: the baseline is not its low. */
async function baselineRss(pid: number): Promise<number> {
  let highest = 0;
  for (let i = 0; i < 10; i++) {
    highest = Math.max(highest, rssOf(pid));
    await sleep(100);
  }
  return highest;
}

interface FloodOutcome {
  baseline: number;
  peakRss: number;
  maxHealthzMs: number;
  healthzPolls: number;
  /** Polls slower than HEALTHZ_BOUND_MS. */
  slowPolls: number;
  cutAfterMs: number | null;
  rssAfterLeaving: number;
}

/**
 * `burst`: all 20,000 requests in one write. `steady`: 20 requests a second, as many as the
 * server lets a connection send for ever, until the server ends the connection: what waits for a client
 * that never reads must stay bounded however long it stays.
 */
async function flood(event: 'watch-agents' | 'resync', pattern: 'burst' | 'steady'): Promise<FloodOutcome> {
  const { base, pid } = await startServer();
  await seed(base);
  // Warm up what the server loads or compiles once (both answers, a cut connection, the health
  // route), so that the baseline and the timings are the server's steady state, not its cold start.
  for (let i = 0; i < 3; i++) {
    const warm = await connectNonReading(base, TOKENS.viewer);
    warm.write(repeatedFrames(`42/live,[${JSON.stringify(event)}]`, 500));
    await sleep(300);
    warm.destroy();
  }
  for (let i = 0; i < 10; i++) await healthz(base);
  await sleep(1_000);
  const baseline = await baselineRss(pid);

  const attacker = await connectNonReading(base, TOKENS.viewer);
  sockets.push(attacker);
  expect((await healthz(base)).liveClients).toBe(1);

  let peakRss = 0;
  let maxHealthzMs = 0;
  let healthzPolls = 0;
  let slowPolls = 0;
  let cutAfterMs: number | null = null;
  // Sampled on a timer of its own, so that a /healthz that hangs does not hide the peak.
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 20);
  const packet = `42/live,[${JSON.stringify(event)}]`;
  const frames = pattern === 'burst' ? repeatedFrames(packet, FLOOD) : repeatedFrames(packet, 1);
  const started = performance.now();
  const writer = pattern === 'steady' ? setInterval(() => attacker.write(frames), 1_000 / STEADY_PER_SECOND) : null;
  if (writer === null) attacker.write(frames);
  try {
    while (performance.now() - started < WATCH_MS || cutAfterMs === null) {
      if (performance.now() - started > GIVE_UP_MS || peakRss - baseline > ABORT_RSS) break;
      const health = await healthz(base);
      healthzPolls++;
      maxHealthzMs = Math.max(maxHealthzMs, health.latencyMs);
      if (health.latencyMs > HEALTHZ_BOUND_MS) slowPolls++;
      if (health.liveClients === 0 && cutAfterMs === null) cutAfterMs = Math.round(performance.now() - started);
      await sleep(POLL_MS);
    }
  } finally {
    clearInterval(sampler);
    if (writer !== null) clearInterval(writer);
  }
  attacker.destroy();

  // Given back: the RSS comes down to near the baseline after it has left (GC has its slack).
  let rssAfterLeaving = rssOf(pid);
  for (let i = 0; i < 50 && rssAfterLeaving - baseline > AFTER_SLACK; i++) {
    await sleep(200);
    rssAfterLeaving = rssOf(pid);
  }
  const outcome = { baseline, peakRss, maxHealthzMs: Math.round(maxHealthzMs), healthzPolls, slowPolls, cutAfterMs, rssAfterLeaving };
  console.log(
    `${event} ${pattern}: baseline ${(baseline / MB).toFixed(1)} MB, peak +${((peakRss - baseline) / MB).toFixed(1)} MB, ` +
      `after leaving +${((rssAfterLeaving - baseline) / MB).toFixed(1)} MB, /healthz max ${outcome.maxHealthzMs} ms over ${healthzPolls} polls (${slowPolls} over ${HEALTHZ_BOUND_MS} ms), ` +
      `cut after ${cutAfterMs} ms`,
  );
  return outcome;
}

function expectContained(outcome: FloodOutcome): void {
  expect(outcome.peakRss - outcome.baseline, 'RSS over the baseline at its peak').toBeLessThanOrEqual(RSS_BOUND);
  expect(outcome.slowPolls, `polls of /healthz over ${HEALTHZ_BOUND_MS} ms`).toBeLessThanOrEqual(Math.floor(outcome.healthzPolls * NOISE_SHARE));
  expect(outcome.maxHealthzMs, 'the slowest /healthz during the flood').toBeLessThanOrEqual(HEALTHZ_NEVER_MS);
  expect(outcome.healthzPolls, 'polled throughout').toBeGreaterThanOrEqual(WATCH_MS / (POLL_MS + HEALTHZ_BOUND_MS));
  expect(outcome.cutAfterMs, 'the flooding connection is cut').not.toBeNull();
  expect(outcome.rssAfterLeaving - outcome.baseline, 'RSS after the connection left').toBeLessThanOrEqual(AFTER_SLACK);
}

describe('a non-reading viewer flooding the real server', () => {
  it('20,000 watch-agents in one write: RSS within +50 MB, /healthz within 100 ms, the connection cut, the memory given back', async () => {
    expectContained(await flood('watch-agents', 'burst'));
  }, 90_000);

  it('20,000 resync in one write: the same', async () => {
    expectContained(await flood('resync', 'burst'));
  }, 90_000);

  it('watch-agents 20 times a second, never reading, until the server ends it: the same', async () => {
    expectContained(await flood('watch-agents', 'steady'));
  }, 90_000);
});
