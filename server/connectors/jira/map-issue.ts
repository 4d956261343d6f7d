// A Jira issue (webhook `issue` or search result) → the canonical ticket (docs/contract.md#events-in). Pure.
// Webhook and search both carry the issue's `fields`, so the ticket is rebuilt from them; only
// what `fields` may lack (SLA fields a site does not expose, CSAT) is kept from the known ticket.
//
// The ticket id is the issue key (ITS-42): it is what people on the floor say and what a ticket
// link needs. A key changes when an issue moves to another project; `connector.ts` closes the old
// key when the webhook's changelog says so.
import type { Priority, TicketPayload, TicketStatus } from '../../../contract/domain.js';
import { isObject } from '../../domain/validation.js';
import { isoTime, lookup, mapPriority, mergeTicket, vendorId, type Ignored, type TicketFields } from '../merge.js';
import { MappingError, type MapContext } from '../types.js';
import { findSlas } from './sla.js';

export const JIRA_SOURCE = 'jira';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Status: the workflow status name first (sites name their own), then its category key
 * (new / indeterminate / done). Unknown: the known status, else open, said.
 */
export function jiraStatus(status: unknown, context: MapContext, fallback: TicketStatus | undefined, ignored: Ignored): TicketStatus {
  const statuses = context.mapping.statuses;
  const name = isObject(status) ? text(status.name) : undefined;
  const category = isObject(status) && isObject(status.statusCategory) ? text(status.statusCategory.key) : undefined;
  const mapped = lookup(statuses, name) ?? lookup(statuses, category);
  if (mapped !== undefined) return mapped;
  // The categories are fixed by Jira: "done" is solved whatever a mapping file says of names.
  if (category === 'done') return 'solved';
  if (name === undefined && category === undefined) return fallback ?? 'open';
  ignored.push(`status "${name ?? '(none)'}" (category ${category ?? 'none'}) is not in the mapping; kept ${fallback ?? 'open'}`);
  return fallback ?? 'open';
}

export function jiraPriority(priority: unknown, context: MapContext, fallback: Priority | undefined, ignored: Ignored): Priority {
  return mapPriority(context.mapping, isObject(priority) ? priority.name : undefined, fallback, ignored);
}

/** The request type of a JSM issue: the field (its id varies per site) whose value holds `requestType`. */
function requestType(fields: Record<string, unknown>): { id?: string; name?: string } | undefined {
  for (const value of Object.values(fields)) {
    if (isObject(value) && isObject(value.requestType)) {
      return { id: vendorId(value.requestType.id) ?? undefined, name: text(value.requestType.name) };
    }
  }
  return undefined;
}

/**
 * Queue: JSM queues are saved JQL, not a field of the issue (research 2.2), so `queues` keys may
 * name a request type (name or id) or a project (key or name); the first listed wins, in that order.
 */
export function jiraQueue(fields: Record<string, unknown>, context: MapContext, ignored: Ignored): string {
  const type = requestType(fields);
  const project = isObject(fields.project) ? fields.project : {};
  const candidates = [type?.name, type?.id, text(project.key), text(project.name)].filter((c): c is string => c !== undefined);
  for (const candidate of candidates) {
    const queue = lookup(context.mapping.queues, candidate);
    if (queue !== undefined) return queue;
  }
  const { defaultQueue } = context.mapping;
  if (candidates.length > 0) ignored.push(`no queue in the mapping for ${candidates.map((c) => JSON.stringify(c)).join(', ')}; queue ${defaultQueue}`);
  return defaultQueue;
}

/** The issue key, or MappingError. */
export function issueKey(issue: unknown): string {
  const key = isObject(issue) ? vendorId(issue.key) : null;
  if (key === null) throw new MappingError('issue.key: required, the issue key such as ITS-42');
  return key;
}

/**
 * Maps one issue to the whole ticket; throws MappingError when it has no key or fields, or no update
 * time: `fields.updated`, else `fallbackUpdatedAt` (an automation's body may leave `updated` out
 * and carry the delivery's time instead).
 */
export function mapJiraIssue(issue: unknown, context: MapContext, ignored: Ignored, fallbackUpdatedAt: string | null = null): TicketPayload {
  const key = issueKey(issue);
  const fields = (issue as Record<string, unknown>).fields;
  if (!isObject(fields)) throw new MappingError('issue.fields: required, an object');
  const updatedAt = isoTime(fields.updated) ?? fallbackUpdatedAt;
  if (updatedAt === null) throw new MappingError('issue.fields.updated: required, a time such as 2024-07-03T10:40:00.000+0000');
  const known = context.knownTicket(key);
  const slas = findSlas(fields, context.mapping.slaFields);
  const mapped: TicketFields = {
    queue: jiraQueue(fields, context, ignored),
    priority: jiraPriority(fields.priority, context, known?.priority, ignored),
    status: jiraStatus(fields.status, context, known?.status, ignored),
    // A field left out of a search's field list is not "unassigned": only a present null is.
    assignee: !('assignee' in fields) ? undefined : isObject(fields.assignee) ? vendorId(fields.assignee.accountId) : null,
    tags: Array.isArray(fields.labels) ? fields.labels.filter((l): l is string => typeof l === 'string') : undefined,
    createdAt: isoTime(fields.created) ?? undefined,
    updatedAt,
    // Jira has no "first response" field: it is when "Time to first response" first stopped.
    firstResponseAt: slas.firstResponse?.firstStopAt ?? undefined,
    solvedAt: isoTime(fields.resolutiondate) ?? undefined,
    // undefined (the SLA field is not in this payload): the known due time stays.
    firstResponseDueAt: slas.firstResponse?.dueAt,
    resolutionDueAt: slas.resolution?.dueAt,
  };
  if (typeof fields.summary === 'string') mapped.subject = fields.summary;
  return mergeTicket(JIRA_SOURCE, key, mapped, known, { queue: context.mapping.defaultQueue });
}
