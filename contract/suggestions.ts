// Surge detection (docs/contract.md#surge-detection): the suggestions the server raises when similar
// tickets bunch up or a line's arrivals leave the forecast's band, as the API and the live channel
// send them, shared by server and web.

export const SUGGESTION_KINDS = ['cluster', 'surge'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];
export const SUGGESTION_STATUSES = ['open', 'declared', 'dismissed'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** One line of a suggestion's history: who did what, when (`system` for the detector). */
export interface SuggestionHistoryEntry {
  at: string;
  by: string;
  action: 'opened' | 'dismissed' | 'reopened' | 'declared';
  reason?: string;
}

export interface Suggestion {
  id: string;
  kind: SuggestionKind;
  /** The queue the tickets arrived on. */
  line: string;
  title: string;
  /** The words the tickets share (stems, as a declared incident's `match.keywords` uses them). */
  keywords: string[];
  tags: string[];
  /** The tickets of the cluster, as `source:id` keys, oldest first (a surge lists none). */
  tickets: string[];
  /** The newest of them (up to 10) as a card lists them: subject, and the link into their helpdesk (`TICKET_URLS`). */
  recent: SuggestedTicket[];
  count: number;
  firstAt: string;
  lastAt: string;
  /** Arrivals per hour over the detection window: the cluster's, or the line's for a surge. */
  ratePerHour: number;
  /** What the line's forecast expected per hour (0 for a cluster, which has no forecast of its own). */
  expectedPerHour: number;
  status: SuggestionStatus;
  incidentId: string | null;
  history: SuggestionHistoryEntry[];
}

export interface SuggestedTicket {
  key: string;
  id: string;
  subject: string;
  url: string | null;
}

/**
 * A suggestion as the live event carries it: all but its list of tickets, which runs to thousands in
 * a real outage and went to every screen every second (a cluster of 10,000 tickets made each message
 * ~80 kB). `count` and `recent` are what a card shows; GET /api/v1/suggestions/{id} has the list.
 */
export type SuggestionCard = Omit<Suggestion, 'tickets'>;

/** The live event `suggestions`: the open suggestions, on connect and whenever one opens, grows or is decided. */
export interface SuggestionsMessage {
  at: string;
  open: SuggestionCard[];
  /** `dashboards/surge.json` says walls show open suggestions in their alert bar. */
  wall: boolean;
}
