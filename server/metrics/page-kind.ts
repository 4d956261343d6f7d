// Which screen a live connection is, for the clients gauge. The server knows two things for sure: a
// wall says `wall` (its dashboard hello) and the supervisor page lists agents (`watch-agents`). Any
// other page may name itself in the handshake (`auth.page`); only the known names count, anything
// else is "other", so a client cannot add label values.

export const PAGE_KINDS = ['wall', 'supervisor', 'command', 'other'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export interface ClientFacts {
  /** The connection said `wall`. */
  wall: boolean;
  /** The connection asked for the agents list. */
  watchingAgents: boolean;
  /** What the client called its page at the handshake, if anything. */
  page: string | null;
}

/** A wall may list agents too (its agent board): the wall hello wins, then the agents list, then the page's own word. */
export function pageKindOf(client: ClientFacts): PageKind {
  if (client.wall || client.page === 'wall') return 'wall';
  if (client.watchingAgents || client.page === 'supervisor') return 'supervisor';
  if (client.page === 'command') return 'command';
  return 'other';
}

export function countByPageKind(clients: Iterable<ClientFacts>): Record<PageKind, number> {
  const counts: Record<PageKind, number> = { wall: 0, supervisor: 0, command: 0, other: 0 };
  for (const client of clients) counts[pageKindOf(client)]++;
  return counts;
}
