// The storage interface of major incidents (docs/contract.md#major-incidents): per incident, its number and its append-only
// timeline. The embedded implementation keeps them in SQLite under DATA_DIR, the Redis one in
// Redis (distributed mode); both check the version a write was based on in the same atomic step
// as the append, so two writers never both land on one version.
import type { StoredIncident } from '../incidents/incident.js';
import type { TimelineEntry } from '../../contract/incidents.js';

/** How long an `Idempotency-Key` of a declaration is remembered. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CreateRequest {
  /** The declaration's entries (seq 1, 2…). */
  entries: TimelineEntry[];
  /** The client's key and a digest of what it declared; null without an `Idempotency-Key`. */
  idempotency: { key: string; fingerprint: string } | null;
  now: number;
}

export type CreateResult =
  /** A new incident with the next number. */
  | { kind: 'created'; stored: StoredIncident }
  /** The key declared this very incident within 24 h: nothing new was written. */
  | { kind: 'existing'; id: string }
  /** The key declared something else within 24 h: nothing was written. */
  | { kind: 'key-reused'; id: string };

export type AppendResult =
  | { kind: 'appended'; version: number }
  /** The incident moved past `expectedVersion` meanwhile: nothing was written; here it is now. */
  | { kind: 'stale'; stored: StoredIncident }
  | { kind: 'missing' };

export interface IncidentStore {
  readonly kind: 'embedded' | 'redis';
  loadAll(): Promise<StoredIncident[]>;
  load(id: string): Promise<StoredIncident | null>;
  create(request: CreateRequest): Promise<CreateResult>;
  /** Appends `entries` (their seqs following `expectedVersion`) only if the incident is still at `expectedVersion`. */
  append(id: string, expectedVersion: number, entries: readonly TimelineEntry[]): Promise<AppendResult>;
  /**
   * Starts telling of changes (by any instance, this one included): the id of an incident that
   * changed and its version now, or null ids when this instance may have missed some (it
   * reconnected) and should reload them all.
   */
  follow(onChange: (id: string | null, version: number | null) => void): void;
  close(): Promise<void>;
}
