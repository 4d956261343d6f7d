// A hostile viewer on the real server process (issue 11): one `/live` connection that stops
// reading and writes 20,000 `watch-agents` (or `resync`) in one go. Each of those used to be
// answered with a whole payload into a socket that never drains: ~2 GB in 5 s, /healthz silent for
// seconds, and the memory kept after the client left. The bar: the server's RSS stays within
// +50 MB of its baseline throughout, /healthz answers within 100 ms throughout, the connection is
// cut, and the RSS is back near the baseline once it has gone.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../server/domain/types.js';
import { TOKENS, TOKEN_ENV, tempDir } from '../helpers/tokens.js';
import { agentEvent, ticketEvent } from '../helpers/events.js';
import { connectNonReading, type RawLiveSocket } from './raw-live-socket.js';

const MB = 1024 * 1024;
const AGENTS = 2_000;
const TICKETS = 3_000;
const FLOOD = 20_000;
/** The contract: no single connection raises the server's memory by more than this. */
const RSS_BOUND = 50 * MB;
const HEALTHZ_BOUND_MS = 100;
const POLL_MS = 50;
/** Watched at least this long, the time the fault took to reach ~2 GB. */
const WATCH_MS = 5_000;
/** Beyond this the fault is plain: stop before it takes the machine's memory. */
const ABORT_RSS = 250 * MB;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const children: ChildProcess[] = [];
const sockets: RawLiveSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function startServer(): Promise<{ base: string; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', DEMO: '0', PORT: '0', DATA_DIR: tempDir(), WATCHFLOOR_TOKENS: TOKEN_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    // Only the start-up lines matter; request logs of the polling below would pile up.
    if (output.length < 100_000) output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  for (let i = 0; i < 400; i++) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match) return { base: match[1]!, pid: child.pid! };
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`server did not start:\n${output}`);
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
        return ticketEvent({ id: `T-${i}`, queue: `queue-${i % 40}`, createdAt: at(3_600_000), updatedAt: at(120_000), firstResponseDueAt: new Date(now + 3_600_000).toISOString() });
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
  cutAfterMs: number | null;
  rssAfterLeaving: number;
}

async function flood(event: 'watch-agents' | 'resync'): Promise<FloodOutcome> {
  const { base, pid } = await startServer();
  await seed(base);
  // Warm up what a viewer makes the server load or compile once (both answers, the polling
  // route), so that the baseline is the server's steady state rather than its cold start.
  const warm = await connectNonReading(base, TOKENS.viewer);
  warm.send(['42/live,["watch-agents"]', '42/live,["resync"]']);
  await sleep(300);
  warm.destroy();
  for (let i = 0; i < 10; i++) await healthz(base);
  await sleep(1_000);
  const baseline = await baselineRss(pid);

  const attacker = await connectNonReading(base, TOKENS.viewer);
  sockets.push(attacker);
  expect((await healthz(base)).liveClients).toBe(1);

  let peakRss = 0;
  let maxHealthzMs = 0;
  let healthzPolls = 0;
  let cutAfterMs: number | null = null;
  // Sampled on a timer of its own, so that a /healthz that hangs does not hide the peak.
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 20);
  const started = performance.now();
  attacker.send(Array.from({ length: FLOOD }, () => `42/live,[${JSON.stringify(event)}]`));
  try {
    while (performance.now() - started < WATCH_MS || cutAfterMs === null) {
      if (performance.now() - started > 20_000 || peakRss - baseline > ABORT_RSS) break;
      const health = await healthz(base);
      healthzPolls++;
      maxHealthzMs = Math.max(maxHealthzMs, health.latencyMs);
      if (health.liveClients === 0 && cutAfterMs === null) cutAfterMs = Math.round(performance.now() - started);
      await sleep(POLL_MS);
    }
  } finally {
    clearInterval(sampler);
  }
  attacker.destroy();

  // Given back: the RSS comes down to near the baseline after it has left (GC has its slack).
  let rssAfterLeaving = rssOf(pid);
  for (let i = 0; i < 50 && rssAfterLeaving - baseline > 20 * MB; i++) {
    await sleep(200);
    rssAfterLeaving = rssOf(pid);
  }
  const outcome = { baseline, peakRss, maxHealthzMs: Math.round(maxHealthzMs), healthzPolls, cutAfterMs, rssAfterLeaving };
  console.log(
    `${event} flood: baseline ${(baseline / MB).toFixed(1)} MB, peak +${((peakRss - baseline) / MB).toFixed(1)} MB, ` +
      `after leaving +${((rssAfterLeaving - baseline) / MB).toFixed(1)} MB, /healthz max ${outcome.maxHealthzMs} ms over ${healthzPolls} polls, ` +
      `cut after ${cutAfterMs} ms`,
  );
  return outcome;
}

function expectContained(outcome: FloodOutcome): void {
  expect(outcome.peakRss - outcome.baseline, 'RSS over the baseline at its peak').toBeLessThanOrEqual(RSS_BOUND);
  expect(outcome.maxHealthzMs, 'the slowest /healthz during the flood').toBeLessThanOrEqual(HEALTHZ_BOUND_MS);
  expect(outcome.healthzPolls, 'polled throughout').toBeGreaterThanOrEqual(WATCH_MS / (POLL_MS + HEALTHZ_BOUND_MS));
  expect(outcome.cutAfterMs, 'the flooding connection is cut').not.toBeNull();
  expect(outcome.rssAfterLeaving - outcome.baseline, 'RSS after the connection left').toBeLessThanOrEqual(20 * MB);
}

describe('a non-reading viewer flooding the real server', () => {
  it('20,000 watch-agents: RSS within +50 MB, /healthz within 100 ms, the connection cut, the memory given back', async () => {
    expectContained(await flood('watch-agents'));
  }, 90_000);

  it('20,000 resync: the same', async () => {
    expectContained(await flood('resync'));
  }, 90_000);
});
