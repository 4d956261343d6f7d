// The staffing bench (docs/contract.md#forecast-shifts-and-staffing): how long a day of staffing
// takes, 3 lines × 48 half-hours with the shipped dashboards/staffing.json (l1 Erlang C, l2 Erlang A,
// l3 workload), at the demo's volumes and at ten times them, and StaffingService.day end to end on
// the embedded stores seeded as the demo seeds them (8 weeks of arrivals, the demo roster).
//
// Each measurement runs in a fresh child process (this file with --child=…), so "cold" is the first
// call in a process whose JIT has seen none of the staffing code, as after a server start; "warm"
// is the median of the calls after it. l1's day is also computed by the textbook method (agents
// counted up one by one, Erlang B by its forward recursion from zero for each count), in the same
// process, and both must give the same agents in every interval.
//
//   npm run bench -- --only=staffing        (staffingScenario)
//   npx tsx test/bench/staffing.ts          alone: the same rows, printed
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { StaffingConfig, StaffingLine } from '../../contract/staffing.js';
import { EmbeddedArrivalsStore } from '../../server/arrivals/embedded-arrivals-store.js';
import { LocalTime } from '../../server/domain/local-time.js';
import { EmbeddedRosterStore } from '../../server/roster/embedded-roster-store.js';
import { seedPlanning } from '../../server/simulator/planning-seed.js';
import { dayCurve } from '../../server/simulator/day-curve.js';
import { offeredLoad, requiredForLine } from '../../server/staffing/required.js';
import { STAFFING_FILE, StaffingService } from '../../server/staffing/staffing-service.js';
import { validateStaffingFile } from '../../server/staffing/staffing-file.js';
import { tempDir } from '../helpers/tokens.js';
import { DEMO_VOLUMES } from '../../server/simulator/planning-seed.js';
import { markdownTable, type Row, type ScenarioResult } from './report.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const DASHBOARDS_DIR = path.resolve(path.dirname(THIS_FILE), '..', '..', 'dashboards');

/** Arrivals per ordinary weekday, as the demo seeds them. */
const DEMO_PER_DAY = new Map([...DEMO_VOLUMES].map(([line, { perDay }]) => [line, perDay]));
const SCALES = [1, 10] as const;
/**
 * Every figure here must stay under 50 ms: the plan is recomputed on the server's event loop (every
 * 15 s, at each interval start, after a roster upload) and `GET /api/v1/staffing` answers there too,
 * and the live channel's fan-out target (p99 ≤ 300 ms, docs/contract.md#targets) spends 250 ms of
 * it in its coalescing slot: 50 ms is all that anything holding the loop may take.
 */
export const TARGET_MS = 50;
const WARM_RUNS = { maths: 200, service: 50 } as const;
/** A cold call is one sample per process, so each measurement runs in this many processes and the median is reported. */
const PROCESSES = 3;
/** One line's day takes microseconds: each timed sample runs it this many times, so the clock's resolution does not matter. */
const REPEAT = 20;
const TIME_ZONE = 'Europe/Berlin';
/** A Wednesday afternoon: the day's busy hours are behind, the seeded history ends at its midnight. */
const SERVICE_NOW = Date.parse('2026-11-18T14:10:00+01:00');

// ---------------------------------------------------------------------------------------------
// The child side: the measurements.

