// The one typed map of socket.io events on `/live`, imported by the server and the web app,
// so that `emit` and `on` are type-checked at both ends and cannot drift apart.
import type { ActiveAlert } from './alerts.js';
import type { Dashboard } from './dashboards.js';
import type { AgentView, LiveState, StateSection } from './domain.js';
import type { Incident } from './incidents.js';
import type { SuggestionsMessage } from './suggestions.js';

/** The whole state, sent on connect, on request and to a client that fell behind. */
export type StateMessage = LiveState;

/** Changed sections only; each replaces the client's section wholesale. */
export type DeltaMessage = { seq: number; at: string } & Partial<Pick<LiveState, StateSection>>;

/**
 * An incident changed (declared, any PATCH, an update, a task): the whole incident with its
 * timeline, sent at once to every connection, uncoalesced (docs/contract.md#live-channel, #major-incidents). It takes the next `seq` of
 * the connection like a delta does, and is followed at once by a delta carrying the `incidents`
 * section (the short forms), so a client tracking gaps must count it.
 */
export type IncidentMessage = { seq: number; at: string; incident: Incident };

export interface ServerToClientEvents {
  state: (message: StateMessage) => void;
  delta: (message: DeltaMessage) => void;
  incident: (message: IncidentMessage) => void;
  /** The dashboard a wall asked for, on request and whenever its file changes (good versions only). */
  dashboard: (message: { dashboard: Dashboard }) => void;
  /** The dashboard a wall asked for has no good version (unknown id, or its file never validated). */
  'dashboard-error': (message: { dashboard: string; message: string }) => void;
  /**
   * Whether this server can take events (its store is reachable). Sent on connect and on every
   * change: while `ok` is false the numbers stop moving although the connection is live, and a
   * wall must say that they may be out of date.
   */
  health: (message: StoreHealth) => void;
  /**
   * Wall control (docs/contract.md#wall-control): a supervisor switched the walls of this name to another dashboard. The
   * wall answers with `wall {dashboard, name}` for the new id (and so gets `dashboard` back); the
   * switch lasts until the page is reloaded, which returns the wall to its URL's dashboard.
   */
  'show-dashboard': (message: ShowDashboardMessage) => void;
  /**
   * Wall control (docs/contract.md#wall-control): a banner on every wall until `until`, uncoalesced; also sent on connect
   * while one is active. `at` is the server's clock when sent, so a screen with a wrong clock can
   * still take the banner down after `until - at`. A new announcement replaces the last one.
   */
  announce: (message: AnnounceMessage) => void;
  /**
   * The active alerts (firing or clearing), the whole list: on connect and whenever it changes
   * (fired, cleared, acknowledged). Outside `seq`: each message replaces the last. A wall shows the
   * ones with `wall: true` (unless its dashboard says `"alerts": false`); the supervisor all.
   */
  alerts: (message: AlertsMessage) => void;
  /**
   * Agents for the screens that list them (the supervisor), after `watch-agents`: first the whole
   * list (`full`), then, at most every 250 ms, the agents whose state changed. Outside `seq`.
   */
  agents: (message: AgentsMessage) => void;
  /**
   * Surge detection (docs/contract.md#surge-detection): the open suggestions, the whole list, on
   * connect and whenever one opens, grows, or is declared or dismissed. Outside `seq`.
   */
  suggestions: (message: SuggestionsMessage) => void;
}

export interface AlertsMessage {
  at: string;
  active: ActiveAlert[];
}

export interface AgentsMessage {
  at: string;
  /** True: `agents` is the whole list (replace); false: only the changed ones (merge by id). */
  full: boolean;
  agents: AgentView[];
}

export interface ShowDashboardMessage {
  dashboard: string;
}

export interface AnnounceMessage {
  text: string;
  /** When the banner goes away (ISO-8601, server clock). */
  until: string;
  /** The server's clock when this was sent (ISO-8601). */
  at: string;
}

export interface StoreHealth {
  ok: boolean;
  /** Since when it has been so (ISO-8601). */
  since: string;
}

/**
 * Client requests. Those answered with a whole payload (`resync`, `watch-agents`, a well-formed
 * `wall`) are paced per connection: at most one answer a second for each, further requests within
 * that second folded into one answer carrying the latest. Inbound packets are rate limited too:
 * a connection that sends much faster than a screen ever does is cut.
 */
export interface ClientToServerEvents {
  /** The client saw a gap in `seq` (or just woke up) and wants the whole state again. */
  resync: () => void;
  /**
   * A wall says which dashboard it shows (and its name, `?name=`); the server answers with `dashboard`
   * (or `dashboard-error`), then sends `dashboard` again whenever that file changes for the better.
   * A malformed hello (a bad id, a name over 200 characters or with control characters) is
   * answered with `dashboard-error` saying why, and changes nothing.
   */
  wall: (hello: { dashboard: string; name?: string }) => void;
  /** The client lists agents: send the whole list now, then the changed agents as they change. */
  'watch-agents': () => void;
}

export interface SocketData {
  role: string;
  name: string;
  /** The client's address as this server sees it (the peer of the TCP connection). */
  address: string;
  /** The last `seq` sent on this connection. */
  seq: number;
  /** Set once the client has said it is a wall (`wall`). */
  wall?: WallInfo;
}

/** A connected wall, as `hub.walls()` lists it. Times are ISO-8601. */
export interface WallInfo {
  /** The wall's `?name=`, or null when it gave none. */
  name: string | null;
  dashboard: string;
  connectedAt: string;
  /** The last packet from the wall (heartbeats included). */
  lastSeen: string;
}

/**
 * A wall as `GET /api/v1/walls` lists it: every connection that said `wall`, with the address it
 * came from. A name is a claim any viewer can make; two screens answering to one name show as two
 * entries, which a supervisor can tell apart by address and connection time.
 */
export interface ListedWall extends WallInfo {
  address: string;
}

export const LIVE_NAMESPACE = '/live';
/** Changes are coalesced: at most one message per client per this many ms (docs/contract.md#live-channel). */
export const COALESCE_MS = 250;
