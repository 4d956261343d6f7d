// A throwaway redis-server for tests: its own free port and temp dir, never the machine's own
// Redis (6379). `kill` is a crash (SIGKILL); `start` again brings it back on the same port and dir.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { tempDir } from './app.js';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServerOptions {
  /** AOF with fsync on every write, so that a SIGKILL loses nothing acknowledged (`aof: 'always'`). */
  durable?: boolean;
  /** AOF and its fsync policy; no AOF when neither this nor `durable` is given. */
  aof?: 'always' | 'everysec';
  /** More server options, e.g. `['--maxmemory-policy', 'noeviction']`. */
  args?: string[];
}

export class RedisServer {
  private process: ChildProcess | null = null;
  readonly dir = tempDir('watchfloor-redis-');

  private constructor(readonly port: number) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start(options);
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The running redis-server's pid (for /proc), or null when stopped. */
  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  /** Starts (again) on the same port and dir. */
  async start(options: RedisServerOptions = {}): Promise<void> {
    const fsync = options.aof ?? (options.durable ? 'always' : null);
    const persistence = fsync === null ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', fsync];
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...persistence,
      '--dir',
      this.dir,
      '--loglevel',
      'warning',
      ...(options.args ?? []),
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.process = child;
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`redis-server on port ${this.port} did not start: ${stderr || `exit ${child.exitCode}`}`);
      }
      await sleep(20);
    }
  }

  /** Empties every database (between tests sharing one server). */
  async flush(): Promise<void> {
    if (!(await send(this.port, 'FLUSHALL').then((answer) => answer.startsWith('+OK')))) throw new Error('FLUSHALL failed');
  }

  /** A crash: SIGKILL, and wait until the port is free. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing answers, until `resume`. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    await this.signal('SIGTERM');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    this.process = null;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** "-LOADING" while the AOF is read back: not ready yet. */
const answersPing = async (port: number): Promise<boolean> => (await send(port, 'PING')).startsWith('+PONG');

/** Sends one inline command; answers the first reply line, or '' when nothing answers. */
function send(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = (line: string) => {
      socket.destroy();
      resolve(line);
    };
    socket.setTimeout(2_000, () => done(''));
    socket.once('error', () => done(''));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
