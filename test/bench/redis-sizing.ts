// What a department costs Redis (docs/operations.md#sizing-redis): the real app on a throwaway
// redis-server takes N open tickets (default 100,000; the bench workload's tickets, created over
// the last 8 hours, then each answered and assigned: two events a ticket, as batches of 500),
// checkpoints, and writes its daily figures and arrivals. Then INFO memory's used_memory (against
// the same Redis with the app started and nothing ingested), and MEMORY USAGE of every key by
// family (tickets, dedup ids, the log, daily figures, arrivals), per 1,000 tickets and per item.
//
//   npx tsx test/bench/redis-sizing.ts [tickets]
import { Redis } from 'ioredis';
import { startTestApp } from '../helpers/app.js';
import { postEvents } from '../helpers/http.js';
import { RedisServer } from '../helpers/redis-server.js';
import { EventFactory } from './workload.js';

const TICKETS = Number(process.argv[2] ?? 100_000);
const BATCH = 500;
const PREFIX = 'wf:';

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function usedMemory(admin: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
}

/** MEMORY USAGE of every key, summed by family (the key's part after the prefix, up to the next ":"; `tickets:v` apart). */
async function memoryByFamily(admin: Redis): Promise<Map<string, { keys: number; bytes: number }>> {
  const families = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const pipeline = admin.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const answers = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const rest = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : key;
      const family = rest.startsWith('tickets:v') || rest.startsWith('agents:v') ? rest.slice(0, rest.indexOf(':v') + 2) : rest.split(':')[0]!;
      const entry = families.get(family) ?? { keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += Number(answers[i]?.[1] ?? 0);
      families.set(family, entry);
    });
  } while (cursor !== '0');
  return families;
}

async function main(): Promise<void> {
  const redis = await RedisServer.start();
  const admin = new Redis(redis.url);
  const t = await startTestApp({ env: { REDIS_URL: redis.url } });
  try {
    const empty = await usedMemory(admin);
    const factory = new EventFactory('sizing', 7);
    const now = Date.now();
    const startedAt = performance.now();
    let bodyBytes = 0;
    let events = 0;
    // Creations first, then each ticket's first update (open, assigned, mostly answered).
    for (const step of ['create', 'update'] as const) {
      for (let first = 0; first < TICKETS; first += BATCH) {
        const batch = [];
        for (let n = first; n < Math.min(TICKETS, first + BATCH); n++) {
          const createdMs = now - 8 * 3_600_000 + Math.floor((n / TICKETS) * 7 * 3_600_000);
          batch.push(step === 'create' ? factory.create(n, createdMs) : factory.update(n, createdMs + 10 * 60_000));
        }
        bodyBytes += Buffer.byteLength(JSON.stringify(batch));
        events += batch.length;
        const summary = await postEvents(t.app, batch);
        if (summary.accepted !== batch.length) throw new Error(`batch not taken whole: ${JSON.stringify(summary).slice(0, 300)}`);
      }
    }
    const ingestMs = performance.now() - startedAt;
    await t.app.checkpoint();
    await t.app.flushArrivals();
    await t.app.daily.flush();
    const state = t.app.currentState();
    const open = state.queues.reduce((sum, q) => sum + q.open, 0);
    const used = await usedMemory(admin);
    const families = await memoryByFamily(admin);
    const streamEntries = await admin.xlen(`${PREFIX}events`);
    const per1000 = (bytes: number): string => `${Math.round(((bytes / TICKETS) * 1000) / 1024)} KB`;
    console.log(
      `${TICKETS} tickets (${open} open in the model), ${events} events in ${events / BATCH} batches of ${BATCH} (${mb(bodyBytes)} of bodies, ${Math.round(bodyBytes / (events / BATCH) / 1024)} KB a batch), ingested in ${Math.round(ingestMs)} ms`,
    );
    console.log(`used_memory: ${mb(empty)} with the app started, ${mb(used)} after: ${mb(used - empty)} more, ${per1000(used - empty)} per 1,000 tickets`);
    for (const [family, { keys, bytes }] of [...families].sort((a, b) => b[1].bytes - a[1].bytes)) {
      console.log(`  ${family.padEnd(14)} ${String(keys).padStart(8)} keys ${mb(bytes).padStart(10)}  ${per1000(bytes)} per 1,000 tickets`);
    }
    const seen = families.get('seen');
    if (seen !== undefined) console.log(`dedup ids: ${Math.round(seen.bytes / seen.keys)} bytes each (one per event for 24 h)`);
    const log = families.get('events');
    if (log !== undefined && streamEntries > 0) {
      console.log(
        `log: ${streamEntries} entries, ${mb(log.bytes)}: ${Math.round(log.bytes / streamEntries / 1024)} KB an entry for ${Math.round(bodyBytes / (events / BATCH) / 1024)} KB of body`,
      );
    }
    const tickets = (families.get('tickets')?.bytes ?? 0) + (families.get('tickets:v')?.bytes ?? 0);
    console.log(`checkpointed tickets (tickets + tickets:v): ${Math.round(tickets / TICKETS)} bytes a ticket, ${per1000(tickets)} per 1,000`);
  } finally {
    await t.close();
    admin.disconnect();
    await redis.stop();
  }
}

await main();
