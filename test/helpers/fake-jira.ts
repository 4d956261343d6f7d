// A fake of Jira Cloud's enhanced search (research 2.5), on FakeVendor:
//   POST /rest/api/3/search/jql {jql, fields, maxResults, nextPageToken}
//   GET  /rest/api/3/field
// The JQL must end in `ORDER BY updated ASC`; its `updated >= "-<n>m"` bound is evaluated against
// the real clock, as Jira does. A search takes a snapshot of the matching issues; its page tokens
// walk that snapshot (so a token stays valid across a Watchfloor restart), and an unknown token
// is a 400, as for an expired one. Basic auth is checked (e-mail + API token).
import type { FakeResponse, RecordedRequest } from './fake-vendor.js';
import { FakeVendor } from './fake-vendor.js';

export const SEARCH_PATH = '/rest/api/3/search/jql';
export const FIELD_PATH = '/rest/api/3/field';

export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields: Record<string, unknown> & { updated: string };
}

export interface SearchBody {
  jql: string;
  fields: string[];
  maxResults: number;
  nextPageToken?: string;
}

/** The site's field list: the JSM SLA and request-type fields, and one the poller should not ask for. */
export const SITE_FIELDS = [
  { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  { id: 'updated', name: 'Updated', custom: false, schema: { type: 'datetime', system: 'updated' } },
  {
    id: 'customfield_10010',
    name: 'Request Type',
    custom: true,
    schema: { type: 'sd-customerrequesttype', custom: 'com.atlassian.servicedesk:vp-origin', customId: 10010 },
  },
  {
    id: 'customfield_10030',
    name: 'Time to first response',
    custom: true,
    schema: { type: 'sd-servicelevelagreement', custom: 'com.atlassian.servicedesk:sd-sla-field', customId: 10030 },
  },
  {
    id: 'customfield_10031',
    name: 'Time to resolution',
    custom: true,
    schema: { type: 'sd-servicelevelagreement', custom: 'com.atlassian.servicedesk:sd-sla-field', customId: 10031 },
  },
  {
    id: 'customfield_10099',
    name: 'Story point estimate',
    custom: true,
    schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float', customId: 10099 },
  },
];

export interface FakeJiraOptions {
  email: string;
  token: string;
  /** Issues per page (Jira: up to maxResults). */
  pageSize?: number;
  /** JIRA_JQL of the Watchfloor under test. */
  jql?: string;
}

export class FakeJira {
  readonly issues: JiraIssue[] = [];
  /** Requests carrying a page token answer 500 while set (a round that dies mid-pass). */
  failPageTokens = false;
  private readonly snapshots = new Map<string, { issues: JiraIssue[]; offset: number }>();
  private searches = 0;

  private constructor(
    readonly vendor: FakeVendor,
    private readonly options: FakeJiraOptions,
  ) {}

  static async start(options: FakeJiraOptions): Promise<FakeJira> {
    const vendor = await FakeVendor.start();
    const fake = new FakeJira(vendor, options);
    vendor.route({ method: 'POST', path: SEARCH_PATH }, (request) => fake.search(request));
    vendor.route({ method: 'GET', path: FIELD_PATH }, (request) => fake.authorised(request) ?? { body: SITE_FIELDS });
    return fake;
  }

  get env(): Record<string, string> {
    return { JIRA_URL: this.vendor.url, JIRA_EMAIL: this.options.email, JIRA_API_TOKEN: this.options.token, JIRA_JQL: this.options.jql ?? 'project = ITS' };
  }

  /** Issues created or changed (a new version replaces the issue's old one). */
  put(...issues: JiraIssue[]): void {
    for (const issue of issues) {
      const at = this.issues.findIndex((known) => known.key === issue.key);
      if (at >= 0) this.issues.splice(at, 1);
      this.issues.push(structuredClone(issue));
    }
  }

  /** The search requests' bodies, in order. */
  searchBodies(): SearchBody[] {
    return this.vendor.requestsTo(SEARCH_PATH).map((request) => JSON.parse(request.body) as SearchBody);
  }

  close(): Promise<void> {
    return this.vendor.close();
  }

  private authorised(request: RecordedRequest): FakeResponse | null {
    const expected = `Basic ${Buffer.from(`${this.options.email}:${this.options.token}`).toString('base64')}`;
    return request.headers.authorization === expected
      ? null
      : { status: 401, body: { errorMessages: ['Client must be authenticated to access this resource.'] } };
  }

  private search(request: RecordedRequest): FakeResponse {
    const denied = this.authorised(request);
    if (denied !== null) return denied;
    const body = JSON.parse(request.body) as SearchBody;
    let snapshot: { issues: JiraIssue[]; offset: number };
    if (body.nextPageToken !== undefined) {
      if (this.failPageTokens) return { status: 500, body: { errorMessages: ['Internal server error'] } };
      const found = this.snapshots.get(body.nextPageToken);
      if (found === undefined) return { status: 400, body: { errorMessages: ['The provided next page token is invalid or expired.'] } };
      snapshot = found;
    } else {
      if (!/ORDER BY updated ASC$/.test(body.jql)) return { status: 400, body: { errorMessages: [`fake: expected ORDER BY updated ASC in ${body.jql}`] } };
      const bound = /updated >= "-(\d+)m"/.exec(body.jql);
      const fromMs = bound === null ? -Infinity : Date.now() - Number(bound[1]) * 60_000;
      const matching = this.issues.filter((issue) => Date.parse(issue.fields.updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) >= fromMs);
      matching.sort(
        (a, b) => Date.parse(a.fields.updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) - Date.parse(b.fields.updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')),
      );
      snapshot = { issues: structuredClone(matching), offset: 0 };
    }
    const size = Math.min(body.maxResults, this.options.pageSize ?? 50);
    const page = snapshot.issues.slice(snapshot.offset, snapshot.offset + size);
    const end = snapshot.offset + page.length;
    const isLast = end >= snapshot.issues.length;
    let nextPageToken: string | undefined;
    if (!isLast) {
      nextPageToken = `page-${++this.searches}`;
      this.snapshots.set(nextPageToken, { issues: snapshot.issues, offset: end });
    }
    return {
      body: {
        issues: page.map((issue) => ({ expand: 'renderedFields', self: `${this.vendor.url}/rest/api/3/issue/${issue.id}`, ...issue })),
        ...(nextPageToken ? { nextPageToken } : {}),
        isLast,
      },
    };
  }
}

/** Jira's `updated` format: `2024-07-03T10:40:00.000+0000`. */
export const jiraTimeText = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/** An issue shaped as the research shows, with its own key and times, and a first-response SLA due at `dueMs`. */
export function jiraIssue(options: {
  n: number;
  updatedMs: number;
  createdMs?: number;
  dueMs?: number;
  status?: { name: string; category: string };
}): JiraIssue {
  const created = options.createdMs ?? options.updatedMs;
  const status = options.status ?? { name: 'Waiting for support', category: 'new' };
  return {
    id: String(10000 + options.n),
    key: `ITS-${options.n}`,
    fields: {
      summary: `Request ${options.n}`,
      project: { id: '10000', key: 'ITS', name: 'IT Support' },
      status: { id: '10001', name: status.name, statusCategory: { key: status.category } },
      priority: { id: '3', name: 'Medium' },
      assignee: null,
      labels: [],
      created: jiraTimeText(created),
      updated: jiraTimeText(options.updatedMs),
      resolutiondate: null,
      customfield_10010: { requestType: { id: '37', name: 'Get IT help' } },
      customfield_10030: {
        id: '2',
        name: 'Time to first response',
        completedCycles: [],
        ...(options.dueMs === undefined
          ? {}
          : {
              ongoingCycle: {
                startTime: { epochMillis: created, jira: jiraTimeText(created) },
                breachTime: { epochMillis: options.dueMs, jira: jiraTimeText(options.dueMs) },
                breached: false,
                paused: false,
                withinCalendarHours: true,
              },
            }),
      },
      customfield_10099: 3,
    },
  };
}
