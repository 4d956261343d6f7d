// Scenario 3 (docs/contract.md#targets): 1,000 live clients while 5,000 events/s come in (10 paced batches of
// 500 a second). Each batch creates tickets, so `kpis.createdToday` after batch i is a known
// C_i; a client's latency for batch i is when its view first shows createdToday ≥ C_i, minus
// when batch i was sent. The clients run in CLIENT_PROCESSES child processes (client-swarm.ts),
// not in this one: in the process that also paces the batches, a thousand clients' decoding
// delayed the sends and the clients alike. Their event-loop delay and CPU, and what each client
// received by live event, are reported, since a busy client loop would still inflate the latencies.
import os from 'node:os';
import type { AgentEvent, TicketEvent } from '../../contract/domain.js';
import { TOKENS } from '../helpers/app.js';
import { procCpuMs, spawnServer, type SpawnOptions } from './child.js';
import { ClientSwarm, type ClockCheck, type ProcessReport } from './client-swarm.js';
import { Poster } from './http-load.js';
import { monotonicMs, sleep } from './live-clients.js';
import { fmt, percentile, type ScenarioResult } from './report.js';
import { EventFactory, serialise } from './workload.js';

const CLIENTS = 1_000;
/**
 * Processes the clients are spread over. Each client decodes and parses every message, as a wall
 * does, but a thousand walls have a thousand CPUs; here they share the machine with the server.
 * With four, no process's event-loop delay passed ~100 ms (p99 15–30 ms) at 3.6 deltas/s per client.
 */
const CLIENT_PROCESSES = 4;
/** Connections being opened at once, per client process. */
const CONNECT_PARALLEL = 25;
const BATCH = 500;
const BATCHES_PER_SEC = 10;
const SECONDS = 10;
/** Per batch: new tickets (createdToday rises by this), updates, agent events. */
const NEW_PER_BATCH = 100;
const AGENT_EVENTS_PER_BATCH = 20;
const SEED_TICKETS = 5_000;
const AGENTS = 300;
const STARVED_MS = 1_000;

