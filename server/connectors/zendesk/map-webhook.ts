// Zendesk webhook deliveries → canonical events (research 1.4–1.9). Pure. Three shapes arrive on
// one endpoint:
// - `zen:event-type:ticket.*`: `detail` is a snapshot of the ticket, `event` the change;
// - `zen:event-type:agent.state_changed` / `agent.unified_state_changed`: agent availability;
// - the trigger/automation body of the README, recognised by `"source": "zendesk-trigger"`.
// Payload shapes that the research marks unverified (CSAT, SLA events, comments) are read
// liberally, and whatever is not used is said in `ignored` rather than guessed at.
import type { AgentStatus, TicketPayload, WatchEvent } from '../../../contract/domain.js';
import { isObject } from '../../domain/validation.js';
import {
  agentEventOf,
  csatScore,
  isoTime,
  mapAgentStatus,
  mapPriority,
  mapQueue,
  mapStatus,
  mergeAgent,
  mergeTicket,
  recordEventId,
  preview,
  ticketEventOf,
  vendorId,
  vendorKey,
  webhookEventId,
  type Ignored,
  type TicketFields,
} from '../merge.js';
import { MappingError, type MapContext, type MapResult } from '../types.js';
import { FIRST_RESPONSE_METRICS, RESOLUTION_METRICS, zendeskTags, zendeskTicketFields, zendeskTicketId } from './map-ticket.js';

export const ZENDESK = 'zendesk' as const;
/** The marker of the README's trigger/automation body. */
export const TRIGGER_MARKER = 'zendesk-trigger';
const EVENT_PREFIX = 'zen:event-type:';
/** The channel whose per-channel state is the agent's status; other channels count through the unified state. */
const AGENT_CHANNEL = 'support';
/** Ticket events that take the ticket off the wall; their snapshot may still say OPEN. */
const REMOVAL_EVENTS = new Set(['ticket.soft_deleted', 'ticket.permanently_deleted', 'ticket.marked_as_spam']);

export function mapZendeskWebhook(payload: unknown, deliveryId: string | null, context: MapContext): MapResult {
  if (!isObject(payload)) {
    throw new MappingError('body: must be a JSON object: a Zendesk webhook event, or the trigger body of the README ("source": "zendesk-trigger")');
  }
  if (payload.source === TRIGGER_MARKER) return mapTrigger(payload, deliveryId, context);
  const type = payload.type;
  if (typeof type !== 'string' || !type.startsWith(EVENT_PREFIX)) {
    throw new MappingError(
      `type: must be a Zendesk event type such as zen:event-type:ticket.status_changed, got ${typeof type === 'string' ? JSON.stringify(type.slice(0, 60)) : 'nothing'}; a trigger/automation webhook must send the README's body with "source": "zendesk-trigger"`,
    );
  }
  const kind = type.slice(EVENT_PREFIX.length);
  if (kind.startsWith('ticket.')) return mapTicketEvent(kind, payload, deliveryId, context);
  if (kind === 'agent.state_changed' || kind === 'agent.unified_state_changed') return mapAgentEvent(kind, payload, deliveryId, context);
  return { events: [], ignored: [`event type ${type} is not used by Watchfloor`] };
}

function eventId(deliveryId: string | null, n: number, entity: string, version: string, kind: string): string {
  // No delivery id (a relay that dropped it): the entity's version, per event kind, so that a
  // status change and a CSAT of the same instant stay two events.
  return deliveryId !== null ? webhookEventId(ZENDESK, deliveryId, n) : `${recordEventId(ZENDESK, entity, version)}:${kind}`;
}

