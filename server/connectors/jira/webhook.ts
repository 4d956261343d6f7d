// Jira Cloud webhook deliveries (research 2.2) → canonical ticket events. Pure.
// Ordering: a ticket's version is `issue.fields.updated`, so a delivery retried up to 30 minutes
// late (research 2.4) is stale in the core instead of undoing a newer state.
//
// Also the bodies of Jira Service Management automation's "Send web request" action (the only push
// path of its SLA-threshold rules): "Issue data (Jira format)" `{issue, timestamp}` and "Issue data
// (Automation format)", the issue itself at the top. Neither names an event; an issue whose fields
// lack `updated` is versioned by the body's `timestamp`, else by when it arrived.
import type { WatchEvent } from '../../../contract/domain.js';
import { isObject } from '../../domain/validation.js';
import { isoTime, mergeTicket, recordEventId, safeDeliveryId, ticketEventOf, webhookEventId, type Ignored } from '../merge.js';
import { MappingError, type MapContext, type MapResult } from '../types.js';
import { JIRA_SOURCE, issueKey, mapJiraIssue } from './map-issue.js';

const ISSUE_EVENTS = new Set(['jira:issue_created', 'jira:issue_updated']);
const DELETED = 'jira:issue_deleted';

/** The keys an issue was moved away from, per its changelog (a move records a "Key" item). */
function movedFrom(payload: Record<string, unknown>, currentKey: string): string[] {
  const changelog = payload.changelog;
  if (!isObject(changelog) || !Array.isArray(changelog.items)) return [];
  return changelog.items
    .filter(isObject)
    .filter((item) => typeof item.field === 'string' && item.field.toLowerCase() === 'key')
    .map((item) => item.fromString)
    .filter((old): old is string => typeof old === 'string' && old !== '' && old !== currentKey);
}

/** An automation rule's issue data: one issue, its state as the rule saw it. */
function mapAutomationBody(issue: Record<string, unknown>, timestamp: unknown, deliveryId: string | null, context: MapContext): MapResult {
  const ignored: Ignored = [];
  const sentAt = isoTime(timestamp);
  const fields = isObject(issue.fields) ? issue.fields : {};
  if (isoTime(fields.updated) === null) {
    ignored.push(`issue.fields.updated is not in the body; versioned by ${sentAt === null ? 'the time it arrived' : 'its timestamp'}`);
  }
  const ticket = mapJiraIssue(issue, context, ignored, sentAt ?? new Date(context.now).toISOString());
  const key = issueKey(issue);
  // Automation sends no delivery id: the issue's version names the event, so a rule firing twice on
  // the same state is a duplicate.
  const eventId = deliveryId !== null ? webhookEventId('jira', safeDeliveryId(deliveryId), 0) : recordEventId('jira', key, ticket.updatedAt);
  return { events: [ticketEventOf(eventId, ticket.updatedAt, ticket)], ignored };
}

const SETUP =
  'set up a Jira webhook (System → WebHooks, events "Issue created/updated/deleted") or a Jira Service Management automation rule with the "Send web request" action and Web request body "Issue data (Jira format)" or "Issue data (Automation format)" (docs/connectors.md)';

/** What a refused body looks like and what the admin should change. */
export function refusal(payload: unknown): string {
  if (!isObject(payload)) return `the body is ${Array.isArray(payload) ? 'a JSON array' : 'not a JSON object'}: ${SETUP}`;
  if (isObject(payload.freshdesk_webhook) || payload.source === 'freshdesk')
    return 'this looks like a Freshdesk delivery: point that webhook at /api/v1/connectors/freshdesk instead';
  if (isObject(payload.detail) || (typeof payload.type === 'string' && payload.type.startsWith('zen:'))) {
    return 'this looks like a Zendesk delivery: point that webhook at /api/v1/connectors/zendesk instead';
  }
  if (payload.key !== undefined || payload.issueKey !== undefined) {
    return `this looks like an automation "Custom data" body: Watchfloor needs the whole issue; in the "Send web request" action choose Web request body "Issue data (Jira format)"`;
  }
  const keys = Object.keys(payload)
    .slice(0, 8)
    .map((key) => JSON.stringify(key.slice(0, 40)));
  return `not a Jira delivery (no webhookEvent and no issue; keys: ${keys.join(', ') || 'none'}): ${SETUP}`;
}

export function mapJiraWebhook(payload: unknown, deliveryId: string | null, context: MapContext): MapResult {
  if (isObject(payload) && typeof payload.webhookEvent !== 'string') {
    if (isObject(payload.issue)) return mapAutomationBody(payload.issue, payload.timestamp, deliveryId, context);
    if (isObject(payload.fields) && payload.key !== undefined) return mapAutomationBody(payload, undefined, deliveryId, context);
  }
  if (!isObject(payload) || typeof payload.webhookEvent !== 'string') throw new MappingError(refusal(payload));
  const kind = payload.webhookEvent;
  const ignored: Ignored = [];
  if (!ISSUE_EVENTS.has(kind) && kind !== DELETED) {
    // Comments, worklogs, sprints…: an edit that matters to the wall also fires jira:issue_updated.
    return { events: [], ignored: [`webhookEvent ${kind} is not an issue change; nothing to apply`] };
  }
  const ticket = mapJiraIssue(payload.issue, context, ignored);
  const key = issueKey(payload.issue);
  // Retries keep X-Atlassian-Webhook-Identifier; without it the issue's version names the event.
  const eventId = (n: number, entity: string, version: string): string =>
    deliveryId !== null ? webhookEventId('jira', safeDeliveryId(deliveryId), n) : recordEventId('jira', entity, version);
  const events: WatchEvent[] = [];

  if (kind === DELETED) {
    // The core has no deletion: closed takes the issue off every open count (and counts it as
    // solved that day, which a deleted request rarely matters for). Deleting does not touch
    // `updated`, so the delivery's timestamp is the version when it is later.
    const sentAt = isoTime(payload.timestamp);
    const updatedAt = sentAt !== null && sentAt > ticket.updatedAt ? sentAt : ticket.updatedAt;
    const closed = { ...ticket, status: 'closed' as const, updatedAt, solvedAt: ticket.solvedAt ?? updatedAt };
    events.push(ticketEventOf(eventId(0, key, `${updatedAt}:deleted`), updatedAt, closed));
    return { events, ignored };
  }

  events.push(ticketEventOf(eventId(0, key, ticket.updatedAt), ticket.updatedAt, ticket));
  // A move to another project gives the issue a new key; the old one would stay open forever.
  for (const [i, oldKey] of movedFrom(payload, key).entries()) {
    const known = context.knownTicket(oldKey);
    if (known === null) continue;
    const closed = mergeTicket(JIRA_SOURCE, oldKey, { status: 'closed', updatedAt: ticket.updatedAt }, known, { queue: known.queue });
    events.push(ticketEventOf(eventId(i + 1, oldKey, `${ticket.updatedAt}:moved`), ticket.updatedAt, closed));
    ignored.push(`issue moved from ${oldKey} to ${key}: ${oldKey} closed`);
  }
  return { events, ignored };
}
