// A line's rate surge (docs/contract.md#surge-detection): two consecutive intervals whose arrivals
// `rateSurge` finds above the band and unlikely. One interval is not enough: a forecast interval is
// 15–60 minutes and a single bad one is often a batch import or a reopened backlog. Pure: the
// caller reports each closed interval with its start and end.
import { rateSurge } from './poisson.js';

/** A closed interval of one line, with what the forecast expected of it. */
export interface IntervalCount {
  line: string;
  start: number;
  end: number;
  observed: number;
  /** The forecast's mean (or the recent rate when history is short). */
  expected: number;
  p90: number;
}

/** An ongoing surge: the run of consecutive surging intervals, from its first. */
export interface LineSurge {
  line: string;
  /** The start of the run's first interval: with the line, what identifies the surge. */
  startedAt: number;
  /** The end of its latest interval. */
  lastAt: number;
  intervals: number;
  observed: number;
  expected: number;
  /** The latest interval's arrivals and expectation, per hour. */
  ratePerHour: number;
  expectedPerHour: number;
  /** The latest interval's P(X ≥ observed | expected). */
  p: number;
}

/** Intervals in a row that raise a surge. */
export const SURGING_INTERVALS = 2;
const HOUR_MS = 3_600_000;

interface Run {
  startedAt: number;
  /** The end of the latest surging interval: the next one must start there to continue the run. */
  lastEnd: number;
  intervals: number;
  observed: number;
  expected: number;
}

export class LineSurges {
  // Lines are names from input: a Map, never an object's keys.
  private readonly runs = new Map<string, Run>();

  /**
   * Records a closed interval; returns the line's surge when this interval makes or extends one,
   * null otherwise (and the run ends when an interval is not surging or one was skipped).
   */
  interval(count: IntervalCount): LineSurge | null {
    const hours = (count.end - count.start) / HOUR_MS;
    if (!(hours > 0)) return null;
    const test = rateSurge(count.observed, count.expected, count.p90);
    if (!test.surging) {
      this.runs.delete(count.line);
      return null;
    }
    let run = this.runs.get(count.line);
    if (run === undefined || run.lastEnd !== count.start) {
      run = { startedAt: count.start, lastEnd: count.end, intervals: 0, observed: 0, expected: 0 };
      this.runs.set(count.line, run);
    }
    run.lastEnd = count.end;
    run.intervals += 1;
    run.observed += count.observed;
    run.expected += count.expected;
    if (run.intervals < SURGING_INTERVALS) return null;
    return {
      line: count.line,
      startedAt: run.startedAt,
      lastAt: run.lastEnd,
      intervals: run.intervals,
      observed: run.observed,
      expected: run.expected,
      ratePerHour: count.observed / hours,
      expectedPerHour: count.expected / hours,
      p: test.p,
    };
  }
}
