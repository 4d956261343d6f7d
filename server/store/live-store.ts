// The storage interface under the live model. The embedded implementation keeps SQLite under
// DATA_DIR; a Redis implementation (distributed mode) fills the same contract, so the domain
// and the ingest path do not change with the mode.
import type { ModelChanges, StoredAgent, StoredTicket } from '../domain/live-model.js';
import type { WatchEvent } from '../domain/types.js';

/** A batch as it arrived: the raw body, so the write-ahead journal costs no re-encoding. */
export interface JournalEntry {
  /** The body's bytes as they arrived (UTF-8): written as is, never re-encoded. */
  raw: Buffer;
  format: 'json' | 'ndjson';
}

export interface AcceptedBatch extends JournalEntry {
  /** The valid, new events of the batch (a Redis store keeps these rather than the raw body). */
  events: readonly WatchEvent[];
}

export interface LoadedState {
  tickets: StoredTicket[];
  agents: StoredAgent[];
  /** Batches accepted after the last checkpoint, to be replayed in order. */
  journal: JournalEntry[];
}

export interface LiveStore {
  readonly kind: 'embedded' | 'redis';
  load(now: number): Promise<LoadedState>;
  /**
   * Marks event ids as seen (24 h) and answers, per id, whether it was new. An id repeated
   * within `ids` is new only the first time.
   */
  claim(ids: readonly string[], now: number): Promise<boolean[]>;
  /** Gives back ids claimed for a batch that could not be committed, so a retry is not a duplicate. */
  release(ids: readonly string[]): Promise<void>;
  /** Durably records an accepted batch before it is acknowledged. */
  commit(batch: AcceptedBatch, now: number): Promise<void>;
  /** Folds changed tickets and agents into durable state and trims the journal. */
  checkpoint(changes: ModelChanges, now: number): Promise<void>;
  /** Whether the store can take writes now (for /healthz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long an event id is remembered for deduplication (SPEC 3). */
export const DEDUP_WINDOW_MS = 24 * 60 * 60 * 1000;
