// `DEMO=1`: the simulator feeding the real ingest path, on one instance or on several.
//
// Embedded mode: each start begins a new run and forgets the previous run's tickets (they would
// stay open, and breach, forever).
//
// Distributed mode: the instances must agree, so the run is shared, in Redis:
//   <p>demo:leader   the lease: the token of the instance that runs the simulator (15 s, renewed)
//   <p>demo:run      the current run: its seed, its start and its tag, and with
//                    DEMO_SCENARIO=outages when its outages are counted from (kept 10 min after
//                    the last renewal)
// Only the lease holder simulates. A run is started once; an instance taking it over (a restart,
// a failover) rebuilds the same generator from the seed and start, so it sends the same events
// (duplicates, up to where the previous holder stopped) and goes on. Nothing is forgotten then.
// When a new run starts (none running for 10 min, or the run is a day old), every demo instance
// forgets the demo tickets of other runs on its next turn (ticket ids carry the run's tag), so all
// of them drop the same tickets.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LiveModel } from '../domain/live-model.js';
import { connectRedis, type RedisLog } from '../store/redis-connection.js';
import { runTagOf } from './generator.js';
import { LocalTime } from '../domain/local-time.js';
import { mulberry32, randomSeed } from './random.js';
import { DEMO_SOURCE, type DemoScenario, Simulator } from './simulator.js';
import { RELEASE_LEASE_LUA } from '../store/redis-scripts.js';

export const DEMO_LEASE_MS = 15_000;
const DEMO_TURN_MS = 5_000;
/** A run nobody renewed for this long is over; the next leader starts a new one. */
const RUN_IDLE_MS = 10 * 60_000;
/** A run is not taken over beyond this age: rebuilding it would replay more than the dedup window. */
const RUN_MAX_AGE_MS = 22 * 60 * 60_000;

/** KEYS[1] = the lease; ARGV[1] = our token, ARGV[2] = the lease (ms). Takes or extends it; 1 when ours. */
const LEAD_LUA = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

export interface DemoRun {
  seed: number;
  startMs: number;
  tag: string;
  /** `DEMO_SCENARIO=outages`: when the run went live, so an instance taking it over plans the same outages. */
  outagesFrom?: number;
}

export interface DemoOptions {
  model: LiveModel;
  ingest: (events: unknown[]) => Promise<unknown>;
  timeZone?: string;
  log: RedisLog;
  /** Distributed mode: the shared Redis; null runs the embedded way. */
  redisUrl: string | null;
  commandTimeoutMs?: number;
  /** Key prefix, as the live store's. */
  prefix?: string;
  /** How often an instance renews or seeks the lease and sweeps other runs (tests shorten it). */
  turnMs?: number;
  /** `DEMO_SCENARIO`: null (or absent) is the everyday demo. */
  scenario?: DemoScenario | null;
}

export interface Demo {
  /** Whether this instance simulates now (its back-fill sent). */
  readonly simulating: boolean;
  stop(): Promise<void>;
}

/** Starts the demo; resolves once it runs (embedded: after the back-fill; distributed: after the first turn). */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  if (options.redisUrl === null) return startEmbeddedDemo(options);
  const redis = await connectRedis(options.redisUrl, 'command', options.log, options.commandTimeoutMs);
  const demo = new SharedDemo(redis, options);
  await demo.turn();
  demo.schedule();
  return demo;
}

async function startEmbeddedDemo(options: DemoOptions): Promise<Demo> {
  // A previous demo run's tickets would stay open (and breach) forever: start each run clean.
  const forgotten = options.model.forgetSource(DEMO_SOURCE);
  if (forgotten > 0) options.log.info({ forgotten }, 'cleared the previous demo run');
  const simulator = newSimulator(options, {});
  await simulator.start();
  return { simulating: true, stop: async () => simulator.stop() };
}

function newSimulator(options: DemoOptions, run: Partial<DemoRun>): Simulator {
  return new Simulator({
    ingest: options.ingest,
    timeZone: options.timeZone,
    scenario: options.scenario ?? null,
    ...(run.outagesFrom === undefined ? {} : { outagesFromMs: run.outagesFrom }),
    ...(run.seed === undefined ? {} : { random: mulberry32(run.seed) }),
    ...(run.startMs === undefined ? {} : { startMs: run.startMs }),
    log: (message) => options.log.info({ simulator: true }, message),
  });
}

