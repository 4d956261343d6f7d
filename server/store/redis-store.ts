// The Redis store (distributed mode, docs/contract.md#configuration): any number of instances serve one department.
// Every instance keeps its own LiveModel replica; Redis is the shared log and the durable state:
//
//   <p>seen:<event id>   dedup keys, 24 h (SET NX EX)
//   <p>events            the log, a stream: one entry per accepted batch, its body as it arrived
//                        and the indexes of its duplicates (redis-log-entry.ts)
//   <p>tickets, <p>agents            checkpointed StoredTicket / StoredAgent JSON, by key / id
//   <p>tickets:v, <p>agents:v        each one's version: updatedAt / lastAt in ms
//   <p>checkpoint        the stream id up to which the hashes hold every change
//   <p>generation        the generation marker: a random id, a count of commits, a count of re-seeds
//   <p>probe:<instance>  the health probe's write (a minute)
//
// Ingest: one script marks the ids seen and appends the batch to the log, atomically, before
// the 202; the instance that took the batch applies it at once. Every instance reads the log
// (XREAD BLOCK) and applies what the others appended. Instances may apply concurrent batches in
// different orders; they converge through the stale rule (the newest updatedAt / at wins), except
// that two updates of one ticket with the same updatedAt (or of one agent with the same at) end as
// whichever each instance applied last. Checkpoints: any instance writes its changed tickets and
// agents (newest version wins, per field) and then moves the checkpoint forward, never back.
// A start loads the hashes and replays the log after the checkpoint.
//
// Data loss (Redis restarted without persistence, flushed, failed over to a replica that lagged):
// every instance remembers the marker's id and the highest commit count it has seen; the probe
// (every 2 s, and every /healthz) finds the marker gone, replaced or gone back. The instance then
// says so (log, /healthz, walls paused; commits are refused meanwhile, as the commit script checks
// the marker), and re-seeds Redis from its own live model: every ticket and agent (newest wins) and
// the ids it remembers (SET NX, for the rest of their 24 h). Then it records the re-seed in the
// marker: a new id when the marker vanished or went back, the new id kept when another instance
// already set one. Every running instance sees the marker change and re-seeds too, so Redis ends
// with the union of their models; each re-seed bumps the marker's re-seed count, and an instance
// that sees the count move reloads from Redis, so that all of them hold that union as well.
import { randomBytes } from 'node:crypto';
import { ReplyError, type Redis } from 'ioredis';
import type { ChangedTicket, ModelChanges, StoredAgent, StoredTicket } from '../domain/live-model.js';
import {
  DEDUP_WINDOW_MS,
  inSlices,
  RESTORE_SLICE,
  StoreOutcomeUnknownError,
  type AcceptedBatch,
  type JournalEntry,
  type LiveStore,
  type LoadedState,
  type LogFollower,
} from './live-store.js';
import { connectRedis, DEFAULT_COMMAND_TIMEOUT_MS, type RedisLog } from './redis-connection.js';
import { GenerationTracker, parseMarker, type Loss, type Marker } from './redis-generation.js';
import { entryEvents, entryJournal, optionalField } from './redis-log-entry.js';
import { RecentIds } from './redis-recent-ids.js';
import { ADVANCE_CHECKPOINT_LUA, COMMIT_LUA, ESTABLISH_GENERATION_LUA, PUT_NEWEST_LUA, RESEEDED_LUA } from './redis-scripts.js';
import { statusOf, type StoreStatus } from './store-health.js';

/**
 * The log's approximate size cap (XADD MAXLEN ~, in entries, from the batch's size): what Redis
 * holds of the log stays near STREAM_MAX_BYTES whatever the batches' sizes, e.g. ~2,300 entries of
 * 500 events (230 KB each), ~20 s of a 50,000 events/s ingest. Checkpoints (every 5 s) trim the log
 * to a minute behind them anyway; the cap binds when the ingest is fast or no instance can
 * checkpoint. Should more than this arrive between two checkpoints, the oldest of it would be
 * missing from a start (running instances still hold it, and checkpoint it next).
 */
