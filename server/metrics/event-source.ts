// The `source` label of an event counted on the way in: a ticket's `ticket.source` ("api" when it
// names none, as the validator does), "agent" for agent events, which have no source. A refused
// event is labelled from what it says when that is readable, else "unknown".

/** What became of an event that came in, as /metrics counts it. */
export type EventResult = 'accepted' | 'duplicate' | 'stale' | 'rejected';

/** Longer than any sensible source name: such a value is not used as a label. */
const MAX_SOURCE_LABEL = 100;

export const AGENT_SOURCE = 'agent';
export const UNKNOWN_SOURCE = 'unknown';
const DEFAULT_TICKET_SOURCE = 'api';

export function sourceLabelOf(item: unknown): string {
  if (typeof item !== 'object' || item === null) return UNKNOWN_SOURCE;
  const event = item as Record<string, unknown>;
  if (event.type === 'agent') return AGENT_SOURCE;
  if (event.type !== 'ticket') return UNKNOWN_SOURCE;
  const ticket = event.ticket;
  if (typeof ticket !== 'object' || ticket === null) return UNKNOWN_SOURCE;
  const source = (ticket as Record<string, unknown>).source;
  if (source === undefined) return DEFAULT_TICKET_SOURCE;
  if (typeof source !== 'string' || source.trim() === '' || source.length > MAX_SOURCE_LABEL) return UNKNOWN_SOURCE;
  return source;
}
