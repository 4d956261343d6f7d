// Reconciliation for Freshdesk (research 3.7): tickets updated since the last one seen, oldest
// first, 100 a page, with `include=stats` (first response, resolution); and the agent list for
// availability (research 3.6), read again at most once a minute.
//
// Paging re-anchors `updated_since` on the last `updated_at` of each full page instead of asking
// for page N+1: with offsets, a ticket updated during the pass moves to the end and the tickets
// behind it shift one place back, so one would be skipped. Re-anchoring re-reads only the tickets
// of that last second (duplicates: their event id is id + `updated_at`). `page=N` is used only when a
// whole page shares one second, and the 300-page cap (research 3.7) is never reached.
import { isObject } from '../../domain/validation.js';
import { isoTime, recordEventId, ticketEventOf, type Ignored } from '../merge.js';
import { VendorHttpError, type MapContext, type MapResult, type PollPage, type VendorHttp, type VendorPoller } from '../types.js';
import { agentIdOf, isAgentRecord, mapFreshdeskAgent } from './map-agent.js';
import { RESPONDER_EMAIL, isRestTicket, mapFreshdeskTicket } from './map-ticket.js';

const PER_PAGE = 100;
/** Freshdesk stops listing after page 300 (research 3.7). */
const MAX_PAGE = 300;
const AGENTS_EVERY_MS = 60_000;
/** Agent pages read per refresh: 1,000 agents; a support floor has fewer. */
const MAX_AGENT_PAGES = 10;

interface FreshdeskCursor {
  v: 1;
  /** `updated_since` of the next request (ISO, second precision as Freshdesk keeps it). */
  since: string;
  page: number;
}

export interface FreshdeskPollerOptions {
  /** false: no agent list (the API key may not read it); tickets name assignees by numeric id. */
  agents?: boolean;
  now?: () => number;
}

/** ISO at whole seconds: Freshdesk's `updated_at` has no fractions, and `updated_since` is inclusive. */
function seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function parseCursor(raw: string | null): FreshdeskCursor | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (isObject(value) && value.v === 1 && typeof value.since === 'string' && isoTime(value.since) !== null) {
      const page = typeof value.page === 'number' && Number.isInteger(value.page) && value.page >= 1 && value.page <= MAX_PAGE ? value.page : 1;
      return { v: 1, since: value.since, page };
    }
  } catch {
    // Not ours: start again from `since`.
  }
  return null;
}

/** Where the next request starts after a page of tickets (see the file's comment). */
export function nextCursor(current: FreshdeskCursor, tickets: readonly unknown[]): { cursor: FreshdeskCursor; more: boolean } {
  let last = Date.parse(current.since);
  for (const ticket of tickets) {
    const ms = isObject(ticket) ? Date.parse(String(isoTime(ticket.updated_at))) : NaN;
    if (Number.isFinite(ms) && ms > last) last = ms;
  }
  const moved = last > Date.parse(current.since);
  const anchor = moved ? seconds(last) : current.since;
  if (tickets.length < PER_PAGE) return { cursor: { v: 1, since: anchor, page: 1 }, more: false };
  if (moved) return { cursor: { v: 1, since: anchor, page: 1 }, more: true };
  // A whole page in one second: the next page of the same anchor, or, at the cap, the next second.
  if (current.page < MAX_PAGE) return { cursor: { v: 1, since: current.since, page: current.page + 1 }, more: true };
  return { cursor: { v: 1, since: seconds(Date.parse(current.since) + 1000), page: 1 }, more: true };
}

export class FreshdeskPoller implements VendorPoller {
  readonly vendor = 'freshdesk' as const;
  private readonly now: () => number;
  private agentsReadAt = -Infinity;
  private agentsAllowed: boolean;
  /** Agent id → our agent name (e-mail), from the last agent list. */
  private readonly emails = new Map<string, string>();

  constructor(options: FreshdeskPollerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.agentsAllowed = options.agents ?? true;
  }

  async fetchPage(http: VendorHttp, cursor: string | null, since: number): Promise<PollPage> {
    const now = this.now();
    // `since`: the epoch ms a first start looks back to (the runner's choice).
    const state = parseCursor(cursor) ?? { v: 1, since: seconds(since), page: 1 };
    const agents = await this.readAgents(http, now);
    const answer = await http.get('/api/v2/tickets', {
      updated_since: state.since,
      order_by: 'updated_at',
      order_type: 'asc',
      per_page: String(PER_PAGE),
      page: String(state.page),
      include: 'stats',
    });
    const tickets = Array.isArray(answer) ? answer : [];
    const { cursor: next, more } = nextCursor(state, tickets);
    const records = tickets.map((ticket) => this.withResponderEmail(ticket));
    return { records: [...agents, ...records], cursor: JSON.stringify(next), more };
  }

  mapRecord(record: unknown, context: MapContext): MapResult {
    if (isAgentRecord(record)) return mapFreshdeskAgent(record, context);
    const ignored: Ignored = [];
    const ticket = mapFreshdeskTicket(record, context, ignored);
    return { events: [ticketEventOf(recordEventId('freshdesk', ticket.id, ticket.updatedAt), ticket.updatedAt, ticket)], ignored };
  }

  private withResponderEmail(ticket: unknown): unknown {
    if (!isRestTicket(ticket) || ticket.responder_id === null || ticket.responder_id === undefined) return ticket;
    const email = this.emails.get(String(ticket.responder_id));
    return email === undefined ? ticket : { ...ticket, [RESPONDER_EMAIL]: email };
  }

  /** The agent list when it is due (once a minute), else nothing. A 403 turns it off for good. */
  private async readAgents(http: VendorHttp, now: number): Promise<unknown[]> {
    if (!this.agentsAllowed || now - this.agentsReadAt < AGENTS_EVERY_MS) return [];
    const agents: unknown[] = [];
    try {
      for (let page = 1; page <= MAX_AGENT_PAGES; page++) {
        const answer = await http.get('/api/v2/agents', { per_page: String(PER_PAGE), page: String(page) });
        const list = Array.isArray(answer) ? answer : [];
        agents.push(...list);
        if (list.length < PER_PAGE) break;
      }
    } catch (error) {
      // Reading agents needs a key with that right; tickets are what the poller is for.
      if (error instanceof VendorHttpError && (error.status === 403 || error.status === 404)) {
        this.agentsAllowed = false;
        return [];
      }
      throw error;
    }
    this.agentsReadAt = now;
    for (const agent of agents) {
      if (!isObject(agent)) continue;
      const id = agentIdOf(agent);
      if (id !== null && agent.id !== undefined) this.emails.set(String(agent.id), id);
    }
    return agents.filter(isAgentRecord);
  }
}
