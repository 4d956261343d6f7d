// Scenario 1 (docs/contract.md#targets): embedded ingest in batches of 500, over real keep-alive HTTP, against
// our server and a bare Fastify route that only parses the same pre-serialised bodies.
// The workload and the measured run against our server (`IngestWorkload`, `ingestRun`) are
// shared with the Redis scenario (redis-ingest.ts), which runs the same load on REDIS_URL.
import { performance } from 'node:perf_hooks';
import { TOKENS } from '../helpers/app.js';
import { machineBusyMs, procCpuMs, spawnServer, type ServerChild, type SpawnOptions } from './child.js';
import { closedLoop, Poster, type LoadWindow } from './http-load.js';
import { fmt, type ScenarioResult } from './report.js';
import { EventFactory, mixedBatches } from './workload.js';

export const BATCH = 500;
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

export interface Side {
  eventsPerSec: number;
  window: LoadWindow;
}

export function rate(window: LoadWindow): number {
  return (window.batches * BATCH) / (window.elapsedMs / 1000);
}

/**
 * The ingest traffic of one bench run: warm-up bodies at once, measurement bodies when the first
 * warm-up has shown the rate. Every event id is new to a fresh store, so later runs (another
 * store, another Redis configuration) replay the very same bodies, warm-up first.
 */
export class IngestWorkload {
  private readonly factory: EventFactory;
  private readonly now = Date.now();
  /** Traffic of the last two hours, so that tickets are created "today" and due times are real. */
  private readonly startMs = this.now - 2 * 60 * 60_000;
  /** The warm-up's traffic comes first in time, the window's after it. */
  private readonly midMs = this.now - 100 * 60_000;
  generationMs = 0;
  readonly warmup: Buffer[];
  private measured: Buffer[] | null = null;

  constructor() {
    this.factory = new EventFactory(this.now.toString(36), 1);
    this.warmup = this.generate(WARMUP_BODIES, this.startMs, this.midMs);
  }

  private generate(batches: number, fromMs: number, toMs: number): Buffer[] {
    const started = performance.now();
    const out = mixedBatches({ factory: this.factory, batches, batchSize: BATCH, tickets: TICKETS, agents: AGENTS, agentShare: AGENT_SHARE, fromMs, toMs });
    this.generationMs += performance.now() - started;
    return out;
  }

  /** The measurement bodies: generated on the first call for `eventsPerSec` (the warm-up's), the same ones after. */
  bodiesFor(eventsPerSec: number): Buffer[] {
    if (this.measured === null) {
      const needed = Math.ceil((eventsPerSec * HEADROOM * MEASURE_MS) / 1000 / BATCH);
      this.measured = this.generate(Math.min(MAX_BODIES, Math.max(needed, 100)), this.midMs, this.now - 1_000);
    }
    return this.measured;
  }

  get bodies(): Buffer[] {
    return this.measured ?? [];
  }

  get bodyBytes(): number {
    const bodies = this.bodies;
    return bodies.reduce((sum, b) => sum + b.length, 0) / Math.max(1, bodies.length);
  }

  /** What the notes say about the traffic. */
  describe(): string {
    return (
      `${fmt.int(WARMUP_BODIES)} + ${fmt.int(this.bodies.length)} pre-serialised bodies of ${BATCH} events (${fmt.int(this.bodyBytes / 1024)} KB each, ` +
      `${Math.round(AGENT_SHARE * 100)}% agent events over ${AGENTS} agents, ticket upserts over ${fmt.int(TICKETS)} tickets), ` +
      `generated in ${fmt.ms(this.generationMs)} in all, never while a window was timed; ${CONCURRENCY} requests in flight on a keep-alive http.Agent; ` +
      `${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured per server`
    );
  }
}

export interface ServerStats {
  loopDelayMs: { p50: number; p99: number; max: number };
  checkpoints: { count: number; maxMs: number; totalMs: number };
}

export interface IngestRun extends Side {
  serverStats: ServerStats;
  /**
   * CPU used during the measured window, in % of one core: our server, the bench's own load
   * generator, the processes the scenario named (its redis-server), and everything else on the
   * machine (`other`: another job on a shared 2-core machine skews every number).
   */
  cpu: { server: number; loadGenerator: number; watched: number; other: number };
}

/** Called right before and right after the measured window (the Redis scenario's probes). */
export interface WindowHooks {
  start?(server: ServerChild): Promise<void>;
  end?(server: ServerChild): Promise<void>;
}

/**
 * Our server in a child process: warm-up, then the measured window, with the workload's bodies
 * taken in order and never reused (every event id is new).
 */