export const STREAM_MAX_BYTES = 512 * 2 ** 20;
/** However large the batches, the cap keeps this many. */
export const STREAM_MIN_ENTRIES = 100;
/** However small the batches, the cap keeps no more than this many (an entry costs ~100 bytes besides its body). */
export const STREAM_MAX_ENTRIES = 100_000;

/** The MAXLEN ~ for an entry of `bodyBytes`. */
export function streamCap(bodyBytes: number): number {
  return Math.max(STREAM_MIN_ENTRIES, Math.min(STREAM_MAX_ENTRIES, Math.floor(STREAM_MAX_BYTES / Math.max(1, bodyBytes))));
}
/** Entries are kept this long behind the checkpoint, for an instance that reads late. */
const KEEP_BEHIND_CHECKPOINT_MS = 60_000;
const READ_BLOCK_MS = 1_000;
/** Entries per XREAD; each is a whole batch. */
const READ_COUNT = 100;
const LOAD_PAGE = 1_000;
/** Tickets or agents per checkpoint script call: ~1 ms of Redis each, so it never stalls ingest. */
const CHECKPOINT_SLICE = 1_000;
/** Event ids remembered in memory for a re-seed (see RecentIds): ~60 bytes each. */
const RECENT_IDS_CAP = 300_000;
const PROBE_KEY_TTL_MS = 60_000;
const RESEED_RETRY_MS = 1_000;
/** How often the reader checks that it has not fallen behind what the log keeps. */
const GAP_CHECK_MS = 5_000;
const READ_RETRY_MS = 500;

export interface RedisStoreOptions {
  url: string;
  /** Key prefix: several departments (or test runs) can share one Redis. */
  prefix?: string;
  /** `error`, where given, takes the data-loss notice (else `warn`). */
  log: RedisLog & { error?(object: object, message: string): void };
  /** How long a Redis command may take (`REDIS_COMMAND_TIMEOUT_MS`). */
  commandTimeoutMs?: number;
}

/** A commit of this instance: the reader skips its entry once the batch is applied here. */
interface OwnCommit {
  state: 'pending' | 'done';
  settled: Promise<void>;
}

interface Unwritten {
  tickets: Map<string, ChangedTicket>;
  removedTickets: Set<string>;
  agents: Map<string, StoredAgent>;
}

type ScriptCall = (numberOfKeys: number, ...keysAndArgs: (string | Buffer)[]) => Promise<unknown>;

