// The demo traffic simulator (`DEMO=1`): drives the pure generator with a timer and sends its
// events through the same ingest path as a helpdesk's, so the demo exercises the real pipeline.
// On start it back-fills the local day so far, so the wall shows a believable day at once.
import type { WatchEvent } from '../../contract/domain.js';
import { TrafficGenerator } from './generator.js';
import { LocalTime } from '../domain/local-time.js';
import { type DemoScenario, type Outage, OutageSchedule } from './outages.js';
import { between, mulberry32, randomSeed, type Random } from './random.js';

export { DEMO_SOURCE, runTagOf, TrafficGenerator, type GeneratorOptions, type GeneratorStats } from './generator.js';
export { mulberry32, type Random } from './random.js';
export { DEMO_SCENARIOS, type DemoScenario } from './outages.js';

/** Events per ingest call: the batch size docs/contract.md#targets measures ingest at. */
export const BATCH_SIZE = 500;
const DEFAULT_STEP_MS = 1000;

export interface SimulatorOptions {
  ingest: (events: unknown[]) => Promise<unknown>;
  /** Wall-clock time in ms; default `Date.now`. */
  now?: () => number;
  /** Default: mulberry32 with a fresh seed. */
  random?: Random;
  /** Simulated ms per real ms once live (default 1); 60 runs an hour a minute. */
  speed?: number;
  log?: (message: string) => void;
  /** IANA zone for "today" and the daily curve; default: the process's zone (`TZ`). */
  timeZone?: string;
  /** Back-fill from local midnight on start (default true). */
  backfill?: boolean;
  /**
   * Where the run starts (and back-fills from), overriding `backfill`: a run taken over from
   * another instance starts where that one did, so that with the same `random` seed it sends the
   * same events (duplicates, up to where the other stopped) and goes on from there.
   */
  startMs?: number;
  /** Real ms between live steps (default 1000). */
  stepMs?: number;
  /** Average everyday arrivals per simulated day (default 740). */
  ticketsPerDay?: number;
  /**
   * `outages` (`DEMO_SCENARIO`): instead of the catalogue's bursts, an outage with ground truth a few
   * minutes after `outagesFromMs`, then one every 30–60 minutes (server/simulator/outages.ts).
   */
  scenario?: DemoScenario | null;
  /** Where the outages are counted from (default: the start of the live run); a run taken over passes the original's. */
  outagesFromMs?: number;
}

/** The first outage comes this many minutes after the live start: `npm run demo` shows one soon. */
const FIRST_OUTAGE_MINUTES = { min: 2, max: 5 };

export class Simulator {
  private readonly ingest: (events: unknown[]) => Promise<unknown>;
  private readonly now: () => number;
  private readonly random: Random;
  private readonly speed: number;
  private readonly log: (message: string) => void;
  private readonly timeZone: string | undefined;
  private readonly backfill: boolean;
  private readonly startMs: number | undefined;
  private readonly stepMs: number;
  private readonly ticketsPerDay: number | undefined;
  private readonly scenario: DemoScenario | null;
  private readonly outagesFromMs: number | undefined;
  private generator: TrafficGenerator | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every start and stop: a step of an older run sees the change and stops there. */
  private run = 0;
  private anchorRealMs = 0;
  private anchorSimMs = 0;

