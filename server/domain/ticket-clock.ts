// What a ticket's times mean at a given instant (docs/contract.md#the-numbers): open, waiting, breached, at risk,
// its contribution to the daily figures, and the next instant at which any of that changes
// with no event (the SLA clock). Pure functions of the ticket and the time.
import type { Calendar } from './calendar.js';
import { parseIsoTime } from './iso-time.js';
import type { Contribution } from './daily-stats.js';
import type { TicketPayload } from '../../contract/domain.js';

/**
 * What the clock and the scans need of a ticket, its times as ms: built from a payload on arrival
 * (timeTicket), or read from the live model's columns (server/domain/ticket-table.ts) into a view
 * that is reused, so a reader must not keep it.
 */
export interface TimedTicket {
  key: string;
  queue: string;
  subject: string;
  tags: readonly string[];
  csat: number | null;
  /** When the current CSAT rating arrived (the `at` of its event), ms. */
  csatAtMs: number | null;
  createdMs: number;
  updatedMs: number;
  firstResponseMs: number | null;
  /** solvedAt, counted only while the status is solved or closed (a reopened ticket is unsolved). */
  solvedMs: number | null;
  firstResponseDueMs: number | null;
  resolutionDueMs: number | null;
}

export interface TicketFlags {
  queue: string;
  open: boolean;
  waiting: boolean;
  breached: boolean;
  atRisk: boolean;
  /** createdMs while waiting, for the queue's oldest wait. */
  waitingSinceMs: number;
}

/** A ticket's time fields as ms, parsed once at validation. */
export interface TicketTimes {
  createdMs: number;
  updatedMs: number;
  firstResponseMs: number | null;
  solvedAtMs: number | null;
  firstResponseDueMs: number | null;
  resolutionDueMs: number | null;
}

// The validator's own parser: the times a restored or replayed ticket gets are the ones its event
// was accepted with, and it is several times faster than Date.parse (a restart parses six per ticket).
const parse = (iso: string | null): number | null => (iso === null ? null : parseIsoTime(iso));

export function parseTicketTimes(payload: TicketPayload): TicketTimes {
  return {
    createdMs: parseIsoTime(payload.createdAt),
    updatedMs: parseIsoTime(payload.updatedAt),
    firstResponseMs: parse(payload.firstResponseAt),
    solvedAtMs: parse(payload.solvedAt),
    firstResponseDueMs: parse(payload.firstResponseDueAt),
    resolutionDueMs: parse(payload.resolutionDueAt),
  };
}

export function timeTicket(key: string, payload: TicketPayload, csatAtMs: number | null, times: TicketTimes): TimedTicket {
  const solved = payload.status === 'solved' || payload.status === 'closed';
  return {
    key,
    queue: payload.queue,
    subject: payload.subject,
    tags: payload.tags,
    csat: payload.csat,
    csatAtMs,
    createdMs: times.createdMs,
    updatedMs: times.updatedMs,
    firstResponseMs: times.firstResponseMs,
    // A solved ticket without solvedAt was solved no later than its last update.
    solvedMs: solved ? (times.solvedAtMs ?? times.updatedMs) : null,
    firstResponseDueMs: times.firstResponseDueMs,
    resolutionDueMs: times.resolutionDueMs,
  };
}

export function isOpen(t: TimedTicket): boolean {
  return t.solvedMs === null;
}

/**
 * When the first-response target was fulfilled: the first response, or solving the ticket
 * without one (a ticket solved with no reply owes no reply).
 */
function firstResponseFulfilledMs(t: TimedTicket): number | null {
  return t.firstResponseMs ?? t.solvedMs;
}

/** met / missed / pending (null) for one target at `now`. */
function outcome(dueMs: number | null, fulfilledMs: number | null, now: number): boolean | null {
  if (dueMs === null) return null;
  if (fulfilledMs !== null) return fulfilledMs <= dueMs;
  return now > dueMs ? false : null;
}

/**
 * The one due time every screen counts to or from, sent as a listed ticket's `dueAt` so that no
 * screen chooses between targets itself. A breached ticket counts up from the earliest target it
 * missed, even when another target is still ahead (a late first answer with the resolution still
 * pending has breached, and reads as late, not as time left). Any other ticket counts down to its
 * earliest target still pending. Null when no target applies.
 */
