// What the store probe found, for /healthz and the walls: slow is not down. A store is "down"
// only when a command failed or took longer than the command timeout; a store that answers, only
// slowly, still takes events, so a load balancer must keep the instance.
//
// States, from good to bad:
//   ok         answers within STORE_SLOW_MS, takes writes
//   slow       answers and takes writes, but slower than STORE_SLOW_MS
//   read-only  answers but refuses writes (out of memory, a read-only replica): no ingest
//   data-lost  lost or rolled back data since this instance last looked: paused until re-seeded
//   down       a command failed or exceeded the command timeout

export type StoreState = 'ok' | 'slow' | 'read-only' | 'data-lost' | 'down';

export interface StoreStatus {
  /** Whether this instance can take events now: `ok` or `slow`. */
  ok: boolean;
  state: StoreState;
  /** The probe's round trip; null when it got no answer. */
  latencyMs: number | null;
  slow: boolean;
  /** What is wrong, in words, or null when nothing is. */
  message: string | null;
}

/** A round trip above this is "slow" (still healthy). */
export const STORE_SLOW_MS = 200;

/** The store side of the probe: a store may report its state in detail, or only yes or no. */
export interface ProbedStore {
  healthy(): Promise<boolean>;
  probe?(): Promise<StoreStatus>;
  /** Hands over what the store learns between probes (a loss found by a commit, a re-seed done). */
  watch?(listener: (status: StoreStatus) => void): void;
}

export function statusOf(state: StoreState, latencyMs: number | null, message: string | null = null): StoreStatus {
  const slow = latencyMs !== null && latencyMs > STORE_SLOW_MS;
  const effective: StoreState = state === 'ok' && slow ? 'slow' : state;
  return { ok: effective === 'ok' || effective === 'slow', state: effective, latencyMs, slow, message };
}

/** Probes a store once, with its latency; a store without a detailed probe answers yes or no. */
export async function probeStore(store: ProbedStore): Promise<StoreStatus> {
  if (store.probe !== undefined) return store.probe();
  const started = performance.now();
  const ok = await store.healthy().catch(() => false);
  const latencyMs = Math.round(performance.now() - started);
  return ok ? statusOf('ok', latencyMs) : statusOf('down', null, 'the store does not take writes');
}

export interface HealthLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * Probes on demand (/healthz) and on a timer (the walls), one probe at a time: callers arriving
 * while one runs share its answer. Every change of `ok` goes to `onChange` (the live hub) and to
 * the log, with the reason: an instance that starts against a full Redis says why it refuses.
 */
export class StoreHealthMonitor {
  private running: Promise<StoreStatus> | null = null;
  private current: StoreStatus = statusOf('ok', null);

  constructor(
    private readonly store: ProbedStore,
    private readonly onChange: (status: StoreStatus) => void,
    private readonly log?: HealthLog,
  ) {
    store.watch?.((status) => this.accept(status));
  }

  get last(): StoreStatus {
    return this.current;
  }

  check(): Promise<StoreStatus> {
    this.running ??= probeStore(this.store)
      .catch((error: unknown) => statusOf('down', null, error instanceof Error ? error.message : String(error)))
      .then((status) => this.accept(status))
      .finally(() => (this.running = null));
    return this.running;
  }

  private accept(status: StoreStatus): StoreStatus {
    const changed = status.ok !== this.current.ok;
    this.current = status;
    if (changed) {
      if (status.ok) this.log?.info({ store: status.state }, 'the store takes events again');
      else
        this.log?.warn(
          { store: status.state },
          `the store does not take events: ${status.message ?? status.state}; ingest answers 503 and the walls show updates paused`,
        );
      this.onChange(status);
    }
    return status;
  }
}