function mapTicketEvent(kind: string, payload: Record<string, unknown>, deliveryId: string | null, context: MapContext): MapResult {
  const ignored: Ignored = [];
  const detail = isObject(payload.detail) ? payload.detail : {};
  const event = isObject(payload.event) ? payload.event : {};
  const id = zendeskTicketId(detail, payload.subject);
  if (id === null) return { events: [], ignored: [`${kind}: no ticket id in detail.id or subject; nothing applied`] };
  const known = context.knownTicket(id);
  // Event snapshots carry updated_at; the event's own time is the fallback.
  const withTime = 'updated_at' in detail ? detail : { ...detail, updated_at: payload.time };
  const fields = zendeskTicketFields(withTime, context.mapping, known, ignored);
  if (fields === null) return { events: [], ignored: [`${kind}: no detail.updated_at or time; nothing applied`] };

  switch (kind) {
    case 'ticket.status_changed':
      // The snapshot's status is the current one; `event.current` says the same where the snapshot is trimmed.
      if (!('status' in detail)) fields.status = mapStatus(context.mapping, event.current, known?.status, ignored);
      break;
    case 'ticket.comment_added':
      applyComment(event, fields, known, ignored);
      break;
    case 'ticket.csat_received':
      applyCsat(event, detail, fields, ignored);
      break;
    case 'ticket.next_sla_breach_changed':
      applySlaBreach(event, fields, known, ignored);
      break;
    case 'ticket.sla_policy_changed':
    case 'ticket.ola_policy_changed':
    case 'ticket.schedule_changed':
      ignored.push(`${kind}: the new targets' due times come with ticket.next_sla_breach_changed or the poller (include=slas)`);
      break;
    default:
      if (REMOVAL_EVENTS.has(kind)) fields.status = mapStatus(context.mapping, 'deleted', 'closed', ignored);
  }
  const ticket = mergeTicket(ZENDESK, id, fields, known, { queue: context.mapping.defaultQueue });
  return { events: [ticketEventOf(eventId(deliveryId, 0, id, ticket.updatedAt, kind), ticket.updatedAt, ticket)], ignored };
}

/** A public comment by staff is a reply: the first one answers the ticket (docs/contract.md#the-numbers "waiting"). */
function applyComment(event: Record<string, unknown>, fields: TicketFields, known: TicketPayload | null, ignored: Ignored): void {
  const comment = isObject(event.comment) ? event.comment : isObject(event.current) ? event.current : null;
  if (comment === null) return void ignored.push('ticket.comment_added: no event.comment; first response not derived');
  if ((known?.firstResponseAt ?? null) !== null) return;
  const author = isObject(comment.author) ? comment.author : {};
  const isStaff = author.is_staff === true || author.is_staff === 'true';
  const isPublic = comment.is_public !== false && comment.public !== false;
  if (isStaff && isPublic) fields.firstResponseAt = isoTime(comment.created_at) ?? fields.updatedAt;
}

function applyCsat(event: Record<string, unknown>, detail: Record<string, unknown>, fields: TicketFields, ignored: Ignored): void {
  const satisfaction = isObject(detail.satisfaction_rating) ? detail.satisfaction_rating.score : undefined;
  for (const candidate of [event.current, event.score, event.rating, event.satisfaction_rating, satisfaction]) {
    const score = csatScore(candidate);
    if (score !== null) {
      fields.csat = score;
      return;
    }
  }
  ignored.push(`ticket.csat_received: no good/bad or 1-5 rating found in event ${preview(event)}`);
}

/**
 * `event.current` is the next breach: a time, or an object with a time and the metric (the shape
 * is unverified, research 1.5). Without a metric: the first response target while unanswered,
 * else resolution. null: the target was cleared; the poller brings what replaces it.
 */
function applySlaBreach(event: Record<string, unknown>, fields: TicketFields, known: TicketPayload | null, ignored: Ignored): void {
  const current = event.current;
  if (current === null || current === undefined)
    return void ignored.push('ticket.next_sla_breach_changed: cleared (current is null); due times kept until the next poll');
  const at = isObject(current) ? isoTime(current.breach_at ?? current.time ?? current.at ?? current.due_at) : isoTime(current);
  if (at === null) return void ignored.push(`ticket.next_sla_breach_changed: no time in event.current ${preview(current)}`);
  const metric = isObject(current) ? vendorKey(current.metric ?? current.policy_metric ?? current.name) : null;
  const answered = (fields.firstResponseAt ?? known?.firstResponseAt ?? null) !== null;
  if (metric !== null && FIRST_RESPONSE_METRICS.includes(metric)) fields.firstResponseDueAt = at;
  else if (metric !== null && RESOLUTION_METRICS.includes(metric)) fields.resolutionDueAt = at;
  else if (metric !== null) ignored.push(`ticket.next_sla_breach_changed: metric ${metric} is not used`);
  else if (answered) fields.resolutionDueAt = at;
  else fields.firstResponseDueAt = at;
}

