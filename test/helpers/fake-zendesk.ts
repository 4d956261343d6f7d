// A fake of Zendesk's cursor-based incremental ticket export (research 1.11), on FakeVendor:
//   GET /api/v2/incremental/tickets/cursor.json?start_time=<epoch s>|cursor=<after_cursor>[&include=slas]
// Every `put` appends a ticket version to an export log, as Zendesk's export lists a ticket again
// after each change; a cursor is a position in that log, so a poller that resumes from its stored
// cursor gets exactly what changed since. Basic auth is checked ("<email>/token" + API token).
import type { FakeResponse, RecordedRequest } from './fake-vendor.js';
import { FakeVendor } from './fake-vendor.js';

export const EXPORT_PATH = '/api/v2/incremental/tickets/cursor.json';

/** A REST ticket as the export returns it (the fields Watchfloor reads, and a few it does not). */
export interface ZendeskRestTicket {
  id: number;
  subject?: string;
  status: string;
  priority?: string | null;
  group_id?: number | null;
  assignee_id?: number | null;
  created_at: string;
  updated_at: string;
  tags?: string[];
  satisfaction_rating?: { score: string } | null;
  slas?: { policy_metrics: { breach_at: string | null; stage: string; metric: string; hours?: number; days?: number }[] };
  [other: string]: unknown;
}

export interface FakeZendeskOptions {
  email: string;
  token: string;
  /** Tickets per page (Zendesk: up to 1000). */
  pageSize?: number;
}

export class FakeZendesk {
  /** The export log: every version of every ticket, in the order they changed. */
  readonly log: ZendeskRestTicket[] = [];
  /** The cursors handed out, in order (the last is where a caught-up poller stands). */
  readonly handedOut: string[] = [];

  private constructor(
    readonly vendor: FakeVendor,
    private readonly options: FakeZendeskOptions,
  ) {}

  static async start(options: FakeZendeskOptions): Promise<FakeZendesk> {
    const vendor = await FakeVendor.start();
    const fake = new FakeZendesk(vendor, options);
    vendor.route({ method: 'GET', path: EXPORT_PATH }, (request) => fake.export(request));
    return fake;
  }

  get url(): string {
    return this.vendor.url;
  }

  /** The config that points a Watchfloor at this fake. */
  get env(): Record<string, string> {
    return { ZENDESK_URL: this.url, ZENDESK_EMAIL: this.options.email, ZENDESK_API_TOKEN: this.options.token };
  }

  /** A new version of a ticket (created or changed). */
  put(...tickets: ZendeskRestTicket[]): void {
    this.log.push(...tickets.map((ticket) => structuredClone(ticket)));
  }

  exportRequests(): RecordedRequest[] {
    return this.vendor.requestsTo(EXPORT_PATH);
  }

  close(): Promise<void> {
    return this.vendor.close();
  }

  private export(request: RecordedRequest): FakeResponse {
    const expected = `Basic ${Buffer.from(`${this.options.email}/token:${this.options.token}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return { status: 401, body: { error: "Couldn't authenticate you" } };
    let start: number;
    if (request.query.cursor !== undefined) {
      const match = /^fake-cursor-(\d+)$/.exec(request.query.cursor);
      if (!match) return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'bad cursor' } };
      start = Number(match[1]);
    } else if (request.query.start_time !== undefined) {
      const since = Number(request.query.start_time) * 1000;
      start = this.log.findIndex((ticket) => Date.parse(ticket.updated_at) >= since);
      if (start < 0) start = this.log.length;
    } else return { status: 400, body: { error: 'start_time or cursor is required' } };
    const size = this.options.pageSize ?? 1000;
    const withSlas = (request.query.include ?? '').split(',').includes('slas');
    const tickets = this.log.slice(start, start + size).map((ticket) => {
      const copy: Record<string, unknown> = {
        ...ticket,
        url: `${this.url}/api/v2/tickets/${ticket.id}.json`,
        generated_timestamp: Math.floor(Date.parse(ticket.updated_at) / 1000),
      };
      if (!withSlas) delete copy.slas;
      return copy;
    });
    const end = start + tickets.length;
    const afterCursor = `fake-cursor-${end}`;
    this.handedOut.push(afterCursor);
    return {
      body: {
        tickets,
        after_url: `${this.url}${EXPORT_PATH}?cursor=${afterCursor}`,
        after_cursor: afterCursor,
        before_url: null,
        before_cursor: null,
        end_of_stream: end >= this.log.length,
      },
    };
  }
}

/** A REST ticket with sensible defaults. */
export function restTicket(fields: Partial<ZendeskRestTicket> & { id: number; updated_at: string }): ZendeskRestTicket {
  return {
    subject: `Ticket ${fields.id}`,
    status: 'open',
    priority: 'normal',
    group_id: null,
    assignee_id: null,
    created_at: fields.updated_at,
    tags: [],
    satisfaction_rating: null,
    ...fields,
  };
}
