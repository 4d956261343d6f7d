// Ingest in distributed mode (docs/contract.md#targets, issue 4): the embedded scenario's workload and load
// generator (ingest.ts) against our server on REDIS_URL, a throwaway redis-server started here
// (never the machine's own on 6379), beside what redis-benchmark says Redis itself takes of the
// same command mix. What one batch of 500 costs Redis in our store is one EVALSHA of the commit
// script (redis-scripts.ts): 500 × SET seen:<id> 1 NX EX 86400 and one XADD of the batch's body
// (~230 KB) — plus, per instance, an XREAD that reads the entry back. Compared:
//
//   - redis-benchmark -x EVALSHA <commit script> 502 <stream> <generation> seen:__rand_int__ ×500 <ttl>
//     <cap> <origin> <generation id> json <the body of a real batch, from stdin>: the very command
//     our server sends, with a fresh random key per event, so every SET NX succeeds as in our run.
//     The ceiling our ingest could reach if HTTP, parsing, validation and the model cost nothing.
//   - redis-benchmark SET seen:__rand_int__ 1 NX EX 86400 (-P 500) and XADD of the ~230 KB
//     payload (-x): the same commands without Lua, combined per batch (500 SETs + 1 XADD).
//
// Both redis-benchmark runs use 3 connections, as our load generator keeps 3 batches in flight.
// The redis-server's CPU (/proc/<pid>/stat) and its INFO commandstats (reset at the window's
// start) show what our run cost Redis per batch, beside what redis-benchmark's run cost it.
// A second run with AOF (appendfsync everysec) replays the same bodies on a fresh Redis.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { DEDUP_WINDOW_MS } from '../../server/store/live-store.js';
import { COMMIT_LUA } from '../../server/store/redis-scripts.js';
import { streamCap } from '../../server/store/redis-store.js';
import { RedisServer, type RedisServerOptions } from '../helpers/redis-server.js';
import { procCpuMs, type SpawnOptions } from './child.js';
import { BATCH, ingestRun, IngestWorkload, runNotes, type IngestRun } from './ingest.js';
import { fmt, type Row, type ScenarioResult } from './report.js';

const REDIS_BENCHMARK = process.env.REDIS_BENCHMARK ?? '/usr/bin/redis-benchmark';
const TARGET = 50_000;
/** The store's default key prefix (RedisStore without `prefix`), as the server uses it. */
const PREFIX = 'wf:';
const CLIENTS = 3;
/** How long each redis-benchmark run should take, roughly; its request count follows from our run. */
const BENCHMARK_MS = 2_500;
/** redis-benchmark EVALSHA requests at most: each leaves a ~230 KB entry in the stream. */
const MAX_SCRIPT_REQUESTS = 2_000;
/**
 * redis-benchmark's -r range (it parses an int: 10^12 would wrap to 0, and every key would be
 * the same). 12-digit numbers below 10^9: among the ≤ 1,000,000 keys a run sets, fewer than one
 * in 1,000 collides (a SET NX that finds its key, one event fewer in that XADD).
 */
const KEYSPACE = '1000000000';
/** Redis's latency monitor records stalls at least this long (fork, AOF write, slow commands). */
const LATENCY_THRESHOLD_MS = 20;

interface CommandStat {
  calls: number;
  usec: number;
  usecPerCall: number;
}

interface RedisSide {
  /** % of one core the redis-server used during the window. */
  cpuPercent: number;
  /** redis-server CPU ms per batch of 500. */
  cpuMsPerBatch: number;
  commandstats: Record<string, CommandStat>;
  usedMemoryMb: number;
  streamEntries: number;
  /** From the redis-server's start: forks (AOF rewrites), delayed fsyncs, LATENCY LATEST. */
  persistence: { aofRewrites: number; forks: number; latestForkMs: number; aofDelayedFsync: number; latency: { event: string; maxMs: number }[] };
}

interface BenchmarkRun {
  requests: number;
  rps: number;
  /** redis-server CPU ms per request during the run. */
  cpuMsPerRequest: number;
}

interface RedisBenchmarks {
  script: BenchmarkRun;
  set: BenchmarkRun;
  xadd: BenchmarkRun;
  /** events/s of the script run: requests/s × 500. */
  scriptEventsPerSec: number;
  /** events/s of the raw mix: 500 / (500 / SET/s + 1 / XADD/s). */
  rawEventsPerSec: number;
  payloadBytes: number;
}

