// A ticket's way between lines (docs/contract.md#the-flow-between-lines): a short history of what it
// was seen as (queue and status, by updatedAt) and what follows from it: its moves between lines,
// its reopens, its first line. Derived from the whole history every time, so that a late or
// out-of-order delivery lands where it belongs and a duplicate changes nothing. Pure.
import { TICKET_STATUSES, type TicketStatus } from '../../contract/domain.js';

/** What one event said of the ticket, at its updatedAt. */
export interface Observation {
  updatedMs: number;
  queue: string;
  status: TicketStatus;
}

/**
 * A ticket's observations, packed as [updatedMs, code, updatedMs, code, …] sorted by updatedMs:
 * numbers only, so that V8 keeps them unboxed (16 bytes an observation, not ~80 as objects; a
 * million tickets hold up to 32 each). The code is the queue's number (QueueCodes) × 8 + the
 * status's index.
 */
export type History = number[];

/** A ticket keeps this many observations; beyond, the oldest are merged away (see `observe`). */
export const MAX_OBSERVATIONS = 32;

/** Numbers the queues seen, for packed histories: a department has a handful, never forgotten. */
export class QueueCodes {
  private readonly numbers = new Map<string, number>();
  private readonly names: string[] = [];

  code(queue: string, status: TicketStatus): number {
    let n = this.numbers.get(queue);
    if (n === undefined) {
      n = this.names.length;
      this.names.push(queue);
      this.numbers.set(queue, n);
    }
    return n * 8 + TICKET_STATUSES.indexOf(status);
  }

  queue(code: number): string {
    return this.names[code >> 3]!;
  }

  status(code: number): TicketStatus {
    return TICKET_STATUSES[code & 7]!;
  }

  /** A history as [updatedMs, queue, status] entries, oldest first (the checkpoint's form). */
  entries(history: History): [updatedMs: number, queue: string, status: TicketStatus][] {
    const out: [number, string, TicketStatus][] = [];
    for (let i = 0; i < history.length; i += 2) out.push([history[i]!, this.queue(history[i + 1]!), this.status(history[i + 1]!)]);
    return out;
  }

  /** A checkpoint's [updatedMs, queue, status] entries as a history. */
  packEntries(entries: readonly (readonly [number, string, TicketStatus])[]): History {
    const history: History = [];
    for (const [updatedMs, queue, status] of entries) observe(history, updatedMs, this.code(queue, status));
    return history;
  }
}

/** A move between two lines of the list. */
export interface LineMove {
  from: string;
  to: string;
  atMs: number;
  /** When the ticket came to `from`: its previous move to it, or its creation. */
  arrivedMs: number;
  /** To a higher line (an escalation), else a de-escalation. */
  up: boolean;
}

export interface TicketFlow {
  /** The queue it was first seen in. */
  firstLine: string;
  /** Moves between lines of the list, oldest first; moves involving another queue are not here. */
  moves: LineMove[];
  /** When it opened again after being solved or closed, oldest first. */
  reopenedMs: number[];
  escalated: boolean;
  reopened: boolean;
}

const isDone = (status: TicketStatus): boolean => status === 'solved' || status === 'closed';

/**
 * Puts an observation into the history (sorted by updatedMs), in place. Answers false when it
 * changes nothing: the same updatedAt with the same queue and status (a duplicate). The same
 * updatedAt with other values replaces the one held (the latest delivered wins, as in the model).
 */
export function observe(history: History, updatedMs: number, code: number): boolean {
  let i = history.length;
  // Mostly appended: walk back from the end.
  while (i > 0 && history[i - 2]! > updatedMs) i -= 2;
  if (i > 0 && history[i - 2] === updatedMs) {
    if (history[i - 1] === code) return false;
    history[i - 1] = code;
    return true;
  }
  if (i === history.length) history.push(updatedMs, code);
  else history.splice(i, 0, updatedMs, code);
  if (history.length > 2 * MAX_OBSERVATIONS) mergeOldest(history);
  return true;
}

/**
 * Shortens the history by one: the oldest observation that repeats the one before it (it moves
 * nothing), else the second oldest; the first stays, so the first line is never lost.
 */
function mergeOldest(history: History): void {
  for (let i = 2; i < history.length; i += 2) {
    if (history[i + 1] === history[i - 1]) {
      history.splice(i, 2);
      return;
    }
  }
  history.splice(2, 2);
}

/** The flow that a history shows, with the lines in order (lowest first). */
export function deriveFlow(history: History, createdMs: number, lines: readonly string[], codes: QueueCodes): TicketFlow {
  const flow: TicketFlow = { firstLine: history.length === 0 ? '' : codes.queue(history[1]!), moves: [], reopenedMs: [], escalated: false, reopened: false };
  let arrivedMs = createdMs;
  for (let i = 2; i < history.length; i += 2) {
    const atMs = history[i]!;
    const before = history[i - 1]!;
    const now = history[i + 1]!;
    if (now >> 3 !== before >> 3) {
      const fromQueue = codes.queue(before);
      const toQueue = codes.queue(now);
      const from = lines.indexOf(fromQueue);
      const to = lines.indexOf(toQueue);
      if (from >= 0 && to >= 0) {
        const up = to > from;
        flow.moves.push({ from: fromQueue, to: toQueue, atMs, arrivedMs: Math.min(arrivedMs, atMs), up });
        if (up) flow.escalated = true;
      }
      arrivedMs = atMs;
    }
    if (isDone(codes.status(before)) && !isDone(codes.status(now))) {
      flow.reopenedMs.push(atMs);
      flow.reopened = true;
    }
  }
  return flow;
}

/** Solved on the line that first took it, never escalated, never reopened (first-contact resolution). */
export function firstContact(flow: TicketFlow, currentQueue: string): boolean {
  return currentQueue === flow.firstLine && !flow.escalated && !flow.reopened;
}
