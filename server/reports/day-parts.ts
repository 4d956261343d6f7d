// The daily figures kept for reports (docs/contract.md#reports-to-management) are built from each
// ticket's part of each day: the same contribution the live model counts today's numbers from
// (server/domain/daily-stats.ts), split by the local days it touches, under the ticket's line and
// priority. A ticket that changes replaces all its parts, so re-sent, late and out-of-order updates
// never count twice, however old the day. Pure.
import type { Priority } from '../../contract/domain.js';
import { PRIORITIES } from '../../contract/domain.js';
import type { Contribution } from '../domain/daily-stats.js';
import type { FlowContribution } from '../domain/flow-stats.js';

/** What one ticket adds to one local day, under its line and priority. */
export interface DayPart {
  line: string;
  priority: Priority;
  created: boolean;
  /** Solved this day: its resolution time in seconds, else null. */
  resolutionSec: number | null;
  /** First answered this day: its first-response time in seconds, else null. */
  frtSec: number | null;
  /** Rated this day: whether the rating was good (4–5), else null. */
  csatGood: boolean | null;
  /** Targets (first response, resolution) due this day whose outcome is known: met and missed. */
  met: number;
  missed: number;
  /** Reopened this day (docs/contract.md#the-flow-between-lines): how many times. */
  reopened: number;
  /** Escalated this day: the line left by each escalation (counted on that line's row). */
  escalatedFrom: string[];
}

/** A line's part of a day with nothing in it yet. */
export const emptyPart = (line: string, priority: Priority): DayPart => ({
  line,
  priority,
  created: false,
  resolutionSec: null,
  frtSec: null,
  csatGood: null,
  met: 0,
  missed: 0,
  reopened: 0,
  escalatedFrom: [],
});

/** A ticket's contribution (and its flow between lines) split into its days: day (YYYY-MM-DD) → part. */
export function dayPartsOf(c: Contribution, line: string, priority: Priority, flow?: FlowContribution): Map<string, DayPart> {
  const parts = new Map<string, DayPart>();
  const on = (day: string): DayPart => {
    let part = parts.get(day);
    if (part === undefined) {
      part = emptyPart(line, priority);
      parts.set(day, part);
    }
    return part;
  };
  if (c.createdDay !== '') on(c.createdDay).created = true;
  if (c.solvedDay !== null) on(c.solvedDay).resolutionSec = c.resolutionSec;
  if (c.firstResponseDay !== null) on(c.firstResponseDay).frtSec = c.firstResponseSec;
  if (c.csatDay !== null) on(c.csatDay).csatGood = c.csatGood;
  if (c.firstResponseTargetDay !== null) countTarget(on(c.firstResponseTargetDay), c.firstResponseTargetMet);
  if (c.resolutionTargetDay !== null) countTarget(on(c.resolutionTargetDay), c.resolutionTargetMet);
  for (const day of flow?.reopenDays ?? []) on(day).reopened += 1;
  for (const move of flow?.moves ?? []) if (move.up) on(move.day).escalatedFrom.push(move.from);
  return parts;
}

function countTarget(part: DayPart, met: boolean): void {
  if (met) part.met += 1;
  else part.missed += 1;
}

// Stored compactly, as a JSON array: a year of a busy department is a few million parts. Parts
// written before the flow was counted have 8 items: they read as never reopened nor escalated.
type Encoded = [
  line: string,
  priority: number,
  created: 0 | 1,
  resolutionSec: number | null,
  frtSec: number | null,
  csat: 0 | 1 | null,
  met: number,
  missed: number,
  reopened: number,
  escalatedFrom: string[],
];

export function encodePart(part: DayPart): string {
  const encoded: Encoded = [
    part.line,
    PRIORITIES.indexOf(part.priority),
    part.created ? 1 : 0,
    part.resolutionSec,
    part.frtSec,
    part.csatGood === null ? null : part.csatGood ? 1 : 0,
    part.met,
    part.missed,
    part.reopened,
    part.escalatedFrom,
  ];
  return JSON.stringify(encoded);
}

/** The part back from its stored text; null for text that is not one (a damaged or foreign value). */
export function decodePart(text: string): DayPart | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || (value.length !== 8 && value.length !== 10)) return null;
  const [line, priority, created, resolutionSec, frtSec, csat, met, missed, reopened = 0, escalatedFrom = []] = value as unknown[];
  const numberOrNull = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));
  if (typeof line !== 'string' || typeof priority !== 'number' || PRIORITIES[priority] === undefined) return null;
  if (!numberOrNull(resolutionSec) || !numberOrNull(frtSec) || typeof met !== 'number' || typeof missed !== 'number') return null;
  if (typeof reopened !== 'number' || !Array.isArray(escalatedFrom) || !escalatedFrom.every((from) => typeof from === 'string')) return null;
  return {
    line,
    priority: PRIORITIES[priority],
    created: created === 1,
    resolutionSec,
    frtSec,
    csatGood: csat === null ? null : csat === 1,
    met,
    missed,
    reopened,
    escalatedFrom: escalatedFrom as string[],
  };
}
