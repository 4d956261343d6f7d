// Incidents in distributed mode (docs/contract.md#configuration, #major-incidents), in the Redis every instance shares:
//
//   <p>incidents             sorted set: incident id, scored by its number
//   <p>incidents:last        the last number given out
//   <p>incident:<id>         list: the timeline, one JSON entry per element, appended only
//   <p>incidents:key:<hash>  an Idempotency-Key's declaration (id and body digest), 24 h
//   <p>incidents:changed     pub/sub channel: `<id> <version>` of an incident that just changed
//
// Each write is one Lua script: it checks what the write was based on (the list's length is the
// version; a new number must be above the last one given out) and appends, and publishes the id,
// atomically. Every instance subscribes and reloads an incident whose id it hears; after its
// subscription was cut (Redis restarted, network), it reloads them all, since it may have missed some.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { incidentId, type StoredIncident } from '../incidents/incident.js';
import type { TimelineEntry } from '../../contract/incidents.js';
import { IDEMPOTENCY_WINDOW_MS, type AppendResult, type CreateRequest, type CreateResult, type IncidentStore } from './incident-store.js';
import type { RedisLog } from './redis-connection.js';
import { connectWithSubscriber, followChannel } from './redis-pubsub.js';

/**
 * KEYS[1] = last number, KEYS[2] = the index, KEYS[3] = the new incident's list, KEYS[4] = the
 * idempotency key (a placeholder name when none); ARGV[1] = the number to take, ARGV[2] = its id,
 * ARGV[3] = '1' with a key, ARGV[4] = the body's digest, ARGV[5] = the key's TTL (s), ARGV[6] = the
 * channel, ARGV[7..] = the entries. Answers {'created'|'existing'|'key-reused'|'retry', id}.
 */
const CREATE_LUA = `
if ARGV[3] == '1' then
  local held = redis.call('GET', KEYS[4])
  if held then
    local cut = string.find(held, '\\n', 1, true)
    local id = string.sub(held, 1, cut - 1)
    if string.sub(held, cut + 1) == ARGV[4] then return {'existing', id} end
    return {'key-reused', id}
  end
end
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= last or redis.call('EXISTS', KEYS[3]) == 1 then return {'retry', tostring(last)} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
for i = 7, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
if ARGV[3] == '1' then redis.call('SET', KEYS[4], ARGV[2] .. '\\n' .. ARGV[4], 'EX', ARGV[5]) end
redis.call('PUBLISH', ARGV[6], ARGV[2] .. ' ' .. (#ARGV - 6))
return {'created', ARGV[2]}
`;

/**
 * KEYS[1] = the incident's list; ARGV[1] = the version the write was based on, ARGV[2] = the
 * channel, ARGV[3] = the id, ARGV[4..] = the entries. Answers {'appended'|'stale'|'missing', version}.
 */
const APPEND_LUA = `
local n = redis.call('LLEN', KEYS[1])
if n == 0 then return {'missing', 0} end
if n ~= tonumber(ARGV[1]) then return {'stale', n} end
for i = 4, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('PUBLISH', ARGV[2], ARGV[3] .. ' ' .. (n + #ARGV - 3))
return {'appended', n + #ARGV - 3}
`;

/** Two declarations racing for one number: the loser takes the next; this many tries is plenty. */
const MAX_NUMBER_TRIES = 20;

type ScriptCall = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

export interface RedisIncidentStoreOptions {
  url: string;
  /** Key prefix, as the live store's. */
  prefix?: string;
  log: RedisLog;
  /** How long a Redis command may take (`REDIS_COMMAND_TIMEOUT_MS`). */
  commandTimeoutMs?: number;
}

export class RedisIncidentStore implements IncidentStore {
  readonly kind = 'redis' as const;
  private readonly keys;
  private onChange: ((id: string | null, version: number | null) => void) | null = null;
  private closed = false;

