// The storage interface under the live model. The embedded implementation keeps SQLite under
// DATA_DIR; the Redis implementation (distributed mode) fills the same contract, so the domain
// and the ingest path do not change with the mode.
import type { ModelChanges, StoredAgent, StoredTicket } from '../domain/live-model.js';
import type { WatchEvent } from '../../contract/domain.js';

/** A batch as it arrived: the raw body, so the write-ahead journal costs no re-encoding. */
export interface JournalEntry {
  /** The body's bytes as they arrived (UTF-8): written as is, never re-encoded. */
  raw: Buffer;
  format: 'json' | 'ndjson';
}

export interface AcceptedBatch extends JournalEntry {
  /** The valid events of the batch, duplicates included, in `raw`'s order: `raw` holds exactly these (a Redis store logs `raw` with the duplicates' indexes). */
  events: readonly WatchEvent[];
}

export interface LoadedState {
  /**
   * The checkpointed tickets in slices of a few thousand, read as they are taken (once): a
   * million tickets need neither sit in one array nor go back into the model in one turn of the
   * event loop (see IngestService.restoreInSlices).
   */
  tickets: Iterable<StoredTicket[]>;
  /** How many tickets `tickets` holds, for the restore's progress. */
  ticketCount: number;
  agents: StoredAgent[];
  /** Batches accepted after the last checkpoint, to be replayed in order. */
  journal: JournalEntry[];
}

/** What a store that shares its log with other instances hands to this one. */
export interface LogFollower {
  /** Events that other instances accepted, in log order: apply them. */
  events(events: readonly WatchEvent[]): void;
  /** This instance fell further behind than the log is kept: take the whole state again. */
  reload(state: LoadedState): void;
}

export interface LiveStore {
  readonly kind: 'embedded' | 'redis';
  load(now: number): Promise<LoadedState>;
  /**
   * Deduplicates and durably records a batch in one step, before it is acknowledged: marks the
   * events' ids as seen (24 h) and keeps the new events. Answers, per event, whether it was new
   * (an id repeated within the batch is new only the first time). When it throws, nothing of the
   * batch was kept and no id of it stays marked, so a retry is not a duplicate; except when it
   * throws StoreOutcomeUnknownError, when the batch may have been kept.
   *
   * One step rather than "claim, then commit, else release": with a store that can go away
   * between two calls (Redis), a claim that outlived its failed commit would turn the client's
   * retry into a "duplicate" and lose the event.
   */
  commit(batch: AcceptedBatch, now: number): Promise<boolean[]>;
  /** Marks the ids of a journal batch replayed at start as seen; answers, per id, whether it was new. */
  remember(ids: readonly string[], now: number): boolean[];
  /** Starts handing over what other instances accept (after `load`); a single instance has none. */
  follow(follower: LogFollower): void;
  /** Folds changed tickets and agents into durable state and trims the journal. */
  checkpoint(changes: ModelChanges, now: number): Promise<void>;
  /**
   * Resolves once every batch committed so far is durable (embedded: the journal's fdatasync,
   * one shared by all the requests waiting at that moment). Called after the batch was applied
   * to the model and before it is acknowledged. A store whose `commit` is durable by itself has
   * none. Rejects with StoreOutcomeUnknownError: the batch was written and applied, but whether
   * it is on disk is not known.
   */
  sync?(): Promise<void>;
  /** What the journal could not replay at start and no admin has acknowledged yet (embedded only). */
  journalDamage?(): JournalDamage;
  /** An admin has read the damage notice: clears it (the damaged files stay set aside); answers what was cleared. */
  acknowledgeJournalDamage?(): JournalDamage;
  /** Whether the store can take writes now (for /healthz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** Records and events found in the journal but not replayed, and the segment files that held them. */
export interface JournalDamage {
  records: number;
  events: number;
  files: number;
}

/**
 * A store failure after the batch may already have reached the store (a timeout after the
 * command was sent, a failed fsync after the write): the batch may be kept, so the client is
 * told to send it again (its ids make a kept batch come back as duplicates), never that nothing
 * was kept. Any other error from `commit` means nothing of the batch was kept.
 */
export class StoreOutcomeUnknownError extends Error {
  readonly outcomeUnknown = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOutcomeUnknownError';
  }
}

/** How long an event id is remembered for deduplication (docs/contract.md#configuration). */
export const DEDUP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether a store error leaves the batch's fate open (see StoreOutcomeUnknownError; a flag serves too). */
export function outcomeUnknown(error: unknown): boolean {
  return (
    error instanceof StoreOutcomeUnknownError ||
    (typeof error === 'object' && error !== null && (error as { outcomeUnknown?: unknown }).outcomeUnknown === true)
  );
}

/** Tickets per slice of a restore: ~10 ms of decoding and model work, then a turn of the event loop. */
export const RESTORE_SLICE = 2_000;

/** Hands `items` over in slices of `size`, each mapped only when its slice is taken. */
export function* inSlices<T, R>(items: readonly T[], size: number, map: (item: T) => R): Generator<R[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size).map(map);
}