class SharedDemo implements Demo {
  private readonly token = randomUUID();
  private readonly keys: { lease: string; run: string };
  private simulator: Simulator | null = null;
  private running: DemoRun | null = null;
  private timer: NodeJS.Timeout | null = null;
  private turning: Promise<void> = Promise.resolve();
  private stopped = false;
  private failing = false;
  simulating = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: DemoOptions,
  ) {
    const p = options.prefix ?? 'wf:';
    this.keys = { lease: `${p}demo:leader`, run: `${p}demo:run` };
  }

  schedule(): void {
    this.timer = setInterval(() => void this.turn(), this.options.turnMs ?? DEMO_TURN_MS);
    this.timer.unref();
  }

  /** One turn: lead (or not), run the shared run if leading, and sweep other runs' tickets. */
  turn(): Promise<void> {
    this.turning = this.turning.then(() => this.takeTurn());
    return this.turning;
  }

  private async takeTurn(): Promise<void> {
    if (this.stopped) return;
    try {
      const leading = (await this.redis.eval(LEAD_LUA, 1, this.keys.lease, this.token, String(DEMO_LEASE_MS))) === 1;
      let run = parseRun(await this.redis.get(this.keys.run));
      if (leading) {
        // A run this instance already simulates goes on however old; only a takeover is bounded.
        const mine = run !== null && this.running?.seed === run.seed && this.running.startMs === run.startMs;
        if (run === null || (!mine && Date.now() - run.startMs > RUN_MAX_AGE_MS)) {
          run = newRun(this.options.timeZone, this.options.scenario ?? null);
          this.options.log.info({ run: run.tag }, 'demo: starting a new simulated run');
        }
        await this.redis.set(this.keys.run, JSON.stringify(run), 'PX', RUN_IDLE_MS);
        if (this.stopped) return;
        this.simulate(run);
      } else {
        this.halt();
      }
      if (run !== null) this.sweep(run);
      if (this.failing) this.options.log.info({}, 'demo: Redis answers again');
      this.failing = false;
    } catch (error) {
      // Without Redis nobody can tell who leads: stop simulating rather than risk two runs.
      this.halt();
      if (!this.failing) this.options.log.warn({ err: error }, 'demo: cannot reach Redis; the simulator pauses until it can');
      this.failing = true;
    }
  }

  /** Runs `run` here, from its start: what the previous holder sent comes back as duplicates. */
  private simulate(run: DemoRun): void {
    if (this.simulator !== null && this.running?.seed === run.seed && this.running.startMs === run.startMs) return;
    this.halt();
    this.running = run;
    const simulator = newSimulator(this.options, run);
    this.simulator = simulator;
    this.options.log.info({ run: run.tag }, 'demo: this instance runs the simulator');
    void simulator.start().then(() => {
      if (this.simulator === simulator && simulator.running) this.simulating = true;
    });
  }

  private halt(): void {
    this.simulating = false;
    this.simulator?.stop();
    this.simulator = null;
    this.running = null;
  }

  /** Forgets demo tickets of any other run: every instance does, so all drop the same ones. */
  private sweep(run: DemoRun): void {
    const prefix = `${run.tag}-`;
    const forgotten = this.options.model.forgetSource(DEMO_SOURCE, (id) => id.startsWith(prefix));
    if (forgotten > 0) this.options.log.info({ forgotten, run: run.tag }, 'demo: cleared the tickets of a previous run');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.turning;
    this.halt();
    // Handing the lease back lets another instance take the run over at its next turn.
    await this.redis.eval(RELEASE_LEASE_LUA, 1, this.keys.lease, this.token).catch(() => undefined);
    this.redis.disconnect();
  }
}

function newRun(timeZone: string | undefined, scenario: DemoScenario | null): DemoRun {
  const seed = randomSeed();
  const now = Date.now();
  const run: DemoRun = { seed, startMs: new LocalTime(timeZone).midnightOf(now), tag: runTagOf(mulberry32(seed)) };
  return scenario === 'outages' ? { ...run, outagesFrom: now } : run;
}

function parseRun(json: string | null): DemoRun | null {
  if (json === null) return null;
  try {
    const run = JSON.parse(json) as Partial<DemoRun>;
    if (typeof run.seed === 'number' && typeof run.startMs === 'number' && typeof run.tag === 'string')
      return { seed: run.seed, startMs: run.startMs, tag: run.tag, ...(typeof run.outagesFrom === 'number' ? { outagesFrom: run.outagesFrom } : {}) };
  } catch {
    // An unreadable record is no run: the leader starts a new one.
  }
  return null;
}
