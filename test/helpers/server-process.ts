// The real server process (`server/main.ts` under tsx), for what only a process shows: exit codes,
// start-up messages, kill -9, RSS. Each test file calls `killServerProcesses` after each test.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcess;
  /** stdout and stderr so far (the first `maxOutput` characters). */
  output(): string;
  /** The exit code, or null for a signal. */
  exited: Promise<number | null>;
  /** The URL it listens on, once its log says so; throws with the output when it exits or takes 20 s. */
  listening(): Promise<string>;
}

export interface ServerProcessOptions {
  /** A command the node process runs under (`[file, ...args]`, the node command line appended). */
  prefix?: string[];
  /** Output kept; request logs of a long test would otherwise pile up. */
  maxOutput?: number;
}

const running: ChildProcess[] = [];

export function startServerProcess(env: Record<string, string>, options: ServerProcessOptions = {}): ServerProcess {
  const command = [process.execPath, '--import', 'tsx', 'server/main.ts'];
  const [file, ...args] = [...(options.prefix ?? []), ...command];
  const child = spawn(file!, args, {
    env: { ...process.env, LOG_LEVEL: 'info', DEMO: '0', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const maxOutput = options.maxOutput ?? Infinity;
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < maxOutput) output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async listening() {
      for (let i = 0; i < 400; i++) {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) return match[1]!;
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`server did not start:\n${output}`);
    },
  };
}

export function killServerProcesses(): void {
  for (const child of running.splice(0)) child.kill('SIGKILL');
}