export async function ingestRun(
  workload: IngestWorkload,
  options: { server?: SpawnOptions; hooks?: WindowHooks; watchPids?: number[]; concurrency?: number } = {},
): Promise<IngestRun> {
  const watchPids = options.watchPids ?? [];
  const concurrency = options.concurrency ?? CONCURRENCY;
  const watchedCpu = (): number => watchPids.reduce((sum, pid) => sum + procCpuMs(pid), 0);
  const ours = await spawnServer('server-process.ts', options.server);
  try {
    const poster = new Poster({ port: ours.port, headers: { authorization: `Bearer ${TOKENS.ingest}` }, concurrency });
    let next = 0;
    const warm = (): Buffer | null => (next < workload.warmup.length ? workload.warmup[next++]! : null);
    const warmup = await closedLoop({ poster, path: '/api/v1/events', concurrency, durationMs: WARMUP_MS, next: warm });
    const bodies = workload.bodiesFor(rate(warmup));
    next = 0;
    const take = (): Buffer | null => (next < bodies.length ? bodies[next++]! : null);
    await poster.json('/bench/stats?reset=1');
    await options.hooks?.start?.(ours);
    const machineCpu = machineBusyMs();
    const serverCpu = procCpuMs(ours.pid);
    const watched = watchedCpu();
    const ownCpu = process.cpuUsage();
    const window = await closedLoop({ poster, path: '/api/v1/events', concurrency, durationMs: MEASURE_MS, next: take });
    const own = process.cpuUsage(ownCpu);
    const watchedMs = watchedCpu() - watched;
    const serverCpuMs = procCpuMs(ours.pid) - serverCpu;
    const machineMs = machineBusyMs() - machineCpu;
    await options.hooks?.end?.(ours);
    const serverStats = await poster.json<ServerStats>('/bench/stats');
    poster.close();
    const percent = (ms: number): number => (100 * ms) / window.elapsedMs;
    const ownMs = (own.user + own.system) / 1000;
    const cpu = {
      server: percent(serverCpuMs),
      loadGenerator: percent(ownMs),
      watched: percent(watchedMs),
      // The kernel's share of loopback networking lands partly here (softirq time of no process).
      other: Math.max(0, percent(machineMs - serverCpuMs - ownMs - watchedMs)),
    };
    return { eventsPerSec: rate(window), window, serverStats, cpu };
  } finally {
    await ours.stop();
  }
}

/** The notes every run against our server gets: what the 202s said, and what the server saw. */
export function runNotes(label: string, run: IngestRun, watchedLabel = 'watched processes'): string[] {
  const { window, serverStats: stats } = run;
  const summary = window.summary;
  return [
    `${label}, measured window: ${fmt.int(window.batches)} batches in ${fmt.ms(window.elapsedMs)}` +
      `${window.exhausted ? ' (bodies ran out before the clock)' : ''}; 202 summaries: accepted ${fmt.int(summary.accepted ?? 0)}, ` +
      `stale ${fmt.int(summary.stale ?? 0)}, duplicates ${fmt.int(summary.duplicates ?? 0)}, rejected ${fmt.int(summary.rejected ?? 0)}` +
      `${window.errors.length > 0 ? `; errors: ${window.errors.join(' / ')}` : ''}.`,
    `${label}, server side during the window: event-loop delay p99 ${stats.loopDelayMs.p99} ms, max ${stats.loopDelayMs.max} ms; ` +
      `${stats.checkpoints.count} checkpoint(s), longest ${fmt.ms(stats.checkpoints.maxMs)} of wall time ` +
      `(${fmt.ms(stats.checkpoints.totalMs)} in all; the event-loop delay says how much of it held the loop); ` +
      `CPU: our server ${run.cpu.server.toFixed(0)}% of a core (${(((run.cpu.server / 100) * window.elapsedMs) / Math.max(1, window.batches)).toFixed(2)} ms a batch), ` +
      `the bench's load generator ${run.cpu.loadGenerator.toFixed(0)}%` +
      `${run.cpu.watched > 0 ? `, ${watchedLabel} ${run.cpu.watched.toFixed(0)}%` : ''}, everything else on the machine ${run.cpu.other.toFixed(0)}%.`,
  ];
}