  constructor(options: SimulatorOptions) {
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`simulator: speed must be a positive number, got ${speed}`);
    this.ingest = options.ingest;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? mulberry32(randomSeed());
    this.speed = speed;
    this.log = options.log ?? (() => {});
    this.timeZone = options.timeZone;
    this.backfill = options.backfill ?? true;
    this.startMs = options.startMs;
    this.stepMs = options.stepMs ?? DEFAULT_STEP_MS;
    this.ticketsPerDay = options.ticketsPerDay;
    this.scenario = options.scenario ?? null;
    this.outagesFromMs = options.outagesFromMs;
  }

  get running(): boolean {
    return this.generator !== null;
  }

  /** Back-fills the day so far (resolves when it is ingested), then runs live until `stop()`. */
  async start(): Promise<void> {
    if (this.generator !== null) return;
    const run = ++this.run;
    const now = this.now();
    const startMs = this.startMs ?? (this.backfill ? new LocalTime(this.timeZone).midnightOf(now) : now);
    const outages = this.scenario === 'outages' ? this.outageSchedule(this.outagesFromMs ?? now) : undefined;
    const generator = new TrafficGenerator({
      startMs,
      random: this.random,
      timeZone: this.timeZone,
      ticketsPerDay: this.ticketsPerDay,
      ...(outages === undefined ? {} : { bursts: false, outages }),
    });
    this.generator = generator;
    const events = this.generate(generator, now);
    this.log(`simulator: back-filling ${events.length} events since ${new Date(startMs).toISOString()} (run ${generator.runTag})`);
    await this.send(events, run);
    if (run !== this.run) return;
    this.anchorRealMs = now;
    this.anchorSimMs = now;
    this.log(`simulator: live at ${this.speed}x`);
    this.schedule(run);
  }

  /**
   * The outages of this run, on a stream of their own drawn from the run's, so the same seed gives
   * the same outages (a run taken over replays them, as it replays everything else).
   */
  private outageSchedule(fromMs: number): OutageSchedule {
    const random = mulberry32(Math.floor(this.random() * 2 ** 32));
    return new OutageSchedule({
      random,
      firstAtMs: fromMs + between(random, FIRST_OUTAGE_MINUTES.min, FIRST_OUTAGE_MINUTES.max) * 60_000,
      onOutage: (outage) => this.log(describeOutage(outage)),
    });
  }

  /** Stops at once: clears the timer, and a step in flight sends nothing more. */
  stop(): void {
    this.run += 1;
    this.generator = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(run: number): void {
    // A chain of timeouts rather than an interval: a slow ingest delays the next step instead of
    // piling steps up; the next step catches up on the simulated time in between.
    this.timer = setTimeout(() => {
      this.tick(run).catch((error: unknown) => this.log(`simulator: step failed: ${describe(error)}`));
    }, this.stepMs);
    this.timer.unref?.();
  }

  private async tick(run: number): Promise<void> {
    this.timer = null;
    const generator = this.generator;
    if (run !== this.run || generator === null) return;
    const until = this.anchorSimMs + (this.now() - this.anchorRealMs) * this.speed;
    await this.send(this.generate(generator, until), run);
    if (run === this.run) this.schedule(run);
  }

  private generate(generator: TrafficGenerator, untilMs: number): WatchEvent[] {
    try {
      return generator.step(untilMs);
    } catch (error) {
      this.log(`simulator: generator failed: ${describe(error)}`);
      return [];
    }
  }

  private async send(events: readonly WatchEvent[], run: number): Promise<void> {
    for (let offset = 0; offset < events.length; offset += BATCH_SIZE) {
      if (run !== this.run) return;
      const batch = events.slice(offset, offset + BATCH_SIZE);
      try {
        reportRejections(await this.ingest(batch), this.log);
      } catch (error) {
        // The demo must outlive a failing store or a restart of a dependency: log and go on.
        this.log(`simulator: ingest of ${batch.length} events failed: ${describe(error)}`);
      }
    }
  }
}

function describeOutage(outage: Outage): string {
  const minutes = Math.round(outage.durationMs / 60_000);
  return `simulator: outage ${outage.id} (${outage.title}) on ${outage.line}: ${outage.tickets} tickets over ${minutes} min, the first at ${new Date(outage.firstTicketMs).toISOString()}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Simulated events should always be valid; say so loudly if the ingest path disagrees. */
function reportRejections(result: unknown, log: (message: string) => void): void {
  if (typeof result !== 'object' || result === null || !('rejected' in result)) return;
  const rejected = (result as { rejected: unknown }).rejected;
  if (!Array.isArray(rejected) || rejected.length === 0) return;
  const first: unknown = rejected[0];
  const detail = typeof first === 'object' && first !== null && 'error' in first ? String((first as { error: unknown }).error) : '';
  log(`simulator: ${rejected.length} events rejected by ingest, first: ${detail}`);
}
