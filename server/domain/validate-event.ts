// Per-event validation of docs/contract.md#events-in. Hand-written rather than a JSON Schema because it runs
// 100,000 times a second and its messages name the field the way a helpdesk admin reads them.
import { parseIsoTime } from './iso-time.js';
import { timeProblem, type TimeKind } from './plausible-times.js';
import { BIDI_CONTROLS, TEXT_LIMITS, checkNameCharacters, withoutBidi } from './text-rules.js';
import { Invalid, fail, isObject } from './validation.js';
import type { TicketTimes } from './ticket-clock.js';
import { AGENT_STATUSES, EVENT_TYPES, PRIORITIES, TICKET_STATUSES, type AgentPayload, type TicketPayload, type WatchEvent } from '../../contract/domain.js';

/** The times of an event, parsed once here so that the model need not parse them again. */
export interface ParsedTimes {
  atMs: number;
  ticket: TicketTimes | null;
}

export type Validation = { ok: true; event: WatchEvent; times: ParsedTimes } | { ok: false; error: string };

/**
 * An id or a name: at most 200 characters, no control characters (ids are stored newline-separated
 * for deduplication, and a name is one line on a screen). Bidi controls are removed, since ids and
 * names are shown too; `shown` false keeps them (an event id is never shown, and stays as sent).
 */
function name(value: unknown, path: string, shown = true): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || value.length === 0) fail(path, 'required, a non-empty string');
  if (value.length > TEXT_LIMITS.name) fail(path, `at most ${TEXT_LIMITS.name} characters, got ${value.length}`);
  const check = checkNameCharacters(value);
  if (check === 'control') fail(path, 'must not contain control characters');
  if (check === null || !shown) return value;
  const stripped = value.replace(BIDI_CONTROLS, '');
  if (stripped.length === 0) fail(path, 'required, a non-empty string');
  return stripped;
}

/** A subject: longer ones are cut rather than refused, since helpdesks do not cap them. */
function subject(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(path, 'must be a string');
  const text = withoutBidi(value);
  return text.length > TEXT_LIMITS.subject ? text.slice(0, TEXT_LIMITS.subject) : text;
}

/** At most 50 tags of at most 100 characters, names like any other: returns the input array when nothing was removed. */
function tagList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail('ticket.tags', `must be an array of at most ${TEXT_LIMITS.tags} strings`);
  if (value.length > TEXT_LIMITS.tags) fail('ticket.tags', `at most ${TEXT_LIMITS.tags} tags, got ${value.length}`);
  let tags = value as string[];
  for (let i = 0; i < value.length; i++) {
    const tag: unknown = value[i];
    if (typeof tag !== 'string') fail(`ticket.tags[${i}]`, 'must be a string');
    if (tag.length > TEXT_LIMITS.tag) fail(`ticket.tags[${i}]`, `at most ${TEXT_LIMITS.tag} characters, got ${tag.length}`);
    const check = checkNameCharacters(tag);
    if (check === 'control') fail(`ticket.tags[${i}]`, 'must not contain control characters');
    if (check === 'bidi') {
      // Copied before the first change: the caller's array stays as it was sent.
      if (tags === value) tags = value.slice() as string[];
      tags[i] = tag.replace(BIDI_CONTROLS, '');
    }
  }
  return tags;
}

/**
 * Matches an enumeration case-insensitively and returns the allowed constant itself, so that
 * 100,000 tickets share one "open" string instead of holding 100,000 copies.
 */
function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value === 'string') {
    for (const candidate of allowed) if (candidate === value) return candidate;
    const lower = value.toLowerCase();
    for (const candidate of allowed) if (candidate === lower) return candidate;
  }
  return fail(path, `must be one of ${allowed.join(', ')}`);
}

/** Queue and source names repeat on every event: keep one copy of each (bounded, they are few). */
const interned = new Map<string, string>();
const MAX_INTERNED = 10_000;

function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < MAX_INTERNED) interned.set(value, value);
  return value;
}

/**
 * Parses a time field: strict ISO-8601 with a zone, since a zone-less time would mean different
 * instants on different servers. NaN never escapes (a date like 2026-13-45 fails here), nor does a
 * time no helpdesk can mean (plausible-times.ts).
 */
function timeMs(value: unknown, path: string, now: number | null, kind: TimeKind = 'event'): number {
  const ms = typeof value === 'string' ? parseIsoTime(value) : NaN;
  if (Number.isNaN(ms)) fail(path, 'must be an ISO-8601 time with a zone, like 2026-11-26T10:02:00Z');
  if (now !== null) {
    const problem = timeProblem(ms, now, kind);
    if (problem !== null) fail(path, problem);
  }
  return ms;
}

