// Arrivals in distributed mode, in the Redis every instance shares: per line and UTC day a hash of
// bucket → count, and per UTC day a set of the ticket keys counted, both expiring after the
// retention, so nothing has to sweep them. A Lua script makes "count it if not counted" one atomic
// step, so two instances taking the same backfill count each ticket once.
import type { Redis } from 'ioredis';
import { type Arrival, type ArrivalsStore, bucketOf, RETENTION_MS } from './arrivals-store.js';

const DAY_MS = 86_400_000;
/** A day's keys live the retention plus the day itself. */
const EXPIRE_SECONDS = Math.ceil((RETENTION_MS + 2 * DAY_MS) / 1000);

// Counts a slice of arrivals, each once. Per arrival three KEYS: the day's seen set, the line's day
// hash, the line's first bucket; ARGV[1] the expiry (seconds), then per arrival: ticket key,
// bucket. A slice per call rather than an arrival: a full ingest brings thousands of new tickets
// a second, and Redis's cost per script call was most of it; each key's expiry is set once a call.
const COUNT_ONCE = `
local expiring = {}
for i = 1, #KEYS, 3 do
  local a = 2 + (i - 1) / 3 * 2
  if redis.call('SADD', KEYS[i], ARGV[a]) == 1 then
    redis.call('HINCRBY', KEYS[i + 1], ARGV[a + 1], 1)
    expiring[KEYS[i]] = true
    expiring[KEYS[i + 1]] = true
    local first = redis.call('GET', KEYS[i + 2])
    if not first or tonumber(first) > tonumber(ARGV[a + 1]) then redis.call('SET', KEYS[i + 2], ARGV[a + 1]) end
  end
end
for key in pairs(expiring) do redis.call('EXPIRE', key, ARGV[1]) end
return 0`;

/** Arrivals per script call: about a millisecond of Redis, so a commit never waits long behind one. */
const ARRIVALS_PER_CALL = 100;

const dayOf = (at: number) => Math.floor(at / DAY_MS);

export class RedisArrivalsStore implements ArrivalsStore {
  readonly kind = 'redis' as const;

  private readonly prefix: string;

  /** Takes a command connection it does not own: whoever opened it closes it. `keyPrefix`: REDIS_KEY_PREFIX. */
  constructor(
    private readonly redis: Redis,
    keyPrefix = 'wf:',
  ) {
    this.prefix = `${keyPrefix}arrivals`;
    redis.defineCommand('wfCountArrivals', { lua: COUNT_ONCE });
  }

  async record(arrivals: readonly Arrival[], now: number): Promise<void> {
    if (arrivals.length === 0) return;
    const oldest = now - RETENTION_MS;
    const fresh = arrivals.filter((arrival) => arrival.createdAt >= oldest);
    if (fresh.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (let start = 0; start < fresh.length; start += ARRIVALS_PER_CALL) {
      const keys: string[] = [];
      const args: (string | number)[] = [EXPIRE_SECONDS];
      for (const arrival of fresh.slice(start, start + ARRIVALS_PER_CALL)) {
        const day = dayOf(arrival.createdAt);
        // Line names are data: they go into a key as their JSON text, never as a structure.
        const line = JSON.stringify(arrival.line);
        keys.push(`${this.prefix}:seen:${day}`, `${this.prefix}:count:${day}:${line}`, `${this.prefix}:first:${line}`);
        args.push(arrival.key, bucketOf(arrival.createdAt));
      }
      (pipeline as unknown as { wfCountArrivals(...args: (string | number)[]): void }).wfCountArrivals(keys.length, ...keys, ...args);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
  }

  async counts(line: string, from: number, to: number): Promise<Map<number, number>> {
    const pipeline = this.redis.pipeline();
    const days: number[] = [];
    for (let day = dayOf(from); day <= dayOf(to - 1); day++) {
      days.push(day);
      pipeline.hgetall(`${this.prefix}:count:${day}:${JSON.stringify(line)}`);
    }
    const results = (await pipeline.exec()) ?? [];
    const counts = new Map<number, number>();
    const start = bucketOf(from);
    for (const [error, value] of results) {
      if (error !== null) throw error;
      for (const [bucket, count] of Object.entries(value as Record<string, string>)) {
        const at = Number(bucket);
        if (at >= start && at < to) counts.set(at, Number(count));
      }
    }
    return new Map([...counts].sort(([a], [b]) => a - b));
  }

  async historyStart(line: string): Promise<number | null> {
    const first = await this.redis.get(`${this.prefix}:first:${JSON.stringify(line)}`);
    // The counts before the retention have expired: the history starts where they still exist.
    return first === null ? null : Math.max(Number(first), bucketOf(Date.now() - RETENTION_MS));
  }

  async sweep(): Promise<void> {
    // Keys expire by themselves.
  }

  /** Instances share these counts and come and go: no one instance's stop says they are whole. */
  async takeAllStored(): Promise<boolean> {
    return false;
  }

  async markAllStored(): Promise<void> {}

  async close(): Promise<void> {}
}
