// The contract every helpdesk connector follows (docs/contract.md#helpdesk-connectors, issue 7). A connector is two pure
// halves and one I/O half:
// - `verify` checks a webhook delivery's authenticity on the raw bytes, before any JSON parse;
// - `mapWebhook` / `mapRecord` turn the vendor's payloads into canonical events (docs/contract.md#events-in);
// - a poller (I/O) fetches what webhooks do not deliver, through the same mapping.
// Everything then goes through the one ingest path, so deduplication (event ids derived from the
// vendor's delivery id) and ordering (the stale rule on `updatedAt`) are the core's, not redone here.
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';
import type { AgentPayload, AgentStatus, Priority, TicketPayload, TicketStatus, WatchEvent } from '../../contract/domain.js';

export const VENDORS = ['zendesk', 'jira', 'freshdesk'] as const;
export type Vendor = (typeof VENDORS)[number];

/** Authenticity of one delivery. `reason` is said to the sender in the 401 (never the secret). */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * How a vendor's words become ours, from `connectors.json` (DASHBOARDS_DIR) over built-in defaults.
 * Keys are compared case-insensitively (stored lower-cased): vendors send `URGENT` in one place
 * and `urgent` in another.
 */
export interface VendorMapping {
  /** Vendor group (id or name, whichever the payload carries) → queue id. */
  queues: Record<string, string>;
  /** The queue of a ticket whose group is unknown or absent. */
  defaultQueue: string;
  priorities: Record<string, Priority>;
  statuses: Record<string, TicketStatus>;
  /** Vendor agent state names → ours (Zendesk: online/away/offline/transfers_only). */
  agentStatuses: Record<string, AgentStatus>;
  /** Vendor agent id → team; agents not listed get `defaultTeam`. */
  agentTeams: Record<string, string>;
  defaultTeam: string;
  /**
   * Names or ids of the fields that hold SLA targets, for vendors that keep them in custom fields
   * (Jira: "Time to first response" / "Time to resolution", or `customfield_10030`). Compared
   * case-insensitively. Absent for vendors with their own SLA shape.
   */
  slaFields?: SlaFieldNames;
}

export interface SlaFieldNames {
  firstResponse: string[];
  resolution: string[];
}

/** What a mapping may consult besides the payload. */
export interface MapContext {
  mapping: VendorMapping;
  /**
   * The ticket as the live model knows it now (by the vendor's ticket id), or null. A canonical
   * ticket event is a whole upsert while most vendor payloads are partial: fields a payload does
   * not carry (SLA due times, first response, CSAT) are kept from here instead of being wiped.
   */
  knownTicket(ticketId: string): TicketPayload | null;
  knownAgent(agentId: string): AgentPayload | null;
  /** Server clock, ms. */
  now: number;
}

export interface MapResult {
  events: WatchEvent[];
  /** Parts of the payload that were not used, said plainly (answered to the sender, logged at debug). */
  ignored: string[];
}

/** A payload that cannot be mapped at all: answered 400 with this message, nothing applied. */
export class MappingError extends Error {}

export interface WebhookConnector {
  vendor: Vendor;
  /** Checks the delivery on its raw bytes; `now` (ms) for replay windows. */
  verify(headers: IncomingHttpHeaders, raw: Buffer, secret: string, now: number): VerifyResult;
  /**
   * The vendor's own id for this delivery (Zendesk event `id` or invocation id, Jira
   * `X-Atlassian-Webhook-Identifier`), or null when it has none (Freshdesk). Event ids are derived
   * from it, so a retried delivery is a duplicate for the core.
   */
  deliveryId(headers: IncomingHttpHeaders, payload: unknown): string | null;
  /** Throws MappingError for a payload that is not this vendor's at all. */
  mapWebhook(payload: unknown, deliveryId: string | null, context: MapContext): MapResult;
}

/** Where a poller resumes after a restart: one opaque cursor per vendor, durable. */
export interface CursorStore {
  get(vendor: Vendor): Promise<string | null>;
  set(vendor: Vendor, cursor: string): Promise<void>;
}

/**
 * The vendor's REST API as a poller sees it: base URL and credentials applied, JSON parsed, 429
 * and 503 waited out per `Retry-After` (capped) and the vendor's per-minute budget respected.
 * Throws VendorHttpError for any other non-2xx answer or a network failure.
 */
export interface VendorHttp {
  /** `pathOrUrl` is relative to the vendor's base URL, or absolute (a `next_page` link of the same host). */
  get(pathOrUrl: string, query?: Record<string, string>): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
}

export class VendorHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** One page of a reconciliation poll. */
export interface PollPage {
  /** The vendor's records (tickets, issues, agents) to map with `mapRecord`. */
  records: unknown[];
  /** Where the next page (or the next poll, when `more` is false) starts; stored after the page is applied. */
  cursor: string;
  /** Another page is ready now; false: caught up, wait for the next interval. */
  more: boolean;
}

export interface VendorPoller {
  vendor: Vendor;
  /** Fetches the page after `cursor` (null: first start; begin `since` ms ago, then go forward). */
  fetchPage(http: VendorHttp, cursor: string | null, since: number): Promise<PollPage>;
  /** Maps one record of a page; event ids derive from the record's own version (e.g. `updated_at`). */
  mapRecord(record: unknown, context: MapContext): MapResult;
}

/** How a poller reaches a vendor's REST API (from config; secrets never leave the VendorHttp). */
export interface VendorApi {
  /** `https://acme.zendesk.com`: paths are resolved against it, absolute URLs must share its origin. */
  baseUrl: string;
  /** HTTP basic credentials (Zendesk `email/token` + API token, Jira email + token, Freshdesk key + `X`). */
  username: string;
  password: string;
  /** The vendor's budget for what the poller calls, requests per minute (Zendesk export: 10). */
  requestsPerMinute: number;
}

/**
 * Everything the framework knows of one vendor: one entry of `registry.ts`. Adding a vendor is
 * writing its folder (verify, map, poll) and adding its definition there.
 */
export interface ConnectorDefinition {
  vendor: Vendor;
  webhook: WebhookConnector;
  /** The webhook secret from config; null: `POST /api/v1/connectors/<vendor>` answers 404. */
  secret(config: Config): string | null;
  /** The REST API from config; null (URL or credentials unset): no poller runs. */
  api(config: Config): VendorApi | null;
  /** Builds the reconciliation poller (once, at start; config for e.g. Jira's JQL); null: none. */
  poller: ((config: Config) => VendorPoller) | null;
  /**
   * The headers the vendor would send with this body, signed with `secret` at `now` (ms): used
   * by `npm run replay` to play recorded deliveries into a running server the vendor's way.
   */
  sign(body: Buffer, secret: string, now: number): Record<string, string>;
}
