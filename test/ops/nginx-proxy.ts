// Debian's nginx as a throwaway reverse proxy for tests: the shipped deploy/nginx/watchfloor.conf
// with the test's instance ports and a free listen port, in a temp prefix, not daemonized, killed
// after the test. The config is the operator's file with only addresses changed (and, for the
// round-robin variant, the one line that makes it sticky taken out).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tokens.js';

export const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
export const SHIPPED_CONFIG = fileURLToPath(new URL('../../deploy/nginx/watchfloor.conf', import.meta.url));
const STICKY_LINE = /^[ \t]*hash \$remote_addr consistent;[ \t]*\n/m;

export interface ProxyOptions {
  /** The instances' ports, in upstream order. */
  upstreams: number[];
  listenPort: number;
  /** false: the shipped config without its hash line, i.e. nginx's default round-robin. */
  sticky: boolean;
}

/** The shipped config with the test's addresses (throws if the file no longer has what is replaced). */
export function renderConfig(template: string, options: ProxyOptions): string {
  const upstream = /upstream watchfloor \{\n([\s\S]*?)\n\}/.exec(template);
  if (upstream === null) throw new Error('the shipped config has no `upstream watchfloor { … }` block');
  const servers = [...upstream[1]!.matchAll(/^([ \t]*)server[ \t]+[^\s;]+([^;\n]*);[ \t]*$/gm)];
  if (servers.length === 0) throw new Error('the upstream block lists no server');
  const [indent, parameters] = [servers[0]![1]!, servers[0]![2]!];
  let body = upstream[1]!.replace(/^[ \t]*server[ \t]+[^\s;]+[^;\n]*;[ \t]*\n?/gm, '');
  body = `${body.trimEnd()}\n${options.upstreams.map((port) => `${indent}server 127.0.0.1:${port}${parameters};`).join('\n')}`;
  if (!options.sticky) {
    if (!STICKY_LINE.test(body)) throw new Error('the shipped config has no `hash $remote_addr consistent;` line');
    body = body.replace(STICKY_LINE, '');
  }
  let config = template.replace(upstream[0], `upstream watchfloor {\n${body}\n}`);
  if (!/^[ \t]*listen 80;/m.test(config)) throw new Error('the shipped config has no `listen 80;` line');
  config = config.replace(/^([ \t]*)listen 80;/m, `$1listen 127.0.0.1:${options.listenPort};`);
  return config;
}

export class NginxProxy {
  private constructor(
    private readonly child: ChildProcess,
    readonly dir: string,
    readonly url: string,
    private readonly output: () => string,
  ) {}

  static async start(options: Omit<ProxyOptions, 'listenPort'>): Promise<NginxProxy> {
    if (!fs.existsSync(NGINX)) {
      throw new Error(`no nginx at ${NGINX}: install Debian's nginx package (apt-get install nginx; .ci/run does) or set NGINX`);
    }
    const dir = tempDir('watchfloor-nginx-');
    const listenPort = await freePort();
    // Workers may run as another user (www-data) when the test runs as root.
    fs.chmodSync(dir, 0o755);
    const temps = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => {
      fs.mkdirSync(path.join(dir, name), { mode: 0o777 });
      fs.chmodSync(path.join(dir, name), 0o777);
      return `    ${name === 'body' ? 'client_body' : name}_temp_path ${path.join(dir, name)};`;
    });
    fs.writeFileSync(path.join(dir, 'watchfloor.conf'), renderConfig(fs.readFileSync(SHIPPED_CONFIG, 'utf8'), { ...options, listenPort }));
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        'worker_processes 1;',
        'events { worker_connections 1024; }',
        'http {',
        `    access_log ${path.join(dir, 'access.log')};`,
        ...temps,
        `    include ${path.join(dir, 'watchfloor.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    const errorLog = path.join(dir, 'error.log');
    const child = spawn(NGINX, ['-p', dir, '-e', errorLog, '-c', path.join(dir, 'nginx.conf'), '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const readLog = () => output + (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '');
    const deadline = Date.now() + 10_000;
    while (!(await accepts(listenPort))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`nginx did not start on port ${listenPort}:\n${readLog()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return new NginxProxy(child, dir, `http://127.0.0.1:${listenPort}`, readLog);
  }

  /** nginx's stderr and error log so far. */
  log(): string {
    return this.output();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
