// How a checkpointed ticket is written in the embedded store's `tickets.data`: a JSON array in a
// fixed field order, tagged with its format number, rather than the StoredTicket object. A
// million tickets go through here at every restart and every changed ticket at every checkpoint:
// without the key names a row is ~45% smaller, and it encodes in about half the time and decodes
// in ~60% of it. The ticket's history (an observation per queue or status change, dozens for a
// busy ticket) is one flat array with each time as the step from the one before: a third fewer
// bytes than the nested triples, and about half the time to encode and decode. Rows written
// before (a JSON object) are still read, so existing data dirs load; the next checkpoint of a
// ticket rewrites its row in this format.
import type { StoredTicket } from '../domain/live-model.js';
import type { TicketPayload } from '../../contract/domain.js';

/** The first element of a row in this format; a later layout takes the next number. */
const FORMAT = 1;

/**
 * The row's text. The key is not in it (it is the row's own column). Every field of TicketPayload
 * is listed: a field added there must be added here and in `decodeTicketRow` (the round-trip test
 * in test/server/store/ticket-row.test.ts compares every key).
 */
export function encodeTicketRow(stored: StoredTicket): string {
  const t = stored.ticket;
  return JSON.stringify([
    FORMAT,
    t.id,
    t.source,
    t.queue,
    t.priority,
    t.status,
    t.assignee,
    t.subject,
    t.tags,
    t.createdAt,
    t.updatedAt,
    t.firstResponseAt,
    t.solvedAt,
    t.firstResponseDueAt,
    t.resolutionDueAt,
    t.csat,
    stored.csatAt,
    stored.history === undefined ? null : flatHistory(stored.history),
  ]);
}

type History = NonNullable<StoredTicket['history']>;

/** `[[ms, queue, status], …]` as `[ms, queue, status, Δms, queue, status, …]`. */
function flatHistory(history: History): (number | string)[] {
  const flat = new Array<number | string>(history.length * 3);
  let previous = 0;
  for (let i = 0; i < history.length; i++) {
    const [updatedMs, queue, status] = history[i]!;
    flat[3 * i] = updatedMs - previous;
    flat[3 * i + 1] = queue;
    flat[3 * i + 2] = status;
    previous = updatedMs;
  }
  return flat;
}

function nestedHistory(flat: readonly unknown[]): History {
  const history: History = new Array(flat.length / 3);
  let at = 0;
  for (let i = 0; i < history.length; i++) {
    at += flat[3 * i] as number;
    history[i] = [at, flat[3 * i + 1] as string, flat[3 * i + 2] as History[number][2]];
  }
  return history;
}

/** A row back into a StoredTicket: this format, or the object of checkpoints written before it. */
export function decodeTicketRow(key: string, data: string): StoredTicket {
  return fromParsed(key, JSON.parse(data));
}

/**
 * Rows read as one JSON text, `[key, row, key, row, …]` (SQLite builds it: one parse per part of
 * a slice rather than one string and one parse per row, ~20% less CPU for a restart), appended to
 * `into` when given.
 */
export function decodeTicketRows(json: string, into: StoredTicket[] = []): StoredTicket[] {
  const flat = JSON.parse(json) as unknown[];
  for (let i = 0; i < flat.length; i += 2) into.push(fromParsed(flat[i] as string, flat[i + 1]));
  return into;
}

function fromParsed(key: string, parsed: unknown): StoredTicket {
  if (!Array.isArray(parsed)) return parsed as StoredTicket;
  const row = parsed as unknown[];
  if (row[0] !== FORMAT || row.length !== 18) {
    // Our own file, but a row from a newer version (or a damaged one) must not load as garbage.
    throw new Error(`ticket ${key}: checkpoint row in an unknown format (${String(row[0])}, ${row.length} fields)`);
  }
  const ticket: TicketPayload = {
    id: row[1] as string,
    source: row[2] as string,
    queue: row[3] as string,
    priority: row[4] as TicketPayload['priority'],
    status: row[5] as TicketPayload['status'],
    assignee: row[6] as string | null,
    subject: row[7] as string,
    tags: row[8] as string[],
    createdAt: row[9] as string,
    updatedAt: row[10] as string,
    firstResponseAt: row[11] as string | null,
    solvedAt: row[12] as string | null,
    firstResponseDueAt: row[13] as string | null,
    resolutionDueAt: row[14] as string | null,
    csat: row[15] as number | null,
  };
  const history = row[17] as unknown[] | null;
  const csatAt = row[16] as string | null;
  return history === null ? { key, ticket, csatAt } : { key, ticket, csatAt, history: nestedHistory(history) };
}
