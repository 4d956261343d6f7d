// The daily figures of docs/contract.md#the-numbers, kept per local day. A ticket contributes to the days its
// times fall on; when the ticket changes, its old contribution is taken out and the new one
// put in, so that re-sent, late and corrected updates never count twice.

import type { DayFigures } from '../../contract/day-figures.js';

/** What one ticket adds to the daily figures. */
export interface Contribution {
  createdDay: string;
  solvedDay: string | null;
  resolutionSec: number;
  firstResponseDay: string | null;
  firstResponseSec: number;
  csatDay: string | null;
  csatGood: boolean;
  /** The local day of the first-response target's due time once its outcome is known, else null. */
  firstResponseTargetDay: string | null;
  firstResponseTargetMet: boolean;
  resolutionTargetDay: string | null;
  resolutionTargetMet: boolean;
}

export function emptyContribution(): Contribution {
  return {
    createdDay: '',
    solvedDay: null,
    resolutionSec: 0,
    firstResponseDay: null,
    firstResponseSec: 0,
    csatDay: null,
    csatGood: false,
    firstResponseTargetDay: null,
    firstResponseTargetMet: false,
    resolutionTargetDay: null,
    resolutionTargetMet: false,
  };
}

class SortedCache {
  private sorted: Float64Array | null = null;
  constructor(readonly values: Map<number, number>) {}

  invalidate(): void {
    this.sorted = null;
  }

  get(): Float64Array {
    if (this.sorted === null) {
      this.sorted = Float64Array.from(this.values.values()).sort();
    }
    return this.sorted;
  }
}

class Day {
  created = 0;
  solved = 0;
  readonly firstResponse = new SortedCache(new Map<number, number>());
  readonly resolution = new SortedCache(new Map<number, number>());
  csatGood = 0;
  csatTotal = 0;
  met = 0;
  missed = 0;
}

/** Median: the middle value, or the mean of the two middle values (docs/contract.md#the-numbers). */
export function median(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: the value at rank ⌈p·n⌉ (docs/contract.md#the-numbers). */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  return sorted[rank - 1]!;
}

export class DailyStats {
  private readonly days = new Map<string, Day>();
  /** Days before this key are forgotten; contributions to them are ignored. */
  private horizon = '';
  /** Stands in for a forgotten day, so that callers need no special case. */
  private readonly discard = new Day();

  private day(key: string): Day {
    if (key < this.horizon) return this.discard;
    let day = this.days.get(key);
    if (day === undefined) {
      day = new Day();
      this.days.set(key, day);
    }
    return day;
  }

  add(ticket: number, c: Contribution): void {
    this.apply(ticket, c, 1);
  }

  remove(ticket: number, c: Contribution): void {
    this.apply(ticket, c, -1);
  }

  /**
   * Moves a ticket from one contribution to another, touching only the parts that differ: a
   * status change moves the solved part, not the created one.
   */
  replace(ticket: number, from: Contribution, to: Contribution): void {
    if (from.createdDay !== to.createdDay) {
      this.created(from, -1);
      this.created(to, 1);
    }
    if (from.solvedDay !== to.solvedDay || from.resolutionSec !== to.resolutionSec) {
      this.solved(ticket, from, -1);
      this.solved(ticket, to, 1);
    }
    if (from.firstResponseDay !== to.firstResponseDay || from.firstResponseSec !== to.firstResponseSec) {
      this.firstResponse(ticket, from, -1);
      this.firstResponse(ticket, to, 1);
    }
    if (from.csatDay !== to.csatDay || from.csatGood !== to.csatGood) {
      this.csat(from, -1);
      this.csat(to, 1);
    }
    if (
      from.firstResponseTargetDay !== to.firstResponseTargetDay ||
      from.firstResponseTargetMet !== to.firstResponseTargetMet ||
      from.resolutionTargetDay !== to.resolutionTargetDay ||
      from.resolutionTargetMet !== to.resolutionTargetMet
    ) {
      this.targets(from, -1);
      this.targets(to, 1);
    }
  }

  private apply(ticket: number, c: Contribution, sign: 1 | -1): void {
    this.created(c, sign);
    this.solved(ticket, c, sign);
    this.firstResponse(ticket, c, sign);
    this.csat(c, sign);
    this.targets(c, sign);
  }

  private created(c: Contribution, sign: 1 | -1): void {
    this.day(c.createdDay).created += sign;
  }

  private solved(ticket: number, c: Contribution, sign: 1 | -1): void {
    if (c.solvedDay === null) return;
    const day = this.day(c.solvedDay);
    day.solved += sign;
    setOrDelete(day.resolution, ticket, c.resolutionSec, sign);
  }

  private firstResponse(ticket: number, c: Contribution, sign: 1 | -1): void {
    if (c.firstResponseDay !== null) setOrDelete(this.day(c.firstResponseDay).firstResponse, ticket, c.firstResponseSec, sign);
  }

  private csat(c: Contribution, sign: 1 | -1): void {
    if (c.csatDay === null) return;
    const day = this.day(c.csatDay);
    day.csatTotal += sign;
    if (c.csatGood) day.csatGood += sign;
  }

  private targets(c: Contribution, sign: 1 | -1): void {
    if (c.firstResponseTargetDay !== null) this.countTarget(c.firstResponseTargetDay, c.firstResponseTargetMet, sign);
    if (c.resolutionTargetDay !== null) this.countTarget(c.resolutionTargetDay, c.resolutionTargetMet, sign);
  }

  private countTarget(dayKey: string, met: boolean, sign: 1 | -1): void {
    const day = this.day(dayKey);
    if (met) day.met += sign;
    else day.missed += sign;
  }

  figures(dayKey: string): DayFigures {
    const day = this.days.get(dayKey) ?? new Day();
    const frt = day.firstResponse.get();
    const resolution = day.resolution.get();
    const targets = day.met + day.missed;
    return {
      createdToday: day.created,
      solvedToday: day.solved,
      frtMedianSec: median(frt),
      frtP90Sec: nearestRank(frt, 0.9),
      resolutionMedianSec: median(resolution),
      csatToday: day.csatTotal === 0 ? null : day.csatGood / day.csatTotal,
      breachedToday: day.missed,
      complianceToday: targets === 0 ? null : day.met / targets,
    };
  }

  /** Forgets days before `oldestKey` (keys sort as dates). */
  prune(oldestKey: string): void {
    this.horizon = oldestKey;
    for (const key of this.days.keys()) if (key < oldestKey) this.days.delete(key);
  }
}

function setOrDelete(cache: SortedCache, ticket: number, value: number, sign: 1 | -1): void {
  if (sign === 1) cache.values.set(ticket, value);
  else cache.values.delete(ticket);
  cache.invalidate();
}
