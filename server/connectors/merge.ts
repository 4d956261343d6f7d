// What every vendor mapping shares (issue 7), pure: vendor words → ours through the mapping,
// vendor times → ISO-8601, a partial vendor payload merged over the ticket we know into the whole
// canonical ticket (docs/contract.md#events-in tickets are upserts), and event ids that make retries duplicates.
import { parseIsoTime } from '../domain/iso-time.js';
import { timeProblem, type TimeKind } from '../domain/plausible-times.js';
import { TEXT_LIMITS, checkNameCharacters } from '../domain/text-rules.js';
import type { AgentEvent, AgentPayload, AgentStatus, Priority, TicketEvent, TicketPayload, TicketStatus, WatchEvent } from '../../contract/domain.js';
import { normaliseKey } from './mapping-config.js';
import type { MapContext, MapResult, Vendor, VendorMapping } from './types.js';

/** Ids end up in event ids (≤ 200 characters, no control characters): longer vendor ids are cut. */
const MAX_VENDOR_ID = 120;

/** A vendor value as a mapping key: strings trimmed and lower-cased, numbers and booleans as text. */
export function vendorKey(value: unknown): string | null {
  if (typeof value === 'string') {
    const key = normaliseKey(value);
    return key === '' ? null : key;
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return null;
}

/** A vendor id (string or number) as text, or null when absent or empty. */
export function vendorId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const id = value.trim().replace(/[\u0000-\u001f\u007f]/g, '');
  return id === '' ? null : id.slice(0, MAX_VENDOR_ID);
}

/** Looks a vendor value up in one of the mapping's tables, case-insensitively. */
export function lookup<T>(table: Record<string, T>, value: unknown): T | undefined {
  const key = vendorKey(value);
  // Own keys only: a vendor value such as "constructor" must not find Object.prototype's.
  return key === null || !Object.hasOwn(table, key) ? undefined : table[key];
}

/**
 * A vendor time as ISO-8601 (ms precision, UTC), or null: ISO strings of any precision (Zendesk
 * sends nanoseconds), Jira's `+0000` offsets, epoch milliseconds, and Jira's `{epochMillis}` /
 * `{iso8601}` objects.
 */
/** Ends in Z or an offset, or names GMT/UTC; a date alone ("2026-11-26") is UTC by definition. */
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2}|\b(GMT|UTC))$|^\d{4}-\d{2}-\d{2}$/i;

export function isoTime(value: unknown, depth = 0): string | null {
  let ms = NaN;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    if (/^\d{9,13}$/.test(text)) ms = Number(text) * (text.length <= 10 ? 1000 : 1);
    // A time without a zone would be read in this server's zone, which the helpdesk never meant.
    else if (!HAS_ZONE.test(text)) return null;
    // "+0000" → "+00:00": Date.parse wants the colon in an offset.
    else ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  } else if (typeof value === 'object' && value !== null && depth < 2) {
    const o = value as Record<string, unknown>;
    return isoTime(o.epochMillis ?? o.iso8601 ?? o.jira, depth + 1);
  }
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A payload part as a message may quote it: short, and safe on any input (no deep recursion). */
export function preview(value: unknown, max = 120): string {
  if (typeof value !== 'object' || value === null) return String(JSON.stringify(value) ?? 'nothing').slice(0, max);
  const keys = Object.keys(value).slice(0, 8);
  const parts = keys.map((key) => {
    const v = (value as Record<string, unknown>)[key];
    return `${JSON.stringify(key)}:${typeof v === 'object' && v !== null ? (Array.isArray(v) ? '[…]' : '{…}') : String(JSON.stringify(v)).slice(0, 40)}`;
  });
  return `${Array.isArray(value) ? '[' : '{'}${parts.join(',')}${Array.isArray(value) ? ']' : '}'}`.slice(0, max);
}

/** Where a mapping writes what it left out; said to the sender and logged at debug. */
export type Ignored = string[];

/**
 * The queue of a vendor group (id or name); no group: the default queue; a group not in the
 * mapping: the default queue, said. A payload that does not carry the group at all should leave
 * `queue` undefined instead, so the known queue stays.
 */
export function mapQueue(mapping: VendorMapping, group: unknown, ignored: Ignored): string {
  if (group === null || group === undefined || vendorKey(group) === null) return mapping.defaultQueue;
  const queue = lookup(mapping.queues, group);
  if (queue !== undefined) return queue;
  ignored.push(`group ${JSON.stringify(String(group).slice(0, 80))} is not in connectors.json queues; queue ${mapping.defaultQueue}`);
  return mapping.defaultQueue;
}

