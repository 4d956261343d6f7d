// The suggestion book (docs/contract.md#surge-detection): what the command console offers to declare.
// One suggestion per cluster or per line surge, updated as it grows (never a second one), with who
// dismissed or declared it and when. Pure: times come in as ms; the routes turn them into ISO strings.
import type { SuggestionHistoryEntry, SuggestionStatus, Suggestion as WireSuggestion } from '../../contract/suggestions.js';
import { createHash } from 'node:crypto';
import type { ClusterView } from './clusters.js';
import type { LineSurge } from './line-surges.js';

/** One line of a suggestion's history, with its time in ms (the wire form has ISO times). */
export type SuggestionEvent = Omit<SuggestionHistoryEntry, 'at'> & { at: number };

/** A suggestion as the book keeps it: the wire shape with times in ms. */
export type Suggestion = Omit<WireSuggestion, 'firstAt' | 'lastAt' | 'history' | 'recent'> & { firstAt: number; lastAt: number; history: SuggestionEvent[] };

export type ActionResult = { ok: true; suggestion: Suggestion } | { ok: false; error: 'not-found' | 'declared' };

export const SYSTEM = 'system';
/** Suggestions kept; past this the one updated longest ago goes (a declared one has its incident). */
export const MAX_SUGGESTIONS = 500;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export class SuggestionBook {
  private readonly windowMs: number;
  // Least recently updated first: each change re-inserts, so the cap drops the stalest.
  private readonly suggestions = new Map<string, Suggestion>();
  // The count at which a dismissed suggestion opens again: twice its count at dismissal.
  private readonly quietUntil = new Map<string, number>();

  constructor(windowMinutes: number) {
    this.windowMs = windowMinutes * MINUTE_MS;
  }

  get(id: string): Suggestion | undefined {
    return this.suggestions.get(id);
  }

  list(status?: SuggestionStatus): Suggestion[] {
    const all = [...this.suggestions.values()];
    return status === undefined ? all : all.filter((s) => s.status === status);
  }

  /**
   * A cluster's latest state: opens its suggestion when it qualifies, updates the one it has (even
   * once it no longer qualifies: the tickets keep coming). Returns the suggestion when it changed.
   */
  observeCluster(cluster: ClusterView, at: number): Suggestion | null {
    const existing = this.suggestions.get(cluster.id);
    if (existing === undefined && !cluster.qualifies) return null;
    return this.upsert(
      {
        id: cluster.id,
        kind: 'cluster',
        line: cluster.line,
        title: cluster.title,
        keywords: cluster.keywords,
        tags: cluster.tags,
        tickets: cluster.tickets,
        count: cluster.count,
        firstAt: cluster.firstAt,
        lastAt: cluster.lastAt,
        ratePerHour: (cluster.windowCount * HOUR_MS) / this.windowMs,
        expectedPerHour: cluster.priorPerHour,
      },
      at,
    );
  }

  /** A line's ongoing surge (from `LineSurges`): one suggestion per run of surging intervals. */
  observeSurge(surge: LineSurge, at: number): Suggestion | null {
    return this.upsert(
      {
        id: surgeId(surge.line, surge.startedAt),
        kind: 'surge',
        line: surge.line,
        title: `Arrivals on ${surge.line} far above the forecast`,
        keywords: [],
        tags: [],
        tickets: [],
        count: surge.observed,
        firstAt: surge.startedAt,
        lastAt: surge.lastAt,
        ratePerHour: surge.ratePerHour,
        expectedPerHour: surge.expectedPerHour,
      },
      at,
    );
  }

  /** Keeps it quiet until its count doubles. A declared suggestion stays declared. */
  dismiss(id: string, by: string, reason: string, at: number): ActionResult {
    const suggestion = this.suggestions.get(id);
    if (suggestion === undefined) return { ok: false, error: 'not-found' };
    if (suggestion.status === 'declared') return { ok: false, error: 'declared' };
    suggestion.status = 'dismissed';
    suggestion.history.push({ at, by, action: 'dismissed', reason });
    this.quietUntil.set(id, suggestion.count * 2);
    this.touch(suggestion);
    return { ok: true, suggestion };
  }

  declare(id: string, by: string, incidentId: string, at: number): ActionResult {
    const suggestion = this.suggestions.get(id);
    if (suggestion === undefined) return { ok: false, error: 'not-found' };
    if (suggestion.status === 'declared') return { ok: false, error: 'declared' };
    suggestion.status = 'declared';
    suggestion.incidentId = incidentId;
    suggestion.history.push({ at, by, action: 'declared' });
    this.quietUntil.delete(id);
    this.touch(suggestion);
    return { ok: true, suggestion };
  }

  /** Forgets suggestions not updated since `before` (their clusters have long expired). */
  prune(before: number): string[] {
    const dropped: string[] = [];
    for (const suggestion of this.suggestions.values()) {
      if (suggestion.lastAt >= before) continue;
      this.forget(suggestion.id);
      dropped.push(suggestion.id);
    }
    return dropped;
  }

  private upsert(fields: Omit<Suggestion, 'status' | 'incidentId' | 'history'>, at: number): Suggestion | null {
    const existing = this.suggestions.get(fields.id);
    if (existing === undefined) {
      const suggestion: Suggestion = { ...fields, status: 'open', incidentId: null, history: [{ at, by: SYSTEM, action: 'opened' }] };
      this.suggestions.set(suggestion.id, suggestion);
      if (this.suggestions.size > MAX_SUGGESTIONS) this.forget(this.suggestions.keys().next().value as string);
      return suggestion;
    }
    if (existing.count === fields.count && existing.lastAt === fields.lastAt && existing.ratePerHour === fields.ratePerHour) return null;
    Object.assign(existing, fields);
    const quietUntil = this.quietUntil.get(existing.id);
    if (existing.status === 'dismissed' && quietUntil !== undefined && existing.count >= quietUntil) {
      existing.status = 'open';
      existing.history.push({ at, by: SYSTEM, action: 'reopened', reason: `grew from ${quietUntil / 2} to ${existing.count} tickets since dismissed` });
      this.quietUntil.delete(existing.id);
    }
    this.touch(existing);
    return existing;
  }

  private touch(suggestion: Suggestion): void {
    this.suggestions.delete(suggestion.id);
    this.suggestions.set(suggestion.id, suggestion);
  }

  private forget(id: string): void {
    this.suggestions.delete(id);
    this.quietUntil.delete(id);
  }
}

/** A surge's id: its line and the start of its first surging interval, like a cluster's. */
export function surgeId(line: string, startedAt: number): string {
  return `s-${createHash('sha256')
    .update(JSON.stringify([line, startedAt]))
    .digest('hex')
    .slice(0, 16)}`;
}
