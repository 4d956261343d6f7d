// Restart time of the embedded store at size (issue 18): fills a DATA_DIR's checkpoint with N open
// tickets and N/50 agents through the store itself, then times what a start does before the numbers
// are live: open the store, load, put every ticket back into a new LiveModel a slice at a time
// (IngestService.restoreInSlices), and the longest the event loop was held meanwhile. The same for
// a DATA_DIR written in the format before the compact rows (objects, INSERT OR REPLACE), which
// must still load. Also the checkpoint's cost per ticket, new rows against old, full rewrites.
// `node --expose-gc --import tsx test/bench/restore-time.ts [tickets] [--restore-only]` (default 100,000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { asChanged, LiveModel, type StoredAgent, type StoredTicket } from '../../server/domain/live-model.js';
import { IngestService } from '../../server/ingest/ingest-service.js';
import { LiveReadiness } from '../../server/ingest/live-readiness.js';
import { EmbeddedStore } from '../../server/store/embedded-store.js';
import type { TicketEvent } from '../../contract/domain.js';
import { tempDir } from '../helpers/tokens.js';
import { openTicketEvent } from './model-heap.js';

const SLICE = 20_000;

/** An open ticket with `observations` entries of history (a queue or status change each, a minute apart). */
function storedTicket(i: number, now: number, observations = 1 + (i % 4)): StoredTicket {
  const { ticket } = openTicketEvent(i, now) as TicketEvent;
  const updatedMs = Date.parse(ticket.updatedAt);
  const history: NonNullable<StoredTicket['history']> = Array.from({ length: observations }, (_, k) => [
    updatedMs - (observations - 1 - k) * 60_000,
    k % 2 === 0 ? ticket.queue : 'l2',
    k === observations - 1 ? ticket.status : 'open',
  ]);
  return { key: `${ticket.source}:${ticket.id}`, ticket, csatAt: null, history };
}

function storedAgent(i: number, now: number): StoredAgent {
  const at = new Date(now - (i % 3_600) * 1000).toISOString();
  return { agent: { id: `agent-${i}`, name: `Agent ${i}`, team: `team-${i % 40}`, status: i % 4 === 0 ? 'available' : 'busy' }, since: at, lastAt: at };
}

/** Fills through the store, N tickets in checkpoints of SLICE; answers the seconds of checkpoint writing. */
async function fillNew(dataDir: string, tickets: number, agents: number, now: number): Promise<number> {
  const store = new EmbeddedStore({ dataDir });
  let seconds = 0;
  for (let start = 0; start < tickets; start += SLICE) {
    const slice = Array.from({ length: Math.min(SLICE, tickets - start) }, (_, k) => storedTicket(start + k, now));
    const began = performance.now();
    await store.checkpoint(
      { tickets: slice.map(asChanged), agents: start === 0 ? Array.from({ length: agents }, (_, i) => storedAgent(i, now)) : [], removedTickets: [] },
      now,
    );
    seconds += (performance.now() - began) / 1000;
  }
  await store.close();
  return seconds;
}

/** The format before compact rows: the StoredTicket object, written with INSERT OR REPLACE (as the store did). */
async function fillOld(dataDir: string, tickets: number, agents: number, now: number): Promise<number> {
  await new EmbeddedStore({ dataDir }).close(); // the schema, as the store makes it
  const db = new Database(path.join(dataDir, 'watchfloor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const put = db.prepare('INSERT OR REPLACE INTO tickets (key, data) VALUES (?, ?)');
  let seconds = 0;
  for (let start = 0; start < tickets; start += SLICE) {
    const slice = Array.from({ length: Math.min(SLICE, tickets - start) }, (_, k) => storedTicket(start + k, now)).sort((a, b) => (a.key < b.key ? -1 : 1));
    const began = performance.now();
    for (let s = 0; s < slice.length; s += 2_000) {
      db.transaction(() => {
        for (const t of slice.slice(s, s + 2_000)) put.run(t.key, JSON.stringify(t));
      })();
    }
    seconds += (performance.now() - began) / 1000;
  }
  const agentPut = db.prepare('INSERT OR REPLACE INTO agents (id, data) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < agents; i++) agentPut.run(`agent-${i}`, JSON.stringify(storedAgent(i, now)));
  })();
  db.close();
  return seconds;
}

interface RestoreTimes {
  seconds: number;
  /** CPU time of this process meanwhile (all its threads): on a shared machine, nearer what an idle core would take. */
  cpuSeconds: number;
  /** Of `cpuSeconds`: reading and decoding the slices (the store's part), and the model's restoreTickets. */
  readSeconds: number;
  modelSeconds: number;
  maxBlockMs: number;
  tickets: number;
  progressLines: number;
}

async function timeRestore(dataDir: string, now: number): Promise<RestoreTimes> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let progressLines = 0;
  const log = { info: () => void progressLines++, error: () => undefined };
  delay.enable();
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  const store = new EmbeddedStore({ dataDir });
  const model = new LiveModel({ atRiskMinutes: 15, collectArrivals: true, collectTicketDays: true });
  const ingest = new IngestService({ model, store, now: () => now });
  const loaded = await store.load(now);
  // Each slice's read and decode timed apart from the model's work on it, in CPU time (the
  // machine is shared: wall time says as much about the neighbours).
  let readMs = 0;
  let modelMs = 0;
  const cpuMs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const slices = loaded.tickets[Symbol.iterator]();
  loaded.tickets = {
    *[Symbol.iterator]() {
      for (;;) {
        const started = cpuMs();
        const next = slices.next();
        readMs += cpuMs() - started;
        if (next.done === true) return;
        yield next.value;
      }
    },
  };
  const restoreTickets = model.restoreTickets.bind(model);
  model.restoreTickets = (slice, at) => {
    const started = cpuMs();
    restoreTickets(slice, at);
    modelMs += cpuMs() - started;
  };
  const live = new LiveReadiness(log);
  await ingest.restoreInSlices(loaded, (ids) => store.remember(ids, now), live);
  const seconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  delay.disable();
  const tickets = model.ticketCount;
  await store.close();
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    readSeconds: readMs / 1000,
    modelSeconds: modelMs / 1000,
    maxBlockMs: delay.max / 1e6,
    tickets,
    progressLines,
  };
}