function shippedConfig(): StaffingConfig {
  const result = validateStaffingFile(JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, STAFFING_FILE), 'utf8')));
  if (!result.ok) throw new Error(`dashboards/${STAFFING_FILE}: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return result.config;
}

/** Expected arrivals per interval of an ordinary weekday: the simulator's day curve, which averages 1 over the day. */
function dayOfArrivals(perDay: number, intervalMinutes: number): number[] {
  const slots = (24 * 60) / intervalMinutes;
  return Array.from({ length: slots }, (_, i) => (perDay * dayCurve(((i + 0.5) * intervalMinutes) / 60)) / slots);
}

/** Agents per interval for every line: what StaffingService.day does per interval, without the I/O. */
function dayOfStaffing(config: StaffingConfig, arrivals: ReadonlyMap<string, number[]>): Map<string, number[]> {
  const required = new Map<string, number[]>();
  for (const [line, settings] of config.lines) {
    required.set(
      line,
      (arrivals.get(line) ?? []).map((a) => requiredForLine(settings, a, config.intervalMinutes).required),
    );
  }
  return required;
}

/**
 * The textbook Erlang C staffing: agents counted up one at a time from ⌊A⌋ + 1, and for each count
 * Erlang B by the forward recursion B(n) = A·B(n−1) / (n + A·B(n−1)) from B(0) = 1; the same
 * acceptance as ours (service level and occupancy cap, with the same tolerance).
 */
function textbookErlangC(line: StaffingLine, arrivals: number, intervalMinutes: number): number {
  const load = offeredLoad(arrivals, line.ahtSeconds, intervalMinutes);
  if (load === 0) return 0;
  const share = line.target!.percent / 100;
  const cap = line.maxOccupancy ?? 1;
  for (let agents = Math.floor(load) + 1; ; agents++) {
    let b = 1;
    for (let n = 1; n <= agents; n++) b = (load * b) / (n + load * b);
    const wait = (agents * b) / (agents - load * (1 - b));
    const serviceLevel = 1 - wait * Math.exp((-(agents - load) * line.target!.seconds) / line.ahtSeconds);
    if (serviceLevel >= share - 1e-12 && load / agents <= cap + 1e-12) return agents;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function timed<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = work();
  return { ms: performance.now() - started, value };
}

/** The median time of one call over `runs` samples of `repeat` calls each. */
function warmMedian(work: () => unknown, runs: number, repeat: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(
      timed(() => {
        for (let j = 0; j < repeat; j++) work();
      }).ms / repeat,
    );
  }
  return median(samples);
}

async function timedAsync<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export interface MathsResult {
  scale: number;
  /** Peak-interval offered load per line, erlangs. */
  peakLoad: Record<string, number>;
  /** Agents per line at the peak interval. */
  peakAgents: Record<string, number>;
  coldMs: number;
  warmMs: number;
  /** Warm medians of each line's day alone. */
  warmMsByLine: Record<string, number>;
  /** l1 (Erlang C): ours and the textbook method, warm medians, and in how many intervals they agree. */
  l1OursMs: number;
  l1TextbookMs: number;
  l1Agree: number;
  l1Intervals: number;
}

function measureMaths(scale: number): MathsResult {
  const config = shippedConfig();
  const arrivals = new Map([...config.lines.keys()].map((line) => [line, dayOfArrivals((DEMO_PER_DAY.get(line) ?? 0) * scale, config.intervalMinutes)]));
  // The first call in this process: nothing of the staffing code has run yet.
  const cold = timed(() => dayOfStaffing(config, arrivals));
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS.maths; i++) warm.push(timed(() => dayOfStaffing(config, arrivals)).ms);

  const warmMsByLine: Record<string, number> = {};
  for (const line of config.lines.keys()) {
    const one = new Map([[line, arrivals.get(line)!]]);
    const only: StaffingConfig = { intervalMinutes: config.intervalMinutes, lines: new Map([[line, config.lines.get(line)!]]) };
    warmMsByLine[line] = warmMedian(() => dayOfStaffing(only, one), WARM_RUNS.maths, REPEAT);
  }

  const l1 = config.lines.get('l1');
  if (l1?.model !== 'erlang-c') throw new Error(`dashboards/${STAFFING_FILE}: l1 is no longer erlang-c; the textbook comparison needs it`);
  const l1Arrivals = arrivals.get('l1')!;
  const oursDay = () => l1Arrivals.map((x) => requiredForLine(l1, x, config.intervalMinutes).required);
  const textbookDay = () => l1Arrivals.map((x) => textbookErlangC(l1, x, config.intervalMinutes));
  const oursAgents = oursDay();
  const textbookAgents = textbookDay();
  // Alternated in rounds, so that both see the same machine.
  const ours: number[] = [];
  const textbook: number[] = [];
  for (let round = 0; round < 10; round++) {
    ours.push(warmMedian(oursDay, WARM_RUNS.maths / 10, REPEAT));
    textbook.push(warmMedian(textbookDay, WARM_RUNS.maths / 10, REPEAT));
  }

  // Every line follows the same day curve, so one interval is the busiest of all.
  const at = l1Arrivals.indexOf(Math.max(...l1Arrivals));
  const peakLoad: Record<string, number> = {};
  const peakAgents: Record<string, number> = {};
  for (const [line, settings] of config.lines) {
    peakLoad[line] = offeredLoad(arrivals.get(line)![at]!, settings.ahtSeconds, config.intervalMinutes);
    peakAgents[line] = cold.value.get(line)![at]!;
  }
  return {
    scale,
    peakLoad,
    peakAgents,
    coldMs: cold.ms,
    warmMs: median(warm),
    warmMsByLine,
    l1OursMs: median(ours),
    l1TextbookMs: median(textbook),
    l1Agree: oursAgents.filter((n, i) => n === textbookAgents[i]).length,
    l1Intervals: l1Arrivals.length,
  };
}

export interface ServiceResult {
  arrivalsSeeded: number;
  shiftsSeeded: number;
  seedMs: number;
  intervals: number;
  /** StaffingService.day('l1'): the first call in the process, then the warm median. */
  coldMs: number;
  warmMs: number;
  /** The days of all three lines asked at once (Promise.all; the SQLite reads run one after the other), warm median. */
  allLinesWarmMs: number;
  /** StaffingService.plan (every line, the current interval and two hours ahead), warm median. */
  planWarmMs: number;
  /** l1's figures at the busiest interval of the day, to show the day is a real one. */
  peak: { start: string; forecast: number; required: number; requiredScheduled: number; scheduled: number };
}

const silentLog = { info() {}, warn() {} };

async function measureService(): Promise<ServiceResult> {
  const dir = tempDir('watchfloor-bench-staffing-');
  const arrivals = new EmbeddedArrivalsStore({ dataDir: dir });
  const roster = new EmbeddedRosterStore({ dataDir: dir });
  try {
    const seeded = await timedAsync(() => seedPlanning({ arrivals, roster, timeZone: TIME_ZONE, now: SERVICE_NOW }));
    const service = new StaffingService({ dir: DASHBOARDS_DIR, log: silentLog, timeZone: TIME_ZONE, arrivals, roster });
    const today = new LocalTime(TIME_ZONE).midnightOf(SERVICE_NOW);
    const day = (line: string) => service.day(line, today, SERVICE_NOW);
    // The first call reads and validates staffing.json, as the server's first request does.
    const cold = await timedAsync(() => day('l1'));
    if (cold.value === null) throw new Error(`dashboards/${STAFFING_FILE} has no line l1`);
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS.service; i++) warm.push((await timedAsync(() => day('l1'))).ms);
    const all: number[] = [];
    for (let i = 0; i < WARM_RUNS.service; i++) all.push((await timedAsync(() => Promise.all(service.lines().map(day)))).ms);
    const plan: number[] = [];
    for (let i = 0; i < WARM_RUNS.service; i++) plan.push((await timedAsync(() => service.plan(SERVICE_NOW))).ms);
    const busiest = cold.value.intervals.reduce((a, b) => (b.forecast > a.forecast ? b : a));
    return {
      arrivalsSeeded: seeded.value.arrivals,
      shiftsSeeded: seeded.value.shifts,
      seedMs: seeded.ms,
      intervals: cold.value.intervals.length,
      coldMs: cold.ms,
      warmMs: median(warm),
      allLinesWarmMs: median(all),
      planWarmMs: median(plan),
      peak: {
        start: busiest.start,
        forecast: busiest.forecast,
        required: busiest.required,
        requiredScheduled: busiest.requiredScheduled,
        scheduled: busiest.scheduled,
      },
    };
  } finally {
    await arrivals.close();
    await roster.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The parent side: one child per measurement, and the rows.

const run = promisify(execFile);

/** This file in a fresh node with the same loader (tsx), printing one JSON line. */
async function inChild<T>(args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, [...process.execArgv, THIS_FILE, ...args], { maxBuffer: 1 << 20 });
  const line = stdout.trim().split('\n').at(-1);
  if (line === undefined || line === '') throw new Error(`staffing bench child ${args.join(' ')} printed nothing`);
  return JSON.parse(line) as T;
}

/** The median process: cold and warm figures each the median over the processes; agreement the worst of them. */
function combineMaths(runs: readonly MathsResult[]): MathsResult & { coldMsEach: number[] } {
  const first = runs[0]!;
  const warmMsByLine: Record<string, number> = {};
  for (const line of Object.keys(first.warmMsByLine)) warmMsByLine[line] = median(runs.map((r) => r.warmMsByLine[line]!));
  return {
    ...first,
    coldMs: median(runs.map((r) => r.coldMs)),
    coldMsEach: runs.map((r) => r.coldMs),
    warmMs: median(runs.map((r) => r.warmMs)),
    warmMsByLine,
    l1OursMs: median(runs.map((r) => r.l1OursMs)),
    l1TextbookMs: median(runs.map((r) => r.l1TextbookMs)),
    l1Agree: Math.min(...runs.map((r) => r.l1Agree)),
  };
}

function combineService(runs: readonly ServiceResult[]): ServiceResult & { coldMsEach: number[] } {
  return {
    ...runs[0]!,
    coldMs: median(runs.map((r) => r.coldMs)),
    coldMsEach: runs.map((r) => r.coldMs),
    warmMs: median(runs.map((r) => r.warmMs)),
    allLinesWarmMs: median(runs.map((r) => r.allLinesWarmMs)),
    planWarmMs: median(runs.map((r) => r.planWarmMs)),
  };
}

async function inChildren<T>(args: string[]): Promise<T[]> {
  const runs: T[] = [];
  // One after the other: two at once would share the 2 cores with each other.
  for (let i = 0; i < PROCESSES; i++) runs.push(await inChild<T>(args));
  return runs;
}

const ms = (n: number): string => (n < 1 ? `${Math.round(n * 1000)} µs` : n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`);
const under = (n: number): boolean => n < TARGET_MS;

