// A fake of Freshdesk's ticket list and agent list (research 3.6, 3.7), on FakeVendor:
//   GET /api/v2/tickets?updated_since=<ISO>&order_by=updated_at&order_type=asc&per_page=N&page=N&include=stats
//   GET /api/v2/agents?per_page=N&page=N
// Tickets updated at or after `updated_since`, oldest first, offset-paged as Freshdesk does (a page
// beyond 300 is a 400). Basic auth is checked: the API key as user name, "X" as password.
import type { FakeResponse, RecordedRequest } from './fake-vendor.js';
import { FakeVendor } from './fake-vendor.js';

export const TICKETS_PATH = '/api/v2/tickets';
export const AGENTS_PATH = '/api/v2/agents';

export interface FreshdeskRestTicket {
  id: number;
  subject?: string;
  status: number;
  priority: number;
  group_id?: number | null;
  responder_id?: number | null;
  created_at: string;
  updated_at: string;
  due_by?: string | null;
  fr_due_by?: string | null;
  tags?: string[];
  stats?: Record<string, string | null>;
  [other: string]: unknown;
}

export class FakeFreshdesk {
  readonly tickets: FreshdeskRestTicket[] = [];
  agents: unknown[] = [];

  private constructor(
    readonly vendor: FakeVendor,
    private readonly apiKey: string,
  ) {}

  static async start(apiKey: string): Promise<FakeFreshdesk> {
    const vendor = await FakeVendor.start();
    const fake = new FakeFreshdesk(vendor, apiKey);
    vendor.route({ method: 'GET', path: TICKETS_PATH }, (request) => fake.list(request));
    vendor.route({ method: 'GET', path: AGENTS_PATH }, (request) => fake.listAgents(request));
    return fake;
  }

  get env(): Record<string, string> {
    return { FRESHDESK_URL: this.vendor.url, FRESHDESK_API_KEY: this.apiKey };
  }

  /** Tickets created or changed (a new version replaces the old one). */
  put(...tickets: FreshdeskRestTicket[]): void {
    for (const ticket of tickets) {
      const at = this.tickets.findIndex((known) => known.id === ticket.id);
      if (at >= 0) this.tickets.splice(at, 1);
      this.tickets.push(structuredClone(ticket));
    }
  }

  /** The ticket list requests' queries, in order. */
  ticketQueries(): Record<string, string>[] {
    return this.vendor.requestsTo(TICKETS_PATH).map((request) => request.query);
  }

  close(): Promise<void> {
    return this.vendor.close();
  }

  private denied(request: RecordedRequest): FakeResponse | null {
    const expected = `Basic ${Buffer.from(`${this.apiKey}:X`).toString('base64')}`;
    return request.headers.authorization === expected
      ? null
      : { status: 401, body: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' } };
  }

  private list(request: RecordedRequest): FakeResponse {
    const denied = this.denied(request);
    if (denied !== null) return denied;
    const { updated_since: since, order_by: orderBy, order_type: orderType, include } = request.query;
    if (orderBy !== 'updated_at' || orderType !== 'asc' || include !== 'stats' || since === undefined) {
      return { status: 400, body: { description: 'Validation failed', errors: [{ message: `fake: unexpected query ${request.url}` }] } };
    }
    const perPage = Number(request.query.per_page ?? 30);
    const page = Number(request.query.page ?? 1);
    if (perPage > 100 || page > 300)
      return { status: 400, body: { description: 'Validation failed', errors: [{ field: 'page', message: 'Has to be less than 300' }] } };
    const sinceMs = Date.parse(since);
    const matching = this.tickets
      .filter((ticket) => Date.parse(ticket.updated_at) >= sinceMs)
      .sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.id - b.id);
    return { body: matching.slice((page - 1) * perPage, page * perPage) };
  }

  private listAgents(request: RecordedRequest): FakeResponse {
    const denied = this.denied(request);
    if (denied !== null) return denied;
    const perPage = Number(request.query.per_page ?? 30);
    const page = Number(request.query.page ?? 1);
    return { body: this.agents.slice((page - 1) * perPage, page * perPage) };
  }
}

/** Freshdesk's times: whole seconds, `2026-06-18T09:56:29Z`. */
export const freshdeskTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** An open REST ticket updated at `updatedMs`, with sensible defaults. */
export function freshdeskTicket(id: number, updatedMs: number, fields: Partial<FreshdeskRestTicket> = {}): FreshdeskRestTicket {
  return {
    id,
    subject: `Ticket ${id}`,
    status: 2,
    priority: 2,
    source: 1,
    group_id: null,
    responder_id: null,
    created_at: freshdeskTime(updatedMs - 10 * 60_000),
    updated_at: freshdeskTime(updatedMs),
    due_by: freshdeskTime(updatedMs + 8 * 3_600_000),
    fr_due_by: freshdeskTime(updatedMs + 3_600_000),
    fr_escalated: false,
    is_escalated: false,
    tags: [],
    stats: { first_responded_at: null, resolved_at: null, closed_at: null },
    ...fields,
  };
}
