// What the forecast reads: arrivals (tickets by `createdAt`) per line per bucket. The store that
// keeps them (docs/contract.md#forecast-shifts-and-staffing: at least 400 days) satisfies this
// interface; `MemoryArrivals` is the in-process one (the bench, the simulator's history, tests).

export interface ArrivalsSource {
  /**
   * Arrivals of `line` per bucket whose start is in [fromMs, toMs), keyed by the bucket's start.
   * A bucket that is absent had no arrivals. Buckets must nest inside the forecast's intervals
   * (15-minute buckets aligned to local midnight serve 15, 30 and 60-minute forecasts; so do
   * one-minute buckets).
   */
  counts(line: string, fromMs: number, toMs: number): ReadonlyMap<number, number>;
  /** The instant from which the line's arrivals are complete, or null when there are none yet. */
  historyStart(line: string): number | null;
}

interface SortedSeries {
  keys: Float64Array;
  counts: Float64Array;
  start: number;
}

export class MemoryArrivals implements ArrivalsSource {
  private readonly series = new Map<string, SortedSeries>();

  /**
   * `lines`: per line, arrivals per bucket start; `start`: when the history begins (the first
   * bucket when not given).
   */
  constructor(lines: ReadonlyMap<string, ReadonlyMap<number, number>>, start?: number) {
    for (const [line, buckets] of lines) {
      const keys = Float64Array.from(buckets.keys()).sort();
      const counts = new Float64Array(keys.length);
      keys.forEach((key, i) => {
        counts[i] = buckets.get(key) ?? 0;
      });
      const first = keys[0];
      this.series.set(line, { keys, counts, start: start ?? first ?? Number.NaN });
    }
  }

  counts(line: string, fromMs: number, toMs: number): ReadonlyMap<number, number> {
    const result = new Map<number, number>();
    const series = this.series.get(line);
    if (series === undefined) return result;
    for (let i = lowerBound(series.keys, fromMs); i < series.keys.length; i += 1) {
      const key = series.keys[i] as number;
      if (key >= toMs) break;
      const count = series.counts[i] as number;
      if (count > 0) result.set(key, count);
    }
    return result;
  }

  historyStart(line: string): number | null {
    const start = this.series.get(line)?.start;
    return start === undefined || Number.isNaN(start) ? null : start;
  }
}

/** The first index whose key is ≥ `value`. */
function lowerBound(keys: Float64Array, value: number): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((keys[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
