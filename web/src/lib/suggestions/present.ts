// How a suggestion of surge detection (docs/contract.md#surge-detection) is put on a screen, without
// Svelte, I/O or a clock (tested in test/web/lib/suggestions/): which suggestions are still open
// after this screen decided one, which of its tickets are listed, and how its rate is written. The
// numbers (count, rate, expected rate) are the server's; nothing here computes one of its own.
import type { ActiveAlert } from '../../../../contract/alerts.js';
import type { SuggestedTicket, SuggestionCard, SuggestionsMessage } from '../../../../contract/suggestions.js';

/** The card lists this many tickets, then "+n more". */
export const TICKETS_SHOWN = 10;

/**
 * The open suggestions of the last live message, without those this screen declared or dismissed
 * after that message was sent (`decided`: id → the server's time of the decision). The next
 * message, sent after the decision, is trusted as it is: a suggestion reopened later shows again.
 */
export function openSuggestionsOf(message: SuggestionsMessage | null, decided: ReadonlyMap<string, string>): SuggestionCard[] {
  if (message === null) return [];
  const sentAt = Date.parse(message.at);
  return message.open.filter((s) => {
    const decidedAt = decided.get(s.id);
    return decidedAt === undefined || !(Date.parse(decidedAt) > sentAt);
  });
}

/** When the server recorded the decision: the newest entry of the suggestion's history. */
export function decidedAtOf(suggestion: SuggestionCard): string {
  let latest = suggestion.lastAt;
  for (const entry of suggestion.history) if (Date.parse(entry.at) > Date.parse(latest)) latest = entry.at;
  return latest;
}

/** The tickets the card lists (the newest, with their subjects and links, as the server sends them) and how many more there are. */
export function shownTickets(suggestion: Pick<SuggestionCard, 'recent' | 'count'>, limit = TICKETS_SHOWN): { shown: SuggestedTicket[]; more: number } {
  const shown = suggestion.recent.slice(0, limit);
  return { shown, more: Math.max(0, suggestion.count - shown.length) };
}

/**
 * The whole minutes the tickets came in over (first to last arrival), at least 1: five tickets
 * within a few seconds read "in 1 min", not "in 0 min". A span of the server's two times, not a
 * number of its own.
 */
export function spanMinutes(suggestion: Pick<SuggestionCard, 'firstAt' | 'lastAt'>): number {
  const ms = Date.parse(suggestion.lastAt) - Date.parse(suggestion.firstAt);
  return Number.isFinite(ms) ? Math.max(1, Math.ceil(ms / 60_000)) : 1;
}

/** A rate per hour as a person reads it: whole numbers from 10 up, one decimal below (a trailing ".0" dropped). */
export function formatRate(perHour: number): string {
  if (!Number.isFinite(perHour)) return '—';
  if (Math.abs(perHour) >= 10) return String(Math.round(perHour));
  const tenths = Math.round(perHour * 10) / 10;
  return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
}

/** The suggestions a wall's alert bar shows: all open ones when dashboards/surge.json says walls show them, else none. */
export function wallSuggestionsOf(message: SuggestionsMessage | null): SuggestionCard[] {
  return message?.wall ? message.open : [];
}

/** One entry of the wall's alert bar: an alert, or a possible incident. */
export type BarEntry = { kind: 'alert'; alert: ActiveAlert } | { kind: 'suggestion'; suggestion: SuggestionCard };

/**
 * The alert bar's entries, first shown first: critical alerts, then possible incidents (newest
 * first, as the server lists them), then warnings. A critical alert is a threshold someone chose to
 * stop the floor for; a possible incident outranks only a warning.
 */
export function barEntriesOf(alerts: readonly ActiveAlert[], suggestions: readonly SuggestionCard[]): BarEntry[] {
  const critical = alerts.filter((a) => a.severity === 'critical');
  const rest = alerts.filter((a) => a.severity !== 'critical');
  return [
    ...critical.map((alert): BarEntry => ({ kind: 'alert', alert })),
    ...suggestions.map((suggestion): BarEntry => ({ kind: 'suggestion', suggestion })),
    ...rest.map((alert): BarEntry => ({ kind: 'alert', alert })),
  ];
}
