// Scenario 1 (SPEC 12): embedded ingest in batches of 500, over real keep-alive HTTP, against
// our server and a bare Fastify route that only parses the same pre-serialised bodies.
import { performance } from 'node:perf_hooks';
import { TOKENS } from '../helpers/app.js';
import { spawnServer, type SpawnOptions } from './child.js';
import { closedLoop, Poster, type LoadWindow } from './http-load.js';
import { fmt, type ScenarioResult } from './report.js';
import { EventFactory, mixedBatches } from './workload.js';

const BATCH = 500;
const TICKETS = 20_000;
const AGENTS = 300;
const AGENT_SHARE = 0.1;
const CONCURRENCY = 3;
const WARMUP_MS = 2_000;
const MEASURE_MS = 8_000;
/** Warm-up bodies: the warm-up ends at 2 s or when these run out. */
const WARMUP_BODIES = 200;
/**
 * Measurement bodies are generated after the warm-up, off the clock, for 1.5× the warm-up's
 * rate over the window (at ~6 µs an event, generating for 250,000 events/s up front would cost
 * 12 s of the bench's 3 minutes); if they still run out, the window ends early and says so.
 */
const HEADROOM = 1.5;
const MAX_BODIES = 4_000;

export interface IngestOptions {
  /** Extra node flags for our server (the profile run passes --cpu-prof). */
  server?: SpawnOptions;
  /** Skip the bare baseline (profile runs). */
  skipBaseline?: boolean;
}

interface Side {
  eventsPerSec: number;
  window: LoadWindow;
}

function rate(window: LoadWindow): number {
  return (window.batches * BATCH) / (window.elapsedMs / 1000);
}

