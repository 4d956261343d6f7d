// Starting a compiled server harness as a child process of plain node (so that the pid we read
// /proc for is the server itself, with no loader of ours in it), reading its memory, and stopping it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..', '..');

export interface ServerChild {
  port: number;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** How long until the ready line, when a scenario's start is known to be slow (a restore). */
  startupTimeoutMs?: number;
}

const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Passed through to the server's config by server-process.ts (the stores, a connector's secret, the
 * notify scenario's DASHBOARDS_DIR),
 * so only when a scenario sets them: a REDIS_URL left in the shell must not turn the embedded
 * scenarios into Redis ones.
 */
const STORE_ENV = ['REDIS_URL', 'INFLUX_URL', 'ZENDESK_WEBHOOK_SECRET', 'JOURNAL_SYNC', 'DASHBOARDS_DIR'] as const;

export function spawnServer(script: 'server-process.ts' | 'bare-server.ts', options: SpawnOptions = {}): Promise<ServerChild> {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STORE_ENV) delete inherited[name];
  // The compiled harness (`npm run bench` runs tsc -p tsconfig.bench.json first), run by plain
  // node as `npm start` runs the server: a tsx loader in the process would add ~35 MB of its own
  // to the memory measured.
  const compiled = path.join(ROOT, 'dist', 'test', 'bench', script.replace(/\.ts$/, '.js'));
  if (!fs.existsSync(compiled))
    throw new Error(`${compiled} is missing: run \`npm run bench\` (it compiles the harness) or \`npx tsc -p tsconfig.bench.json\``);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), compiled], {
    cwd: ROOT,
    env: { ...inherited, BENCH_PORT: '0', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timeoutMs = options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line === undefined) return;
      clearTimeout(timer);
      const ready = JSON.parse(line) as { port: number; pid: number };
      resolve({ port: ready.port, pid: ready.pid, process: child, stop: () => stopChild(child) });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready: ${stderr}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // A checkpoint of a big model or a CPU profile takes a moment; after 20 s it is stuck.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface ProcMemory {
  rssMb: number;
  peakRssMb: number;
}

/** VmRSS and VmHWM (peak) of a process, from /proc/<pid>/status. */
export function procMemory(pid: number): ProcMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/**
 * Where a process's resident memory lies, from /proc/<pid>/smaps: the brk heap (malloc's main
 * arena), other anonymous mappings (V8's heap pages and typed arrays, threads' malloc arenas),
 * and file-backed pages (the node binary, addons, memory-mapped files). MB each.
 */
export function procMemoryParts(pid: number): { brkHeapMb: number; otherAnonMb: number; fileMb: number } {
  const parts = { brkHeapMb: 0, otherAnonMb: 0, fileMb: 0 };
  let kind: keyof typeof parts = 'otherAnonMb';
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (mapping !== null) {
      const name = mapping[1]!;
      kind = name === '[heap]' ? 'brkHeapMb' : name === '' || name.startsWith('[') ? 'otherAnonMb' : 'fileMb';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null) parts[kind] += Number(rss[1]) / 1024;
  }
  return parts;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux we run on. */
let ticksPerSec: number | null = null;

function clockTicks(): number {
  if (ticksPerSec === null) {
    try {
      ticksPerSec = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSec = 100;
    }
  }
  return ticksPerSec;
}

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat. */
export function procCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
}

/** CPU time (ms) all cores have spent busy since boot (/proc/stat: user, nice, system, irq, softirq, steal). */
export function machineBusyMs(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / clockTicks();
}