/** A priority through the mapping; absent or unknown: `fallback` (the known one, else normal), said when unknown. */
export function mapPriority(mapping: VendorMapping, raw: unknown, fallback: Priority | undefined, ignored: Ignored): Priority {
  const value = lookup(mapping.priorities, raw);
  if (value !== undefined) return value;
  // Zendesk sends no priority (null, or "-" in a trigger body) for tickets nobody prioritised.
  const key = vendorKey(raw);
  if (key !== null && key !== '-') ignored.push(`priority ${JSON.stringify(String(raw).slice(0, 80))} is not in the mapping; kept ${fallback ?? 'normal'}`);
  return fallback ?? 'normal';
}

/** A status through the mapping; unknown: `fallback` (the known one, else open), said. */
export function mapStatus(mapping: VendorMapping, raw: unknown, fallback: TicketStatus | undefined, ignored: Ignored): TicketStatus {
  const value = lookup(mapping.statuses, raw);
  if (value !== undefined) return value;
  if (vendorKey(raw) !== null) ignored.push(`status ${JSON.stringify(String(raw).slice(0, 80))} is not in the mapping; kept ${fallback ?? 'open'}`);
  return fallback ?? 'open';
}

export function mapAgentStatus(mapping: VendorMapping, raw: unknown): AgentStatus | undefined {
  return lookup(mapping.agentStatuses, raw);
}

/** A satisfaction rating as 1..5: good/bad → 5/1 (docs/contract.md#events-in), numbers as they are; else null. */
export function csatScore(raw: unknown, depth = 0): number | null {
  if (typeof raw === 'object' && raw !== null) {
    // Bounded: a hostile body may nest {"score":{"score":…}} deeper than the stack.
    if (depth >= 2) return null;
    const o = raw as Record<string, unknown>;
    return csatScore(o.score ?? o.rating ?? o.value ?? null, depth + 1);
  }
  const key = vendorKey(raw);
  if (key === null) return null;
  if (key === 'good' || key === 'good_with_comment' || key === 'satisfied') return 5;
  if (key === 'bad' || key === 'bad_with_comment' || key === 'unsatisfied') return 1;
  const n = Number(key);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}

/**
 * What a vendor payload says about a ticket, already in our words. `undefined`: the payload does
 * not say (the known value is kept); `null` where allowed: the payload says "none".
 */
export interface TicketFields {
  queue?: string;
  priority?: Priority;
  status?: TicketStatus;
  assignee?: string | null;
  subject?: string;
  tags?: string[];
  createdAt?: string;
  /** Required: the stale rule orders a ticket's versions by it. */
  updatedAt: string;
  firstResponseAt?: string | null;
  solvedAt?: string | null;
  firstResponseDueAt?: string | null;
  resolutionDueAt?: string | null;
  csat?: number | null;
}

export interface MergeDefaults {
  queue: string;
}

const isSolved = (status: TicketStatus): boolean => status === 'solved' || status === 'closed';

/**
 * The whole canonical ticket: the payload's fields over the known ticket's over defaults. Due
 * times, first response, CSAT and creation survive payloads that do not carry them. A ticket that
 * becomes solved without a solvedAt was solved at this update; a reopened one is unsolved again.
 */
export function mergeTicket(source: string, id: string, fields: TicketFields, known: TicketPayload | null, defaults: MergeDefaults): TicketPayload {
  const status = fields.status ?? known?.status ?? 'open';
  let solvedAt: string | null;
  if (!isSolved(status)) solvedAt = null;
  else if (fields.solvedAt !== undefined && fields.solvedAt !== null) solvedAt = fields.solvedAt;
  else if (known !== null && isSolved(known.status) && known.solvedAt !== null) solvedAt = known.solvedAt;
  else solvedAt = fields.updatedAt;
  const keep = <K extends keyof TicketFields & keyof TicketPayload>(key: K, fallback: TicketPayload[K]): TicketPayload[K] => {
    const value = fields[key];
    if (value !== undefined) return value as TicketPayload[K];
    return known === null ? fallback : known[key];
  };
  return {
    id,
    source,
    queue: fields.queue ?? known?.queue ?? defaults.queue,
    priority: fields.priority ?? known?.priority ?? 'normal',
    status,
    assignee: keep('assignee', null),
    subject: keep('subject', ''),
    tags: keep('tags', []),
    createdAt: fields.createdAt ?? known?.createdAt ?? fields.updatedAt,
    updatedAt: fields.updatedAt,
    // A first response is never taken back: a payload's null means "not said", not "unanswered".
    firstResponseAt: fields.firstResponseAt ?? known?.firstResponseAt ?? null,
    solvedAt,
    firstResponseDueAt: keep('firstResponseDueAt', null),
    resolutionDueAt: keep('resolutionDueAt', null),
    csat: keep('csat', null),
  };
}