export async function staffingScenario(): Promise<ScenarioResult> {
  const maths: ReturnType<typeof combineMaths>[] = [];
  for (const scale of SCALES) maths.push(combineMaths(await inChildren<MathsResult>(['--child=maths', `--scale=${scale}`])));
  const service = combineService(await inChildren<ServiceResult>(['--child=service']));
  const each = (values: readonly number[]) => values.map(ms).join(', ');

  const target = `< ${TARGET_MS} ms`;
  const rows: Row[] = [];
  for (const m of maths) {
    const volumes = [...DEMO_PER_DAY].map(([line, perDay]) => `${line} ${(perDay * m.scale).toLocaleString('en-US')}`).join(', ');
    const what = `staffing maths: a day, 3 lines × 48 intervals (${m.scale === 1 ? 'demo volumes' : `${m.scale}× demo`}: ${volumes}/day)`;
    rows.push({ what: `${what}, cold (median of ${PROCESSES} fresh processes)`, measured: ms(m.coldMs), target, pass: under(m.coldMs) });
    rows.push({ what: `${what}, warm (median of ${WARM_RUNS.maths} calls)`, measured: ms(m.warmMs), target, pass: under(m.warmMs) });
    rows.push({
      what: `staffing maths, l1 Erlang C day (${m.scale === 1 ? 'demo' : `${m.scale}×`}): ours ÷ textbook (count up, Erlang B recursion from 0), warm`,
      measured: `${(m.l1OursMs / m.l1TextbookMs).toFixed(2)} (${ms(m.l1OursMs)} vs ${ms(m.l1TextbookMs)}; same agents in ${m.l1Agree} of ${m.l1Intervals} intervals)`,
      target: 'same agents in every interval',
      pass: m.l1Agree === m.l1Intervals,
    });
  }
  rows.push({
    what: `StaffingService.day, l1, embedded stores with 8 weeks of demo arrivals, cold (median of ${PROCESSES} fresh processes)`,
    measured: ms(service.coldMs),
    target,
    pass: under(service.coldMs),
  });
  rows.push({
    what: `StaffingService.day, l1, warm (median of ${WARM_RUNS.service} calls)`,
    measured: ms(service.warmMs),
    target,
    pass: under(service.warmMs),
  });
  rows.push({ what: 'StaffingService.day, all 3 lines, warm', measured: ms(service.allLinesWarmMs), target: '(reference)', pass: null });
  rows.push({ what: 'StaffingService.plan (3 lines, current interval + 2 h), warm', measured: ms(service.planWarmMs), target: '(reference)', pass: null });

  const perLine = (m: MathsResult) =>
    Object.entries(m.warmMsByLine)
      .map(([line, t]) => `${line} ${ms(t)} (peak ${m.peakLoad[line]!.toFixed(1)} erlangs → ${m.peakAgents[line]} agents)`)
      .join(', ');
  const notes = [
    `Staffing workload: dashboards/${STAFFING_FILE} as shipped (30-minute intervals; l1 erlang-c, l2 erlang-a, l3 workload); an ordinary weekday's ` +
      `expected arrivals per interval from the simulator's day curve; requiredForLine for every line and interval, as StaffingService.day does. ` +
      `Each scale and the service run in ${PROCESSES} fresh child processes one after the other: cold is the first call in each, warm the median of ` +
      `the calls after it; the rows give the median over the processes.`,
    ...maths.map((m) => `Staffing maths at ${m.scale}×: cold ${each(m.coldMsEach)}; warm per line: ${perLine(m)}.`),
    `Ours against the textbook Erlang C: at the demo's ~10 erlangs the textbook's count-up costs a few hundred multiplications and wins; ` +
      `it runs a full recursion of N steps for every count it tries, while ours searches the count in steps of 1, 2, 4, … then halves, ` +
      `and sums Erlang B from N downwards only while its terms matter (about (N − A)⁺ + 10·√A of them).`,
    `StaffingService.day end to end: EmbeddedArrivalsStore and EmbeddedRosterStore in a temporary directory, seeded by the demo's seedPlanning ` +
      `(${service.arrivalsSeeded.toLocaleString('en-US')} arrivals over 8 weeks, ${service.shiftsSeeded} shifts, in ${Math.round(service.seedMs)} ms), ` +
      `${TIME_ZONE}, now ${new Date(SERVICE_NOW).toISOString()}: the forecast from SQLite, the roster, required and scheduled per interval ` +
      `(${service.intervals} intervals); cold ${each(service.coldMsEach)}. l1 at its busiest interval (${service.peak.start}): forecast ${service.peak.forecast}, required ` +
      `${service.peak.required}, requiredScheduled ${service.peak.requiredScheduled}, scheduled ${service.peak.scheduled}. The cold call includes reading and validating staffing.json.`,
    `Staffing target ${target}: the plan is recomputed on the server's event loop (every 15 s, at each interval start, after a roster upload) and ` +
      `GET /api/v1/staffing answers there too; of the fan-out target's 300 ms, 250 ms is the live channel's coalescing slot, so 50 ms is what anything holding the loop may take.`,
  ];
  return { rows, notes, data: { maths, service } };
}

function argument(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const child = argument('child');
  if (child === 'maths') process.stdout.write(`${JSON.stringify(measureMaths(Number(argument('scale') ?? 1)))}\n`);
  else if (child === 'service') process.stdout.write(`${JSON.stringify(await measureService())}\n`);
  else if (child !== undefined) throw new Error(`unknown --child=${child}; known: maths, service`);
  else {
    const result = await staffingScenario();
    process.stdout.write(`${markdownTable(result.rows)}\n\n${result.notes.map((n) => `- ${n}`).join('\n')}\n`);
  }
}
