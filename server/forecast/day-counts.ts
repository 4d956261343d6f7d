// Arrivals read once from the source and regrouped: per forecast interval (for actuals) and per
// complete local day as counts by wall-clock slot (for profiles), so days of 23, 24 and 25 hours
// line up by time of day.
import type { ArrivalsSource } from './arrivals.js';
import type { LocalDay, LocalIntervals } from './intervals.js';

export interface DayCounts {
  day: LocalDay;
  /**
   * Arrivals per slot; NaN for the slot the spring change skips; the slot the autumn change
   * repeats holds the mean of its two intervals, so it compares with an ordinary day's.
   */
  bySlot: Float64Array;
  /** All arrivals of the day. */
  total: number;
}

export class CountsByDay {
  /** Arrivals per interval start, for intervals that ended by `knownUntil`. */
  readonly byInterval = new Map<number, number>();
  private readonly complete = new Map<number, DayCounts>();

  /**
   * Reads [fromMs, knownUntil) of `line`. A day counts as complete when it lies after the
   * history's start and ended by `knownUntil`.
   */
  constructor(
    private readonly intervals: LocalIntervals,
    source: ArrivalsSource,
    line: string,
    fromMs: number,
    readonly knownUntil: number,
    readonly historyStart: number,
  ) {
    const days: LocalDay[] = [];
    for (let at = intervals.dayStart(fromMs); at < knownUntil; ) {
      const day = intervals.day(at);
      days.push(day);
      at = day.end;
    }
    const starts = days.map((day) => day.start);
    for (const [key, count] of source.counts(line, fromMs, knownUntil)) {
      const day = days[upperBound(starts, key) - 1];
      if (day === undefined) continue;
      const start = day.start + Math.floor((key - day.start) / intervals.stepMs) * intervals.stepMs;
      this.byInterval.set(start, (this.byInterval.get(start) ?? 0) + count);
    }
    for (const day of days) {
      if (day.start < historyStart || day.end > knownUntil) continue;
      this.complete.set(day.start, this.slotCounts(day));
    }
  }

  /** The complete day starting at `dayStart`, or undefined (before the history, or not over yet). */
  get(dayStart: number): DayCounts | undefined {
    return this.complete.get(dayStart);
  }

  /** Arrivals in the interval starting at `start`: null when unknown (before the history or not ended). */
  actual(start: number): number | null {
    if (start < this.historyStart || start + this.intervals.stepMs > this.knownUntil) return null;
    return this.byInterval.get(start) ?? 0;
  }

  private slotCounts(day: LocalDay): DayCounts {
    const bySlot = new Float64Array(this.intervals.slotsPerDay).fill(Number.NaN);
    const seen = new Uint8Array(this.intervals.slotsPerDay);
    let total = 0;
    day.slots.forEach((slot, i) => {
      const count = this.byInterval.get(day.start + i * this.intervals.stepMs) ?? 0;
      total += count;
      bySlot[slot] = seen[slot] === 0 ? count : ((bySlot[slot] as number) * (seen[slot] as number) + count) / ((seen[slot] as number) + 1);
      seen[slot] = (seen[slot] as number) + 1;
    });
    return { day, bySlot, total };
  }
}

/** The first index whose value is > `value`. */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
