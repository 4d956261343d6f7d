// Surge detection in one piece (docs/contract.md#surge-detection): new tickets go to the clusters,
// closed intervals to the line surges, and both to the suggestion book. Pure like its parts: the
// service around it feeds tickets and intervals with their times and publishes what changed.
import { ClusterBook, type ClusterSettings, type NewTicket } from './clusters.js';
import { type IntervalCount, LineSurges } from './line-surges.js';
import { type Suggestion, SuggestionBook } from './suggestions.js';
import type { SurgeConfig } from './surge-file.js';

export class SurgeDetector {
  readonly clusters: ClusterBook;
  readonly suggestions: SuggestionBook;
  private readonly surges = new LineSurges();
  private readonly lines: ReadonlySet<string> | null;

  constructor(config: SurgeConfig, tuning: Partial<ClusterSettings> = {}) {
    this.clusters = new ClusterBook({ ...tuning, minTickets: config.minTickets, windowMinutes: config.windowMinutes, similarity: config.similarity });
    this.suggestions = new SuggestionBook(config.windowMinutes);
    this.lines = config.lines === null ? null : new Set(config.lines);
  }

  /** A new ticket; returns the suggestion it opened or changed, if any. */
  ticket(ticket: NewTicket): Suggestion | null {
    if (this.lines !== null && !this.lines.has(ticket.line)) return null;
    const added = this.clusters.add(ticket);
    if (added.outcome !== 'joined' && added.outcome !== 'started') return null;
    // Most tickets join nothing that qualifies or was suggested: no view is built for them.
    if (!added.qualifies && this.suggestions.get(added.id) === undefined) return null;
    const view = this.clusters.view(added.id, ticket.at);
    return view === undefined ? null : this.suggestions.observeCluster(view, ticket.at);
  }

  /** A closed interval of a line against its forecast; returns the surge suggestion it opened or changed. */
  interval(count: IntervalCount, at: number): Suggestion | null {
    if (this.lines !== null && !this.lines.has(count.line)) return null;
    const surge = this.surges.interval(count);
    return surge === null ? null : this.suggestions.observeSurge(surge, at);
  }
}