  static connect(options: RedisIncidentStoreOptions): Promise<RedisIncidentStore> {
    return connectWithSubscriber(
      options.url,
      options.log,
      (command, subscriber) => new RedisIncidentStore(command, subscriber, options),
      options.commandTimeoutMs,
    );
  }

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    options: RedisIncidentStoreOptions,
  ) {
    const p = options.prefix ?? 'wf:';
    this.keys = {
      index: `${p}incidents`,
      last: `${p}incidents:last`,
      list: (id: string) => `${p}incident:${id}`,
      // Hashed: a client's key may be long or odd; the digest makes it a safe, bounded key name.
      idempotency: (key: string) => `${p}incidents:key:${createHash('sha256').update(key).digest('hex')}`,
      channel: `${p}incidents:changed`,
    };
    redis.defineCommand('wfIncidentCreate', { lua: CREATE_LUA });
    redis.defineCommand('wfIncidentAppend', { lua: APPEND_LUA });
    followChannel(subscriber, this.keys.channel, {
      name: 'incidents',
      log: options.log,
      message: (message) => {
        const [id, version] = message.split(' ');
        if (id) this.onChange?.(id, Number(version) || null);
      },
      // Every incident may have changed meanwhile.
      missed: () => this.onChange?.(null, null),
      closed: () => this.closed,
    });
  }

  private script(name: 'wfIncidentCreate' | 'wfIncidentAppend'): ScriptCall {
    const call = (this.redis as unknown as Record<string, ScriptCall>)[name]!;
    return call.bind(this.redis);
  }

  async loadAll(): Promise<StoredIncident[]> {
    const flat = await this.redis.zrange(this.keys.index, 0, -1, 'WITHSCORES');
    const rows: { id: string; number: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) rows.push({ id: flat[i]!, number: Number(flat[i + 1]) });
    if (rows.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const row of rows) pipeline.lrange(this.keys.list(row.id), 0, -1);
    const lists = (await pipeline.exec()) ?? [];
    return rows.map((row, i) => {
      const [error, entries] = lists[i] ?? [new Error('no answer')];
      if (error) throw error;
      return { ...row, entries: (entries as string[]).map((json) => JSON.parse(json) as TimelineEntry) };
    });
  }

  async load(id: string): Promise<StoredIncident | null> {
    const [score, entries] = await Promise.all([this.redis.zscore(this.keys.index, id), this.redis.lrange(this.keys.list(id), 0, -1)]);
    if (score === null || entries.length === 0) return null;
    return { id, number: Number(score), entries: entries.map((json) => JSON.parse(json) as TimelineEntry) };
  }

  async create(request: CreateRequest): Promise<CreateResult> {
    const { idempotency } = request;
    const keyName = idempotency === null ? `${this.keys.channel}:none` : this.keys.idempotency(idempotency.key);
    const entries = request.entries.map((entry) => JSON.stringify(entry));
    let number = await this.nextNumber();
    for (let attempt = 0; attempt < MAX_NUMBER_TRIES; attempt++) {
      const id = incidentId(number);
      const [kind, answer] = (await this.script('wfIncidentCreate')(
        4,
        this.keys.last,
        this.keys.index,
        this.keys.list(id),
        keyName,
        String(number),
        id,
        idempotency === null ? '0' : '1',
        idempotency?.fingerprint ?? '',
        String(IDEMPOTENCY_WINDOW_MS / 1000),
        this.keys.channel,
        ...entries,
      )) as [string, string];
      if (kind === 'created') return { kind, stored: { id, number, entries: [...request.entries] } };
      if (kind === 'existing' || kind === 'key-reused') return { kind, id: answer };
      // Another instance took this number first.
      number = Math.max(number, Number(answer)) + 1;
    }
    throw new Error(`incidents: no free number after ${MAX_NUMBER_TRIES} tries`);
  }

  /** Above the last number given out and above every stored one (should the counter have been lost). */
  private async nextNumber(): Promise<number> {
    const [last, top] = await Promise.all([this.redis.get(this.keys.last), this.redis.zrange(this.keys.index, -1, -1, 'WITHSCORES')]);
    return Math.max(Number(last ?? 0), Number(top[1] ?? 0)) + 1;
  }

  async append(id: string, expectedVersion: number, entries: readonly TimelineEntry[]): Promise<AppendResult> {
    const [kind] = (await this.script('wfIncidentAppend')(
      1,
      this.keys.list(id),
      String(expectedVersion),
      this.keys.channel,
      id,
      ...entries.map((entry) => JSON.stringify(entry)),
    )) as [string, number];
    if (kind === 'appended') return { kind, version: expectedVersion + entries.length };
    if (kind === 'missing') return { kind };
    const stored = await this.load(id);
    return stored === null ? { kind: 'missing' } : { kind: 'stale', stored };
  }

  follow(onChange: (id: string | null, version: number | null) => void): void {
    this.onChange = onChange;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriber.disconnect();
    this.redis.disconnect();
  }
}