function optionalTimeMs(value: unknown, path: string, now: number | null, kind: TimeKind = 'event'): number | null {
  return value === undefined || value === null ? null : timeMs(value, path, now, kind);
}

/** A reply or a solution cannot come before the ticket existed. */
function notBeforeCreation(ms: number | null, createdMs: number, path: string): void {
  if (ms !== null && ms < createdMs) fail(path, 'earlier than ticket.createdAt');
}

function ticket(value: unknown, now: number | null): { payload: TicketPayload; times: TicketTimes } {
  if (!isObject(value)) fail('ticket', 'required, an object');
  const tags = tagList(value.tags);
  const csat = value.csat ?? null;
  if (csat !== null && !(typeof csat === 'number' && Number.isInteger(csat) && csat >= 1 && csat <= 5)) {
    fail('ticket.csat', 'must be a whole number from 1 to 5, or null');
  }
  const assignee = value.assignee ?? null;
  const times: TicketTimes = {
    createdMs: timeMs(value.createdAt, 'ticket.createdAt', now),
    updatedMs: timeMs(value.updatedAt, 'ticket.updatedAt', now),
    firstResponseMs: optionalTimeMs(value.firstResponseAt, 'ticket.firstResponseAt', now),
    solvedAtMs: optionalTimeMs(value.solvedAt, 'ticket.solvedAt', now),
    firstResponseDueMs: optionalTimeMs(value.firstResponseDueAt, 'ticket.firstResponseDueAt', now, 'due'),
    resolutionDueMs: optionalTimeMs(value.resolutionDueAt, 'ticket.resolutionDueAt', now, 'due'),
  };
  if (now !== null) {
    notBeforeCreation(times.firstResponseMs, times.createdMs, 'ticket.firstResponseAt');
    notBeforeCreation(times.solvedAtMs, times.createdMs, 'ticket.solvedAt');
  }
  const payload: TicketPayload = {
    id: name(value.id, 'ticket.id'),
    source: value.source === undefined ? 'api' : intern(name(value.source, 'ticket.source')),
    queue: intern(name(value.queue, 'ticket.queue')),
    priority: oneOf(value.priority, 'ticket.priority', PRIORITIES),
    status: oneOf(value.status, 'ticket.status', TICKET_STATUSES),
    assignee: assignee === null ? null : name(assignee, 'ticket.assignee'),
    subject: subject(value.subject, 'ticket.subject'),
    tags,
    createdAt: value.createdAt as string,
    updatedAt: value.updatedAt as string,
    firstResponseAt: times.firstResponseMs === null ? null : (value.firstResponseAt as string),
    solvedAt: times.solvedAtMs === null ? null : (value.solvedAt as string),
    firstResponseDueAt: times.firstResponseDueMs === null ? null : (value.firstResponseDueAt as string),
    resolutionDueAt: times.resolutionDueMs === null ? null : (value.resolutionDueAt as string),
    csat: csat as number | null,
  };
  return { payload, times };
}

function agent(value: unknown): AgentPayload {
  if (!isObject(value)) fail('agent', 'required, an object');
  const agentId = name(value.id, 'agent.id');
  return {
    id: agentId,
    // No name (or an empty one): the id stands in, as the screens would show nothing otherwise.
    name: value.name === undefined || value.name === null || value.name === '' ? agentId : name(value.name, 'agent.name'),
    team: value.team === undefined || value.team === null ? '' : intern(name(value.team, 'agent.team')),
    status: oneOf(value.status, 'agent.status', AGENT_STATUSES),
  };
}

/**
 * Validates one event; on success returns a normalised copy that holds only known fields.
 *
 * `now` is the server's clock (ms) for the plausibility of times (plausible-times.ts). `null` skips
 * those rules: for the journal replayed at start, which holds only events accepted before. They
 * passed the rules on the clock of their arrival; re-judged on today's clock (or one set back by
 * a time sync) an acknowledged event could be lost, and nothing would be gained.
 */
export function validateEvent(value: unknown, now: number | null): Validation {
  try {
    if (!isObject(value)) fail('event', 'must be an object');
    const eventId = name(value.id, 'id', false);
    const type = oneOf(value.type, 'type', EVENT_TYPES);
    const atMs = timeMs(value.at, 'at', now);
    const at = value.at as string;
    if (type === 'ticket') {
      const parsed = ticket(value.ticket, now);
      return { ok: true, event: { id: eventId, type, at, ticket: parsed.payload }, times: { atMs, ticket: parsed.times } };
    }
    return { ok: true, event: { id: eventId, type, at, agent: agent(value.agent) }, times: { atMs, ticket: null } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}