export class RedisStore implements LiveStore {
  readonly kind = 'redis' as const;
  private readonly keys: ReturnType<typeof keyNames>;
  /** Marks this process's log entries; a restarted instance replays its old ones like any. */
  private readonly instance = randomBytes(6).toString('hex');
  private commits = 0;
  private readonly own = new Map<number, OwnCommit>();
  /** Every log entry up to here is in this instance's model. */
  private appliedId = '0-0';
  private lastCheckpointed: string | null = null;
  /** Changes taken from the model whose checkpoint failed: written with the next one. */
  private unwritten: Unwritten = emptyUnwritten();
  private checkpointing: Promise<void> = Promise.resolve();
  private reading: Promise<void> | null = null;
  private readerFailing = false;
  private closed = false;
  /** What this instance knows of the marker; nothing until it could be read or created (a full Redis at start cannot create it). */
  private readonly generation = new GenerationTracker();
  private loss: Loss | null = null;
  private reseeding: Promise<void> | null = null;
  /** Set after a re-seed (here or elsewhere): the reader takes the whole state from Redis again. */
  private reloadWanted = false;
  private snapshot: (() => ModelChanges) | null = null;
  private statusListener: ((status: StoreStatus) => void) | null = null;
  private readonly recentIds = new RecentIds(DEDUP_WINDOW_MS, RECENT_IDS_CAP);

  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const timeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const command = await connectRedis(options.url, 'command', options.log, timeout);
    try {
      const reader = await connectRedis(options.url, 'reader', options.log, timeout);
      return new RedisStore(command, reader, options);
    } catch (error) {
      command.disconnect();
      throw error;
    }
  }

  /**
   * The command connection (fails fast, no offline queue), lent to the other users of the shared
   * Redis that need a command now and then (the pollers' cursors and leases); closed with the store.
   */
  get commandConnection(): Redis {
    return this.redis;
  }

  private constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly options: RedisStoreOptions,
  ) {
    this.keys = keyNames(options.prefix ?? 'wf:');
    // defineCommand sends EVALSHA and falls back to EVAL when Redis lost its script cache (a restart).
    redis.defineCommand('wfCommit', { lua: COMMIT_LUA });
    redis.defineCommand('wfPutNewest', { lua: PUT_NEWEST_LUA });
    redis.defineCommand('wfAdvanceCheckpoint', { lua: ADVANCE_CHECKPOINT_LUA });
    redis.defineCommand('wfEstablishGeneration', { lua: ESTABLISH_GENERATION_LUA });
    redis.defineCommand('wfReseeded', { lua: RESEEDED_LUA });
  }

  private script(name: 'wfCommit' | 'wfPutNewest' | 'wfAdvanceCheckpoint' | 'wfEstablishGeneration' | 'wfReseeded'): ScriptCall {
    const call = (this.redis as unknown as Record<string, ScriptCall>)[name]!;
    return call.bind(this.redis);
  }

  /** Where a re-seed takes this instance's whole model from (the app's live model). */
  reseedFrom(snapshot: () => ModelChanges): void {
    this.snapshot = snapshot;
  }

  /** A loss and its repair are told at once: a re-seed may end before the next probe. */
  watch(listener: (status: StoreStatus) => void): void {
    this.statusListener = listener;
  }

  async load(_now: number): Promise<LoadedState> {
    // Reads only: a Redis that refuses writes (out of memory) must not stop a start. The marker is
    // read first, so that a loss after this point shows as a change.
    if (this.generation.id === null) await this.establishGeneration().catch((error: unknown) => this.cannotEstablish(error));
    // The checkpoint first: whatever the hashes get meanwhile is newer, and the replay from here
    // covers the rest.
    const checkpoint = (await this.redis.get(this.keys.checkpoint)) ?? '0-0';
    // Kept as text, parsed a slice at a time as the restore takes them.
    const ticketJson = await this.hashValues(this.keys.tickets);
    const tickets = inSlices(ticketJson, RESTORE_SLICE, (json) => JSON.parse(json) as StoredTicket);
    const agents = (await this.hashValues(this.keys.agents)).map((json) => JSON.parse(json) as StoredAgent);
    const journal: JournalEntry[] = [];
    let last = checkpoint;
    for (;;) {
      const page = await this.redis.xrange(this.keys.events, `(${last}`, '+', 'COUNT', LOAD_PAGE);
      for (const [id, fields] of page) {
        journal.push(entryJournal(fields));
        last = id;
      }
      if (page.length < LOAD_PAGE) break;
    }
    this.appliedId = last;
    // Own entries up to here come back in the replay.
    for (const [n, commit] of this.own) if (commit.state === 'done') this.own.delete(n);
    return { tickets, ticketCount: ticketJson.length, agents, journal };
  }

  async commit(batch: AcceptedBatch, _now: number): Promise<boolean[]> {
    const { events } = batch;
    if (this.generation.id === null) await this.establishGeneration();
    const n = ++this.commits;
    let settle!: () => void;
    const mark: OwnCommit = { state: 'pending', settled: new Promise<void>((resolve) => (settle = resolve)) };
    this.own.set(n, mark);
    // The body goes to Redis as it arrived (see COMMIT_LUA): its events are the batch's, in order.
    const keysAndArgs: (string | Buffer)[] = new Array(events.length + 8);
    keysAndArgs[0] = this.keys.events;
    keysAndArgs[1] = this.keys.generation;
    const seen = this.keys.seen;
    for (let i = 0; i < events.length; i++) keysAndArgs[i + 2] = seen + events[i]!.id;
    const at = events.length + 2;
    keysAndArgs[at] = String(DEDUP_WINDOW_MS / 1000);
    keysAndArgs[at + 1] = String(streamCap(batch.raw.length));
    keysAndArgs[at + 2] = `${this.instance}:${n}`;
    keysAndArgs[at + 3] = this.generation.id!;
    keysAndArgs[at + 4] = batch.format;
    keysAndArgs[at + 5] = batch.raw;
    let reply: [string, number[], number];
    try {
      reply = (await this.script('wfCommit')(events.length + 2, ...keysAndArgs)) as [string, number[], number];
    } catch (error) {
      this.own.delete(n);
      setImmediate(settle);
      if (isReplyError(error) && errorMessage(error).startsWith('WFGENERATION')) {
        // Refused, nothing written: tell the probe now rather than at its next turn.
        void this.probe().catch(() => undefined);
        throw new Error('Redis lost or rolled back data; this instance is re-seeding it, and takes events again once that is done');
      }
      // Sent, but no answer: the entry may be in the log all the same (the answer was lost, or
      // Redis was paused and runs it later); then the reader applies it, and the client's retry
      // is rightly a duplicate. Redis's own refusals (out of memory, …) happen before any write.
      if (!isReplyError(error) && !notSent(error)) {
        throw new StoreOutcomeUnknownError(`Redis did not answer the commit: ${errorMessage(error)}`, { cause: error });
      }
      throw error;
    }
    const [entryId, duplicates, count] = reply;
    this.generation.sawCount(count);
    if (entryId === '') this.own.delete(n);
    else mark.state = 'done';
    // The caller applies the batch in this very turn; the reader waits for that before it moves
    // past the entry, so that a checkpoint never records a position whose events are not applied.
    setImmediate(settle);
    const fresh = new Array<boolean>(events.length).fill(true);
    for (const index of duplicates) fresh[index - 1] = false;
    // Real time, not the app's clock: the ids are put back with Redis's own (real-time) expiry.
    this.recentIds.add(duplicates.length === 0 ? events.map((event) => event.id) : events.filter((_, i) => fresh[i]).map((event) => event.id), Date.now());
    return fresh;
  }

  /** Ids in the log were marked seen together with their entry: each appears in one entry only. */
  remember(ids: readonly string[]): boolean[] {
    this.recentIds.add(ids, Date.now());
    return ids.map(() => true);
  }

  follow(follower: LogFollower): void {
    this.reading ??= this.readLoop(follower);
  }

  private async readLoop(follower: LogFollower): Promise<void> {
    let lastGapCheck = 0; // once at the start too: the log may have been trimmed since `load`
    while (!this.closed) {
      try {
        if (this.reloadWanted) {
          this.reloadWanted = false;
          const state = await this.load(0);
          if (this.closed) return;
          follower.reload(state);
        }
        if (this.readerFailing || Date.now() - lastGapCheck > GAP_CHECK_MS) {
          lastGapCheck = Date.now();
          if (await this.fellBehind()) {
            const behind = this.appliedId;
            const state = await this.load(0);
            if (this.closed) return;
            this.options.log.warn({ from: behind, to: this.appliedId }, 'this instance fell behind the shared log; reloaded the state');
            follower.reload(state);
          }
        }
        // As Buffers: an entry of this instance (most of them, with one instance) is skipped by its
        // origin, and its ~230 KB of events need not be decoded into a string at all.
        const reply = (await this.reader.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', READ_BLOCK_MS, 'STREAMS', this.keys.events, this.appliedId)) as
          | [Buffer, [Buffer, Buffer[]][]][]
          | null;
        if (this.readerFailing) this.options.log.info({ at: this.appliedId }, 'reading the shared log again');
        this.readerFailing = false;
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            await this.take(id.toString('latin1'), fields, follower);
            if (this.closed) return;
          }
        }
      } catch (error) {
        if (this.closed) return;
        if (!this.readerFailing) this.options.log.warn({ err: error, at: this.appliedId }, 'reading the shared log failed; retrying');
        this.readerFailing = true;
        await sleep(READ_RETRY_MS);
      }
    }
  }

  /** Applies one log entry, unless it is this instance's own and already applied. */
  private async take(id: string, fields: Buffer[], follower: LogFollower): Promise<void> {
    const [instance, seq] = (optionalField(fields, 'o')?.toString('utf8') ?? '').split(':');
    if (instance === this.instance) {
      const n = Number(seq);
      let mark = this.own.get(n);
      if (mark?.state === 'pending') {
        await mark.settled;
        mark = this.own.get(n);
      }
      this.own.delete(n);
      if (mark?.state === 'done') {
        this.appliedId = id;
        return;
      }
    }
    if (this.closed) return;
    try {
      const events = entryEvents(fields);
      this.recentIds.add(
        events.map((event) => event.id),
        Date.now(),
      );
      follower.events(events);
    } catch (error) {
      // One unreadable entry must not stop this instance from following the rest of the log.
      this.options.log.warn({ err: error, entry: id }, 'skipped a log entry that could not be applied');
    }
    this.appliedId = id;
  }

  /**
   * Whether entries this instance has not read were trimmed from the log (it was cut off from
   * Redis for longer than the log is kept behind the checkpoint, or read too slowly).
   */
  private async fellBehind(): Promise<boolean> {
    let flat: unknown[];
    try {
      flat = (await this.redis.call('XINFO', 'STREAM', this.keys.events)) as unknown[];
    } catch (error) {
      if (error instanceof Error && /no such key/i.test(error.message)) return false;
      throw error;
    }
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]);
    if (info.get('entries-added') === info.get('length')) return false; // nothing ever trimmed
    const lastId = String(info.get('last-generated-id'));
    if (compareIds(this.appliedId, lastId) >= 0) return false;
    const first = info.get('first-entry') as [string, string[]] | null;
    // Empty (all trimmed), or the entry after ours is gone: something may be missing.
    return first === null || compareIds(first[0], this.appliedId) > 0;
  }

  checkpoint(changes: ModelChanges, _now: number): Promise<void> {
    // Taken in the caller's turn, together with the model's changes: every entry up to here is in them.
    const position = this.appliedId;
    const run = this.checkpointing.then(() => this.writeCheckpoint(changes, position));
    this.checkpointing = run.catch(() => {});
    return run;
  }

  private async writeCheckpoint(changes: ModelChanges, position: string): Promise<void> {
    // Checkpoints run one at a time, so nothing else touches `unwritten` meanwhile.
    const pending = mergeChanges(this.unwritten, changes);
    this.unwritten = emptyUnwritten();
    const nothing = pending.tickets.size === 0 && pending.removedTickets.size === 0 && pending.agents.size === 0;
    if (nothing && position === this.lastCheckpointed) return;
    try {
      await this.putTickets([...pending.tickets.values()]);
      await this.putAgents([...pending.agents.values()]);
      const removed = [...pending.removedTickets];
      for (let start = 0; start < removed.length; start += CHECKPOINT_SLICE) {
        const slice = removed.slice(start, start + CHECKPOINT_SLICE);
        await this.redis
          .pipeline()
          .hdel(this.keys.tickets, ...slice)
          .hdel(this.keys.ticketVersions, ...slice)
          .exec();
      }
      // Only once the hashes hold every change up to `position` may the checkpoint say so.
      await this.script('wfAdvanceCheckpoint')(2, this.keys.checkpoint, this.keys.events, position, String(KEEP_BEHIND_CHECKPOINT_MS));
      this.lastCheckpointed = position;
    } catch (error) {
      this.unwritten = pending;
      throw error;
    }
  }

  /** Tickets are read a slice at a time (see ChangedTicket); one forgotten since goes with a later checkpoint's removals. */
  private putTickets(tickets: readonly ChangedTicket[]): Promise<void> {
    return this.putNewest(this.keys.tickets, this.keys.ticketVersions, tickets, (changed) => {
      const t = changed.read();
      return t === null ? null : [t.key, Date.parse(t.ticket.updatedAt), JSON.stringify(t)];
    });
  }

  private putAgents(agents: readonly StoredAgent[]): Promise<void> {
    return this.putNewest(this.keys.agents, this.keys.agentVersions, agents, (a) => [a.agent.id, Date.parse(a.lastAt), JSON.stringify(a)]);
  }

  private async putNewest<T>(hash: string, versions: string, items: readonly T[], row: (item: T) => [string, number, string] | null): Promise<void> {
    for (let start = 0; start < items.length; start += CHECKPOINT_SLICE) {
      const args: string[] = [];
      for (const item of items.slice(start, start + CHECKPOINT_SLICE)) {
        const written = row(item);
        if (written !== null) args.push(written[0], String(written[1]), written[2]);
      }
      if (args.length > 0) await this.script('wfPutNewest')(2, hash, versions, ...args);
    }
  }

  private async hashValues(key: string): Promise<string[]> {
    const values: string[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', LOAD_PAGE);
      for (let i = 1; i < flat.length; i += 2) values.push(flat[i]!);
      cursor = next;
    } while (cursor !== '0');
    return values;
  }

  async healthy(): Promise<boolean> {
    return (await this.probe()).ok;
  }

  /**
   * One round trip: reads the generation marker and writes a small key (a Redis that answers PING
   * may still refuse writes). Down only when a command fails or exceeds the command timeout.
   */
  async probe(): Promise<StoreStatus> {
    if (this.redis.status !== 'ready') return statusOf('down', null, 'no connection to Redis');
    const started = performance.now();
    let answers: [Error | null, unknown][];
    try {
      answers = (await this.redis
        .pipeline()
        .hmget(this.keys.generation, 'id', 'n', 's')
        .set(`${this.keys.probe}${this.instance}`, '1', 'PX', PROBE_KEY_TTL_MS)
        .exec())!;
    } catch (error) {
      return statusOf('down', null, `Redis did not answer: ${errorMessage(error)}`);
    }
    const latencyMs = Math.round(performance.now() - started);
    const [[readError, marker], [writeError]] = answers as [[Error | null, (string | null)[]], [Error | null, unknown]];
    if (readError !== null && !isReplyError(readError)) return statusOf('down', null, `Redis did not answer: ${readError.message}`);
    if (readError === null) {
      const lost = await this.checkGeneration(parseMarker(marker));
      if (lost !== null) return statusOf('data-lost', latencyMs, lost);
    }
    if (writeError !== null) {
      if (!isReplyError(writeError)) return statusOf('down', null, `Redis did not answer: ${writeError.message}`);
      return statusOf('read-only', latencyMs, describeRefusal(writeError));
    }
    if (this.generation.id === null) return statusOf('read-only', latencyMs, 'the generation marker could not be created yet');
    if (this.readerFailing) return statusOf('down', latencyMs, 'reading the shared log fails');
    return statusOf('ok', latencyMs);
  }

  /** Reads the marker, or creates it when there is none (a new Redis, or one never used by this version). */
  private async establishGeneration(): Promise<void> {
    const marker = parseMarker(await this.redis.hmget(this.keys.generation, 'id', 'n', 's'));
    if (marker.id !== null) {
      this.generation.adopt({ ...marker, id: marker.id });
      return;
    }
    const [id, count, seeds] = (await this.script('wfEstablishGeneration')(1, this.keys.generation, newGenerationId())) as [string, number, number];
    this.generation.adopt({ id, count, seeds });
  }

  private cannotEstablish(error: unknown): void {
    this.options.log.warn({ err: error }, 'cannot write the generation marker to Redis; ingest answers 503 until Redis takes writes again');
  }

  /** Compares the marker with what this instance knows; answers what was lost, or null. */
  private async checkGeneration(marker: Marker): Promise<string | null> {
    if (this.loss !== null) return this.loss.message;
    if (this.generation.id === null) {
      // Not known since start (Redis refused writes then): nothing was held from before to lose.
      await this.establishGeneration().catch(() => undefined);
      return null;
    }
    const verdict = this.generation.judge(marker);
    // Another instance re-seeded: take in the union of what the instances put back.
    if (verdict.kind === 'reseeded-elsewhere') this.reloadWanted = true;
    if (verdict.kind !== 'lost') return null;
    const loss = verdict.loss;
    this.loss = loss;
    const log = this.options.log;
    (log.error ?? log.warn).call(
      log,
      { store: 'redis', lost: loss.kind },
      `${loss.message}; updates are paused while this instance re-seeds Redis from its live state`,
    );
    this.statusListener?.(statusOf('data-lost', null, loss.message));
    this.reseeding ??= this.reseed().finally(() => (this.reseeding = null));
    return loss.message;
  }

  /** Puts this instance's model and remembered ids back into Redis, until it succeeds or the store closes. */
  private async reseed(): Promise<void> {
    let warned = false;
    while (!this.closed && this.loss !== null) {
      const loss: Loss = this.loss;
      try {
        const { tickets, agents } = this.snapshot?.() ?? { tickets: [], agents: [] };
        await this.putTickets(tickets);
        await this.putAgents(agents);
        const ids = this.recentIds.entries(Date.now());
        for (let start = 0; start < ids.length; start += CHECKPOINT_SLICE) {
          const pipeline = this.redis.pipeline();
          for (const [id, ttlMs] of ids.slice(start, start + CHECKPOINT_SLICE)) pipeline.set(this.keys.seen + id, '1', 'PX', ttlMs, 'NX');
          for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
        }
        const answer = (await this.script('wfReseeded')(
          1,
          this.keys.generation,
          loss.kind,
          loss.found,
          newGenerationId(),
          String(this.generation.highestCount),
        )) as [number, string, number?, number?];
        if (answer[0] === 0) {
          // The marker moved while this instance wrote: re-seed for the one now there.
          this.loss = { kind: answer[1] === '' ? 'vanished' : 'changed', found: answer[1], message: loss.message };
          continue;
        }
        this.generation.adopt({ id: answer[1], count: answer[2]!, seeds: answer[3]! });
        this.loss = null;
        this.reloadWanted = true;
        this.statusListener?.(statusOf('ok', null));
        this.options.log.info(
          { store: 'redis', tickets: tickets.length, agents: agents.length, eventIds: ids.length },
          'Redis re-seeded from this instance’s live state; updates resume',
        );
      } catch (error) {
        if (!warned) this.options.log.warn({ err: error }, 're-seeding Redis failed; retrying every second');
        warned = true;
        await sleep(RESEED_RETRY_MS);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointing;
    // Cuts the reader's XREAD; its loop sees `closed` and ends.
    this.reader.disconnect();
    await this.reading;
    this.redis.disconnect();
  }
}

function keyNames(prefix: string) {
  return {
    seen: `${prefix}seen:`,
    events: `${prefix}events`,
    tickets: `${prefix}tickets`,
    ticketVersions: `${prefix}tickets:v`,
    agents: `${prefix}agents`,
    agentVersions: `${prefix}agents:v`,
    checkpoint: `${prefix}checkpoint`,
    generation: `${prefix}generation`,
    probe: `${prefix}probe:`,
  };
}

function emptyUnwritten(): Unwritten {
  return { tickets: new Map(), removedTickets: new Set(), agents: new Map() };
}

/** Folds newer changes into older unwritten ones: the newer state of each ticket and agent wins. */
function mergeChanges(into: Unwritten, changes: ModelChanges): Unwritten {
  for (const ticket of changes.tickets) {
    into.tickets.set(ticket.key, ticket);
    into.removedTickets.delete(ticket.key);
  }
  for (const key of changes.removedTickets) {
    into.tickets.delete(key);
    into.removedTickets.add(key);
  }
  for (const agent of changes.agents) into.agents.set(agent.agent.id, agent);
  return into;
}

/** Orders stream ids (`<ms>-<seq>`). */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

const newGenerationId = (): string => randomBytes(8).toString('hex');

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Redis itself answered with an error: the command ran (and refused) or never started. */
function isReplyError(error: unknown): boolean {
  return error instanceof ReplyError;
}

/** ioredis refused to send (no connection, no offline queue): Redis never saw the command. */
function notSent(error: unknown): boolean {
  return error instanceof Error && /isn't writeable|enableOfflineQueue/i.test(error.message);
}

/** Why Redis refused a write, in the operator's words. */
function describeRefusal(error: Error): string {
  if (error.message.startsWith('OOM')) return 'Redis refuses writes: it is out of memory (maxmemory reached, eviction off)';
  if (error.message.startsWith('READONLY')) return 'Redis refuses writes: it is a read-only replica';
  if (error.message.startsWith('MISCONF')) return 'Redis refuses writes: it cannot save to disk';
  return `Redis refuses writes: ${error.message}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
