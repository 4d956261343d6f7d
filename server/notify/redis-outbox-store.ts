// The outbox shared by every instance of a distributed deployment, in Redis:
//   wf:notify:d:<id>      a delivery as JSON (kept 7 days once finished)
//   wf:notify:q:<queue>   the ids waiting in a queue, oldest first
//   wf:notify:ready       queue → when its head is due (ms)
//   wf:notify:all         id → createdAt, for the list
//   wf:notify:lease:<q>   who sends the head of a queue now (SET NX PX, renewed while sending)
// Each step that reads and writes several keys is one Lua script, so that two instances never see
// half of another's step. Enqueuing an id that exists is nothing: instances raising the same event
// (a suggestion every instance detects) store it once.
import type { Redis } from 'ioredis';
import { type Delivery, type DeliveryStatus, KEEP_FINISHED_MS, type OutboxStore } from './outbox-store.js';

const PREFIX = 'wf:notify:';
const D = `${PREFIX}d:`;
const Q = `${PREFIX}q:`;
const READY = `${PREFIX}ready`;
const ALL = `${PREFIX}all`;
const LEASE = `${PREFIX}lease:`;

// KEYS: d, q, ready, all. ARGV: json, id, queue, createdAt.
const ENQUEUE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[2])
if redis.call('LLEN', KEYS[2]) == 1 then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3]) end
return 1`;

// KEYS: lease, q, ready. ARGV: owner, leaseMs, now, d prefix, queue.
const TAKE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
local id = redis.call('LINDEX', KEYS[2], 0)
if not id then
  redis.call('ZREM', KEYS[3], ARGV[5])
  redis.call('DEL', KEYS[1])
  return false
end
local json = redis.call('GET', ARGV[4] .. id)
local d = json and cjson.decode(json)
if not d or d.status ~= 'pending' then
  redis.call('LPOP', KEYS[2])
  redis.call('DEL', KEYS[1])
  return false
end
if d.nextAttemptAt > tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[3], d.nextAttemptAt, ARGV[5])
  redis.call('DEL', KEYS[1])
  return false
end
return json`;

// KEYS: lease. ARGV: owner, leaseMs.
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

// KEYS: lease, q, ready, d. ARGV: owner, json, id, queue, finished (1/0), nextAttemptAt, keepMs, d prefix.
const SETTLE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[5] == '1' then
  redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[7])
  if redis.call('LINDEX', KEYS[2], 0) == ARGV[3] then redis.call('LPOP', KEYS[2]) end
  local next = redis.call('LINDEX', KEYS[2], 0)
  if next then
    local json = redis.call('GET', ARGV[8] .. next)
    local at = 0
    if json then at = cjson.decode(json).nextAttemptAt end
    redis.call('ZADD', KEYS[3], at, ARGV[4])
  else
    redis.call('ZREM', KEYS[3], ARGV[4])
  end
else
  redis.call('SET', KEYS[4], ARGV[2])
  redis.call('ZADD', KEYS[3], ARGV[6], ARGV[4])
end
redis.call('DEL', KEYS[1])
return 1`;

/** The list reads this many ids at a time, and at most this many pages (a week of a busy floor). */
const PAGE = 500;
const MAX_PAGES = 40;

function parse(json: string | null): Delivery | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as Delivery;
  } catch {
    return null;
  }
}

export class RedisOutboxStore implements OutboxStore {
  constructor(private readonly redis: Redis) {}

  async enqueue(deliveries: readonly Delivery[]): Promise<number> {
    // One script per delivery, sent in order on one connection: a queue keeps the order they came in.
    const added = await Promise.all(
      deliveries.map((d) => this.redis.eval(ENQUEUE, 4, D + d.id, Q + d.queue, READY, ALL, JSON.stringify(d), d.id, d.queue, String(d.createdAt))),
    );
    return added.filter((n) => n === 1).length;
  }

  async dueQueues(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(READY, '-inf', String(now), 'LIMIT', 0, limit);
  }

  async nextDueAt(): Promise<number | null> {
    const [, score] = await this.redis.zrange(READY, 0, 0, 'WITHSCORES');
    return score === undefined ? null : Number(score);
  }

  async take(queue: string, owner: string, now: number, leaseMs: number): Promise<Delivery | null> {
    const json = (await this.redis.eval(TAKE, 3, LEASE + queue, Q + queue, READY, owner, String(leaseMs), String(now), D, queue)) as string | null;
    return parse(json);
  }

  async renew(queue: string, owner: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, LEASE + queue, owner, String(leaseMs))) === 1;
  }

  async settle(d: Delivery, owner: string): Promise<boolean> {
    const finished = d.status !== 'pending';
    const answer = await this.redis.eval(
      SETTLE,
      4,
      LEASE + d.queue,
      Q + d.queue,
      READY,
      D + d.id,
      owner,
      JSON.stringify(d),
      d.id,
      d.queue,
      finished ? '1' : '0',
      String(d.nextAttemptAt),
      String(KEEP_FINISHED_MS),
      D,
    );
    return answer === 1;
  }

  async list(status: DeliveryStatus | null, limit: number): Promise<Delivery[]> {
    const found: Delivery[] = [];
    for (let page = 0; page < MAX_PAGES && found.length < limit; page++) {
      const ids = await this.redis.zrevrange(ALL, page * PAGE, (page + 1) * PAGE - 1);
      if (ids.length === 0) break;
      const values = await this.redis.mget(ids.map((id) => D + id));
      for (const json of values) {
        const d = parse(json);
        if (d !== null && (status === null || d.status === status)) found.push(d);
        if (found.length === limit) break;
      }
    }
    return found;
  }

  async sweep(before: number): Promise<void> {
    // The deliveries themselves expire on their own; their entries in the list go here.
    await this.redis.zremrangebyscore(ALL, '-inf', `(${before}`);
  }

  async close(): Promise<void> {
    // The connection is the shared store's; it closes it.
  }
}
