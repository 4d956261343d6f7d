// The storage the alerts need (declared here, by its consumer; server/store/ implements it): the
// engine's latest state and its history, and who evaluates. Embedded: SQLite under DATA_DIR, one process, always the one evaluating. Redis
// (distributed mode): a lease makes one instance the evaluator; it saves after every change and
// every instance hears of it; an acknowledgement taken elsewhere is sent to it.
import type { AlertHistoryEntry } from '../../contract/alerts.js';
import type { AlertEngineSnapshot, AlertEngineState } from './engine.js';

export interface AlertStoreLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** How many history entries a store keeps (the newest); the API shows the engine's last 1,000. */
export const STORED_HISTORY_LIMIT = 10_000;

/** What the evaluating instance saves: the state, and the history entries recorded since its last save. */
export interface AlertChange {
  state: AlertEngineState;
  /** Oldest first; the last one is entry number `state.recorded`. A store skips those it holds already. */
  appended: AlertHistoryEntry[];
}

/** An acknowledgement taken by an instance that does not evaluate, for the one that does. */
export interface AckRequest {
  alertId: string;
  by: string;
  /** When it was taken (ms): the history says so, not when the evaluator got it. */
  at: number;
}

export interface AlertStoreEvents {
  /** The evaluating instance (another one) saved this change. */
  saved(change: AlertChange): void;
  /** Another instance took an acknowledgement; the evaluating one applies it. */
  ackRequested(request: AckRequest): void;
  /** Messages may have been lost (the subscription was cut): read the state again. */
  missed(): void;
}

export interface AlertStore {
  readonly kind: 'embedded' | 'redis';
  /** The saved state with the newest `historyLimit` entries, oldest first; null when nothing was saved yet. */
  load(historyLimit: number): Promise<AlertEngineSnapshot | null>;
  /**
   * Takes or keeps the right to evaluate (and to save) until about the next call; answers whether
   * this instance has it. Called before every evaluation.
   */
  lead(): Promise<boolean>;
  /** Saves a change; false, with nothing saved, when this instance no longer has the right to. */
  save(change: AlertChange): Promise<boolean>;
  /** Hands an acknowledgement to the evaluating instance (fire and forget: see the Redis store). */
  requestAck(request: AckRequest): Promise<void>;
  /** Starts telling of other instances' saves and acknowledgements; a single process has none. */
  follow(events: AlertStoreEvents): void;
  /** Gives up the right to evaluate (another instance takes over at once) and closes. */
  close(): Promise<void>;
}

/** The stored state, checked enough that a damaged one is refused rather than half restored. */
export function parseAlertState(json: string): AlertEngineState | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const state = value as Partial<AlertEngineState>;
  const ok =
    typeof state.recorded === 'number' &&
    typeof state.slots === 'object' &&
    state.slots !== null &&
    typeof state.lastEvents === 'object' &&
    state.lastEvents !== null &&
    typeof state.lastEvents.bySource === 'object';
  return ok ? (state as AlertEngineState) : null;
}
