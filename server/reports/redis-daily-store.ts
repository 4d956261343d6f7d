// The daily figures in distributed mode, in the Redis every instance shares: per local day a hash of
// ticket → its part of that day, per ticket the days it touches, per day a hash of line → its
// end-of-day counts. Every key expires DAILY_RETENTION_DAYS after its day, so nothing sweeps.
// A Lua script replaces one ticket's parts in one atomic step: every instance applies every event
// and writes the same parts, and whichever writes last writes what the others wrote.
import type { Redis } from 'ioredis';
import { DAILY_RETENTION_DAYS, type DailyStore, type DaySpan, daysBetween, decodeLineDay, encodeLineDay, type TicketParts } from './daily-store.js';
import { decodePart, type DayPart, encodePart } from './day-parts.js';
import type { LineDay } from './figures.js';

const PREFIX = 'wf:daily';
const DAY_PREFIX = `${PREFIX}:day:`;
const RETENTION_MS = DAILY_RETENTION_DAYS * 86_400_000;

/** When a day's keys expire (seconds since the epoch): the retention after the day's end. */
const expireAt = (day: string): number => Math.ceil((Date.parse(`${day}T00:00:00Z`) + 86_400_000 + RETENTION_MS) / 1000);

// KEYS[1] the ticket's days; ARGV[1] the ticket key, ARGV[2] the day-hash prefix, ARGV[3] the new
// days comma-joined, ARGV[4] when the ticket's days key expires; then per day: day, part, expiry.
// The day hashes' names are built here from the prefix (a ticket's old days are known only inside
// the script): fine for one Redis or a replicated one, not for Redis Cluster.
const REPLACE_PARTS = `
local keep = {}
for i = 5, #ARGV, 3 do keep[ARGV[i]] = true end
local old = redis.call('GET', KEYS[1])
if old then
  for day in string.gmatch(old, '[^,]+') do
    if not keep[day] then redis.call('HDEL', ARGV[2] .. day, ARGV[1]) end
  end
end
for i = 5, #ARGV, 3 do
  local hash = ARGV[2] .. ARGV[i]
  redis.call('HSET', hash, ARGV[1], ARGV[i + 1])
  redis.call('EXPIREAT', hash, ARGV[i + 2])
end
if ARGV[3] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3], 'EXAT', ARGV[4]) end
return 0`;

type WithScript = { wfReplaceParts(...args: (string | number)[]): void };

export class RedisDailyStore implements DailyStore {
  readonly kind = 'redis' as const;

  /** Takes a command connection it does not own: whoever opened it closes it. */
  constructor(private readonly redis: Redis) {
    redis.defineCommand('wfReplaceParts', { numberOfKeys: 1, lua: REPLACE_PARTS });
  }

  async writeTickets(tickets: readonly TicketParts[]): Promise<void> {
    if (tickets.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { key, parts } of tickets) {
      const days = [...parts.keys()].sort();
      const args: (string | number)[] = [];
      for (const day of days) args.push(day, encodePart(parts.get(day)!), expireAt(day));
      const lastExpiry = days.length === 0 ? 0 : expireAt(days.at(-1)!);
      // Ticket keys are data: inside a key as their JSON text, never as a structure.
      (pipeline as unknown as WithScript).wfReplaceParts(`${PREFIX}:ticket:${JSON.stringify(key)}`, key, DAY_PREFIX, days.join(','), lastExpiry, ...args);
    }
    await execOrThrow(pipeline);
  }

  async writeLineDays(rows: readonly LineDay[]): Promise<void> {
    if (rows.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const row of rows) {
      const hash = `${PREFIX}:lines:${row.day}`;
      pipeline.hset(hash, JSON.stringify(row.line), encodeLineDay(row));
      pipeline.expireat(hash, expireAt(row.day));
    }
    await execOrThrow(pipeline);
  }

  async read(fromDay: string, toDay: string): Promise<DaySpan> {
    const days = daysBetween(fromDay, toDay);
    const pipeline = this.redis.pipeline();
    for (const day of days) {
      pipeline.hvals(`${DAY_PREFIX}${day}`);
      pipeline.hvals(`${PREFIX}:lines:${day}`);
    }
    const results = await execOrThrow(pipeline);
    const parts = new Map<string, DayPart[]>();
    const lineDays: LineDay[] = [];
    days.forEach((day, i) => {
      const dayParts = (results[2 * i] as string[]).map(decodePart).filter((p): p is DayPart => p !== null);
      if (dayParts.length > 0) parts.set(day, dayParts);
      lineDays.push(...sortedLineDays(results[2 * i + 1] as string[]));
    });
    return { parts, lineDays };
  }

  async readLineDays(fromDay: string, toDay: string): Promise<LineDay[]> {
    const days = daysBetween(fromDay, toDay);
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hvals(`${PREFIX}:lines:${day}`);
    const results = await execOrThrow(pipeline);
    return results.flatMap((values) => sortedLineDays(values as string[]));
  }

  async prune(): Promise<void> {
    // Every key expires on its own.
  }

  async close(): Promise<void> {
    // The connection is the store plugin's.
  }
}

function sortedLineDays(values: string[]): LineDay[] {
  const rows = values.map(decodeLineDay).filter((r): r is LineDay => r !== null);
  return rows.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
}

async function execOrThrow(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error !== null);
  if (failed !== undefined) throw failed[0];
  return results.map(([, value]) => value);
}
