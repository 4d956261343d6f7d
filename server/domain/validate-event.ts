// Per-event validation of SPEC 5. Hand-written rather than a JSON Schema because it runs
// 100,000 times a second and its messages name the field the way a helpdesk admin reads them.
import { parseIsoTime } from './iso-time.js';
import { CONTROL, Invalid, fail, isObject } from './validation.js';
import type { TicketTimes } from './ticket-clock.js';
import {
  AGENT_STATUSES,
  EVENT_TYPES,
  PRIORITIES,
  TICKET_STATUSES,
  type AgentPayload,
  type TicketPayload,
  type WatchEvent,
} from './types.js';

/** The times of an event, parsed once here so that the model need not parse them again. */
export interface ParsedTimes {
  atMs: number;
  ticket: TicketTimes | null;
}

export type Validation = { ok: true; event: WatchEvent; times: ParsedTimes } | { ok: false; error: string };

const MAX_ID = 200;
const MAX_TEXT = 1000;
const MAX_TAGS = 100;

function id(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || value.length === 0) fail(path, 'required, a non-empty string');
  if (value.length > MAX_ID) fail(path, `at most ${MAX_ID} characters`);
  // Ids are stored newline-separated for deduplication; a control character has no place in one.
  if (CONTROL.test(value)) fail(path, 'must not contain control characters');
  return value;
}

function text(value: unknown, path: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') fail(path, 'must be a string');
  return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
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
 * instants on different servers. NaN never escapes (a date like 2026-13-45 fails here).
 */
function timeMs(value: unknown, path: string): number {
  const ms = typeof value === 'string' ? parseIsoTime(value) : NaN;
  if (Number.isNaN(ms)) fail(path, 'must be an ISO-8601 time with a zone, like 2026-11-26T10:02:00Z');
  return ms;
}

function optionalTimeMs(value: unknown, path: string): number | null {
  return value === undefined || value === null ? null : timeMs(value, path);
}

function ticket(value: unknown): { payload: TicketPayload; times: TicketTimes } {
  if (!isObject(value)) fail('ticket', 'required, an object');
  const tags = value.tags ?? [];
  if (!Array.isArray(tags) || tags.length > MAX_TAGS || !tags.every((tag) => typeof tag === 'string')) {
    fail('ticket.tags', `must be an array of at most ${MAX_TAGS} strings`);
  }
  const csat = value.csat ?? null;
  if (csat !== null && !(typeof csat === 'number' && Number.isInteger(csat) && csat >= 1 && csat <= 5)) {
    fail('ticket.csat', 'must be a whole number from 1 to 5, or null');
  }
  const assignee = value.assignee ?? null;
  const times: TicketTimes = {
    createdMs: timeMs(value.createdAt, 'ticket.createdAt'),
    updatedMs: timeMs(value.updatedAt, 'ticket.updatedAt'),
    firstResponseMs: optionalTimeMs(value.firstResponseAt, 'ticket.firstResponseAt'),
    solvedAtMs: optionalTimeMs(value.solvedAt, 'ticket.solvedAt'),
    firstResponseDueMs: optionalTimeMs(value.firstResponseDueAt, 'ticket.firstResponseDueAt'),
    resolutionDueMs: optionalTimeMs(value.resolutionDueAt, 'ticket.resolutionDueAt'),
  };
  const payload: TicketPayload = {
    id: id(value.id, 'ticket.id'),
    source: value.source === undefined ? 'api' : intern(id(value.source, 'ticket.source')),
    queue: intern(id(value.queue, 'ticket.queue')),
    priority: oneOf(value.priority, 'ticket.priority', PRIORITIES),
    status: oneOf(value.status, 'ticket.status', TICKET_STATUSES),
    assignee: assignee === null ? null : id(assignee, 'ticket.assignee'),
    subject: text(value.subject, 'ticket.subject', ''),
    tags: tags as string[],
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
  const agentId = id(value.id, 'agent.id');
  return {
    id: agentId,
    name: text(value.name, 'agent.name', agentId),
    team: value.team === undefined || value.team === null ? '' : intern(id(value.team, 'agent.team')),
    status: oneOf(value.status, 'agent.status', AGENT_STATUSES),
  };
}

/** Validates one event; on success returns a normalised copy that holds only known fields. */
export function validateEvent(value: unknown): Validation {
  try {
    if (!isObject(value)) fail('event', 'must be an object');
    const eventId = id(value.id, 'id');
    const type = oneOf(value.type, 'type', EVENT_TYPES);
    const atMs = timeMs(value.at, 'at');
    const at = value.at as string;
    if (type === 'ticket') {
      const parsed = ticket(value.ticket);
      return { ok: true, event: { id: eventId, type, at, ticket: parsed.payload }, times: { atMs, ticket: parsed.times } };
    }
    return { ok: true, event: { id: eventId, type, at, agent: agent(value.agent) }, times: { atMs, ticket: null } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}