export async function ingestScenario(options: IngestOptions = {}): Promise<ScenarioResult> {
  const workload = new IngestWorkload();
  const ours = await ingestRun(workload, { server: options.server });
  const bodies = workload.bodies;

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

  const ratio = bareSide === null ? NaN : ours.eventsPerSec / bareSide.eventsPerSec;
  const notes = [`Ingest workload: ${workload.describe()}.`, ...runNotes('Ours', ours)];
  if (bareSide !== null) {
    notes.push(`Bare baseline: ${fmt.int(bareSide.window.batches)} batches in ${fmt.ms(bareSide.window.elapsedMs)}.`);
  }
  const oursSide: Side = { eventsPerSec: ours.eventsPerSec, window: ours.window };
  return {
    rows: [
      { what: 'ingest, embedded (events/s, batches of 500)', measured: fmt.int(ours.eventsPerSec), target: '≥ 100,000', pass: ours.eventsPerSec >= 100_000 },
      ...(bareSide === null
        ? []
        : [
            { what: 'ingest, bare Fastify parse-only baseline (events/s)', measured: fmt.int(bareSide.eventsPerSec), target: '(reference)', pass: null },
            { what: 'ingest, ours ÷ bare baseline', measured: fmt.ratio(ratio), target: '≥ 0.60', pass: ratio >= 0.6 },
          ]),
    ],
    notes,
    data: {
      ours: oursSide,
      bare: bareSide,
      ratio,
      serverStats: ours.serverStats,
      cpu: ours.cpu,
      generationMs: workload.generationMs,
      bodyBytes: workload.bodyBytes,
    },
  };
}

/** Requests in flight in the durable-acknowledgement runs: several ingest clients at once, as group commit expects. */
const DURABLE_CONCURRENCY = 6;

/**
 * "Ingest with durable acknowledgement": the same traffic against a server that syncs the
 * journal before every 202 (JOURNAL_SYNC=always, the default; concurrent requests share one
 * fdatasync) and one that syncs at most once a second (interval). Two runs each, in the order
 * interval, always, always, interval, so that a drift in the machine's load weighs on both
 * sides alike; each side's rate is its batches over its measured time. The ratio is what the
 * promise "a 202 is on disk" costs.
 */
export async function durableAckScenario(options: IngestOptions = {}): Promise<ScenarioResult> {
  const workload = new IngestWorkload();
  const run = (mode: 'always' | 'interval'): Promise<IngestRun> =>
    ingestRun(workload, { concurrency: DURABLE_CONCURRENCY, server: { ...options.server, env: { ...options.server?.env, JOURNAL_SYNC: mode } } });
  const interval1 = await run('interval');
  const always1 = await run('always');
  const always2 = await run('always');
  const interval2 = await run('interval');
  const combined = (a: IngestRun, b: IngestRun): number => ((a.window.batches + b.window.batches) * BATCH) / ((a.window.elapsedMs + b.window.elapsedMs) / 1000);
  const durable = combined(always1, always2);
  const interval = combined(interval1, interval2);
  const ratio = durable / interval;
  const perBatch = (a: IngestRun, b: IngestRun): string =>
    `${(((a.window.elapsedMs + b.window.elapsedMs) / Math.max(1, a.window.batches + b.window.batches)) * DURABLE_CONCURRENCY).toFixed(1)} ms`;
  return {
    rows: [
      { what: 'ingest with durable acknowledgement (JOURNAL_SYNC=always, events/s)', measured: fmt.int(durable), target: '(reference)', pass: null },
      { what: 'ingest, JOURNAL_SYNC=interval (events/s)', measured: fmt.int(interval), target: '(reference)', pass: null },
      { what: 'ingest with durable acknowledgement ÷ interval', measured: fmt.ratio(ratio), target: '≥ 0.80', pass: ratio >= 0.8 },
    ],
    notes: [
      `Durable acknowledgement: ${workload.describe().replace(`${CONCURRENCY} requests in flight`, `${DURABLE_CONCURRENCY} requests in flight`)}; ` +
        `four servers in the order interval, always, always, interval, the same bodies each.`,
      `Time from sending a batch to its 202: JOURNAL_SYNC=always ${perBatch(always1, always2)}, interval ${perBatch(interval1, interval2)}; ` +
        `the runs one by one (events/s): interval ${fmt.int(interval1.eventsPerSec)}, always ${fmt.int(always1.eventsPerSec)}, ` +
        `always ${fmt.int(always2.eventsPerSec)}, interval ${fmt.int(interval2.eventsPerSec)}.`,
      ...runNotes('JOURNAL_SYNC=always (first)', always1),
      ...runNotes('JOURNAL_SYNC=interval (first)', interval1),
    ],
    data: {
      alwaysWindows: [always1.window, always2.window],
      intervalWindows: [interval1.window, interval2.window],
      alwaysEventsPerSec: durable,
      intervalEventsPerSec: interval,
      ratio,
    },
  };
}
