// Reconciliation for Jira (research 2.5): `POST /rest/api/3/search/jql` for issues updated since
// the last one seen, oldest first, following `nextPageToken`. It covers deliveries lost while
// Watchfloor was down, and SLA fields that webhooks may not carry.
//
// The bound is relative (`updated >= "-90m"`), because an absolute JQL date is read in the API
// user's profile time zone, which we do not know; it has minute precision, so a margin re-reads
// the last minutes, and those records are duplicates (their event id is key + `updated`).
import { DEFAULT_JIRA_JQL } from '../../config.js';
import { isoTime, recordEventId, ticketEventOf, type Ignored } from '../merge.js';
import { isObject } from '../../domain/validation.js';
import { VendorHttpError, type MapContext, type MapResult, type PollPage, type VendorHttp, type VendorPoller } from '../types.js';
import { issueKey, mapJiraIssue } from './map-issue.js';

/** Re-read this many minutes before the last `updated` seen: minute precision plus clock skew. */
const MARGIN_MINUTES = 2;
const PAGE_SIZE = 100;
/** How long the discovered custom field ids are trusted before the field list is read again. */
const FIELDS_TTL_MS = 60 * 60_000;
const SYSTEM_FIELDS = ['summary', 'status', 'priority', 'assignee', 'labels', 'created', 'updated', 'resolutiondate', 'project'];
/** Custom field types that carry what the mapping reads: SLA clocks and the JSM request type. */
const SLA_TYPE = 'com.atlassian.servicedesk:sd-sla-field';
const REQUEST_TYPE = 'com.atlassian.servicedesk:vp-origin';

/** Where the poll stands: the last `updated` seen, and the search under way (if any) with its next page. */
interface JiraCursor {
  v: 1;
  /** ISO time of the newest `updated` applied. */
  after: string;
  /** The running search's JQL and next page token; null between searches. */
  jql: string | null;
  token: string | null;
}

export interface JiraPollerOptions {
  /** JIRA_JQL: which issues the wall follows (e.g. `project = ITS`). */
  jql: string;
  now?: () => number;
}

function parseCursor(raw: string | null): JiraCursor | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (isObject(value) && value.v === 1 && typeof value.after === 'string' && isoTime(value.after) !== null) {
      const jql = typeof value.jql === 'string' ? value.jql : null;
      const token = typeof value.token === 'string' && jql !== null ? value.token : null;
      return { v: 1, after: value.after, jql, token };
    }
  } catch {
    // A cursor from another version: start again from `since`, as on a first start.
  }
  return null;
}

/**
 * The user's JQL without its ORDER BY (ours is needed for the bound to move forward). The
 * default JIRA_JQL only says "recently updated": our own bound replaces it, since a fixed "-1d"
 * would lose what changed while Watchfloor was down for longer than a day.
 */
export function baseJql(jql: string): string {
  if (jql.trim() === DEFAULT_JIRA_JQL) return '';
  return jql.replace(/(^|\s+)order\s+by\s+[\s\S]*$/i, '').trim();
}

/** `(<JIRA_JQL>) AND updated >= "-<n>m" ORDER BY updated ASC`, n reaching back to `afterMs` with the margin. */
export function searchJql(jql: string, afterMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.ceil((nowMs - afterMs) / 60_000)) + MARGIN_MINUTES;
  const bound = `updated >= "-${minutes}m"`;
  const base = baseJql(jql);
  return `${base === '' ? bound : `(${base}) AND ${bound}`} ORDER BY updated ASC`;
}

export class JiraPoller implements VendorPoller {
  readonly vendor = 'jira' as const;
  private readonly now: () => number;
  private fields: { list: string[]; at: number } | null = null;

  constructor(private readonly options: JiraPollerOptions) {
    this.now = options.now ?? Date.now;
  }

  async fetchPage(http: VendorHttp, cursor: string | null, since: number): Promise<PollPage> {
    const now = this.now();
    // `since`: the epoch ms a first start looks back to (the runner's choice).
    const state = parseCursor(cursor) ?? { v: 1, after: new Date(since).toISOString(), jql: null, token: null };
    const fields = await this.fieldList(http, now);
    let jql = state.jql ?? searchJql(this.options.jql, Date.parse(state.after), now);
    let answer: unknown;
    try {
      answer = await http.post('/rest/api/3/search/jql', {
        jql,
        fields,
        maxResults: PAGE_SIZE,
        ...(state.token === null ? {} : { nextPageToken: state.token }),
      });
    } catch (error) {
      // A page token from before a restart may have expired (400): search again from the bound.
      if (!(error instanceof VendorHttpError) || error.status !== 400 || state.token === null) throw error;
      jql = searchJql(this.options.jql, Date.parse(state.after), now);
      state.token = null;
      answer = await http.post('/rest/api/3/search/jql', { jql, fields, maxResults: PAGE_SIZE });
    }
    const body = isObject(answer) ? answer : {};
    const issues = Array.isArray(body.issues) ? body.issues : [];
    let after = state.after;
    for (const issue of issues) {
      const updated = isObject(issue) && isObject(issue.fields) ? isoTime(issue.fields.updated) : null;
      if (updated !== null && updated > after) after = updated;
    }
    const next = typeof body.nextPageToken === 'string' && body.nextPageToken !== '' && body.isLast !== true ? body.nextPageToken : null;
    const more = next !== null && issues.length > 0;
    const stored: JiraCursor = { v: 1, after, jql: more ? jql : null, token: more ? next : null };
    return { records: issues, cursor: JSON.stringify(stored), more };
  }

  mapRecord(record: unknown, context: MapContext): MapResult {
    const ignored: Ignored = [];
    const ticket = mapJiraIssue(record, context, ignored);
    return { events: [ticketEventOf(recordEventId('jira', issueKey(record), ticket.updatedAt), ticket.updatedAt, ticket)], ignored };
  }

  /**
   * The fields a search asks for: the system ones the mapping reads, plus every SLA and
   * request-type custom field of the site (their ids differ per site). The mapping then picks
   * the SLAs it wants by name or id. Without the field list (no permission): all navigable fields.
   */
  private async fieldList(http: VendorHttp, now: number): Promise<string[]> {
    if (this.fields !== null && now - this.fields.at < FIELDS_TTL_MS) return this.fields.list;
    let list: string[];
    try {
      const answer = await http.get('/rest/api/3/field');
      const custom = (Array.isArray(answer) ? answer : []).filter(isObject).filter((field) => {
        const type = isObject(field.schema) ? field.schema.custom : undefined;
        const name = typeof field.name === 'string' ? field.name.toLowerCase() : '';
        return type === SLA_TYPE || type === REQUEST_TYPE || name === 'request type' || name === 'time to first response' || name === 'time to resolution';
      });
      list = [...SYSTEM_FIELDS, ...custom.map((field) => field.id).filter((id): id is string => typeof id === 'string')];
    } catch (error) {
      if (!(error instanceof VendorHttpError) || error.status === null || error.status >= 500) throw error;
      list = ['*navigable'];
    }
    this.fields = { list, at: now };
    return list;
  }
}
