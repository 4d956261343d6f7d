// The daily figures in distributed mode, in the Redis every instance shares: per local day a hash of
// ticket → its part of that day, per ticket the days it touches, per day a hash of line → its
// end-of-day counts. Every key expires DAILY_RETENTION_DAYS after its day, so nothing sweeps.
// A Lua script replaces one ticket's parts in one atomic step: every instance applies every event
// and writes the same parts, and whichever writes last writes what the others wrote.
import type { Redis } from 'ioredis';
import { DAILY_RETENTION_DAYS, type DailyStore, type DaySpan, daysBetween, decodeLineDay, encodeLineDay, type TicketParts } from './daily-store.js';
import { decodePart, type DayPart, encodePart } from './day-parts.js';
import type { LineDay } from './figures.js';

const RETENTION_MS = DAILY_RETENTION_DAYS * 86_400_000;

/** When a day's keys expire (seconds since the epoch): the retention after the day's end. */
const expireAtOf = (day: string): number => Math.ceil((Date.parse(`${day}T00:00:00Z`) + 86_400_000 + RETENTION_MS) / 1000);

/** The same few days come up for every ticket written (each second, thousands): parsed once each. */
const expiries = new Map<string, number>();
function expireAt(day: string): number {
  let at = expiries.get(day);
  if (at === undefined) {
    if (expiries.size >= 1_000) expiries.clear();
    at = expireAtOf(day);
    expiries.set(day, at);
  }
  return at;
}

// Replaces the parts of a slice of tickets, each in full. KEYS[k] ticket k's days; ARGV[1] the
// day-hash prefix; then per ticket, in KEYS' order: its key, its new days comma-joined, when its
// days key expires, how many days follow, then per day: day, part, expiry. The day hashes' names
// are built here from the prefix (a ticket's old days are known only inside the script): fine for
// one Redis or a replicated one, not for Redis Cluster. A slice rather than a ticket per call: the
// ledger writes every changed ticket each second (tens of thousands under a full ingest), and
// Redis's cost per script call, not per ticket, was most of it; each day hash's expiry is set
// once per call too.
const REPLACE_PARTS = `
local prefix = ARGV[1]
local expiring = {}
local a = 2
for k = 1, #KEYS do
  local ticket, count = ARGV[a], tonumber(ARGV[a + 3])
  local first = a + 4
  local keep = {}
  for i = 0, count - 1 do keep[ARGV[first + 3 * i]] = true end
  local old = redis.call('GET', KEYS[k])
  if old then
    for day in string.gmatch(old, '[^,]+') do
      if not keep[day] then redis.call('HDEL', prefix .. day, ticket) end
    end
  end
  for i = 0, count - 1 do
    local j = first + 3 * i
    local hash = prefix .. ARGV[j]
    redis.call('HSET', hash, ticket, ARGV[j + 1])
    expiring[hash] = ARGV[j + 2]
  end
  if ARGV[a + 1] == '' then redis.call('DEL', KEYS[k]) else redis.call('SET', KEYS[k], ARGV[a + 1], 'EXAT', ARGV[a + 2]) end
  a = first + 3 * count
end
for hash, at in pairs(expiring) do redis.call('EXPIREAT', hash, at) end
return 0`;

/** Tickets per script call: 1–2 ms of Redis (10–20 µs a ticket), so a commit never waits long behind one. */
const TICKETS_PER_CALL = 100;

type WithScript = { wfReplaceParts(...args: (string | number)[]): void };

export class RedisDailyStore implements DailyStore {
  readonly kind = 'redis' as const;

  private readonly prefix: string;
  private readonly dayPrefix: string;

  /** Takes a command connection it does not own: whoever opened it closes it. `keyPrefix`: REDIS_KEY_PREFIX. */
  constructor(
    private readonly redis: Redis,
    keyPrefix = 'wf:',
  ) {
    this.prefix = `${keyPrefix}daily`;
    this.dayPrefix = `${this.prefix}:day:`;
    redis.defineCommand('wfReplaceParts', { lua: REPLACE_PARTS });
  }

  async writeTickets(tickets: readonly TicketParts[]): Promise<void> {
    if (tickets.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (let start = 0; start < tickets.length; start += TICKETS_PER_CALL) {
      const slice = tickets.slice(start, start + TICKETS_PER_CALL);
      const keys: string[] = [];
      const args: (string | number)[] = [this.dayPrefix];
      for (const { key, parts } of slice) {
        const days = [...parts.keys()].sort();
        // Ticket keys are data: inside a key as their JSON text, never as a structure.
        keys.push(`${this.prefix}:ticket:${JSON.stringify(key)}`);
        args.push(key, days.join(','), days.length === 0 ? 0 : expireAt(days.at(-1)!), days.length);
        for (const day of days) args.push(day, encodePart(parts.get(day)!), expireAt(day));
      }
      (pipeline as unknown as WithScript).wfReplaceParts(keys.length, ...keys, ...args);
    }
    await execOrThrow(pipeline);
  }

  async writeLineDays(rows: readonly LineDay[]): Promise<void> {
    if (rows.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const row of rows) {
      const hash = `${this.prefix}:lines:${row.day}`;
      pipeline.hset(hash, JSON.stringify(row.line), encodeLineDay(row));
      pipeline.expireat(hash, expireAt(row.day));
    }
    await execOrThrow(pipeline);
  }

  async read(fromDay: string, toDay: string): Promise<DaySpan> {
    const days = daysBetween(fromDay, toDay);
    const pipeline = this.redis.pipeline();
    for (const day of days) {
      pipeline.hvals(`${this.dayPrefix}${day}`);
      pipeline.hvals(`${this.prefix}:lines:${day}`);
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
    for (const day of days) pipeline.hvals(`${this.prefix}:lines:${day}`);
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
