// Surge detection's I/O (docs/contract.md#surge-detection): the settings file, new tickets in (from
// the model's feed), closed intervals against the forecast, the decisions people take (stored, so a
// restart and every instance agree), declaring as an incident, and the open suggestions out to the
// screens. Every instance sees every ticket and runs its own detector; the same stream gives the same
// suggestion ids, so a decision taken on one instance applies on all.
import path from 'node:path';
import type { DeclareInput, Severity } from '../../contract/incidents.js';
import type { SuggestedTicket, Suggestion as WireSuggestion, SuggestionsMessage, SuggestionStatus } from '../../contract/suggestions.js';
import type { IncidentService } from '../command/incident-service.js';
import { type SettingsLog, SettingsFile } from '../dashboards/settings-file.js';
import type { NewTicketSeen } from '../domain/arrival.js';
import type { Emit } from '../notify/notifications.js';
import type { StaffingService } from '../staffing/staffing-service.js';
import { CLUSTER_DEFAULTS } from './clusters.js';
import type { DecisionStore, SuggestionDecision } from './decision-store.js';
import { SurgeDetector } from './detector.js';
import type { Suggestion } from './suggestions.js';
import { SURGE_DEFAULTS, type SurgeConfig, validateSurgeFile } from './surge-file.js';

export const SURGE_FILE = 'surge.json';
const MINUTE_MS = 60_000;
/** The screens get at most this many open suggestions (newest first): a card each. */
const SHOWN = 20;
/**
 * New tickets the detector takes per second (about 25 µs each: at most ~5 % of a core). A support
 * floor creates a few tickets a second even in an outage; a flood beyond this (a bulk import, a
 * benchmark) is skipped and counted rather than let it slow the ingest path.
 */
export const MAX_TICKETS_PER_SECOND = 2_000;
/**
 * An open suggestion that only grew (more tickets, a later last arrival) reaches the screens at most
 * this often. A card's count need not tick every second; in an outage of a thousand tickets a
 * second it did, and every screen got the whole list each time (the fan-out bench's clients fell
 * behind). A suggestion that opens, is decided or re-opens still goes out within a second.
 */
export const GROWN_PUBLISH_MS = 10_000;
/**
 * The detector's time on the event loop in one turn. A second's new tickets went in as one block:
 * a thousand tickets of an outage (20–80 µs each in a big group) held the loop for 20–80 ms, and the
 * live channel's broadcasts waited behind it. The rest goes in the next turns, in order.
 */
const SLICE_MS = 5;
/** Tickets between two looks at the clock; a second of a few dozen goes in at once. */
const CLOCK_EVERY = 64;

export type DeclareOutcome =
  | { ok: true; suggestion: WireSuggestion; incidentId: string; created: boolean }
  | { ok: false; error: 'not-found' | 'declared'; message: string };
export type DismissOutcome = { ok: true; suggestion: WireSuggestion } | { ok: false; error: 'not-found' | 'declared'; message: string };

export interface SurgeServiceOptions {
  dir: string;
  log: SettingsLog;
  now: () => number;
  decisions: DecisionStore;
  incidents: IncidentService;
  staffing: StaffingService;
  /** The open suggestions changed: for the screens. */
  publish: (message: SuggestionsMessage) => void;
  /** A ticket's id and subject by its key, while the model holds it; and its link into its helpdesk. */
  ticket: (key: string) => { id: string; subject: string; url: string | null } | null;
  /** Outbound notifications: every instance raises the same suggestion, keyed by its id so it is sent once. */
  notify?: Emit;
}

export class SurgeService {
  private readonly settings: SettingsFile<SurgeConfig>;
  private config: SurgeConfig = SURGE_DEFAULTS;
  private detector: SurgeDetector;
  /** Decisions about suggestions this instance has not rebuilt yet (a restart): applied when they form. */
  private readonly pending = new Map<string, SuggestionDecision>();
  /** The last interval end (ms) whose counts went to the line surges, per line. */
  private readonly intervalsDone = new Map<string, number>();
  /** Something the screens must hear at the next flush: a suggestion opened or decided, the rules changed. */
  private changed = true;
  /** Only suggestions the screens already show grew: told once GROWN_PUBLISH_MS have passed. */
  private grown = false;
  private publishedAt = Number.NEGATIVE_INFINITY;
  /** The ids of every suggestion open when the last message went (the message lists the newest SHOWN). */
  private published = new Set<string>();
  private budgetSecond = 0;
  private budgetLeft = MAX_TICKETS_PER_SECOND;
  /** New tickets skipped because more than MAX_TICKETS_PER_SECOND came in one second. */
  skipped = 0;
  /** New tickets taken but not yet through the detector (see SLICE_MS), from `queueHead` on. */
  private queue: NewTicketSeen[] = [];
  private queueHead = 0;
  private sliceScheduled = false;
  private stopped = false;
  /** Restored tickets within the detector's memory, until they go in (feedRestored). */
  private restoredWaiting: NewTicketSeen[] = [];