/**
 * A checkpoint that rewrites every ticket (each changed once since the last), new rows against old,
 * alternately three times each, the least of each kept; CPU seconds per 100,000 (the machine is shared).
 */
async function checkpointCost(tickets: number, now: number): Promise<{ compact: number; old: number }> {
  const n = Math.min(tickets, 100_000);
  // Busy tickets, as the ingest bench's upserts make them: up to 32 observations each.
  const changes = Array.from({ length: n }, (_, i) => storedTicket(i, now, 1 + (i % 32)));
  const newDir = tempDir();
  const store = new EmbeddedStore({ dataDir: newDir });
  await store.checkpoint({ tickets: changes.map(asChanged), agents: [], removedTickets: [] }, now);
  const oldDir = tempDir();
  await new EmbeddedStore({ dataDir: oldDir }).close();
  const db = new Database(path.join(oldDir, 'watchfloor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const put = db.prepare('INSERT OR REPLACE INTO tickets (key, data) VALUES (?, ?)');
  const writeOld = async (): Promise<void> => {
    // As the store did: sorted, slices of 2,000, a turn between them.
    const sorted = [...changes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let s = 0; s < sorted.length; s += 2_000) {
      if (s > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      db.transaction(() => {
        for (const t of sorted.slice(s, s + 2_000)) put.run(t.key, JSON.stringify(t));
      })();
    }
  };
  await writeOld();
  let compact = Infinity;
  let old = Infinity;
  const cpuSeconds = (since: NodeJS.CpuUsage): number => {
    const { user, system } = process.cpuUsage(since);
    return ((user + system) / 1e6) * (100_000 / n);
  };
  for (let round = 0; round < 3; round++) {
    let began = process.cpuUsage();
    await store.checkpoint({ tickets: changes.map(asChanged), agents: [], removedTickets: [] }, now);
    compact = Math.min(compact, cpuSeconds(began));
    began = process.cpuUsage();
    await writeOld();
    old = Math.min(old, cpuSeconds(began));
  }
  await store.close();
  db.close();
  fs.rmSync(newDir, { recursive: true, force: true });
  fs.rmSync(oldDir, { recursive: true, force: true });
  return { compact, old };
}

async function main(): Promise<void> {
  const tickets = Number(process.argv[2] ?? 100_000);
  const agents = Math.max(1, Math.round(tickets / 50));
  const now = Date.now();
  const write = (line: string): boolean => process.stdout.write(`${line}\n`);
  write(`load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);

  // `--restore-only`: the restart of compact rows alone (for a profile of it).
  const restoreOnly = process.argv.includes('--restore-only');
  if (!restoreOnly) {
    const cost = await checkpointCost(tickets, now);
    write(
      `checkpoint, every ticket changed, busy tickets (CPU per 100,000): compact rows + upsert ${cost.compact.toFixed(2)} s; objects + INSERT OR REPLACE ${cost.old.toFixed(2)} s (${(cost.old / cost.compact).toFixed(2)}×)`,
    );
  }

  for (const format of restoreOnly ? (['compact'] as const) : (['compact', 'old'] as const)) {
    const dir = tempDir();
    const fillSeconds = format === 'compact' ? await fillNew(dir, tickets, agents, now) : await fillOld(dir, tickets, agents, now);
    const bytes =
      fs.statSync(path.join(dir, 'watchfloor.sqlite')).size +
      (fs.existsSync(path.join(dir, 'watchfloor.sqlite-wal')) ? fs.statSync(path.join(dir, 'watchfloor.sqlite-wal')).size : 0);
    const r = await timeRestore(dir, now);
    if (r.tickets !== tickets) throw new Error(`restored ${r.tickets} tickets, expected ${tickets}`);
    write(
      `${format} rows: ${tickets} tickets, ${agents} agents; written in ${fillSeconds.toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MB; ` +
        `open + load + restore ${r.seconds.toFixed(2)} s, ${r.cpuSeconds.toFixed(2)} s of CPU (of it reading + decoding ${r.readSeconds.toFixed(2)} s, ` +
        `the model's restoreTickets ${r.modelSeconds.toFixed(2)} s), event loop held ≤ ${r.maxBlockMs.toFixed(0)} ms, ${r.progressLines} log lines`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
