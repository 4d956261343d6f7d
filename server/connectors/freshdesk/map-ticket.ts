// A Freshdesk REST ticket (`GET /api/v2/tickets?include=stats`, research 3.4) → the canonical
// ticket. Pure. The REST shape is the authoritative one: numeric codes, the real `updated_at`
// (the version the stale rule orders by), both SLA due times and the first response.
import type { TicketPayload } from '../../../contract/domain.js';
import { isObject } from '../../domain/validation.js';
import { isoTime, mapPriority, mapQueue, mapStatus, mergeTicket, vendorId, type Ignored, type TicketFields } from '../merge.js';
import { MappingError, type MapContext } from '../types.js';

export const FRESHDESK_SOURCE = 'freshdesk';

/**
 * Our name for an agent: the e-mail (lower-cased), since the webhook body can only say
 * `{{ticket.agent.email}}`; the poller puts it on REST tickets as this field from the agent list.
 */
export const RESPONDER_EMAIL = 'watchfloor_responder_email';

/** Is this the REST ticket shape (as opposed to our automation body, or an agent)? */
export function isRestTicket(value: unknown): value is Record<string, unknown> {
  return isObject(value) && vendorId(value.id) !== null && typeof value.updated_at === 'string' && !isObject(value.contact);
}

function assigneeOf(record: Record<string, unknown>): string | null {
  const email = record[RESPONDER_EMAIL];
  if (typeof email === 'string' && email.trim() !== '') return email.trim().toLowerCase();
  // Not in the agent list (or no list): the numeric id, which still tells "assigned" from "not".
  return vendorId(record.responder_id);
}

export function mapFreshdeskTicket(record: unknown, context: MapContext, ignored: Ignored): TicketPayload {
  if (!isRestTicket(record)) throw new MappingError('not a Freshdesk ticket: id and updated_at are required');
  const id = vendorId(record.id)!;
  const updatedAt = isoTime(record.updated_at);
  if (updatedAt === null) throw new MappingError(`updated_at: not a time (${String(record.updated_at)})`);
  const known = context.knownTicket(id);
  const stats = isObject(record.stats) ? record.stats : {};
  const status = mapStatus(context.mapping, record.status, known?.status, ignored);
  const fields: TicketFields = {
    queue: mapQueue(context.mapping, record.group_id, ignored),
    priority: mapPriority(context.mapping, record.priority, known?.priority, ignored),
    status,
    assignee: assigneeOf(record),
    tags: Array.isArray(record.tags) ? record.tags.filter((t): t is string => typeof t === 'string') : undefined,
    createdAt: isoTime(record.created_at) ?? undefined,
    updatedAt,
    firstResponseAt: isoTime(stats.first_responded_at) ?? undefined,
    // A closed ticket that skipped "Resolved" has only closed_at.
    solvedAt: isoTime(stats.resolved_at) ?? (status === 'closed' ? isoTime(stats.closed_at) : null) ?? undefined,
    // Present in every REST ticket: null there means no SLA applies.
    firstResponseDueAt: 'fr_due_by' in record ? isoTime(record.fr_due_by) : undefined,
    resolutionDueAt: 'due_by' in record ? isoTime(record.due_by) : undefined,
  };
  if (typeof record.subject === 'string') fields.subject = record.subject;
  return mergeTicket(FRESHDESK_SOURCE, id, fields, known, { queue: context.mapping.defaultQueue });
}