  constructor(private readonly options: SurgeServiceOptions) {
    this.settings = new SettingsFile(path.join(options.dir, SURGE_FILE), {
      validate: validateSurgeFile,
      log: options.log,
      missing: 'no surge file: the defaults are in force',
      describe: (c) => `minTickets ${c.minTickets}, windowMinutes ${c.windowMinutes}, wall ${c.wall}`,
    });
    this.config = this.settings.read() ?? SURGE_DEFAULTS;
    this.detector = new SurgeDetector(this.config);
  }

  get problems() {
    return this.settings.problems;
  }

  /** Picks up a changed surge.json; the detector starts over (its groups were made by the old rules). */
  reload(): void {
    const next = this.settings.read() ?? SURGE_DEFAULTS;
    if (next === this.config) return;
    this.config = next;
    this.detector = new SurgeDetector(next);
    this.intervalsDone.clear();
    this.changed = true;
  }

  /** New tickets: those created within the groups' memory go to the detector (a backfill's old tickets do not). */
  tickets(batch: readonly NewTicketSeen[]): void {
    // Anything restored first: the new tickets came after it.
    this.feedRestored();
    this.take(batch);
  }

  /**
   * Tickets a restart put back: the detector's memory went with the process before, and the
   * tickets created within it rebuild it (nothing older counts: the clusters forget a quiet group,
   * and the line surges read the arrivals store). They wait until the restore has handed all of
   * them over (feedRestored), so that they go in the order they were created, not the store's.
   */
  restored(batch: readonly NewTicketSeen[]): void {
    const since = this.memoryStart(this.options.now());
    for (const ticket of batch) if (ticket.createdAt >= since) this.restoredWaiting.push(ticket);
  }

  /**
   * The restored tickets waiting, oldest first, to the detector: the newest MAX_TICKETS_PER_SECOND
   * of them, as many as new ones it takes in a second (a million restored tickets could hold tens
   * of thousands created within its memory; its cost per ticket grows with the tickets in the
   * window). Called when the restore has ended, and before any new ticket.
   */
  feedRestored(): void {
    if (this.restoredWaiting.length === 0) return;
    const waiting = this.restoredWaiting.sort((a, b) => a.createdAt - b.createdAt);
    this.restoredWaiting = [];
    this.take(waiting.length > MAX_TICKETS_PER_SECOND ? waiting.slice(waiting.length - MAX_TICKETS_PER_SECOND) : waiting);
  }

  /** How far back the detector remembers tickets: a group quiet for longer is forgotten. */
  memoryMs(): number {
    return this.config.windowMinutes * CLUSTER_DEFAULTS.quietFactor * MINUTE_MS;
  }

  private memoryStart(now: number): number {
    return now - this.memoryMs();
  }

  /** New tickets taken but not yet through the detector. */
  get waiting(): number {
    return this.queue.length - this.queueHead;
  }