export async function ingestScenario(options: IngestOptions = {}): Promise<ScenarioResult> {
  const now = Date.now();
  const factory = new EventFactory(now.toString(36), 1);
  // Traffic of the last two hours, so that tickets are created "today" and due times are real;
  // the warm-up's traffic comes first in time, the window's after it.
  const startMs = now - 2 * 60 * 60_000;
  const midMs = now - 100 * 60_000;
  let generationMs = 0;
  const generate = (batches: number, fromMs: number, toMs: number): Buffer[] => {
    const started = performance.now();
    const out = mixedBatches({ factory, batches, batchSize: BATCH, tickets: TICKETS, agents: AGENTS, agentShare: AGENT_SHARE, fromMs, toMs });
    generationMs += performance.now() - started;
    return out;
  };
  const warmupBodies = generate(WARMUP_BODIES, startMs, midMs);

  // Ours: every event id is new, so the bodies are taken in order and never reused.
  let bodies: Buffer[] = [];
  const ours = await spawnServer('server-process.ts', options.server);
  let oursSide: Side;
  let serverStats: unknown;
  try {
    const poster = new Poster({ port: ours.port, headers: { authorization: `Bearer ${TOKENS.ingest}` }, concurrency: CONCURRENCY });
    let next = 0;
    const warm = (): Buffer | null => (next < warmupBodies.length ? warmupBodies[next++]! : null);
    const warmup = await closedLoop({ poster, path: '/api/v1/events', concurrency: CONCURRENCY, durationMs: WARMUP_MS, next: warm });
    const needed = Math.ceil((rate(warmup) * HEADROOM * MEASURE_MS) / 1000 / BATCH);
    bodies = generate(Math.min(MAX_BODIES, Math.max(needed, 100)), midMs, now - 1_000);
    next = 0;
    const take = (): Buffer | null => (next < bodies.length ? bodies[next++]! : null);
    await poster.json('/bench/stats?reset=1');
    const window = await closedLoop({ poster, path: '/api/v1/events', concurrency: CONCURRENCY, durationMs: MEASURE_MS, next: take });
    serverStats = await poster.json('/bench/stats');
    oursSide = { eventsPerSec: rate(window), window };
    poster.close();
  } finally {
    await ours.stop();
  }

  let bareSide: Side | null = null;
  if (options.skipBaseline !== true) {
    const bare = await spawnServer('bare-server.ts');
    try {
      const poster = new Poster({ port: bare.port, headers: {}, concurrency: CONCURRENCY });
      // The bare route keeps nothing, so it may see the same bodies again.
      let next = 0;
      const cycle = (): Buffer => bodies[next++ % bodies.length]!;
      await closedLoop({ poster, path: '/api/v1/events', concurrency: CONCURRENCY, durationMs: WARMUP_MS, next: cycle });
      const window = await closedLoop({ poster, path: '/api/v1/events', concurrency: CONCURRENCY, durationMs: MEASURE_MS, next: cycle });
      bareSide = { eventsPerSec: rate(window), window };
      poster.close();
    } finally {
      await bare.stop();
    }
  }

  const bodyBytes = bodies.reduce((sum, b) => sum + b.length, 0) / Math.max(1, bodies.length);
  const ratio = bareSide === null ? NaN : oursSide.eventsPerSec / bareSide.eventsPerSec;
  const summary = oursSide.window.summary;
  const stats = serverStats as {
    loopDelayMs: { p99: number; max: number };
    checkpoints: { count: number; maxMs: number; totalMs: number };
  };
  const notes = [
    `Ingest workload: ${fmt.int(WARMUP_BODIES)} + ${fmt.int(bodies.length)} pre-serialised bodies of ${BATCH} events (${fmt.int(bodyBytes / 1024)} KB each, ` +
      `${Math.round(AGENT_SHARE * 100)}% agent events over ${AGENTS} agents, ticket upserts over ${fmt.int(TICKETS)} tickets), ` +
      `generated in ${fmt.ms(generationMs)} in all, never while a window was timed; ${CONCURRENCY} requests in flight on a keep-alive http.Agent; ` +
      `${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured per server.`,
    `Ours, measured window: ${fmt.int(oursSide.window.batches)} batches in ${fmt.ms(oursSide.window.elapsedMs)}` +
      `${oursSide.window.exhausted ? ' (bodies ran out before the clock)' : ''}; 202 summaries: accepted ${fmt.int(summary.accepted ?? 0)}, ` +
      `stale ${fmt.int(summary.stale ?? 0)}, duplicates ${fmt.int(summary.duplicates ?? 0)}, rejected ${fmt.int(summary.rejected ?? 0)}` +
      `${oursSide.window.errors.length > 0 ? `; errors: ${oursSide.window.errors.join(' / ')}` : ''}.`,
    `Ours, server side during the window: event-loop delay p99 ${stats.loopDelayMs.p99} ms, max ${stats.loopDelayMs.max} ms; ` +
      `${stats.checkpoints.count} checkpoint(s), longest ${fmt.ms(stats.checkpoints.maxMs)} of wall time ` +
      `(${fmt.ms(stats.checkpoints.totalMs)} in all; the event-loop delay says how much of it held the loop).`,
  ];
  if (bareSide !== null) {
    notes.push(`Bare baseline: ${fmt.int(bareSide.window.batches)} batches in ${fmt.ms(bareSide.window.elapsedMs)}.`);
  }
  return {
    rows: [
      { what: 'ingest, embedded (events/s, batches of 500)', measured: fmt.int(oursSide.eventsPerSec), target: '≥ 100,000', pass: oursSide.eventsPerSec >= 100_000 },
      ...(bareSide === null
        ? []
        : [
            { what: 'ingest, bare Fastify parse-only baseline (events/s)', measured: fmt.int(bareSide.eventsPerSec), target: '(reference)', pass: null },
            { what: 'ingest, ours ÷ bare baseline', measured: fmt.ratio(ratio), target: '≥ 0.50', pass: ratio >= 0.5 },
          ]),
    ],
    notes,
    data: { ours: oursSide, bare: bareSide, ratio, serverStats, generationMs, bodyBytes },
  };
}
