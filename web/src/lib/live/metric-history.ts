// What the sparklines draw: the values this client has seen over the last hours, per metric path,
// each series a fixed-size ring buffer. A wall runs for weeks, so nothing here grows: at most
// MAX_SERIES series of CAPACITY samples, one sample per BUCKET_MS (the last value in a bucket
// wins). This history starts when the page loads; a sparkline draws it after the server's history
// of its metric (widgets/sparkline-history.svelte.ts), which covers the time before.
import type { LiveState } from '../../../../contract/domain.js';
import { forEachNumericLeaf } from '../../../../contract/numeric-leaves.js';

export const HISTORY_WINDOW_MS = 4 * 60 * 60 * 1000;
export const BUCKET_MS = 15_000;
export const CAPACITY = HISTORY_WINDOW_MS / BUCKET_MS; // 960 samples, ~15 KB per series
// Three lines × five fields plus the other sections is ~30 series; new queue ids beyond this
// (a helpdesk inventing queues) get no history rather than unbounded memory.
export const MAX_SERIES = 256;

export interface Sample {
  t: number;
  /** NaN where the server said null (a gap in the line). */
  v: number;
}

class Ring {
  readonly #t = new Float64Array(CAPACITY);
  readonly #v = new Float64Array(CAPACITY);
  #start = 0;
  #size = 0;

  record(t: number, v: number): void {
    if (this.#size > 0) {
      const last = (this.#start + this.#size - 1) % CAPACITY;
      if (Math.floor(this.#t[last]! / BUCKET_MS) === Math.floor(t / BUCKET_MS)) {
        this.#t[last] = t;
        this.#v[last] = v;
        return;
      }
    }
    if (this.#size < CAPACITY) {
      const at = (this.#start + this.#size) % CAPACITY;
      this.#t[at] = t;
      this.#v[at] = v;
      this.#size++;
    } else {
      this.#t[this.#start] = t;
      this.#v[this.#start] = v;
      this.#start = (this.#start + 1) % CAPACITY;
    }
  }

  get size(): number {
    return this.#size;
  }

  samples(since: number): Sample[] {
    const out: Sample[] = [];
    for (let i = 0; i < this.#size; i++) {
      const at = (this.#start + i) % CAPACITY;
      if (this.#t[at]! >= since) out.push({ t: this.#t[at]!, v: this.#v[at]! });
    }
    return out;
  }
}

/** Plain (not reactive): the live client tells readers when it recorded (see `series` there). */
export class MetricHistory {
  readonly #series = new Map<string, Ring>();
  /** Queues seen so far: one that goes quiet (leaves the state) records 0, as the server's history does. */
  readonly #queues = new Set<string>();

  /** Records every numeric value of a state at client time `t`. */
  record(state: LiveState, t: number): void {
    for (const queue of state.queues) if (this.#queues.size < MAX_SERIES) this.#queues.add(queue.id);
    forEachNumericLeaf(
      state,
      (path, value) => {
        let ring = this.#series.get(path);
        if (!ring) {
          if (this.#series.size >= MAX_SERIES) return;
          ring = new Ring();
          this.#series.set(path, ring);
        }
        ring.record(t, value === null ? Number.NaN : value);
      },
      this.#queues,
    );
  }

  /** The samples of a metric path within the last `windowMs`, oldest first. */
  series(path: string, now: number, windowMs = HISTORY_WINDOW_MS): Sample[] {
    return this.#series.get(path)?.samples(now - windowMs) ?? [];
  }

  get seriesCount(): number {
    return this.#series.size;
  }

  /** Samples held over all series: bounded by MAX_SERIES × CAPACITY whatever runs for weeks. */
  get sampleCount(): number {
    let n = 0;
    for (const ring of this.#series.values()) n += ring.size;
    return n;
  }
}
