// `npm run bench`: the targets of docs/contract.md#targets, measured on this machine, printed as a Markdown table
// and written to test/bench/results.md and results.json. Every scenario runs the server in a
// child process of its own, so the load generator never shares the server's event loop (history,
// forecast, staffing and surge have no server: they time our code in this process or a child of their own).
//
//   npm run bench                      all scenarios (about 4 minutes, and ~4 more for million)
//   npm run bench -- --only=ingest,durable,sla,fanout,wall,redis,history,connectors,forecast,staffing,surge,reports,notify,million
//                                      redis: ingest on REDIS_URL (a throwaway redis-server) beside
//                                      redis-benchmark; history: history write points/s (SQLite, InfluxDB);
//                                      connectors: signed Zendesk webhook deliveries/s and latency;
//                                      forecast: WAPE against the 4-week same-weekday average, band coverage;
//                                      staffing: a day of staffing, cold and warm, and StaffingService.day;
//                                      surge: a simulated week with injected outages through the surge
//                                      detector (recall, precision, time to suggest, cost per ticket);
//                                      reports: the monthly report over 400 days of daily figures (HTML, PDF)
//                                      notify: an incident change → webhook receiver p99, 1,000 walls connected
//                                      million: 1,000,000 open tickets + 20,000 agents: load rate, RSS,
//                                      breach → client, restart to live numbers (~4 minutes; scaled
//                                      down by BENCH_MILLION_TICKETS=100000 for development)
//   npm run bench -- --profile[=ingest|sla|fanout|wall|redis]
//                                      one scenario (ingest by default) with our server under
//                                      --cpu-prof; prints the top functions and keeps the
//                                      .cpuprofile under test/bench/profiles/ (results.* untouched)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_DIR, type SpawnOptions } from './child.js';
import { connectorsScenario } from './connectors.js';
import { fanOutScenario } from './fan-out.js';
import { forecastScenario } from './forecast.js';
import { historyScenario } from './history-write.js';
import { durableAckScenario, ingestScenario } from './ingest.js';
import { formatTop, topFunctions } from './profile-top.js';
import { redisScenario } from './redis-ingest.js';
import { reportsScenario } from './reports.js';
import { notifyScenario } from './notify.js';
import { millionScenario } from './million.js';
import { markdownTable, type Row, type ScenarioResult } from './report.js';
import { slaClockScenario } from './sla-clock.js';
import { staffingScenario } from './staffing.js';
import { surgeScenario } from './surge.js';
import { wallScenario } from './wall.js';

const SCENARIOS = {
  ingest: (server?: SpawnOptions) => ingestScenario({ server }),
  // Ingest with JOURNAL_SYNC=always against interval: what a 202 that is on disk costs.
  durable: (server?: SpawnOptions) => durableAckScenario({ server }),
  sla: (server?: SpawnOptions) => slaClockScenario({ server }),
  fanout: (server?: SpawnOptions) => fanOutScenario({ server }),
  wall: (server?: SpawnOptions) => wallScenario({ server }),
  redis: (server?: SpawnOptions) => redisScenario({ server }),
  connectors: (server?: SpawnOptions) => connectorsScenario({ server }),
  // No server: the history stores' write path, in this process.
  history: () => historyScenario(),
  // No server: the forecast and our baseline over the simulator's history, in this process.
  forecast: async () => forecastScenario(),
  // No server: the staffing maths and StaffingService.day, each in a fresh child process (cold, then warm).
  staffing: () => staffingScenario(),
  // No server: a simulated week with outages of known truth through the pure SurgeDetector, in this process.
  surge: async () => surgeScenario(),
  // No server: 400 days of daily figures in the embedded store, then the monthly report's HTML and PDF.
  reports: () => reportsScenario(),
  // Outbound notifications: an incident change → a webhook receiver's p99, with 1,000 walls connected.
  notify: (server?: SpawnOptions) => notifyScenario({ server }),
  // A million open tickets + 20,000 agents: RSS, breach → client, restart to live numbers (one server, restarted).
  million: (server?: SpawnOptions) => millionScenario({ server }),
} as const;
type ScenarioName = keyof typeof SCENARIOS;

