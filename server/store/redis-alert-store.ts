// Alerts in distributed mode (docs/contract.md#configuration), in the Redis every instance shares:
//
//   <p>alerts:leader    the lease: the token of the instance that evaluates, for 15 s at a time
//   <p>alerts:state     hash: `state` (the engine's latest state, JSON) and `recorded` (its entry count)
//   <p>alerts:history   list: the newest STORED_HISTORY_LIMIT history entries, oldest first
//   <p>alerts           pub/sub channel: `saved` changes and `ack` requests, as JSON
//
// Only the lease holder evaluates: it takes the lease with SET NX PX and extends it before every
// evaluation (5 s) with a compare-and-extend script. A save is one script that checks the lease
// first, so an instance that lost it (paused, cut off) can never overwrite its successor's state;
// the same script publishes the change, and every instance keeps it as its view. An instance that
// is not the leader sends acknowledgements over the channel; the leader applies and saves them.
//
// Limit: pub/sub is fire and forget. An acknowledgement sent while no instance leads (the leader
// died and the lease has not expired yet) is lost: the alert shows unacknowledged again once the
// next leader saves, and can be acknowledged again.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AlertHistoryEntry } from '../../contract/alerts.js';
import type { AlertEngineSnapshot } from '../alerts/engine.js';
import {
  parseAlertState,
  STORED_HISTORY_LIMIT,
  type AckRequest,
  type AlertChange,
  type AlertStore,
  type AlertStoreEvents,
  type AlertStoreLog,
} from '../alerts/alert-store.js';
import { connectWithSubscriber, followChannel } from './redis-pubsub.js';
import { RELEASE_LEASE_LUA } from './redis-scripts.js';

/** Three evaluations (5 s apart) may fail before another instance takes over. */
export const LEASE_MS = 15_000;

/** KEYS[1] = the lease; ARGV[1] = our token, ARGV[2] = the lease (ms). Extends the lease only if it is ours. */
const EXTEND_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/**
 * KEYS[1] = the lease, KEYS[2] = the state hash, KEYS[3] = the history list; ARGV[1] = our token,
 * ARGV[2] = the state (JSON), ARGV[3] = its entry count, ARGV[4] = how many entries to keep,
 * ARGV[5] = the channel, ARGV[6] = the message, ARGV[7..] = the entries up to number ARGV[3].
 * Appends only the entries numbered after the stored count (a retried save adds none twice).
 * Answers 0, having written nothing, when the lease is not ours.
 */
