// Arrivals in distributed mode, in the Redis every instance shares: per line and UTC day a hash of
// bucket → count, and per UTC day a set of the ticket keys counted, both expiring after the
// retention, so nothing has to sweep them. A Lua script makes "count it if not counted" one atomic
// step, so two instances taking the same backfill count each ticket once.
import type { Redis } from 'ioredis';
import { type Arrival, type ArrivalsStore, bucketOf, RETENTION_MS } from './arrivals-store.js';

const DAY_MS = 86_400_000;
const PREFIX = 'wf:arrivals';
/** A day's keys live the retention plus the day itself. */
const EXPIRE_SECONDS = Math.ceil((RETENTION_MS + 2 * DAY_MS) / 1000);

// KEYS[1] the day's seen set, KEYS[2] the line's day hash, KEYS[3] the line's first bucket;
// ARGV: ticket key, bucket, expiry seconds.
const COUNT_ONCE = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  local first = redis.call('GET', KEYS[3])
  if not first or tonumber(first) > tonumber(ARGV[2]) then redis.call('SET', KEYS[3], ARGV[2]) end
end
return 0`;

const dayOf = (at: number) => Math.floor(at / DAY_MS);

export class RedisArrivalsStore implements ArrivalsStore {
  readonly kind = 'redis' as const;

  /** Takes a command connection it does not own: whoever opened it closes it. */
  constructor(private readonly redis: Redis) {
    redis.defineCommand('wfCountArrival', { numberOfKeys: 3, lua: COUNT_ONCE });
  }

  async record(arrivals: readonly Arrival[], now: number): Promise<void> {
    if (arrivals.length === 0) return;
    const oldest = now - RETENTION_MS;
    const pipeline = this.redis.pipeline();
    for (const arrival of arrivals) {
      if (arrival.createdAt < oldest) continue;
      const day = dayOf(arrival.createdAt);
      // Line names are data: they go into a key as their JSON text, never as a structure.
      (pipeline as unknown as { wfCountArrival(...args: (string | number)[]): void }).wfCountArrival(
        `${PREFIX}:seen:${day}`,
        `${PREFIX}:count:${day}:${JSON.stringify(arrival.line)}`,
        `${PREFIX}:first:${JSON.stringify(arrival.line)}`,
        arrival.key,
        bucketOf(arrival.createdAt),
        EXPIRE_SECONDS,
      );
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
      pipeline.hgetall(`${PREFIX}:count:${day}:${JSON.stringify(line)}`);
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
    const first = await this.redis.get(`${PREFIX}:first:${JSON.stringify(line)}`);
    // The counts before the retention have expired: the history starts where they still exist.
    return first === null ? null : Math.max(Number(first), bucketOf(Date.now() - RETENTION_MS));
  }

  async sweep(): Promise<void> {
    // Keys expire by themselves.
  }

  async close(): Promise<void> {}
}
