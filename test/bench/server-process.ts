// The real Watchfloor app in a process of its own, so that the load generator never shares its
// event loop. Built like the tests build it (known tokens, throwaway DATA_DIR, silent logs);
// listens on BENCH_PORT (0: any) and prints one JSON line `{"ready":true,"port":…}`.
// REDIS_URL / INFLUX_URL in its environment go into the config: the distributed mode's stores.
// GET /bench/stats adds what only the server can see: event-loop delay, checkpoint and
// broadcast durations. It is bench-only and costs a Date.now() per checkpoint/broadcast.
// The built web app (build/) is served when it exists, for the wall scenario's browser.
// With BENCH_CLOCK=1 the server runs on a clock the bench can speed up (GET /bench/clock?speed=N),
// for the wall scenario's accelerated day; without it the server uses Date.now as in production.
// With BENCH_DATA_DIR the server uses that directory and leaves it on exit (the million scenario
// restarts on the same data); without it a throwaway one, removed on exit.
import fs from 'node:fs';
import v8 from 'node:v8';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOKEN_ENV, tempDir } from '../helpers/tokens.js';

/** The web app's build (`npm run build`), served when present; the API-only scenarios ignore it. */
const WEB_ROOT = path.resolve('build');

/**
 * A clock that runs at real speed until told otherwise: `speed` simulated ms per real ms from the
 * moment of the change on, continuous (never jumps back), so the model's clock stays monotonic.
 */
class BenchClock {
  anchorReal = Date.now();
  anchorSim = this.anchorReal;
  speed = 1;

  readonly now = (): number => Math.floor(this.anchorSim + (Date.now() - this.anchorReal) * this.speed);

  setSpeed(speed: number): void {
    const real = Date.now();
    this.anchorSim = this.anchorSim + (real - this.anchorReal) * this.speed;
    this.anchorReal = real;
    this.speed = speed;
  }
}

const benchClock = process.env.BENCH_CLOCK === '1' ? new BenchClock() : null;

/**
 * The server as production runs it: the compiled JavaScript of dist/ (`npm run bench` builds it
 * first), not the TypeScript through tsx, whose loader costs memory and time of its own.
 */
async function startCompiledApp() {
  const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.resolve('dist/server', file)).href) as Promise<T>;
  // As main.ts does before anything else.
  (await load<typeof import('../../server/heap-tuning.js')>('heap-tuning.js')).tuneHeap();
  const { buildApp } = await load<typeof import('../../server/app.js')>('app.js');
  const { loadConfig } = await load<typeof import('../../server/config.js')>('config.js');
  const keptDir = process.env.BENCH_DATA_DIR;
  const dataDir = keptDir === undefined || keptDir === '' ? tempDir('watchfloor-bench-') : keptDir;
  // The distributed mode's stores when the scenario sets them (child.ts passes only those it sets).
  const stores: Record<string, string> = {};
  for (const name of ['REDIS_URL', 'INFLUX_URL', 'ZENDESK_WEBHOOK_SECRET', 'JOURNAL_SYNC', 'DASHBOARDS_DIR'] as const) {
    const value = process.env[name];
    if (value !== undefined && value !== '') stores[name] = value;
  }
  const config = loadConfig({ DATA_DIR: dataDir, WATCHFLOOR_TOKENS: TOKEN_ENV, LOG_LEVEL: 'silent', PORT: '0', ...stores });
  const webRoot = fs.existsSync(path.join(WEB_ROOT, '200.html')) ? WEB_ROOT : null;
  // As main.ts: the server listens while it restores (a restart's /healthz says "recovering").
  const app = await buildApp(config, { logger: false, webRoot, restoreWhileListening: true, ...(benchClock === null ? {} : { now: benchClock.now }) });
  return { app, throwawayDir: dataDir === keptDir ? null : dataDir, close: () => app.close() };
}

interface Timing {
  count: number;
  totalMs: number;
  maxMs: number;
  /** The last few, newest last, with when they started (epoch ms). */
  recent: { at: number; ms: number }[];
}

const RECENT = 50;

function timing(): Timing {
  return { count: 0, totalMs: 0, maxMs: 0, recent: [] };
}

function record(t: Timing, at: number, ms: number): void {
  t.count++;
  t.totalMs += ms;
  t.maxMs = Math.max(t.maxMs, ms);
  t.recent.push({ at, ms: Math.round(ms * 10) / 10 });
  if (t.recent.length > RECENT) t.recent.shift();
}

async function main(): Promise<void> {
  const port = Number(process.env.BENCH_PORT ?? '0');
  const { app, throwawayDir, close } = await startCompiledApp();

  const checkpoints = timing();
  const broadcasts = timing();
  // The model plugin's timer calls `store.checkpoint(...)` through the store object, so replacing
  // the property times every checkpoint without touching the server's code.
  const store = app.store;
  const checkpoint = store.checkpoint.bind(store);
  store.checkpoint = async (...args) => {
    const at = Date.now();
    const started = performance.now();
    try {
      await checkpoint(...args);
    } finally {
      record(checkpoints, at, performance.now() - started);
    }
  };
  // The feed's pacer calls `this.flush()` at run time (take the model's delta, hand it to the hub),
  // so an own property shadows it.
  const feed = app.liveFeed as unknown as { flush: () => void };
  const flush = feed.flush.bind(feed);
  feed.flush = () => {
    const at = Date.now();
    const started = performance.now();
    flush();
    record(broadcasts, at, performance.now() - started);
  };

  let loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  app.get<{ Querystring: { reset?: string } }>('/bench/stats', async (request) => {
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    const body = {
      loopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      checkpoints,
      broadcasts,
      memory: process.memoryUsage(),
      // MB committed per V8 heap space: where the heap's total beyond what is used lies.
      heapSpaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_size / 2 ** 20)])),
      tickets: app.model.ticketCount,
      agents: app.model.agentCount,
      liveClients: app.hub.clientCount,
      totals: app.ingest.totals,
    };
    if (request.query.reset === '1') {
      loop.disable();
      loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      Object.assign(checkpoints, timing());
      Object.assign(broadcasts, timing());
    }
    return body;
  });

  if (benchClock !== null) {
    // Answers with the clock's anchors, so the bench computes the server's time the same way.
    app.get<{ Querystring: { speed?: string } }>('/bench/clock', async (request, reply) => {
      if (request.query.speed !== undefined) {
        const speed = Number(request.query.speed);
        if (!(speed > 0) || !Number.isFinite(speed)) return reply.code(400).send({ error: `bad speed ${request.query.speed}` });
        benchClock.setSpeed(speed);
      }
      return { anchorReal: benchClock.anchorReal, anchorSim: benchClock.anchorSim, speed: benchClock.speed, now: benchClock.now() };
    });
  }

  await app.listen({ host: '127.0.0.1', port });
  // Scenarios start once the model is whole (a restart's restore runs after listen, as in main.ts).
  await app.live.whenLive;
  const address = app.server.address();
  const listening = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`${JSON.stringify({ ready: true, port: listening, pid: process.pid })}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    close()
      .catch((error: unknown) => process.stderr.write(`bench server: close failed: ${String(error)}\n`))
      .finally(() => {
        if (throwawayDir !== null) fs.rmSync(throwawayDir, { recursive: true, force: true });
        // process.exit (not a signal death) lets --cpu-prof write its profile.
        process.exit(0);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
