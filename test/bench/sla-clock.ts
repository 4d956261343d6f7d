// Scenario 2 (docs/contract.md#targets): with 100,000 open tickets and 2,000 agents, how long after a due time
// does a live client see the breach in `sla.breachedOpen`; and the server's RSS at that size.
// Three sets of 100 tickets come due at known instants placed against the server's 5 s
// checkpoint timer: just before the checkpoint that folds in the 100,000 loaded tickets (the
// worst case: it blocks the event loop), between checkpoints, and just before a steady one.
import { TOKENS } from '../helpers/app.js';
import { procMemory, spawnServer, type SpawnOptions } from './child.js';
import { Poster } from './http-load.js';
import { breachLatency, breachToClient, CHECKPOINT_MS, waitForCheckpoint, type BenchStats } from './due-sets.js';
import { fmt, type Row, type ScenarioResult } from './report.js';
import { EventFactory, serialise } from './workload.js';
import type { AgentEvent, TicketEvent } from '../../contract/domain.js';

const OPEN_TICKETS = 100_000;
const AGENTS = 2_000;
const SET_SIZE = 100;
const BATCH = 500;
const MIN = 60_000;
/** How far before a checkpoint a set comes due: inside the tick that precedes it. */
const BEFORE_CHECKPOINT_MS = 30;

export async function slaClockScenario(options: { server?: SpawnOptions } = {}): Promise<ScenarioResult> {
  const server = await spawnServer('server-process.ts', options.server);
  const idle = procMemory(server.pid);
  const poster = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.ingest}` }, concurrency: 2 });
  const viewer = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.viewer}` }, concurrency: 1 });
  try {
    const now = Date.now();
    const factory = new EventFactory(`sla${now.toString(36)}`, 2);
    const bulk = OPEN_TICKETS - 3 * SET_SIZE;
    const events: (TicketEvent | AgentEvent)[] = [];
    for (let a = 0; a < AGENTS; a++) events.push(factory.agent(a, now - 60_000 + a));
    for (let n = 0; n < bulk; n++) {
      const createdMs = now - Math.floor(factory.index(4 * 60) * MIN) - 60_000;
      // First-response due between 10 min and 8 h ahead: none breaches during the run, the
      // nearest are at risk, and a few cross into the at-risk window while it runs.
      const firstResponseDueMs = now + 10 * MIN + factory.index(470 * MIN);
      const event = factory.create(n, createdMs, { firstResponseDueMs, resolutionDueMs: firstResponseDueMs + 4 * 60 * MIN + factory.index(68 * 60 * MIN) });
      const answered = factory.chance(0.4);
      event.ticket.status = answered ? (factory.chance(0.7) ? 'open' : 'pending') : factory.chance(0.5) ? 'new' : 'open';
      if (answered) event.ticket.firstResponseAt = new Date(createdMs + 30_000).toISOString();
      events.push(event);
    }
    const bodies: Buffer[] = [];
    for (let i = 0; i < events.length; i += BATCH) bodies.push(serialise(events.slice(i, i + BATCH)));

    // Load right after a checkpoint, so that the next one folds in all 100,000 tickets.
    const firstCheckpoint = await waitForCheckpoint(viewer, 1);
    const loadStarted = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bodies.length) {
        const res = await poster.post('/api/v1/events', bodies[next++]!);
        if (res.status !== 202) throw new Error(`bulk load: ${res.status} ${res.body}`);
      }
    };
    await Promise.all([worker(), worker()]);
    const loadMs = Date.now() - loadStarted;

    // The sets that will come due, and the live client that sees them.
    const bigCheckpointAt = firstCheckpoint + CHECKPOINT_MS;
    const plan = [
      { name: 'due 30 ms before the checkpoint that folds in the 100,000 loaded tickets', dueMs: bigCheckpointAt - BEFORE_CHECKPOINT_MS },
      { name: 'due between checkpoints', dueMs: bigCheckpointAt + CHECKPOINT_MS / 2 },
      { name: 'due 30 ms before a steady-state checkpoint', dueMs: bigCheckpointAt + CHECKPOINT_MS - BEFORE_CHECKPOINT_MS },
    ];
    const { sets, skipped, baseline } = await breachToClient({
      port: server.port,
      poster,
      plan,
      size: SET_SIZE,
      ticket: (k, i, dueMs, postAt) => {
        const event = factory.create(bulk + k * SET_SIZE + i, postAt - 5 * MIN, { firstResponseDueMs: dueMs, resolutionDueMs: dueMs + 8 * 60 * MIN });
        event.ticket.status = 'open';
        return event;
      },
      // Fill up to 100,000 when a set was dropped, so the size under test stays the same.
      fill: (kept, postAt) => {
        const filler: TicketEvent[] = [];
        for (let n = bulk + kept * SET_SIZE; n < OPEN_TICKETS; n++) {
          filler.push(factory.create(n, postAt - 5 * MIN, { firstResponseDueMs: postAt + 5 * 60 * MIN, resolutionDueMs: postAt + 9 * 60 * MIN }));
        }
        return filler;
      },
    });
    const stats = await viewer.json<BenchStats>('/bench/stats');
    const health = await viewer.json<{ tickets: number; agents: number }>('/healthz');
    const memory = procMemory(server.pid);

    const checkpointAfterLoad = stats.checkpoints.recent.find((c) => c.at >= loadStarted + loadMs);
    const rows: Row[] = sets.map((s) => ({
      what: `SLA clock: breach → live client, ${s.name}`,
      measured: s.seenMs === null ? 'never seen' : fmt.ms(breachLatency(s)),
      target: '≤ 1,000 ms',
      pass: breachLatency(s) <= 1_000,
    }));
    if (skipped > 0) {
      rows.push({
        what: `SLA clock: ${skipped} set(s) skipped (the load ran past their due time)`,
        measured: '—',
        target: '—',
        pass: null,
      });
    }
    rows.push({
      what: `server RSS with ${fmt.int(health.tickets)} open tickets and ${fmt.int(health.agents)} agents (VmRSS)`,
      measured: fmt.mb(memory.rssMb),
      target: '≤ 300 MB',
      pass: memory.rssMb <= 300 && health.tickets >= OPEN_TICKETS && health.agents >= AGENTS,
    });
    return {
      rows,
      notes: [
        `SLA workload: ${fmt.int(bulk)} open tickets (first response due 10 min–8 h ahead, 40% already answered) and ${fmt.int(AGENTS)} agents ` +
          `loaded over HTTP in ${fmt.ms(loadMs)}, then ${sets.length} × ${SET_SIZE} tickets due at chosen instants; one viewer on /live (websocket).`,
        `SLA, server side: checkpoint that folded in the load took ${checkpointAfterLoad === undefined ? 'n/a' : fmt.ms(checkpointAfterLoad.ms)}; ` +
          `longest checkpoint ${fmt.ms(stats.checkpoints.maxMs)}; event-loop delay max ${stats.loopDelayMs.max} ms.`,
        `Memory: VmRSS ${fmt.mb(memory.rssMb)}, peak (VmHWM) ${fmt.mb(memory.peakRssMb)}; the same process right after start: ${fmt.mb(idle.rssMb)} ` +
          `(node + the app, no data); V8 heap used ${fmt.mb(stats.memory.heapUsed / 2 ** 20)} of ${fmt.mb(stats.memory.heapTotal / 2 ** 20)}.`,
      ],
      data: { sets, loadMs, stats, health, memory, idle, baseline, latencies: sets.map(breachLatency) },
    };
  } finally {
    poster.close();
    viewer.close();
    await server.stop();
  }
}