function machine(): { cpu: string; cores: number; node: string; memoryGb: number; loadAverage: number } {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() it is.
  }
  // The 1-minute load average before the run: other work on a 2-core machine skews every number.
  return { cpu, cores: os.cpus().length, node: process.version, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg()[0]! };
}

function parseArgs(argv: readonly string[]): { only: ScenarioName[]; profile: ScenarioName | null } {
  const check = (name: string): ScenarioName => {
    if (!(name in SCENARIOS)) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
    return name as ScenarioName;
  };
  const profileArg = argv.find((a) => a === '--profile' || a.startsWith('--profile='));
  const profile = profileArg === undefined ? null : check(profileArg.split('=')[1] ?? 'ingest');
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  return { only: (only ?? Object.keys(SCENARIOS)).map(check), profile };
}

async function profileRun(name: ScenarioName): Promise<void> {
  const dir = path.join(BENCH_DIR, 'profiles');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const server: SpawnOptions = { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] };
  // The baseline is not profiled, so the ingest run skips it.
  // Likewise the Redis run with AOF: one profiled server, the one beside redis-benchmark.
  const result =
    name === 'ingest'
      ? await ingestScenario({ server, skipBaseline: true })
      : name === 'redis'
        ? await redisScenario({ server, skipAof: true })
        : await SCENARIOS[name](server);
  process.stdout.write(`${markdownTable(result.rows)}\n\n${result.notes.map((n) => `- ${n}`).join('\n')}\n\n`);
  // The loader's worker thread writes a small profile of its own; the main thread's is the big one.
  const [main] = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  if (main === undefined) throw new Error('no profile was written');
  const top = topFunctions(main);
  process.stdout.write(
    `Profile ${path.relative(process.cwd(), main)} (busy ${top.busyMs.toFixed(0)} ms, idle ${top.idleMs.toFixed(0)} ms)\n\n` +
      `By self time:\n${formatTop(top.self, 25)}\n\nBy total time:\n${formatTop(top.total, 25)}\n`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const host = machine();
  process.stdout.write(
    `Watchfloor bench on ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB, Node ${host.node}, load average ${host.loadAverage.toFixed(2)}\n\n`,
  );
  if (args.profile !== null) return profileRun(args.profile);

  const started = performance.now();
  const results: Partial<Record<ScenarioName, ScenarioResult & { seconds: number }>> = {};
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const name of args.only) {
    process.stdout.write(`running ${name}…\n`);
    const t = performance.now();
    try {
      const result = await SCENARIOS[name]();
      results[name] = { ...result, seconds: (performance.now() - t) / 1000 };
      rows.push(...result.rows);
      notes.push(...result.notes);
    } catch (error) {
      // One broken scenario must not hide the others' numbers.
      rows.push({ what: `${name}: did not complete`, measured: (error as Error).message.split('\n')[0]!, target: '—', pass: false });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = rows.filter((r) => r.pass === false).length;
  const markdown = [
    `# Watchfloor bench results`,
    '',
    `${new Date().toISOString()} · ${host.cpu} · ${host.cores} cores · ${host.memoryGb} GB · Node ${host.node} · ` +
      `load average ${host.loadAverage.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after (the bench itself adds ~2) · ${seconds.toFixed(0)} s`,
    '',
    markdownTable(rows),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  process.stdout.write(`\n${markdown}`);
  fs.writeFileSync(path.join(BENCH_DIR, 'results.md'), markdown);
  fs.writeFileSync(
    path.join(BENCH_DIR, 'results.json'),
    `${JSON.stringify({ at: new Date().toISOString(), machine: host, seconds, rows, results }, null, 2)}\n`,
  );
  // Written as the lint gate formats it (the tables padded), so that a run's results can be committed as they are.
  execFileSync('npx', ['biome', 'format', '--write', 'test/bench/results.md', 'test/bench/results.json'], {
    cwd: path.join(BENCH_DIR, '../..'),
    stdio: 'ignore',
  });
  process.stdout.write(`\n${failed === 0 ? 'all targets met' : `${failed} target(s) missed`}; written to test/bench/results.md and results.json\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