const SAVE_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local held = tonumber(redis.call('HGET', KEYS[2], 'recorded') or '0')
local first = tonumber(ARGV[3]) - (#ARGV - 6) + 1
for i = 7, #ARGV do
  if first + i - 7 > held then redis.call('RPUSH', KEYS[3], ARGV[i]) end
end
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
redis.call('HSET', KEYS[2], 'state', ARGV[2], 'recorded', ARGV[3])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`;

/**
 * KEYS[1] = the state hash, KEYS[2] = the history list; ARGV[1] = how many entries. Both read in
 * one step, so a save between them cannot pair a state with another history. A script rather than
 * MULTI: Redis out of memory refuses MULTI (EXECABORT), and a start must not need a write.
 */
const LOAD_LUA = `
return {redis.call('HGET', KEYS[1], 'state'), redis.call('LRANGE', KEYS[2], -tonumber(ARGV[1]), -1)}
`;

type Message = ({ type: 'saved' } & AlertChange) | ({ type: 'ack' } & AckRequest);

type ScriptCall = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

export interface RedisAlertStoreOptions {
  url: string;
  /** Key prefix, as the live store's. */
  prefix?: string;
  log: AlertStoreLog;
  /** How long the lease lasts without being extended (tests shorten it). */
  leaseMs?: number;
  /** How many history entries to keep. */
  keep?: number;
  /** How long a Redis command may take (`REDIS_COMMAND_TIMEOUT_MS`). */
  commandTimeoutMs?: number;
}

export class RedisAlertStore implements AlertStore {
  readonly kind = 'redis' as const;
  /** This instance, in the lease and in its own messages (which it then ignores). */
  private readonly token = randomUUID();
  private readonly keys;
  private readonly leaseMs: number;
  private readonly keep: number;
  private events: AlertStoreEvents | null = null;
  private closed = false;

  static connect(options: RedisAlertStoreOptions): Promise<RedisAlertStore> {
    return connectWithSubscriber(
      options.url,
      options.log,
      (command, subscriber) => new RedisAlertStore(command, subscriber, options),
      options.commandTimeoutMs,
    );
  }

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisAlertStoreOptions,
  ) {
    const p = options.prefix ?? 'wf:';
    this.keys = { lease: `${p}alerts:leader`, state: `${p}alerts:state`, history: `${p}alerts:history`, channel: `${p}alerts` };
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.keep = options.keep ?? STORED_HISTORY_LIMIT;
    redis.defineCommand('wfAlertsExtend', { lua: EXTEND_LUA });
    redis.defineCommand('wfAlertsRelease', { lua: RELEASE_LEASE_LUA });
    redis.defineCommand('wfAlertsSave', { lua: SAVE_LUA });
    redis.defineCommand('wfAlertsLoad', { lua: LOAD_LUA });
    followChannel(subscriber, this.keys.channel, {
      name: 'alerts',
      log: options.log,
      message: (text) => this.receive(text),
      missed: () => this.events?.missed(),
      closed: () => this.closed,
    });
  }

  private script(name: 'wfAlertsExtend' | 'wfAlertsRelease' | 'wfAlertsSave' | 'wfAlertsLoad'): ScriptCall {
    const call = (this.redis as unknown as Record<string, ScriptCall>)[name]!;
    return call.bind(this.redis);
  }

  async load(historyLimit: number): Promise<AlertEngineSnapshot | null> {
    const [json, entries] = (await this.script('wfAlertsLoad')(2, this.keys.state, this.keys.history, String(historyLimit))) as [string | null, string[]];
    if (json === null || json === undefined) return null;
    const state = parseAlertState(json);
    if (state === null) {
      this.options.log.warn({ key: this.keys.state }, 'the saved alert state cannot be read; alerts start clean (the history stays)');
      return null;
    }
    return { ...state, history: entries.map((entry) => JSON.parse(entry) as AlertHistoryEntry) };
  }

  async lead(): Promise<boolean> {
    if ((await this.script('wfAlertsExtend')(1, this.keys.lease, this.token, String(this.leaseMs))) === 1) return true;
    return (await this.redis.set(this.keys.lease, this.token, 'PX', this.leaseMs, 'NX')) === 'OK';
  }

  async save(change: AlertChange): Promise<boolean> {
    const message: Message = { type: 'saved', ...change };
    const saved = await this.script('wfAlertsSave')(
      3,
      this.keys.lease,
      this.keys.state,
      this.keys.history,
      this.token,
      JSON.stringify(change.state),
      String(change.state.recorded),
      String(this.keep),
      this.keys.channel,
      JSON.stringify({ ...message, from: this.token }),
      ...change.appended.map((entry) => JSON.stringify(entry)),
    );
    return saved === 1;
  }

  async requestAck(request: AckRequest): Promise<void> {
    const message: Message = { type: 'ack', ...request };
    await this.redis.publish(this.keys.channel, JSON.stringify({ ...message, from: this.token }));
  }

  follow(events: AlertStoreEvents): void {
    this.events = events;
  }

  private receive(text: string): void {
    let message: Message & { from?: string };
    try {
      message = JSON.parse(text) as Message & { from?: string };
    } catch {
      return;
    }
    if (message.from === this.token || this.events === null) return;
    if (message.type === 'saved') this.events.saved({ state: message.state, appended: message.appended });
    else if (message.type === 'ack') this.events.ackRequested({ alertId: message.alertId, by: message.by, at: message.at });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Handing the lease back lets another instance evaluate at its next turn, not 15 s later.
    await this.script('wfAlertsRelease')(1, this.keys.lease, this.token).catch(() => undefined);
    this.subscriber.disconnect();
    this.redis.disconnect();
  }
}