interface RedisRun {
  label: string;
  ingest: IngestRun;
  redis: RedisSide;
  benchmarks: RedisBenchmarks | null;
}

function parseInfo(text: string): Map<string, string> {
  const info = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) info.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return info;
}

function parseCommandstats(text: string): Record<string, CommandStat> {
  const stats: Record<string, CommandStat> = {};
  for (const [key, value] of parseInfo(text)) {
    if (!key.startsWith('cmdstat_')) continue;
    const field = (name: string): number => Number(new RegExp(`(?:^|,)${name}=([\\d.]+)`).exec(value)?.[1] ?? NaN);
    stats[key.slice('cmdstat_'.length)] = { calls: field('calls'), usec: field('usec'), usecPerCall: field('usec_per_call') };
  }
  return stats;
}

/** Runs redis-benchmark (CSV output) and answers its requests/s. */
function redisBenchmark(port: number, args: string[], stdin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_BENCHMARK, ['-h', '127.0.0.1', '-p', String(port), '--csv', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      // The CSV row: "<the command line>","<rps>","<avg ms>",…; the command line may be long.
      const row = out.trim().split('\n').at(-1) ?? '';
      const rps = Number(/^".*?","([\d.]+)"(?:,"[\d.]+")*$/s.exec(row)?.[1] ?? NaN);
      if (code !== 0 || !(rps > 0)) reject(new Error(`redis-benchmark ${args.slice(0, 8).join(' ')}…: exit ${code}: ${err.slice(0, 300) || out.slice(-300)}`));
      else resolve(rps);
    });
    child.stdin.end(stdin ?? '');
  });
}

/** redis-benchmark of one command mix, with the redis-server's CPU per request over the run. */
async function benchmarkRun(redis: RedisServer, requests: number, args: string[], stdin?: string): Promise<BenchmarkRun> {
  const before = procCpuMs(redis.pid!);
  const rps = await redisBenchmark(redis.port, ['-c', String(CLIENTS), '-n', String(requests), ...args], stdin);
  return { requests, rps, cpuMsPerRequest: (procCpuMs(redis.pid!) - before) / requests };
}

/** The three redis-benchmark runs, on an emptied Redis, with one real batch of the workload. */
async function benchmarks(redis: RedisServer, admin: Redis, workload: IngestWorkload, ours: RedisSide): Promise<RedisBenchmarks> {
  await admin.flushall();
  // The body as our load generator sends it, and our server passes it on to the script.
  const payload = workload.bodies[0]!.toString('utf8');
  const events = JSON.parse(payload) as unknown[];
  const sha = (await admin.script('LOAD', COMMIT_LUA)) as string;
  // The script commits only under the generation marker it is given.
  await admin.hset(`${PREFIX}generation`, 'id', 'redisbenchmark');
  // Requests for ~BENCHMARK_MS of Redis time, from what an EVALSHA cost in our run.
  const evalshaUsec = ours.commandstats.evalsha?.usecPerCall ?? 1_000;
  const scriptRequests = Math.max(200, Math.min(MAX_SCRIPT_REQUESTS, Math.round((BENCHMARK_MS * 1000) / evalshaUsec)));
  // -x: the body is the last argument, from stdin (one argv string may not exceed 128 KB).
  const scriptArgs = [
    '-r',
    KEYSPACE,
    '-x',
    'EVALSHA',
    sha,
    String(events.length + 2),
    `${PREFIX}events`,
    `${PREFIX}generation`,
    ...events.map(() => `${PREFIX}seen:__rand_int__`),
    String(DEDUP_WINDOW_MS / 1000),
    String(streamCap(workload.bodies[0]!.length)),
    'redisbenchmark:1',
    'redisbenchmark',
    'json',
  ];
  const script = await benchmarkRun(redis, scriptRequests, scriptArgs, payload);
  await admin.flushall();
  const set = await benchmarkRun(redis, scriptRequests * BATCH, [
    '-r',
    KEYSPACE,
    '-P',
    String(BATCH),
    'SET',
    `${PREFIX}seen:__rand_int__`,
    '1',
    'NX',
    'EX',
    String(DEDUP_WINDOW_MS / 1000),
  ]);
  await admin.flushall();
  const xadd = await benchmarkRun(
    redis,
    scriptRequests,
    ['-x', 'XADD', `${PREFIX}events`, 'MAXLEN', '~', String(streamCap(workload.bodies[0]!.length)), '*', 'o', 'redisbenchmark:1', 'e'],
    payload,
  );
  await admin.flushall();
  return {
    script,
    set,
    xadd,
    scriptEventsPerSec: script.rps * events.length,
    rawEventsPerSec: events.length / (events.length / set.rps + 1 / xadd.rps),
    payloadBytes: Buffer.byteLength(payload),
  };
}

