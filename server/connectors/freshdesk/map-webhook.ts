// The body our README tells Freshdesk admins to paste into an automation rule's "Trigger Webhook"
// action (Advanced, JSON) → the canonical ticket. Pure.
//
//   {"source":"freshdesk","event":"{{triggered_event}}","ticket_id":"{{ticket.id}}",
//    "subject":"{{ticket.subject}}","status":"{{ticket.status}}","priority":"{{ticket.priority}}",
//    "group":"{{ticket.group.name}}","agent_email":"{{ticket.agent.email}}",
//    "due_by":"{{ticket.due_by_time}}","tags":"{{ticket.tags}}"}
//
// Placeholders render display labels ("Open", "Urgent"), looked up case-insensitively.
//
// Ordering: the body carries no `updated_at` and no delivery id (research 3.3, 3.5). A webhook
// therefore never claims a newer version than the ticket already has: it keeps the known
// `updatedAt`, so the next REST snapshot (real `updated_at`, never older than what we know) always
// lands. A ticket first heard of through a webhook gets a version below any REST snapshot of the
// same change: the receive time minus Freshdesk's retry horizon. The limit: between two
// webhooks of one ticket the later *arrival* wins, so a retry that arrives after a newer change
// shows the older state until the ticket changes again or the poller reads it.
import { createHash } from 'node:crypto';
import type { TicketPayload } from '../../../contract/domain.js';
import { isObject } from '../../domain/validation.js';
import { isoTime, mapPriority, mapQueue, mapStatus, mergeTicket, recordEventId, vendorId, type Ignored, type TicketFields } from '../merge.js';
import { MappingError, type MapContext } from '../types.js';
import { FRESHDESK_SOURCE } from './map-ticket.js';

/** The marker that tells our body from anything else posted here. */
export const BODY_MARKER = 'freshdesk';
/** Freshdesk retries a failed webhook at +5, +30 and +60 minutes (research 3.5): 95 min, rounded up. */
export const RETRY_HORIZON_MS = 2 * 60 * 60_000;

export function isAutomationBody(value: unknown): value is Record<string, unknown> {
  return isObject(value) && typeof value.source === 'string' && value.source.trim().toLowerCase() === BODY_MARKER;
}

/** A placeholder Freshdesk left as it was (`{{ticket.foo}}`: unknown to it), or an empty one. */
function rendered(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' || /^\{\{.*\}\}$/.test(text) ? undefined : text;
}

/** `{{ticket.tags}}` renders as "a, b" (or arrives as an array when a body is hand-written). */
export function parseTags(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
  if (typeof value !== 'string') return undefined;
  if (/^\{\{.*\}\}$/.test(value.trim())) return undefined;
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/**
 * `{{ticket.due_by_time}}`: its rendered format is not documented (research 8.5). Taken only
 * when it names its zone (ISO-8601, `Z`, `+05:30`, `GMT`/`UTC`): a zone-less time would mean a
 * different instant on every server. Otherwise the REST poll supplies `due_by`.
 */
export function dueTime(value: unknown): string | null | undefined {
  const text = rendered(value);
  if (text === undefined) return undefined;
  if (!/(z|[+-]\d{2}:?\d{2}|\bgmt|\butc)$/i.test(text)) return null;
  return isoTime(text);
}

function bodyHash(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 16);
}

export interface WebhookTicket {
  ticket: TicketPayload;
  eventId: string;
}

export function mapFreshdeskBody(body: Record<string, unknown>, context: MapContext, ignored: Ignored): WebhookTicket {
  const id = vendorId(rendered(body.ticket_id) ?? null);
  if (id === null) throw new MappingError('ticket_id: required, "{{ticket.id}}"');
  const known = context.knownTicket(id);
  const receivedAt = new Date(context.now).toISOString();
  const updatedAt = known?.updatedAt ?? new Date(context.now - RETRY_HORIZON_MS).toISOString();
  const status = rendered(body.status) === undefined ? undefined : mapStatus(context.mapping, rendered(body.status), known?.status, ignored);
  const wasSolved = known !== null && (known.status === 'solved' || known.status === 'closed');
  const fields: TicketFields = {
    updatedAt,
    status,
    priority: rendered(body.priority) === undefined ? undefined : mapPriority(context.mapping, rendered(body.priority), known?.priority, ignored),
    // "group" present but empty: the ticket has no group (the default queue).
    queue: 'group' in body ? mapQueue(context.mapping, rendered(body.group) ?? null, ignored) : undefined,
    assignee: 'agent_email' in body ? (rendered(body.agent_email)?.toLowerCase() ?? null) : undefined,
    tags: parseTags(body.tags),
    // Unknown ticket: created no later than now; the REST snapshot corrects it.
    createdAt: known === null ? receivedAt : undefined,
    // Solved now, by this change (mergeTicket would take the kept version's time otherwise).
    solvedAt: (status === 'solved' || status === 'closed') && !wasSolved ? receivedAt : undefined,
  };
  const subject = rendered(body.subject);
  if (subject !== undefined) fields.subject = subject;
  const due = dueTime(body.due_by);
  if (due !== undefined && due !== null) fields.resolutionDueAt = due;
  else if (due === null) ignored.push(`due_by "${String(body.due_by)}" names no time zone; the REST poll supplies due_by`);
  for (const key of Object.keys(body)) {
    if (!KNOWN_KEYS.has(key)) ignored.push(`field ${JSON.stringify(key)} is not used`);
  }
  const ticket = mergeTicket(FRESHDESK_SOURCE, id, fields, known, { queue: context.mapping.defaultQueue });
  // No delivery id: the ticket's version and the body itself name the event, so a retry of the
  // same body is a duplicate while nothing newer was applied in between.
  return { ticket, eventId: recordEventId('freshdesk', id, `${updatedAt}:${bodyHash(body)}`) };
}

const KNOWN_KEYS = new Set(['source', 'event', 'ticket_id', 'subject', 'status', 'priority', 'group', 'agent_email', 'due_by', 'tags']);
