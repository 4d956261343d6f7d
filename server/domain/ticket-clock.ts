// What a ticket's times mean at a given instant (SPEC 6): open, waiting, breached, at risk,
// its contribution to the daily figures, and the next instant at which any of that changes
// with no event (the SLA clock). Pure functions of the ticket and the time.
import type { Calendar } from './calendar.js';
import type { Contribution, TargetOutcome } from './daily-stats.js';
import type { TicketPayload } from './types.js';

/** A ticket with its times parsed once, on arrival. */
export interface TimedTicket {
  key: string;
  payload: TicketPayload;
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

const parse = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

export function timeTicket(key: string, payload: TicketPayload, csatAtMs: number | null): TimedTicket {
  const solved = payload.status === 'solved' || payload.status === 'closed';
  return {
    key,
    payload,
    csatAtMs,
    createdMs: Date.parse(payload.createdAt),
    updatedMs: Date.parse(payload.updatedAt),
    firstResponseMs: parse(payload.firstResponseAt),
    // A solved ticket without solvedAt was solved no later than its last update.
    solvedMs: solved ? (parse(payload.solvedAt) ?? Date.parse(payload.updatedAt)) : null,
    firstResponseDueMs: parse(payload.firstResponseDueAt),
    resolutionDueMs: parse(payload.resolutionDueAt),
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

export function flagsAt(t: TimedTicket, now: number, atRiskMs: number): TicketFlags {
  const open = isOpen(t);
  const waiting = open && t.firstResponseMs === null;
  const fr = outcome(t.firstResponseDueMs, firstResponseFulfilledMs(t), now);
  const res = outcome(t.resolutionDueMs, t.solvedMs, now);
  const breached = open && (fr === false || res === false);
  const soon = now + atRiskMs;
  const atRisk =
    open &&
    !breached &&
    ((fr === null && t.firstResponseDueMs !== null && t.firstResponseDueMs <= soon) ||
      (res === null && t.resolutionDueMs !== null && t.resolutionDueMs <= soon));
  return { queue: t.payload.queue, open, waiting, breached, atRisk, waitingSinceMs: t.createdMs };
}

/** The next instant after `now` at which `flagsAt` or `contributionAt` would answer differently. */
export function nextChangeMs(t: TimedTicket, now: number, atRiskMs: number): number | null {
  if (!isOpen(t)) return null;
  let next = Infinity;
  const consider = (dueMs: number | null, fulfilledMs: number | null): void => {
    if (dueMs === null || fulfilledMs !== null || now > dueMs) return;
    const riskStarts = dueMs - atRiskMs;
    // The target turns at risk when riskStarts is reached, and breached 1 ms after its due time.
    next = Math.min(next, riskStarts > now ? riskStarts : dueMs + 1);
  };
  consider(t.firstResponseDueMs, firstResponseFulfilledMs(t));
  consider(t.resolutionDueMs, t.solvedMs);
  return next === Infinity ? null : next;
}

export function contributionAt(t: TimedTicket, now: number, calendar: Calendar): Contribution {
  const target = (dueMs: number | null, fulfilledMs: number | null): TargetOutcome | null => {
    const met = outcome(dueMs, fulfilledMs, now);
    return met === null ? null : { day: calendar.dayKey(dueMs!), met };
  };
  const csat = t.payload.csat;
  return {
    createdDay: calendar.dayKey(t.createdMs),
    solvedDay: t.solvedMs === null ? null : calendar.dayKey(t.solvedMs),
    resolutionSec: t.solvedMs === null ? 0 : Math.max(0, (t.solvedMs - t.createdMs) / 1000),
    firstResponseDay: t.firstResponseMs === null ? null : calendar.dayKey(t.firstResponseMs),
    firstResponseSec: t.firstResponseMs === null ? 0 : Math.max(0, (t.firstResponseMs - t.createdMs) / 1000),
    csatDay: csat === null || t.csatAtMs === null ? null : calendar.dayKey(t.csatAtMs),
    csatGood: csat !== null && csat >= 4,
    firstResponseTarget: target(t.firstResponseDueMs, firstResponseFulfilledMs(t)),
    resolutionTarget: target(t.resolutionDueMs, t.solvedMs),
  };
}