  /** Nothing more goes into the detector (the app is closing). */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.queueHead = 0;
  }

  private take(batch: readonly NewTicketSeen[]): void {
    if (batch.length === 0 || this.stopped) return;
    for (const ticket of batch) this.queue.push(ticket);
    if (!this.sliceScheduled) this.slice();
  }

  /** Puts queued tickets through the detector for up to SLICE_MS, then leaves the rest to the next turn. */
  private readonly slice = (): void => {
    this.sliceScheduled = false;
    if (this.stopped) return;
    const started = performance.now();
    const now = this.options.now();
    const since = this.memoryStart(now);
    const second = Math.floor(now / 1000);
    if (second !== this.budgetSecond) {
      this.budgetSecond = second;
      this.budgetLeft = MAX_TICKETS_PER_SECOND;
    }
    const { queue } = this;
    for (let taken = 0; this.queueHead < queue.length; taken++) {
      if (taken > 0 && taken % CLOCK_EVERY === 0 && performance.now() - started >= SLICE_MS) {
        this.sliceScheduled = true;
        setImmediate(this.slice);
        return;
      }
      const ticket = queue[this.queueHead++]!;
      if (ticket.createdAt < since) continue;
      if (this.budgetLeft === 0) {
        this.skipped++;
        continue;
      }
      this.budgetLeft--;
      // A createdAt ahead of the clock would make every group look quiet: the clock bounds it.
      const changed = this.detector.ticket({
        key: ticket.key,
        line: ticket.line,
        subject: ticket.subject,
        tags: ticket.tags,
        at: Math.min(ticket.createdAt, now),
      });
      if (changed !== null) this.noticed(changed);
    }
    this.queue = [];
    this.queueHead = 0;
  };

  /**
   * Each staffed line's intervals that ended since the last call, against the forecast: two in a row
   * far above P90 raise a surge. Called every few seconds; reads the forecast only when an interval ended.
   */
  async intervals(): Promise<void> {
    const now = this.options.now();
    for (const line of this.options.staffing.lines()) {
      if (this.config.lines !== null && !this.config.lines.includes(line)) continue;
      const done = this.intervalsDone.get(line);
      // At start: the intervals of the last hour and a half (two closed ones at least), oldest first.
      const from = done ?? now - 90 * MINUTE_MS;
      const answer = await this.options.staffing.forecast(line, from, now, now);
      const step = answer.intervalMinutes * MINUTE_MS;
      for (const point of answer.points) {
        const end = point.at + step;
        if (end > now || (done !== undefined && end <= done) || point.actual === null) continue;
        if (answer.method === 'insufficient-history') continue;
        const changed = this.detector.interval({ line, start: point.at, end, observed: point.actual, expected: point.expected, p90: point.p90 }, now);
        if (changed !== null) this.noticed(changed);
        this.intervalsDone.set(line, end);
      }
      if (!this.intervalsDone.has(line)) this.intervalsDone.set(line, Math.floor(now / step) * step);
    }
  }

  /** Applies the decisions stored since the last call (this instance's own, and the others'). */
  async syncDecisions(): Promise<void> {
    for (const decision of await this.options.decisions.read()) this.apply(decision);
  }

  /** Newest first; `limit` of them (the screens' cards) are wired, not every one. */
  list(status?: SuggestionStatus, limit = Number.POSITIVE_INFINITY): WireSuggestion[] {
    return this.detector.suggestions
      .list(status)
      .sort((a, b) => b.lastAt - a.lastAt)
      .slice(0, limit)
      .map((s) => this.wire(s));
  }

  get(id: string): WireSuggestion | undefined {
    const found = this.detector.suggestions.get(id);
    return found === undefined ? undefined : this.wire(found);
  }

  /** The open suggestions as the screens get them. */
  message(): SuggestionsMessage {
    // Cards, not whole suggestions: the ticket lists stay behind the API (see SuggestionCard).
    const open = this.list('open', SHOWN).map(({ tickets: _tickets, ...card }) => card);
    return { at: new Date(this.options.now()).toISOString(), open, wall: this.config.wall };
  }

  /** Sends the open suggestions to the screens when something changed since the last time. */
  flush(): void {
    const now = this.options.now();
    if (!this.changed && !(this.grown && now - this.publishedAt >= GROWN_PUBLISH_MS)) return;
    this.changed = false;
    this.grown = false;
    this.publishedAt = now;
    this.published = new Set(this.detector.suggestions.list('open').map((s) => s.id));
    this.options.publish(this.message());
  }

  async declare(id: string, input: { severity: Severity; title?: string }, actor: string): Promise<DeclareOutcome> {
    const suggestion = this.detector.suggestions.get(id);
    if (suggestion === undefined) return { ok: false, error: 'not-found', message: `no suggestion ${id}` };
    if (suggestion.status === 'declared') return { ok: false, error: 'declared', message: `already declared as incident ${suggestion.incidentId}` };
    const declared: DeclareInput = {
      title: (input.title ?? suggestion.title).slice(0, 200),
      severity: input.severity,
      summary: summaryOf(suggestion),
      services: [],
      // The group's tickets exactly, and its shared tags for those still to come; keywords would
      // link any subject sharing one word.
      match: { tags: suggestion.tags, keywords: [], tickets: [...suggestion.tickets] },
    };
    // The suggestion's id as the idempotency key: two instances declaring it at once get one incident.
    const result = await this.options.incidents.declare(declared, actor, `suggestion:${id}`);
    if (result.kind === 'key-reused') return { ok: false, error: 'declared', message: `already declared as incident ${result.id}` };
    const decision: SuggestionDecision = { id, action: 'declared', by: actor, at: this.options.now(), reason: null, incidentId: result.incident.id };
    await this.options.decisions.record(decision);
    this.apply(decision);
    const after = this.detector.suggestions.get(id) ?? suggestion;
    return { ok: true, suggestion: this.wire(after), incidentId: result.incident.id, created: result.kind === 'created' };
  }

  async dismiss(id: string, reason: string, actor: string): Promise<DismissOutcome> {
    const suggestion = this.detector.suggestions.get(id);
    if (suggestion === undefined) return { ok: false, error: 'not-found', message: `no suggestion ${id}` };
    if (suggestion.status === 'declared') return { ok: false, error: 'declared', message: `already declared as incident ${suggestion.incidentId}` };
    const decision: SuggestionDecision = { id, action: 'dismissed', by: actor, at: this.options.now(), reason, incidentId: null };
    await this.options.decisions.record(decision);
    this.apply(decision);
    return { ok: true, suggestion: this.wire(this.detector.suggestions.get(id) ?? suggestion) };
  }

  private wire(suggestion: Suggestion): WireSuggestion {
    return wire(suggestion, this.options.ticket);
  }

  private noticed(suggestion: Suggestion): void {
    if (suggestion.status === 'open' && this.published.has(suggestion.id)) this.grown = true;
    else this.changed = true;
    if (suggestion.status === 'open' && suggestion.history.length === 1)
      this.options.notify?.('suggestion.raised', { suggestion: this.wire(suggestion) }, { key: suggestion.id });
    const decision = this.pending.get(suggestion.id);
    if (decision !== undefined) this.apply(decision);
  }

  private apply(decision: SuggestionDecision): void {
    const book = this.detector.suggestions;
    const suggestion = book.get(decision.id);
    if (suggestion === undefined) {
      this.pending.set(decision.id, decision);
      return;
    }
    this.pending.delete(decision.id);
    // Already applied (this instance's own decision, read back from the store).
    if (suggestion.history.some((h) => h.at === decision.at && h.by === decision.by && h.action === decision.action)) return;
    if (decision.action === 'declared' && decision.incidentId !== null) book.declare(decision.id, decision.by, decision.incidentId, decision.at);
    else if (decision.action === 'dismissed') book.dismiss(decision.id, decision.by, decision.reason ?? '', decision.at);
    this.changed = true;
  }
}