/** The agent's whole state: the mapping's team, else the known one, else the default; the known name, else "Agent <id>". */
export function mergeAgent(id: string, status: AgentStatus, known: AgentPayload | null, mapping: VendorMapping, name?: string | null): AgentPayload {
  return {
    id,
    name: name ?? known?.name ?? `Agent ${id}`,
    team: lookup(mapping.agentTeams, id) ?? known?.team ?? mapping.defaultTeam,
    status,
  };
}

/** Event id of the n-th event of a webhook delivery: a retried delivery is a duplicate. */
export function webhookEventId(vendor: Vendor, deliveryId: string, n: number): string {
  return `${vendor}:${deliveryId}:${n}`;
}

/** Event id of a record that has no delivery id (polls, Freshdesk): its version is the ticket's update time. */
export function recordEventId(vendor: Vendor, entityId: string, updatedAt: string): string {
  return `${vendor}:${entityId}:${updatedAt}`;
}

/** A delivery id as it may appear in an event id: control characters dropped, long ones hashed short. */
export function safeDeliveryId(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const clean = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean.length <= MAX_VENDOR_ID) return clean;
  // FNV-1a, twice with different seeds: a stable short name for an absurdly long id (no crypto needed).
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0;
  }
  return `${clean.slice(0, 80)}~${a.toString(16)}${b.toString(16)}`;
}

export function ticketEventOf(id: string, at: string, ticket: TicketPayload): TicketEvent {
  return { id, type: 'ticket', at, ticket };
}

export function agentEventOf(id: string, at: string, agent: AgentPayload): AgentEvent {
  return { id, type: 'agent', at, agent };
}

/**
 * A MapContext whose `knownTicket` also sees the tickets mapped earlier in the same batch (a page
 * of a poll, a replay), so that two records of one ticket in one page merge in order.
 */
export function batchContext(base: MapContext): MapContext & { remember(result: MapResult): void } {
  const mapped = new Map<string, TicketPayload>();
  const agents = new Map<string, AgentPayload>();
  return {
    mapping: base.mapping,
    now: base.now,
    knownTicket: (ticketId) => mapped.get(ticketId) ?? base.knownTicket(ticketId),
    knownAgent: (agentId) => agents.get(agentId) ?? base.knownAgent(agentId),
    remember(result) {
      for (const event of result.events) {
        if (event.type === 'ticket') {
          const previous = mapped.get(event.ticket.id) ?? base.knownTicket(event.ticket.id);
          // Same rule as the core: an older version does not replace a newer one.
          if (previous === null || Date.parse(previous.updatedAt) <= Date.parse(event.ticket.updatedAt)) mapped.set(event.ticket.id, event.ticket);
        } else agents.set(event.agent.id, event.agent);
      }
    },
  };
}

/**
 * Fits mapped events to what the core accepts, so that one odd field does not cost the whole
 * ticket: the core refuses an event whose time is implausible (before 2000, a day ahead of the
 * server's clock, a due time 400 days ahead, a reply or solution before the ticket's creation),
 * or that carries more than 50 tags, a tag over 100 characters or a name with control characters.
 * Here such a field is dropped (the known value, else none, stands in) and said in `ignored`.
 */
export function fitToRules(result: MapResult, context: Pick<MapContext, 'now' | 'knownTicket'>): MapResult {
  const ignored = [...result.ignored];
  const events = result.events.map(
    (event): WatchEvent => (event.type === 'ticket' ? fitTicketEvent(event, context, ignored) : fitAgentEvent(event, context.now, ignored)),
  );
  return { events, ignored };
}

/** Why a time is unusable, or null. */
function timeFault(value: string, now: number, kind: TimeKind): string | null {
  const ms = parseIsoTime(value);
  return Number.isNaN(ms) ? 'is not a time' : timeProblem(ms, now, kind);
}

const usable = (value: string | null | undefined, now: number, kind: TimeKind, notBefore: number): value is string =>
  typeof value === 'string' && timeFault(value, now, kind) === null && parseIsoTime(value) >= notBefore;