/** One throwaway redis-server, our server on it under the shared ingest load, then (optionally) redis-benchmark on it. */
async function redisRun(
  label: string,
  workload: IngestWorkload,
  persistence: RedisServerOptions,
  options: { server?: SpawnOptions; benchmark: boolean },
): Promise<RedisRun> {
  const redis = await RedisServer.start(persistence);
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await admin.connect();
    await admin.config('SET', 'latency-monitor-threshold', String(LATENCY_THRESHOLD_MS));
    let side: Omit<RedisSide, 'cpuPercent' | 'cpuMsPerBatch'> = {
      commandstats: {},
      usedMemoryMb: 0,
      streamEntries: 0,
      persistence: { aofRewrites: 0, forks: 0, latestForkMs: 0, aofDelayedFsync: 0, latency: [] },
    };
    const ingest = await ingestRun(workload, {
      server: { ...options.server, env: { ...options.server?.env, REDIS_URL: redis.url } },
      // Its CPU over the window comes back as `cpu.watched`.
      watchPids: [redis.pid!],
      hooks: {
        start: async () => {
          await admin.config('RESETSTAT');
          await admin.latency('RESET');
        },
        end: async () => {
          const commandstats = parseCommandstats(await admin.info('commandstats'));
          const info = parseInfo(`${await admin.info('memory')}\r\n${await admin.info('persistence')}\r\n${await admin.info('stats')}`);
          const latency = ((await admin.latency('LATEST')) as [string, number, number, number][]).map(([event, , , maxMs]) => ({ event, maxMs }));
          side = {
            commandstats,
            usedMemoryMb: Number(info.get('used_memory')) / 2 ** 20,
            streamEntries: await admin.xlen(`${PREFIX}events`),
            persistence: {
              aofRewrites: Number(info.get('aof_rewrites') ?? 0),
              forks: Number(info.get('total_forks') ?? 0),
              latestForkMs: Number(info.get('latest_fork_usec') ?? 0) / 1000,
              aofDelayedFsync: Number(info.get('aof_delayed_fsync') ?? 0),
              latency,
            },
          };
        },
      },
    });
    const redisSide: RedisSide = {
      ...side,
      cpuPercent: ingest.cpu.watched,
      cpuMsPerBatch: (ingest.cpu.watched / 100) * (ingest.window.elapsedMs / Math.max(1, ingest.window.batches)),
    };
    const bench = options.benchmark ? await benchmarks(redis, admin, workload, redisSide) : null;
    return { label, ingest, redis: redisSide, benchmarks: bench };
  } finally {
    admin.disconnect();
    await redis.stop();
  }
}

function redisNotes(run: RedisRun): string[] {
  const { redis } = run;
  const stat = (name: string): string => {
    const s = redis.commandstats[name];
    return s === undefined ? `${name} –` : `${name} ${fmt.int(s.calls)} × ${s.usecPerCall.toFixed(1)} µs`;
  };
  const notes = [
    ...runNotes(run.label, run.ingest, 'redis-server'),
    `${run.label}, redis-server during the window: ${redis.cpuPercent.toFixed(0)}% of a core, ${redis.cpuMsPerBatch.toFixed(2)} ms CPU per batch; ` +
      `INFO commandstats (evalsha: the commits and the checkpoints' scripts): ${['evalsha', 'set', 'xadd', 'xread', 'eval', 'hscan']
        .filter((n) => n in redis.commandstats || n === 'evalsha')
        .map(stat)
        .join(', ')}; ` +
      `used_memory ${fmt.mb(redis.usedMemoryMb)}, stream ${fmt.int(redis.streamEntries)} entries at the window's end; ` +
      `since its start: ${redis.persistence.forks} fork(s) (AOF rewrites ${redis.persistence.aofRewrites}, last fork ${redis.persistence.latestForkMs.toFixed(0)} ms), ` +
      `delayed AOF fsyncs ${redis.persistence.aofDelayedFsync}; latency monitor (≥ ${LATENCY_THRESHOLD_MS} ms, the window only): ` +
      `${redis.persistence.latency.length === 0 ? 'nothing' : redis.persistence.latency.map((l) => `${l.event} max ${l.maxMs} ms`).join(', ')}.`,
  ];
  const b = run.benchmarks;
  if (b !== null) {
    notes.push(
      `redis-benchmark on the same redis-server after our run (FLUSHALL between runs, ${CLIENTS} connections): ` +
        `EVALSHA of the commit script with one real batch (${fmt.int(b.payloadBytes / 1024)} KB of events, 500 random seen keys) ` +
        `${fmt.int(b.script.requests)} requests at ${fmt.int(b.script.rps)}/s, redis-server ${b.script.cpuMsPerRequest.toFixed(2)} ms CPU each; ` +
        `SET NX EX -P 500 ${fmt.int(b.set.requests)} at ${fmt.int(b.set.rps)}/s; XADD of the batch's ${fmt.int(b.payloadBytes / 1024)} KB ` +
        `${fmt.int(b.xadd.requests)} at ${fmt.int(b.xadd.rps)}/s (${b.xadd.cpuMsPerRequest.toFixed(2)} ms CPU each). ` +
        `Raw mix per batch: 500 SETs + 1 XADD = ${fmt.int(b.rawEventsPerSec)} events/s.`,
    );
  }
  return notes;
}