function summaryOf(s: Suggestion): string {
  const what = s.kind === 'cluster' ? `${s.count} similar tickets on ${s.line}` : `arrivals on ${s.line} far above the forecast`;
  const words = s.keywords.length > 0 ? ` (${s.keywords.join(', ')})` : '';
  return `Raised by surge detection: ${what}${words} since ${new Date(s.firstAt).toISOString()}.`;
}

/** A card lists this many of a suggestion's tickets, the newest. */
const RECENT_TICKETS = 10;

function wire(s: Suggestion, ticket: SurgeServiceOptions['ticket']): WireSuggestion {
  const recent: SuggestedTicket[] = [];
  for (let i = s.tickets.length - 1; i >= 0 && recent.length < RECENT_TICKETS; i--) {
    const key = s.tickets[i]!;
    const found = ticket(key);
    recent.push(found === null ? { key, id: key.slice(key.indexOf(':') + 1), subject: '', url: null } : { key, ...found });
  }
  return {
    id: s.id,
    kind: s.kind,
    line: s.line,
    title: s.title,
    keywords: [...s.keywords],
    tags: [...s.tags],
    tickets: [...s.tickets],
    recent,
    count: s.count,
    firstAt: new Date(s.firstAt).toISOString(),
    lastAt: new Date(s.lastAt).toISOString(),
    ratePerHour: Math.round(s.ratePerHour * 10) / 10,
    expectedPerHour: Math.round(s.expectedPerHour * 10) / 10,
    status: s.status,
    incidentId: s.incidentId,
    history: s.history.map((h) => ({ at: new Date(h.at).toISOString(), by: h.by, action: h.action, ...(h.reason === undefined ? {} : { reason: h.reason }) })),
  };
}
