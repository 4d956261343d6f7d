// Starting a server script as a child process (node --import tsx, so that the pid we read
// /proc for is the server itself, not a tsx wrapper), reading its memory, and stopping it.
import { spawn, type ChildProcess } from 'node:child_process';
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
}

const STARTUP_TIMEOUT_MS = 30_000;

export function spawnServer(script: 'server-process.ts' | 'bare-server.ts', options: SpawnOptions = {}): Promise<ServerChild> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(BENCH_DIR, script)], {
    cwd: ROOT,
    env: { ...process.env, BENCH_PORT: '0', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${STARTUP_TIMEOUT_MS} ms: ${stderr}`));
    }, STARTUP_TIMEOUT_MS);
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
