// Linked tickets (docs/contract.md#major-incidents): open tickets tagged `incident-<number>`, or carrying one of the
// incident's `match.tags`, or whose subject contains one of its `match.keywords` (both
// case-insensitive), while the incident is active. Their count, their arrival rate, and for the
// report the impact over the incident's window. Pure: the caller hands over a scan of the tickets.
import type { TimedTicket } from '../domain/ticket-clock.js';
import type { Incident, IncidentMatch, LinkedTickets } from '../../contract/incidents.js';

/** The arrival rate looks back this far and is given per hour. */
export const RATE_WINDOW_MS = 15 * 60_000;
const HOUR_MS = 60 * 60_000;

/** What linking needs of a ticket: a read-only view of the model's own. */
export type TicketScan = (visit: (ticket: Readonly<TimedTicket>) => void) => void;

export interface LinkTarget {
  id: string;
  number: number;
  match: IncidentMatch;
}

export class LinkRule {
  private readonly tags: Set<string>;
  private readonly keywords: string[];
  private readonly keys: ReadonlySet<string>;
  readonly ownTag: string;

  constructor(target: Pick<LinkTarget, 'number' | 'match'>) {
    this.ownTag = `incident-${target.number}`;
    this.tags = new Set([this.ownTag, ...target.match.tags.map((t) => t.toLowerCase())]);
    this.keywords = target.match.keywords.map((k) => k.toLowerCase());
    this.keys = new Set(target.match.tickets ?? []);
  }

  get needsSubject(): boolean {
    return this.keywords.length > 0;
  }

  /** `lowerTags` and `lowerSubject` are the ticket's, lower-cased once by the caller for all rules. */
  matches(lowerTags: readonly string[], lowerSubject: string | null, key: string): boolean {
    if (this.keys.has(key)) return true;
    for (const tag of lowerTags) if (this.tags.has(tag)) return true;
    if (lowerSubject !== null) for (const keyword of this.keywords) if (lowerSubject.includes(keyword)) return true;
    return false;
  }

  /** Tagged with the incident's own tag (linked whatever the time). */
  tagged(lowerTags: readonly string[]): boolean {
    return lowerTags.includes(this.ownTag);
  }
}

const lowerTagsOf = (ticket: Readonly<TimedTicket>): string[] => ticket.tags.map((t) => t.toLowerCase());

/**
 * Count and rate per active incident, in one pass over the tickets: open linked tickets, and linked
 * tickets (any status) created within the last 15 minutes, per hour.
 */
export function countLinks(targets: readonly LinkTarget[], scan: TicketScan, now: number): Map<string, LinkedTickets> {
  const result = new Map<string, LinkedTickets>();
  if (targets.length === 0) return result;
  const rules = targets.map((t) => new LinkRule(t));
  const counts = targets.map(() => ({ open: 0, recent: 0 }));
  const needsSubject = rules.some((r) => r.needsSubject);
  const since = now - RATE_WINDOW_MS;
  scan((ticket) => {
    const open = ticket.solvedMs === null;
    const recent = ticket.createdMs > since && ticket.createdMs <= now;
    if (!open && !recent) return;
    const tags = lowerTagsOf(ticket);
    const subject = needsSubject ? ticket.subject.toLowerCase() : null;
    for (let i = 0; i < rules.length; i++) {
      if (!rules[i]!.matches(tags, subject, ticket.key)) continue;
      if (open) counts[i]!.open++;
      if (recent) counts[i]!.recent++;
    }
  });
  targets.forEach((t, i) => {
    result.set(t.id, { count: counts[i]!.open, perHour: Math.round((counts[i]!.recent * HOUR_MS) / RATE_WINDOW_MS) });
  });
  return result;
}

/** The incident's effect on the support floor over its window (declaration to resolution, or now). */
export interface Impact {
  windowStartMs: number;
  windowEndMs: number;
  /** Tickets linked at some time in the window: matching now, and open during part of it (or tagged `incident-<n>`). */
  linkedTickets: number;
  /** Of them, still open now. */
  linkedOpen: number;
  /**
   * SLA targets (first response, resolution; all tickets) whose due time fell within the window and
   * were missed. Counted over the tickets the server still holds: open ones, and closed ones for
   * 7 days after their last update.
   */
  breaches: number;
  /** Of those breaches, on linked tickets. */
  linkedBreaches: number;
}

export function impactOf(incident: Pick<Incident, 'number' | 'match' | 'declaredAt' | 'resolvedAt'>, scan: TicketScan, now: number): Impact {
  const start = Date.parse(incident.declaredAt);
  const end = incident.resolvedAt === null ? now : Date.parse(incident.resolvedAt);
  const rule = new LinkRule(incident);
  const impact: Impact = { windowStartMs: start, windowEndMs: end, linkedTickets: 0, linkedOpen: 0, breaches: 0, linkedBreaches: 0 };
  const within = (ms: number | null): ms is number => ms !== null && ms >= start && ms <= end;
  // As the SLA clock has it (ticket-clock.ts): solving a ticket without a reply fulfils the first response.
  const missed = (due: number, fulfilled: number | null): boolean => (fulfilled === null ? now > due : fulfilled > due);
  scan((ticket) => {
    const tags = lowerTagsOf(ticket);
    const overlaps = ticket.createdMs <= end && (ticket.solvedMs === null || ticket.solvedMs >= start);
    const linked = rule.tagged(tags) || (overlaps && rule.matches(tags, ticket.subject.toLowerCase(), ticket.key));
    if (linked) {
      impact.linkedTickets++;
      if (ticket.solvedMs === null) impact.linkedOpen++;
    }
    let breaches = 0;
    if (within(ticket.firstResponseDueMs) && missed(ticket.firstResponseDueMs, ticket.firstResponseMs ?? ticket.solvedMs)) breaches++;
    if (within(ticket.resolutionDueMs) && missed(ticket.resolutionDueMs, ticket.solvedMs)) breaches++;
    impact.breaches += breaches;
    if (linked) impact.linkedBreaches += breaches;
  });
  return impact;
}
