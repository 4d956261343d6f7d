// Jira Cloud webhook deliveries (research 2.2) → canonical ticket events. Pure.
// Ordering: a ticket's version is `issue.fields.updated`, so a delivery retried up to 30 minutes
// late (research 2.4) is stale in the core instead of undoing a newer state.
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

export function mapJiraWebhook(payload: unknown, deliveryId: string | null, context: MapContext): MapResult {
  if (!isObject(payload) || typeof payload.webhookEvent !== 'string') {
    throw new MappingError('not a Jira webhook delivery: webhookEvent is missing');
  }
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