export async function redisScenario(options: { server?: SpawnOptions; skipAof?: boolean } = {}): Promise<ScenarioResult> {
  const workload = new IngestWorkload();
  const plain = await redisRun('Redis, no persistence', workload, {}, { server: options.server, benchmark: true });
  const aof =
    options.skipAof === true ? null : await redisRun('Redis, AOF everysec', workload, { aof: 'everysec' }, { server: options.server, benchmark: false });

  const b = plain.benchmarks!;
  const ratio = plain.ingest.eventsPerSec / b.scriptEventsPerSec;
  const cpu = (run: RedisRun): string =>
    `redis-server ${run.redis.cpuPercent.toFixed(0)}%, our server ${run.ingest.cpu.server.toFixed(0)}%, everything else ${run.ingest.cpu.other.toFixed(0)}%`;
  const rows: Row[] = [
    {
      what: 'ingest, Redis (events/s, batches of 500; redis-server without persistence)',
      measured: fmt.int(plain.ingest.eventsPerSec),
      target: '≥ 50,000',
      pass: plain.ingest.eventsPerSec >= TARGET,
    },
    {
      what: 'ingest, Redis: redis-benchmark EVALSHA of the commit script, same batches (events/s)',
      measured: fmt.int(b.scriptEventsPerSec),
      target: '(reference)',
      pass: null,
    },
    {
      what: 'ingest, Redis: redis-benchmark SET NX EX ×500 (-P 500) + XADD of the batch, no Lua (events/s)',
      measured: fmt.int(b.rawEventsPerSec),
      target: '(reference)',
      pass: null,
    },
    { what: 'ingest, Redis: ours ÷ redis-benchmark script', measured: fmt.ratio(ratio), target: '≥ 0.50', pass: ratio >= 0.5 },
    {
      what: 'ingest, Redis: CPU during the window (% of one core)',
      measured: `${cpu(plain)}; Redis ${plain.redis.cpuMsPerBatch.toFixed(2)} ms/batch vs ${b.script.cpuMsPerRequest.toFixed(2)} under redis-benchmark`,
      target: '(reference)',
      pass: null,
    },
  ];
  if (aof !== null) {
    rows.push({
      what: 'ingest, Redis with AOF (appendfsync everysec) (events/s)',
      measured: fmt.int(aof.ingest.eventsPerSec),
      target: '≥ 50,000',
      pass: aof.ingest.eventsPerSec >= TARGET,
    });
  }
  const notes = [
    `Redis ingest workload: the embedded scenario's, ${workload.describe()}; each run on a throwaway redis-server (--save "").`,
    ...redisNotes(plain),
  ];
  if (aof !== null) notes.push(...redisNotes(aof), `AOF run: ${cpu(aof)}.`);
  const data = (run: RedisRun) => ({
    eventsPerSec: run.ingest.eventsPerSec,
    window: run.ingest.window,
    serverStats: run.ingest.serverStats,
    cpu: run.ingest.cpu,
    redis: run.redis,
    benchmarks: run.benchmarks,
  });
  return {
    rows,
    notes,
    data: { plain: data(plain), aof: aof === null ? null : data(aof), ratio, bodyBytes: workload.bodyBytes, generationMs: workload.generationMs },
  };
}
