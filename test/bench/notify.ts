// Outbound notifications (docs/contract.md#outbound-notifications): an incident change → the
// webhook receiver, with 1,000 walls connected. The server (a child process, as production runs
// it) has one `json` target pointing at a node:http receiver in this process; an incident is
// declared, then changed CHANGES times at CHANGES_PER_SEC (its summary, so that every change is
// an `incident.changed`; people change an incident a few times a minute, so 2/s is already a storm). A change's latency is from sending its PATCH to the receiver getting
// the delivery of that version; the walls' `incident` message of the same version is measured too,
// since every change goes to the 1,000 sockets in the same moment.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { tempDir, TOKENS } from '../helpers/app.js';
import { ROOT, spawnServer, type SpawnOptions } from './child.js';
import { Poster } from './http-load.js';
import { BenchClient, sleep } from './live-clients.js';
import { fmt, percentile, type ScenarioResult } from './report.js';

const CLIENTS = 1_000;
const CONNECT_PARALLEL = 50;
const CHANGES = 60;
const CHANGES_PER_SEC = 2;
/** The contract: the first attempt goes out within 1 s. */
const TARGET_MS = 1_000;

export async function notifyScenario(options: { server?: SpawnOptions } = {}): Promise<ScenarioResult> {
  // The receiver: when each version's delivery arrived.
  const delivered = new Map<number, number>();
  let requests = 0;
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const t = performance.now();
      requests++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event: string; incident?: { version: number } };
      if (body.event === 'incident.changed' && body.incident !== undefined && !delivered.has(body.incident.version)) delivered.set(body.incident.version, t);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  // The shipped dashboards, and a notifications.json with the receiver.
  const dashboards = tempDir('watchfloor-bench-notify-');
  fs.cpSync(path.join(ROOT, 'dashboards'), dashboards, { recursive: true });
  const target = { id: 'bench', url: hook, secret: 'bench-secret-0123456789', events: ['incident.declared', 'incident.changed'], format: 'json' };
  fs.writeFileSync(path.join(dashboards, 'notifications.json'), JSON.stringify({ targets: [target] }));

  const server = await spawnServer('server-process.ts', { ...options.server, env: { ...options.server?.env, DASHBOARDS_DIR: dashboards } });
  const base = `http://127.0.0.1:${server.port}`;
  const commander = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.commander}` }, concurrency: 1 });
  const viewer = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.viewer}` }, concurrency: 1 });
  const admin = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.admin}` }, concurrency: 1 });
  const clients: BenchClient[] = [];
  /** Per version: when each wall got the incident message of it. */
  const walls = new Map<number, number[]>();
  try {
    const connectStarted = performance.now();
    for (let i = 0; i < CLIENTS; i += CONNECT_PARALLEL) {
      const wave: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(CLIENTS, i + CONNECT_PARALLEL); j++) {
        const client = new BenchClient(base, () => undefined);
        client.socket.on('incident', (message) => {
          const t = performance.now();
          const seen = walls.get(message.incident.version);
          if (seen === undefined) walls.set(message.incident.version, [t]);
          else seen.push(t);
        });
        clients.push(client);
        wave.push(client.ready());
      }
      await Promise.all(wave);
    }
    const connectMs = performance.now() - connectStarted;
    await sleep(500);

    const declared = await commander.post(
      '/api/v1/incidents',
      Buffer.from(
        JSON.stringify({ title: 'Bench: payments failing', severity: 'SEV3', summary: 'change 0', services: ['payments'], match: { tags: [], keywords: [] } }),
      ),
    );
    if (declared.status !== 201) throw new Error(`declare: ${declared.status} ${declared.body}`);
    const { id } = JSON.parse(declared.body) as { id: string };
    await viewer.json('/bench/stats?reset=1');

    // Paced changes: change i goes at start + i / CHANGES_PER_SEC, each answered before the next is sent.
    const sent = new Map<number, number>();
    const errors: string[] = [];
    const start = performance.now() + 50;
    for (let i = 1; i <= CHANGES; i++) {
      const wait = start + ((i - 1) * 1000) / CHANGES_PER_SEC - performance.now();
      if (wait > 0) await sleep(wait);
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/incidents/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKENS.commander}`, 'content-type': 'application/json' },
        body: JSON.stringify({ summary: `change ${i}` }),
      });
      const body = await res.text();
      if (res.status !== 200) {
        errors.push(`${res.status} ${body.slice(0, 200)}`);
        continue;
      }
      sent.set((JSON.parse(body) as { version: number }).version, t);
    }
    const deadline = performance.now() + 15_000;
    while (delivered.size < sent.size && performance.now() < deadline) await sleep(50);
    await sleep(500);
    const stats = await viewer.json<{ loopDelayMs: { p99: number; max: number } }>('/bench/stats');
    const pending = (await admin.json<unknown[]>('/api/v1/notifications/deliveries?status=pending')).length;

    const latencies: number[] = [];
    const wallLatencies: number[] = [];
    let missing = 0;
    for (const [version, t] of sent) {
      const at = delivered.get(version);
      if (at === undefined) missing++;
      else latencies.push(at - t);
      for (const w of walls.get(version) ?? []) wallLatencies.push(w - t);
    }
    latencies.sort((a, b) => a - b);
    wallLatencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    const wallP99 = percentile(wallLatencies, 0.99);
    const connectErrors = clients.filter((c) => c.error !== null).length;
    return {
      rows: [
        {
          what: `notify: incident change → receiver p99 (${fmt.int(CLIENTS)} walls connected, ${CHANGES_PER_SEC} changes/s)`,
          measured: fmt.ms(p99),
          target: `≤ ${fmt.int(TARGET_MS)} ms`,
          pass: p99 <= TARGET_MS && missing === 0 && errors.length === 0,
        },
        { what: 'notify: incident change → receiver p50', measured: fmt.ms(p50), target: '(reference)', pass: null },
        { what: 'notify: the same change → wall p99 (incident message)', measured: fmt.ms(wallP99), target: '(reference)', pass: null },
      ],
      notes: [
        `Notify workload: one incident declared, then ${sent.size} summary changes (PATCH, each answered before the next) at ${CHANGES_PER_SEC}/s ` +
          `with ${fmt.int(CLIENTS)} socket.io walls connected in ${fmt.ms(connectMs)}${connectErrors > 0 ? ` (${connectErrors} connect errors)` : ''}; ` +
          `one \`json\` target on a loopback receiver answering 204; ${requests} requests received, ${missing} changes never delivered, ` +
          `${pending} still pending at the end${errors.length > 0 ? `; errors: ${errors.slice(0, 3).join(' / ')}` : ''}. ` +
          `Latency: the PATCH sent → the delivery of that version at the receiver (embedded outbox, SQLite). ` +
          `${fmt.int(wallLatencies.length)} wall×change latencies. Server event-loop delay p99 ${stats.loopDelayMs.p99} ms, max ${stats.loopDelayMs.max} ms.`,
      ],
      data: { p50, p99, max: latencies.at(-1), wallP99, missing, pending, requests, connectMs, sent: sent.size, serverLoop: stats.loopDelayMs },
    };
  } finally {
    for (const client of clients) client.close();
    commander.close();
    viewer.close();
    admin.close();
    await server.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