export async function fanOutScenario(options: { server?: SpawnOptions } = {}): Promise<ScenarioResult> {
  const server = await spawnServer('server-process.ts', options.server);
  const base = `http://127.0.0.1:${server.port}`;
  const poster = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.ingest}` }, concurrency: 4 });
  const viewer = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.viewer}` }, concurrency: 1 });
  let swarm: ClientSwarm | null = null;
  try {
    // Traffic: a day already under way (seed), then the paced batches.
    const now = Date.now();
    const factory = new EventFactory(`fan${now.toString(36)}`, 3);
    const seed: (TicketEvent | AgentEvent)[] = [];
    for (let a = 0; a < AGENTS; a++) seed.push(factory.agent(a, now - 120_000 + a));
    for (let n = 0; n < SEED_TICKETS; n++) seed.push(factory.create(n, now - 100_000 + n));
    const total = BATCHES_PER_SEC * SECONDS;
    const bodies: Buffer[] = [];
    let nextTicket = SEED_TICKETS;
    for (let b = 0; b < total; b++) {
      const events: (TicketEvent | AgentEvent)[] = [];
      const atMs = now - 60_000 + b * 100;
      for (let i = 0; i < NEW_PER_BATCH; i++) events.push(factory.create(nextTicket++, atMs));
      for (let i = 0; i < AGENT_EVENTS_PER_BATCH; i++) events.push(factory.agent(factory.index(AGENTS), atMs + 1));
      while (events.length < BATCH) events.push(factory.update(factory.index(nextTicket), atMs + 2));
      bodies.push(serialise(events));
    }
    for (let i = 0; i < seed.length; i += BATCH) {
      const res = await poster.post('/api/v1/events', serialise(seed.slice(i, i + BATCH)));
      if (res.status !== 202) throw new Error(`seed: ${res.status} ${res.body}`);
    }

    // Connect the clients, a few dozen at a time per process, each waiting for its first whole state.
    swarm = await ClientSwarm.start({ baseUrl: base, clients: CLIENTS, processes: CLIENT_PROCESSES, parallel: CONNECT_PARALLEL });
    const connectMs = swarm.connectMs;
    await sleep(500);
    const clocks = await swarm.clock();
    // On one clock a child's reading lies between our send and our receipt of its answer.
    if (clocks.some((c) => Math.abs(c.offsetMs) > c.rttMs / 2 + 0.01)) throw new Error(`client processes' clocks disagree: ${JSON.stringify(clocks)}`);
    const before = await viewer.json<{ kpis: { createdToday: number } }>('/api/v1/state');
    const c0 = before.kpis.createdToday;
    await viewer.json('/bench/stats?reset=1');

    // Paced ingest: batch i goes at start + i × 100 ms (at once when behind schedule). Every time
    // is monotonicMs(), the clock the client processes stamp arrivals with.
    swarm.startWindow();
    const serverCpuAtStart = procCpuMs(server.pid);
    const sent: number[] = [];
    const answered: number[] = [];
    const accepted: number[] = [];
    let stale = 0;
    const errors: string[] = [];
    const start = monotonicMs() + 50;
    const inflight: Promise<void>[] = [];
    for (let b = 0; b < total; b++) {
      const wait = start + (b * 1000) / BATCHES_PER_SEC - monotonicMs();
      if (wait > 0) await sleep(wait);
      sent[b] = monotonicMs();
      inflight.push(
        poster.post('/api/v1/events', bodies[b]!).then((res) => {
          answered[b] = monotonicMs();
          if (res.status !== 202) errors.push(`${res.status} ${res.body.slice(0, 200)}`);
          else {
            const summary = JSON.parse(res.body) as { accepted: number; stale: number };
            accepted[b] = summary.accepted;
            stale += summary.stale;
          }
        }),
      );
    }
    await Promise.all(inflight);
    const lastAnswer = Math.max(...answered);
    await sleep(1_500);
    const reports = await swarm.report();
    const serverCpuMs = procCpuMs(server.pid) - serverCpuAtStart;
    const stats = await viewer.json<{
      loopDelayMs: { p99: number; max: number };
      broadcasts: { count: number; maxMs: number; totalMs: number };
      checkpoints: { count: number; maxMs: number };
    }>('/bench/stats');
    const after = await viewer.json<{ kpis: { createdToday: number } }>('/api/v1/state');

    // Latencies: for each client, walk its kpis arrivals once against the batch targets.
    const latencies: number[] = [];
    let missing = 0;
    let starved = 0;
    let worstGap = 0;
    let seqGaps = 0;
    for (const trace of reports.flatMap((r) => r.traces)) {
      let k = 0;
      for (let b = 0; b < total; b++) {
        const target = c0 + NEW_PER_BATCH * (b + 1);
        while (k < trace.created.length && trace.created[k]! < target) k++;
        if (k === trace.created.length) {
          missing++;
          continue;
        }
        latencies.push(trace.times[k]! - sent[b]!);
      }
      // Starvation: the longest silence while changes were happening (first send → last 202).
      let previous = sent[0]!;
      let gap = 0;
      for (const t of trace.arrivals) {
        if (t < previous) continue;
        if (t > lastAnswer) break;
        gap = Math.max(gap, t - previous);
        previous = t;
      }
      gap = Math.max(gap, lastAnswer - previous);
      worstGap = Math.max(worstGap, gap);
      if (gap > STARVED_MS) starved++;
      seqGaps += trace.seqGaps;
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    const clientLoad = loadOf(reports);
    const acceptedTotal = accepted.reduce((s, n) => s + (n ?? 0), 0);
    const sendSpan = (sent[total - 1]! - sent[0]!) / 1000;
    const windowMs = Math.max(...reports.map((r) => r.windowMs));

    return {
      rows: [
        {
          what: `fan-out: ingest → client p99 (${fmt.int(CLIENTS)} clients, ${fmt.int((total * BATCH) / sendSpan)} events/s in)`,
          measured: fmt.ms(p99),
          target: '≤ 300 ms',
          pass: p99 <= 300 && missing === 0 && errors.length === 0,
        },
        { what: 'fan-out: ingest → client p50', measured: fmt.ms(p50), target: '(reference)', pass: null },
        {
          what: `fan-out: clients starved (silent > 1 s while events came in)`,
          measured: `${starved} (longest silence ${fmt.ms(worstGap)})`,
          target: '0',
          pass: starved === 0,
        },
      ],
      notes: [
        `Fan-out workload: ${fmt.int(SEED_TICKETS)} tickets and ${AGENTS} agents seeded; ${total} batches of ${BATCH} ` +
          `(${NEW_PER_BATCH} new tickets, ${AGENT_EVENTS_PER_BATCH} agent events, the rest updates) sent at ${BATCHES_PER_SEC}/s over ${sendSpan.toFixed(1)} s; ` +
          `${fmt.int(acceptedTotal)} events accepted, ${stale} stale (batches overtaking one another on the keep-alive sockets)${errors.length > 0 ? `, errors: ${errors.slice(0, 3).join(' / ')}` : ''}; ` +
          `createdToday ${fmt.int(c0)} → ${fmt.int(after.kpis.createdToday)} (expected +${fmt.int(NEW_PER_BATCH * total)}).`,
        `Fan-out clients: ${fmt.int(CLIENTS)} socket.io clients (websocket, forceNew) in ${CLIENT_PROCESSES} child processes, connected in ${fmt.ms(connectMs)}; ` +
          `${fmt.int(latencies.length)} client×batch latencies, ${missing} never seen; seq gaps seen: ${seqGaps}. ` +
          `Client processes' event-loop delay during the run: p99 ${clientLoad.loopP99.toFixed(0)} ms, max ${clientLoad.loopMax.toFixed(0)} ms (the worst process; ` +
          `this much of a latency can be the client's own queue, not the server); their CPU ${clientLoad.cpuPct.toFixed(0)} % of one core together, ` +
          `the server's ${((serverCpuMs / windowMs) * 100).toFixed(0)} %, on ${os.cpus().length} cores. ` +
          `Clocks: every time is CLOCK_MONOTONIC; the client processes' clocks measured against the bench's ${clockSummary(clocks)}.`,
        `Fan-out, what each client received in the window (${(windowMs / 1000).toFixed(1)} s), by live event: ${trafficSummary(reports, CLIENTS, windowMs)}.`,
        `Fan-out, server side: ${stats.broadcasts.count} broadcasts, mean ${fmt.ms(stats.broadcasts.totalMs / Math.max(1, stats.broadcasts.count))}, ` +
          `longest ${fmt.ms(stats.broadcasts.maxMs)}; ${stats.checkpoints.count} checkpoint(s), longest ${fmt.ms(stats.checkpoints.maxMs)}; ` +
          `event-loop delay p99 ${stats.loopDelayMs.p99} ms, max ${stats.loopDelayMs.max} ms.`,
      ],
      data: {
        p50,
        p99,
        max: latencies.at(-1),
        missing,
        starved,
        worstGap,
        seqGaps,
        connectMs,
        clientLoad,
        clocks,
        traffic: mergeTraffic(reports),
        serverCpuMs,
        windowMs,
        serverStats: stats,
        c0,
        createdAfter: after.kpis.createdToday,
        acceptedTotal,
        sendSpanSec: sendSpan,
      },
    };
  } finally {
    swarm?.close();
    poster.close();
    viewer.close();
    await server.stop();
  }
}

