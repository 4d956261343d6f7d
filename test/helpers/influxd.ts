// A throwaway InfluxDB 1.x for tests and benchmarks: Debian's /usr/bin/influxd on free ports,
// with a temp dir and a generated config file (never the system's instance or its config).
// INFLUXD_PATH overrides the binary.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const INFLUXD_PATH = process.env.INFLUXD_PATH ?? '/usr/bin/influxd';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Influxd {
  /** The HTTP port; kept across stop/start, so clients see the same server come back. */
  readonly port: number;
  readonly dir: string;
  /** `http://127.0.0.1:<port>/<database>`, as INFLUX_URL takes it. */
  url(database: string): string;
  /** Raw InfluxQL over HTTP (for checks such as SHOW RETENTION POLICIES). */
  query(q: string, database?: string): Promise<{ results: { series?: { name?: string; columns: string[]; values: unknown[][] }[]; error?: string }[] }>;
  start(): Promise<void>;
  /** Stops the server, keeping its data: `start` brings the same database back. */
  stop(): Promise<void>;
  /** Stops it for good and deletes its temp dir. */
  dispose(): Promise<void>;
}

function configText(dir: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
  logging-enabled = false
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  log-enabled = false
[logging]
  level = "error"
`;
}

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`influxd exited with ${child.exitCode}: ${output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/ping`);
      if (response.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`influxd did not answer on port ${port} within 20 s: ${output()}`);
}

export async function startInfluxd(options: { port?: number } = {}): Promise<Influxd> {
  if (!fs.existsSync(INFLUXD_PATH)) {
    throw new Error(`no influxd at ${INFLUXD_PATH}: install Debian's influxdb package (apt-get install influxdb) or set INFLUXD_PATH`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchfloor-influxd-'));
  const port = options.port ?? (await freePort());
  const rpcPort = await freePort();
  const configFile = path.join(dir, 'influxdb.conf');
  fs.writeFileSync(configFile, configText(dir, port, rpcPort));
  let child: ChildProcess | null = null;
  let log = '';
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const server: Influxd = {
    port,
    dir,
    url: (database) => `http://127.0.0.1:${port}/${database}`,
    async query(q, database) {
      const body = new URLSearchParams({ q, ...(database === undefined ? {} : { db: database }) });
      const response = await fetch(`http://127.0.0.1:${port}/query`, { method: 'POST', body });
      return (await response.json()) as Awaited<ReturnType<Influxd['query']>>;
    },
    async start() {
      if (child !== null) return;
      log = '';
      const started = spawn(INFLUXD_PATH, ['run', '-config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      started.stdout?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
      started.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
      child = started;
      await waitForPing(port, started, () => log);
    },
    async stop() {
      const running = child;
      if (running === null) return;
      child = null;
      if (running.exitCode === null) {
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
        running.kill('SIGTERM');
        const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
    async dispose() {
      await server.stop();
      process.off('exit', killOnExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
