// Breach → live client, shared by the SLA scenarios (sla-clock.ts at 100,000 open tickets, million.ts
// at 1,000,000): sets of tickets come due at chosen instants, one viewer on /live (websocket) folds
// the deltas, and each set is seen when `sla.breachedOpen` has grown by all of it. The instants are
// placed against the server's checkpoint timer, read from GET /bench/stats (server-process.ts).
import type { TicketEvent } from '../../contract/domain.js';
import type { Poster } from './http-load.js';
import { BenchClient, sleep } from './live-clients.js';
import { serialise } from './workload.js';

/** The server's checkpoint timer (server/ingest/model-plugin.ts). */
export const CHECKPOINT_MS = 5_000;
/** A set must be posted at least this long before it comes due, or it is skipped. */
const POST_LEAD_MS = 500;
/** How long after the last due time a set may still show before it counts as never seen. */
const GRACE_MS = 3_000;

/** What the scenarios read of GET /bench/stats. */
export interface BenchStats {
  checkpoints: { count: number; maxMs: number; recent: { at: number; ms: number }[] };
  memory: NodeJS.MemoryUsage;
  /** MB committed per V8 heap space. */
  heapSpaces: Record<string, number>;
  loopDelayMs: { p99: number; max: number };
}

export interface DuePlan {
  name: string;
  dueMs: number;
}

export interface DueSet extends DuePlan {
  /** When the live client saw the whole set breached (epoch ms); null: not within the grace. */
  seenMs: number | null;
}

/** Milliseconds from due to seen; Infinity for a set never seen. */
export function breachLatency(set: DueSet): number {
  return set.seenMs === null ? Infinity : set.seenMs - set.dueMs;
}

/**
 * Connects a viewer, posts `size` tickets per planned set (`ticket(k, i, dueMs, postAt)`: the i-th
 * of set k, unanswered, first response due at dueMs) in one batch, and waits until every set is
 * seen or GRACE_MS after the last due time. Sets due too soon to post are skipped; `fill(kept,
 * postAt)` adds the tickets that keep the scenario's size when that happens.
 */
export async function breachToClient(options: {
  port: number;
  poster: Poster;
  plan: readonly DuePlan[];
  size: number;
  ticket: (k: number, i: number, dueMs: number, postAt: number) => TicketEvent;
  fill: (kept: number, postAt: number) => TicketEvent[];
}): Promise<{ sets: DueSet[]; skipped: number; baseline: number }> {
  const { port, poster, plan, size } = options;
  const sets: DueSet[] = [];
  let baseline = -1;
  const client = new BenchClient(`http://127.0.0.1:${port}`, (message) => {
    if (message.sla === undefined) return;
    const t = Date.now();
    const breachedOpen = message.sla.breachedOpen;
    if (baseline < 0) return;
    sets.forEach((set, k) => {
      if (set.seenMs === null && breachedOpen >= baseline + size * (k + 1)) set.seenMs = t;
    });
  });
  try {
    baseline = (await client.ready()).sla.breachedOpen;
    const postAt = Date.now();
    const usable = plan.filter((p) => p.dueMs > postAt + POST_LEAD_MS);
    const events: TicketEvent[] = [];
    usable.forEach((p, k) => {
      sets.push({ ...p, seenMs: null });
      for (let i = 0; i < size; i++) events.push(options.ticket(k, i, p.dueMs, postAt));
    });
    events.push(...options.fill(usable.length, postAt));
    const res = await poster.post('/api/v1/events', serialise(events));
    if (res.status !== 202) throw new Error(`sets: ${res.status} ${res.body}`);

    const lastDue = Math.max(...sets.map((s) => s.dueMs));
    while (Date.now() < lastDue + GRACE_MS && sets.some((s) => s.seenMs === null)) await sleep(20);
    return { sets, skipped: plan.length - usable.length, baseline };
  } finally {
    client.close();
  }
}

/** Waits until the server has run `count` checkpoints; returns when the last one started. */
export async function waitForCheckpoint(viewer: Poster, count: number): Promise<number> {
  for (;;) {
    const stats = await viewer.json<BenchStats>('/bench/stats');
    if (stats.checkpoints.count >= count) return stats.checkpoints.recent.at(-1)!.at;
    await sleep(50);
  }
}

/** Waits for a checkpoint that started at or after `sinceMs` (epoch) to finish; returns it. */
export async function checkpointSince(viewer: Poster, sinceMs: number): Promise<{ at: number; ms: number }> {
  for (;;) {
    const stats = await viewer.json<BenchStats>('/bench/stats');
    const done = stats.checkpoints.recent.find((c) => c.at >= sinceMs);
    if (done !== undefined) return done;
    await sleep(100);
  }
}