function mapAgentEvent(kind: string, payload: Record<string, unknown>, deliveryId: string | null, context: MapContext): MapResult {
  const detail = isObject(payload.detail) ? payload.detail : {};
  const event = isObject(payload.event) ? payload.event : {};
  const subject = typeof payload.subject === 'string' ? /^zen:agent:(.+)$/.exec(payload.subject)?.[1] : undefined;
  const id = vendorId(detail.agent_id) ?? vendorId(subject);
  if (id === null) return { events: [], ignored: [`${kind}: no agent id in detail.agent_id or subject; nothing applied`] };
  const at = isoTime(event.updated_at) ?? isoTime(payload.time);
  if (at === null) return { events: [], ignored: [`${kind}: no event.updated_at or time; nothing applied`] };

  let raw: unknown;
  if (kind === 'agent.state_changed') {
    const channel = vendorKey(event.channel);
    if (channel !== null && channel !== AGENT_CHANNEL) {
      return {
        events: [],
        ignored: [`agent.state_changed on channel ${channel}: only the ${AGENT_CHANNEL} channel (or the unified state) sets an agent's status`],
      };
    }
    raw = event.new_state;
  } else {
    raw = isObject(event.new_unified_state) ? event.new_unified_state.name : event.new_unified_state;
  }
  const status: AgentStatus | undefined = mapAgentStatus(context.mapping, raw);
  if (status === undefined) {
    return { events: [], ignored: [`${kind}: agent state ${preview(raw ?? null, 60)} is not in connectors.json agentStatuses; agent ${id} unchanged`] };
  }
  const agent = mergeAgent(id, status, context.knownAgent(id), context.mapping);
  return { events: [agentEventOf(eventId(deliveryId, 0, `agent-${id}`, at, kind), at, agent)], ignored: [] };
}

/**
 * The README's trigger body. Placeholders render as text: empty strings for what a ticket lacks,
 * "-" for no priority, display labels ("Open") for statuses, space-separated tags.
 */
function mapTrigger(body: Record<string, unknown>, deliveryId: string | null, context: MapContext): MapResult {
  const ignored: Ignored = [];
  const id = vendorId(body.ticket_id);
  if (id === null) throw new MappingError('ticket_id: required in the trigger body ("{{ticket.id}}")');
  const updatedAt = isoTime(body.updated_at);
  if (updatedAt === null) throw new MappingError('updated_at: required in the trigger body, an ISO time ("{{ticket.updated_at_with_timestamp}}")');
  const known = context.knownTicket(id);
  const { mapping } = context;
  const fields: TicketFields = { updatedAt };
  const present = (value: unknown): boolean => vendorKey(value) !== null;
  if (present(body.status)) fields.status = mapStatus(mapping, body.status, known?.status, ignored);
  if ('priority' in body) fields.priority = mapPriority(mapping, body.priority, known?.priority, ignored);
  if ('group' in body || 'group_id' in body) fields.queue = mapQueue(mapping, present(body.group_id) ? body.group_id : body.group, ignored);
  if ('assignee_id' in body || 'assignee_email' in body) fields.assignee = vendorId(body.assignee_id) ?? vendorId(body.assignee_email);
  if (typeof body.subject === 'string') fields.subject = body.subject;
  const tags = zendeskTags(body.tags);
  if (tags !== undefined) fields.tags = tags;
  const createdAt = isoTime(body.created_at);
  if (createdAt !== null) fields.createdAt = createdAt;
  // "Offered"/"Unoffered"/"" are not ratings: the known one stays.
  const csat = csatScore(body.csat);
  if (csat !== null) fields.csat = csat;
  const ticket = mergeTicket(ZENDESK, id, fields, known, { queue: mapping.defaultQueue });
  const eventId = deliveryId !== null ? webhookEventId(ZENDESK, deliveryId, 0) : recordEventId(ZENDESK, id, updatedAt);
  const events: WatchEvent[] = [ticketEventOf(eventId, updatedAt, ticket)];
  return { events, ignored };
}