function fitTicketEvent(event: TicketEvent, context: Pick<MapContext, 'now' | 'knownTicket'>, ignored: Ignored): TicketEvent {
  const { now } = context;
  const original = event.ticket;
  const ticket: TicketPayload = { ...original };
  const known = context.knownTicket(ticket.id);
  const say = (field: string, value: unknown, why: string, kept: string | null): void =>
    void ignored.push(`ticket ${ticket.id}: ${field} ${JSON.stringify(value).slice(0, 120)} ${why}; ${kept === null ? 'dropped' : `${kept} kept instead`}`);
  const nowIso = new Date(now).toISOString();

  const updatedFault = timeFault(ticket.updatedAt, now, 'event');
  if (updatedFault !== null) {
    say('updatedAt', ticket.updatedAt, updatedFault, `the server's time ${nowIso}`);
    ticket.updatedAt = nowIso;
  }
  const createdFault = timeFault(ticket.createdAt, now, 'event');
  if (createdFault !== null) {
    const kept = usable(known?.createdAt, now, 'event', -Infinity) ? known!.createdAt : ticket.updatedAt;
    say('createdAt', ticket.createdAt, createdFault, kept);
    ticket.createdAt = kept;
  }
  const createdMs = parseIsoTime(ticket.createdAt);
  const solved = ticket.status === 'solved' || ticket.status === 'closed';
  const fitField = (field: 'firstResponseAt' | 'solvedAt' | 'firstResponseDueAt' | 'resolutionDueAt', kind: TimeKind, fallback: string | null): void => {
    const value = ticket[field];
    if (value === null) return;
    const notBefore = kind === 'event' ? createdMs : -Infinity;
    let why = timeFault(value, now, kind);
    if (why === null && parseIsoTime(value) < notBefore) why = 'is earlier than createdAt';
    if (why === null) return;
    const knownValue = known?.[field];
    const kept = usable(knownValue, now, kind, notBefore) ? knownValue : fallback !== null && usable(fallback, now, kind, notBefore) ? fallback : null;
    say(field, value, why, kept);
    ticket[field] = kept;
  };
  fitField('firstResponseAt', 'event', null);
  // A solved ticket without a usable solution time was solved by this update, as mergeTicket has it.
  fitField('solvedAt', 'event', solved ? ticket.updatedAt : null);
  fitField('firstResponseDueAt', 'due', null);
  fitField('resolutionDueAt', 'due', null);

  ticket.tags = fitTags(ticket, ignored);
  const atFault = timeFault(event.at, now, 'event');
  if (atFault !== null) say('event time', event.at, atFault, ticket.updatedAt);
  return { ...event, at: atFault === null ? event.at : ticket.updatedAt, ticket };
}

/** At most 50 tags, each a name of at most 100 characters without control characters. */
function fitTags(ticket: TicketPayload, ignored: Ignored): string[] {
  const kept: string[] = [];
  for (const tag of ticket.tags) {
    const why =
      tag.length > TEXT_LIMITS.tag ? `is over ${TEXT_LIMITS.tag} characters` : checkNameCharacters(tag) === 'control' ? 'holds control characters' : null;
    if (why === null) kept.push(tag);
    else ignored.push(`ticket ${ticket.id}: tag ${JSON.stringify(tag.slice(0, 40))} ${why}; dropped`);
  }
  if (kept.length > TEXT_LIMITS.tags) {
    ignored.push(`ticket ${ticket.id}: ${kept.length} tags, at most ${TEXT_LIMITS.tags} are kept; the rest dropped`);
    kept.length = TEXT_LIMITS.tags;
  }
  return kept.length === ticket.tags.length ? ticket.tags : kept;
}

function fitAgentEvent(event: AgentEvent, now: number, ignored: Ignored): AgentEvent {
  let { at, agent } = event;
  const atFault = timeFault(at, now, 'event');
  if (atFault !== null) {
    const nowIso = new Date(now).toISOString();
    ignored.push(`agent ${agent.id}: event time ${JSON.stringify(at).slice(0, 60)} ${atFault}; the server's time ${nowIso} kept instead`);
    at = nowIso;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const name = agent.name.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  if (name !== agent.name || name.length > TEXT_LIMITS.name) {
    ignored.push(
      `agent ${agent.id}: name ${JSON.stringify(agent.name.slice(0, 40))} held control characters or was over ${TEXT_LIMITS.name} characters; cleaned and cut`,
    );
    agent = { ...agent, name: name.slice(0, TEXT_LIMITS.name) };
  }
  return at === event.at && agent === event.agent ? event : { ...event, at, agent };
}