/** The client processes together: the worst event-loop delay, and their CPU as a share of one core. */
function loadOf(reports: readonly ProcessReport[]): { loopP99: number; loopMax: number; cpuPct: number } {
  return {
    loopP99: Math.max(...reports.map((r) => r.loopDelayMs.p99)),
    loopMax: Math.max(...reports.map((r) => r.loopDelayMs.max)),
    cpuPct: reports.reduce((sum, r) => sum + (r.cpuMs / r.windowMs) * 100, 0),
  };
}

function clockSummary(clocks: readonly ClockCheck[]): string {
  const worst = Math.max(...clocks.map((c) => Math.abs(c.offsetMs)));
  const rtt = Math.max(...clocks.map((c) => c.rttMs));
  return `differ by at most ${worst.toFixed(2)} ms (IPC round trip ≤ ${rtt.toFixed(2)} ms)`;
}

function mergeTraffic(reports: readonly ProcessReport[]): Record<string, { frames: number; chars: number }> {
  const merged: Record<string, { frames: number; chars: number }> = {};
  for (const report of reports) {
    for (const [name, { frames, chars }] of Object.entries(report.traffic)) {
      const seen = merged[name] ?? { frames: 0, chars: 0 };
      merged[name] = { frames: seen.frames + frames, chars: seen.chars + chars };
    }
  }
  return merged;
}

/** Per event, busiest first: messages a second and their mean size, per client (sizes in characters of the socket.io frame). */
function trafficSummary(reports: readonly ProcessReport[], clients: number, windowMs: number): string {
  return Object.entries(mergeTraffic(reports))
    .sort(([, a], [, b]) => b.chars - a.chars)
    .map(([name, { frames, chars }]) => `${name} ${((frames / clients / windowMs) * 1000).toFixed(1)}/s × ${(chars / frames / 1000).toFixed(1)} kB`)
    .join(', ');
}
