// The flow between lines counted per local day (docs/contract.md#the-flow-between-lines): each
// ticket adds its flow contribution (its moves, reopens and first-contact solve, by day); when its
// history changes, the old contribution is taken out and the new one put in, as the daily figures
// do (daily-stats.ts), so that late, out-of-order and repeated deliveries never count twice. Pure.
import type { FlowMove, FlowState } from '../../contract/flow.js';
import { median } from './daily-stats.js';

/** What one ticket adds to the flow figures. */
export interface FlowContribution {
  /** Its moves between lines, each on the local day it happened. */
  moves: { day: string; from: string; to: string; up: boolean; atMs: number; onLineSec: number }[];
  reopenDays: string[];
  /** The day it was solved (the daily figures' solvedDay), or null. */
  solvedDay: string | null;
  /** Solved on its first line, never escalated or reopened. */
  firstContact: boolean;
}

export const NO_FLOW: FlowContribution = Object.freeze({ moves: [], reopenDays: [], solvedDay: null, firstContact: false }) as FlowContribution;

export function sameFlow(a: FlowContribution, b: FlowContribution): boolean {
  if (a.solvedDay !== b.solvedDay || a.firstContact !== b.firstContact) return false;
  if (a.moves.length !== b.moves.length || a.reopenDays.length !== b.reopenDays.length) return false;
  for (let i = 0; i < a.moves.length; i++) {
    const x = a.moves[i]!;
    const y = b.moves[i]!;
    if (x.atMs !== y.atMs || x.from !== y.from || x.to !== y.to || x.onLineSec !== y.onLineSec || x.day !== y.day) return false;
  }
  return a.reopenDays.every((day, i) => day === b.reopenDays[i]);
}

/** Whether the contribution counts anything on `day`. */
export function touchesDay(c: FlowContribution, day: string): boolean {
  return c.solvedDay === day || c.reopenDays.includes(day) || c.moves.some((m) => m.day === day);
}

class FlowDay {
  /** By "from\0to": names from input stay data, never object keys. */
  readonly escalated = new Map<string, number>();
  readonly deescalated = new Map<string, number>();
  /** Per line escalated from, the seconds each escalation's ticket spent on it. */
  readonly toEscalate = new Map<string, number[]>();
  reopened = 0;
  solved = 0;
  firstContact = 0;
}

const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

export class FlowStats {
  private readonly days = new Map<string, FlowDay>();
  /** Days before this key are forgotten; contributions to them go to `discard`. */
  private horizon = '';
  private discard = new FlowDay();

  add(c: FlowContribution): void {
    this.apply(c, 1);
  }

  remove(c: FlowContribution): void {
    this.apply(c, -1);
  }

  replace(from: FlowContribution, to: FlowContribution): void {
    this.apply(from, -1);
    this.apply(to, 1);
  }

  private day(key: string): FlowDay {
    if (key < this.horizon) return this.discard;
    let day = this.days.get(key);
    if (day === undefined) {
      day = new FlowDay();
      this.days.set(key, day);
    }
    return day;
  }

  private apply(c: FlowContribution, sign: 1 | -1): void {
    for (const move of c.moves) {
      const day = this.day(move.day);
      const pairs = move.up ? day.escalated : day.deescalated;
      bump(pairs, pairKey(move.from, move.to), sign);
      if (!move.up) continue;
      let seconds = day.toEscalate.get(move.from);
      if (seconds === undefined) {
        seconds = [];
        day.toEscalate.set(move.from, seconds);
      }
      if (sign === 1) seconds.push(move.onLineSec);
      else {
        const at = seconds.indexOf(move.onLineSec);
        if (at >= 0) seconds.splice(at, 1);
        if (seconds.length === 0) day.toEscalate.delete(move.from);
      }
    }
    for (const key of c.reopenDays) this.day(key).reopened += sign;
    if (c.solvedDay !== null) {
      const day = this.day(c.solvedDay);
      day.solved += sign;
      if (c.firstContact) day.firstContact += sign;
    }
  }

  /** The state's `flow` section for the local day `dayKey`, with the lines in order. */
  state(dayKey: string, lines: readonly string[]): FlowState {
    const day = this.days.get(dayKey) ?? new FlowDay();
    return {
      escalatedToday: movesOf(day.escalated, lines),
      deescalatedToday: movesOf(day.deescalated, lines),
      reopenedToday: day.reopened,
      fcrToday: day.solved === 0 ? null : day.firstContact / day.solved,
      timeToEscalateMedianSec: lines.map((line) => {
        const seconds = Float64Array.from(day.toEscalate.get(line) ?? []).sort();
        return { line, seconds: median(seconds) };
      }),
      lines: [...lines],
    };
  }

  /** Forgets days before `oldestKey` (keys sort as dates). */
  prune(oldestKey: string): void {
    this.horizon = oldestKey;
    this.discard = new FlowDay();
    for (const key of this.days.keys()) if (key < oldestKey) this.days.delete(key);
  }

  /** Forgets everything (the lines changed: every ticket is counted again). */
  clear(): void {
    this.days.clear();
  }
}

function bump(counts: Map<string, number>, key: string, sign: 1 | -1): void {
  const count = (counts.get(key) ?? 0) + sign;
  if (count === 0) counts.delete(key);
  else counts.set(key, count);
}

/** The pairs in the lines' order (by `from`, then `to`). */
function movesOf(counts: Map<string, number>, lines: readonly string[]): FlowMove[] {
  const moves: FlowMove[] = [];
  for (const [key, count] of counts) {
    const cut = key.indexOf('\u0000');
    moves.push({ from: key.slice(0, cut), to: key.slice(cut + 1), count });
  }
  const rank = (line: string): number => lines.indexOf(line);
  return moves.sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));
}