export function dueAtMs(t: TimedTicket, now: number): number | null {
  const fr = outcome(t.firstResponseDueMs, firstResponseFulfilledMs(t), now);
  const res = outcome(t.resolutionDueMs, t.solvedMs, now);
  const missed = earliest(fr === false ? t.firstResponseDueMs : null, res === false ? t.resolutionDueMs : null);
  if (missed !== null) return missed;
  return earliest(fr === null ? t.firstResponseDueMs : null, res === null ? t.resolutionDueMs : null);
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

export function emptyFlags(): TicketFlags {
  return { queue: '', open: false, waiting: false, breached: false, atRisk: false, waitingSinceMs: 0 };
}

/** The next instant after `now` at which `clockBitsAt` (the flags) or `contributionAt` would answer differently. */
export function nextChangeMs(t: TimedTicket, now: number, atRiskMs: number): number | null {
  if (!isOpen(t)) return null;
  const next = Math.min(
    targetChangeMs(t.firstResponseDueMs, firstResponseFulfilledMs(t), now, atRiskMs),
    targetChangeMs(t.resolutionDueMs, t.solvedMs, now, atRiskMs),
  );
  return next === Infinity ? null : next;
}

/** A pending target turns at risk when its risk window opens, and breached 1 ms after it is due. */
function targetChangeMs(dueMs: number | null, fulfilledMs: number | null, now: number, atRiskMs: number): number {
  if (dueMs === null || fulfilledMs !== null || now > dueMs) return Infinity;
  const riskStarts = dueMs - atRiskMs;
  return riskStarts > now ? riskStarts : dueMs + 1;
}

/**
 * The part of a ticket's clock state that is not a function of its fields: each target's outcome
 * (pending 0, met 1, missed 2) and whether it is at risk, as of the instant it was last looked at.
 * The live model keeps these six bits per ticket instead of its flags and contribution, and
 * rebuilds those from them (flagsOf, contributionOf) when the ticket changes.
 */
export function clockBitsAt(t: TimedTicket, now: number, atRiskMs: number): number {
  const fr = outcome(t.firstResponseDueMs, firstResponseFulfilledMs(t), now);
  const res = outcome(t.resolutionDueMs, t.solvedMs, now);
  const open = isOpen(t);
  const soon = now + atRiskMs;
  const atRisk =
    open &&
    fr !== false &&
    res !== false &&
    ((fr === null && t.firstResponseDueMs !== null && t.firstResponseDueMs <= soon) ||
      (res === null && t.resolutionDueMs !== null && t.resolutionDueMs <= soon));
  return outcomeBits(fr) | (outcomeBits(res) << 2) | (atRisk ? AT_RISK : 0);
}

const AT_RISK = 16;
const outcomeBits = (o: boolean | null): number => (o === null ? 0 : o ? 1 : 2);
/** Bits 0–1 (first response) or 2–3 (resolution) back to met / missed / pending. */
const outcomeOf = (bits: number): boolean | null => (bits === 0 ? null : bits === 1);

/** The flags that clock bits stand for (see clockBitsAt); fills `out` (reused by the caller: it allocates nothing). */
export function flagsOf(t: TimedTicket, bits: number, out: TicketFlags): TicketFlags {
  const open = isOpen(t);
  out.queue = t.queue;
  out.open = open;
  out.waiting = open && t.firstResponseMs === null;
  out.breached = open && ((bits & 3) === 2 || ((bits >> 2) & 3) === 2);
  out.atRisk = (bits & AT_RISK) !== 0;
  out.waitingSinceMs = t.createdMs;
  return out;
}

/** Fills `out` (reused by the caller, as for `flagsOf`). */
export function contributionAt(t: TimedTicket, now: number, calendar: Calendar, out: Contribution): Contribution {
  return contributionOf(t, clockBitsAt(t, now, 0), calendar, out);
}

/** The daily contribution with the targets' outcomes that clock bits hold; fills `out`. */
export function contributionOf(t: TimedTicket, bits: number, calendar: Calendar, out: Contribution): Contribution {
  const csat = t.csat;
  out.createdDay = calendar.dayKey(t.createdMs);
  out.solvedDay = t.solvedMs === null ? null : calendar.dayKey(t.solvedMs);
  out.resolutionSec = t.solvedMs === null ? 0 : Math.max(0, (t.solvedMs - t.createdMs) / 1000);
  out.firstResponseDay = t.firstResponseMs === null ? null : calendar.dayKey(t.firstResponseMs);
  out.firstResponseSec = t.firstResponseMs === null ? 0 : Math.max(0, (t.firstResponseMs - t.createdMs) / 1000);
  out.csatDay = csat === null || t.csatAtMs === null ? null : calendar.dayKey(t.csatAtMs);
  out.csatGood = csat !== null && csat >= 4;
  const fr = outcomeOf(bits & 3);
  out.firstResponseTargetDay = fr === null ? null : calendar.dayKey(t.firstResponseDueMs!);
  out.firstResponseTargetMet = fr === true;
  const res = outcomeOf((bits >> 2) & 3);
  out.resolutionTargetDay = res === null ? null : calendar.dayKey(t.resolutionDueMs!);
  out.resolutionTargetMet = res === true;
  return out;
}

export function sameFlags(a: TicketFlags, b: TicketFlags): boolean {
  return (
    a.queue === b.queue &&
    a.open === b.open &&
    a.waiting === b.waiting &&
    a.breached === b.breached &&
    a.atRisk === b.atRisk &&
    a.waitingSinceMs === b.waitingSinceMs
  );
}

export function sameContribution(a: Contribution, b: Contribution): boolean {
  return (
    a.createdDay === b.createdDay &&
    a.solvedDay === b.solvedDay &&
    a.resolutionSec === b.resolutionSec &&
    a.firstResponseDay === b.firstResponseDay &&
    a.firstResponseSec === b.firstResponseSec &&
    a.csatDay === b.csatDay &&
    a.csatGood === b.csatGood &&
    a.firstResponseTargetDay === b.firstResponseTargetDay &&
    a.firstResponseTargetMet === b.firstResponseTargetMet &&
    a.resolutionTargetDay === b.resolutionTargetDay &&
    a.resolutionTargetMet === b.resolutionTargetMet
  );
}
