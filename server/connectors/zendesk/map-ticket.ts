// A Zendesk ticket in either of its two shapes → our ticket fields. Pure.
// - the `detail` snapshot of an event webhook (ids as strings, enumerations upper-case);
// - a REST ticket (incremental export: numeric ids, lower case, `satisfaction_rating`, and with
//   `include=slas` the `slas.policy_metrics[]` that carry the due times; research 1.6).
// Both use the same field names, so one function reads both; what a shape lacks stays undefined
// and mergeTicket keeps the known value.
import type { TicketPayload } from '../../../contract/domain.js';
import { isObject } from '../../domain/validation.js';
import { csatScore, isoTime, mapPriority, mapQueue, mapStatus, vendorId, type Ignored, type TicketFields } from '../merge.js';
import type { VendorMapping } from '../types.js';

/** SLA metrics that measure the first reply. */
export const FIRST_RESPONSE_METRICS = ['first_reply_time'];
/**
 * SLA metrics that measure resolution; the earliest active one is the resolution target. Zendesk's
 * names have varied (research 1.6), so all are taken.
 */
export const RESOLUTION_METRICS = ['full_resolution_time', 'total_resolution_time', 'requester_wait_time', 'agent_work_time'];
/** Metrics the wall has no number for (a reply target that restarts with every customer message). */
const UNUSED_METRICS = ['next_reply_time', 'periodic_update_time', 'pausable_update_time'];

/** The ticket id of a Zendesk ticket object, or of `subject: "zen:ticket:5158"`. */
export function zendeskTicketId(ticket: Record<string, unknown>, subject?: unknown): string | null {
  const id = vendorId(ticket.id);
  if (id !== null) return id;
  if (typeof subject === 'string') {
    const match = /^zen:ticket:(.+)$/.exec(subject);
    if (match) return vendorId(match[1]);
  }
  return null;
}

/** Tags as an array (a trigger's `{{ticket.tags}}` renders them space-separated). */
export function zendeskTags(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((tag): tag is string => typeof tag === 'string').slice(0, 100);
  if (typeof value === 'string')
    return value
      .split(/[\s,]+/)
      .filter((tag) => tag !== '')
      .slice(0, 100);
  return undefined;
}

export interface SlaTimes {
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  /** The first reply target was fulfilled, per Zendesk, by the time of this snapshot. */
  firstReplyAchieved: boolean;
  /** Its due time, when achieved (the first reply came no later than that, or Zendesk would say breached). */
  firstReplyAchievedDueAt: string | null;
}

/**
 * Due times from `slas.policy_metrics[]`: an active or achieved metric keeps its `breach_at` (an
 * achieved target is then met, not breached); a paused one has no pending due time (the clock
 * stops, e.g. requester wait while pending).
 */
export function slaTimes(slas: unknown, ignored: Ignored): SlaTimes | undefined {
  if (!isObject(slas) || !Array.isArray(slas.policy_metrics)) return undefined;
  const times: SlaTimes = { firstResponseDueAt: null, resolutionDueAt: null, firstReplyAchieved: false, firstReplyAchievedDueAt: null };
  let resolutionMs = Infinity;
  for (const entry of slas.policy_metrics) {
    if (!isObject(entry) || typeof entry.metric !== 'string') continue;
    const metric = entry.metric.toLowerCase();
    const stage = typeof entry.stage === 'string' ? entry.stage.toLowerCase() : 'active';
    const breachAt = isoTime(entry.breach_at);
    if (FIRST_RESPONSE_METRICS.includes(metric)) {
      if (stage === 'achieved') {
        times.firstReplyAchieved = true;
        times.firstReplyAchievedDueAt = breachAt;
      }
      times.firstResponseDueAt = stage === 'paused' ? null : breachAt;
    } else if (RESOLUTION_METRICS.includes(metric)) {
      if (stage === 'paused' || breachAt === null) continue;
      const ms = Date.parse(breachAt);
      if (ms < resolutionMs) {
        resolutionMs = ms;
        times.resolutionDueAt = breachAt;
      }
    } else if (!UNUSED_METRICS.includes(metric)) ignored.push(`SLA metric ${metric} is not used`);
  }
  return times;
}

/**
 * Our fields from a Zendesk ticket object (event `detail` or REST ticket). Returns null without
 * an `updated_at`: a version-less snapshot cannot be ordered against the others.
 */
export function zendeskTicketFields(
  ticket: Record<string, unknown>,
  mapping: VendorMapping,
  known: TicketPayload | null,
  ignored: Ignored,
): TicketFields | null {
  const updatedAt = isoTime(ticket.updated_at);
  if (updatedAt === null) return null;
  const fields: TicketFields = { updatedAt };
  if ('status' in ticket) fields.status = mapStatus(mapping, ticket.status, known?.status, ignored);
  if ('priority' in ticket) fields.priority = mapPriority(mapping, ticket.priority, known?.priority, ignored);
  if ('group_id' in ticket) fields.queue = mapQueue(mapping, ticket.group_id, ignored);
  if ('assignee_id' in ticket) fields.assignee = vendorId(ticket.assignee_id);
  if (typeof ticket.subject === 'string') fields.subject = ticket.subject;
  const tags = zendeskTags(ticket.tags);
  if (tags !== undefined) fields.tags = tags;
  const createdAt = isoTime(ticket.created_at);
  if (createdAt !== null) fields.createdAt = createdAt;
  if (isObject(ticket.satisfaction_rating)) {
    // REST: good/bad, or offered/unoffered (asked, no answer yet: no rating).
    fields.csat = csatScore(ticket.satisfaction_rating.score);
  }
  const sla = slaTimes(ticket.slas, ignored);
  if (sla !== undefined) {
    fields.firstResponseDueAt = sla.firstResponseDueAt;
    fields.resolutionDueAt = sla.resolutionDueAt;
    if (sla.firstReplyAchieved && (known?.firstResponseAt ?? null) === null) {
      // Zendesk says the reply came but not when: no later than this update, nor than its due time.
      const due = sla.firstReplyAchievedDueAt;
      fields.firstResponseAt = due !== null && Date.parse(due) < Date.parse(updatedAt) ? due : updatedAt;
    }
  }
  return fields;
}
