// The outbox shared by every instance of a distributed deployment, in Redis (<p>: REDIS_KEY_PREFIX):
//   <p>notify:d:<id>      a delivery as JSON (kept 7 days once finished)
//   <p>notify:q:<queue>   the ids waiting in a queue, oldest first
//   <p>notify:ready       queue → when its head is due (ms)
//   <p>notify:all         id → createdAt, for the list
//   <p>notify:lease:<q>   who sends the head of a queue now (SET NX PX, renewed while sending)
// Each step that reads and writes several keys is one Lua script, so that two instances never see
// half of another's step. Enqueuing an id that exists is nothing: instances raising the same event
// (a suggestion every instance detects) store it once.
import type { Redis } from 'ioredis';
import { type Delivery, type DeliveryStatus, KEEP_FINISHED_MS, type OutboxStore } from './outbox-store.js';

/** The keys under REDIS_KEY_PREFIX (`wf:` by default). */
function keyNames(prefix: string) {
  const p = `${prefix}notify:`;
  return { d: `${p}d:`, q: `${p}q:`, ready: `${p}ready`, all: `${p}all`, lease: `${p}lease:` };
}

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
  private readonly keys: ReturnType<typeof keyNames>;

  constructor(
    private readonly redis: Redis,
    prefix = 'wf:',
  ) {
    this.keys = keyNames(prefix);
  }

  async enqueue(deliveries: readonly Delivery[]): Promise<number> {
    // One script per delivery, sent in order on one connection: a queue keeps the order they came in.
    const k = this.keys;
    const added = await Promise.all(
      deliveries.map((d) => this.redis.eval(ENQUEUE, 4, k.d + d.id, k.q + d.queue, k.ready, k.all, JSON.stringify(d), d.id, d.queue, String(d.createdAt))),
    );
    return added.filter((n) => n === 1).length;
  }

  async dueQueues(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.ready, '-inf', String(now), 'LIMIT', 0, limit);
  }

  async nextDueAt(): Promise<number | null> {
    const [, score] = await this.redis.zrange(this.keys.ready, 0, 0, 'WITHSCORES');
    return score === undefined ? null : Number(score);
  }

  async take(queue: string, owner: string, now: number, leaseMs: number): Promise<Delivery | null> {
    const k = this.keys;
    const json = (await this.redis.eval(TAKE, 3, k.lease + queue, k.q + queue, k.ready, owner, String(leaseMs), String(now), k.d, queue)) as string | null;
    return parse(json);
  }

  async renew(queue: string, owner: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.keys.lease + queue, owner, String(leaseMs))) === 1;
  }

  async settle(d: Delivery, owner: string): Promise<boolean> {
    const finished = d.status !== 'pending';
    const answer = await this.redis.eval(
      SETTLE,
      4,
      this.keys.lease + d.queue,
      this.keys.q + d.queue,
      this.keys.ready,
      this.keys.d + d.id,
      owner,
      JSON.stringify(d),
      d.id,
      d.queue,
      finished ? '1' : '0',
      String(d.nextAttemptAt),
      String(KEEP_FINISHED_MS),
      this.keys.d,
    );
    return answer === 1;
  }

  async list(status: DeliveryStatus | null, limit: number): Promise<Delivery[]> {
    const found: Delivery[] = [];
    for (let page = 0; page < MAX_PAGES && found.length < limit; page++) {
      const ids = await this.redis.zrevrange(this.keys.all, page * PAGE, (page + 1) * PAGE - 1);
      if (ids.length === 0) break;
      const values = await this.redis.mget(ids.map((id) => this.keys.d + id));
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
    await this.redis.zremrangebyscore(this.keys.all, '-inf', `(${before}`);
  }

  async close(): Promise<void> {
    // The connection is the shared store's; it closes it.
  }
}
