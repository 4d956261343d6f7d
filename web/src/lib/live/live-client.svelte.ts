// The live channel of docs/contract.md#live-channel as a Svelte 5 class: one socket.io connection to
// `/live`, composed of small parts, each with its own concern:
// - connection-state: live / reconnecting / offline and the clock that turns one into the other;
// - socket-options: how to connect, and the retry socket.io does not do by itself;
// - seq-gap: nothing is applied across a missed message; the whole state is asked for instead;
// - live-state (with state-apply): the state, per-section freshness and the sparklines' history;
// - wall-channel: the wall's hello, dashboard, switch and announcement;
// - agents-list, the incident listeners and the open suggestions, for the screens that want them.
// This class only wires socket events to those parts, in the order the contract gives.
import { io, type Socket } from 'socket.io-client';
import type { Dashboard } from '../../../../contract/dashboards.js';
import type { ActiveAlert } from '../../../../contract/alerts.js';
import type { AgentView, LiveState } from '../../../../contract/domain.js';
import type { ClientToServerEvents, IncidentMessage, ServerToClientEvents, StoreHealth } from '../../../../contract/live-events.js';
import type { SuggestionsMessage } from '../../../../contract/suggestions.js';
import type { Incident } from '../incidents/types.js';
import { agentsAfter } from './agents-list.js';
import type { Announcement } from './announcement.js';
import { ConnectionState } from './connection-state.svelte.js';
import type { ConnectionStatus } from './connection-status.js';
import { LiveStateStore } from './live-state.svelte.js';
import { HISTORY_WINDOW_MS, type Sample } from './metric-history.js';
import { SeqGap } from './seq-gap.js';
import { NAMESPACE, RefusedRetry, socketOptions } from './socket-options.js';
import type { SectionTimes } from './state-apply.js';
import { WallChannel, type WallHello } from './wall-channel.svelte.js';

export type { Announcement } from './announcement.js';
export type { ConnectionStatus } from './connection-status.js';
export type { SectionTimes } from './state-apply.js';
export type { WallHello } from './wall-channel.svelte.js';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveClientOptions {
  token: string | null;
  /** The server's origin; the page's own origin when absent (the server serves the app). */
  origin?: string;
  /** Without a live state for this long, `reconnecting` becomes `offline`. */
  offlineAfterMs?: number;
}

const OFFLINE_AFTER_MS = 30_000;

export class LiveClient {
  readonly #connection: ConnectionState;
  readonly #live = new LiveStateStore();
  readonly #seq = new SeqGap();
  readonly #wall = new WallChannel();
  readonly #retry = new RefusedRetry();
  readonly #incidentListeners = new Set<(incident: Incident) => void>();
  #storeHealth = $state.raw<StoreHealth | null>(null);
  #alerts = $state.raw<ActiveAlert[] | null>(null);
  #agents = $state.raw<AgentView[] | null>(null);
  #suggestions = $state.raw<SuggestionsMessage | null>(null);
  #watchingAgents = false;
  #reconnects = $state(0);

  readonly #token: string | null;
  readonly #origin: string | undefined;
  #socket: LiveSocket | null = null;

  constructor(options: LiveClientOptions) {
    this.#token = options.token;
    this.#origin = options.origin;
    this.#connection = new ConnectionState(options.offlineAfterMs ?? OFFLINE_AFTER_MS);
  }

  /** The last whole state, or null before the first one arrived. */
  get state(): LiveState | null {
    return this.#live.state;
  }

  get status(): ConnectionStatus {
    return this.#connection.status;
  }

  /** When the last message was applied (client clock). */
  get lastGoodAt(): Date | null {
    return this.#connection.lastGoodAt;
  }

  /** Why the connection is down, when the server or the browser said so. */
  get error(): string | null {
    return this.#connection.error;
  }

  /** The access token, for the screens' HTTP reads. */
  get token(): string | null {
    return this.#token;
  }

  /**
   * When each section last arrived (a whole state renews all of them), or null before any: when a
   * number last changed. How old a number is, is `lastGoodAt` (see widgets/freshness.ts).
   */
  get sectionAt(): SectionTimes | null {
    return this.#live.sectionAt;
  }

  /**
   * Whether the server can take events, as it last said. While it cannot (its Redis is down), the
   * connection is live but the numbers stand still: screens must say they may be out of date.
   */
  get storeHealth(): StoreHealth | null {
    return this.#storeHealth;
  }

  /** The values of a number path this client has seen within `windowMs` before `now`, oldest first. */
  series(path: string, now: number, windowMs = HISTORY_WINDOW_MS): Sample[] {
    return this.#live.series(path, now, windowMs);
  }

  /**
   * Calls `listener` with every full incident the server pushes (docs/contract.md#major-incidents: each change goes out at
   * once, uncoalesced); returns the unsubscribe. Screens keep their own incidents (incident-feed).
   */
  onIncident(listener: (incident: Incident) => void): () => void {
    this.#incidentListeners.add(listener);
    return () => this.#incidentListeners.delete(listener);
  }

  /** How many times the connection came back after the first one (a reconnect, not a reload). */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** The wall's dashboard as the server last sent it, or null. */
  get dashboard(): Dashboard | null {
    return this.#wall.dashboard;
  }

  /** Why the server has no dashboard for this wall (unknown id, or a file that never validated), until it sends one. */
  get dashboardError(): string | null {
    return this.#wall.dashboardError;
  }

  /** The dashboard this wall asks for: its URL's, or the one a supervisor switched it to (docs/contract.md#wall-control). */
  get wallDashboard(): string | null {
    return this.#wall.wallDashboard;
  }

  /** The last announcement (docs/contract.md#wall-control); it is over once the clock passes `untilMs`. */
  get announcement(): Announcement | null {
    return this.#wall.announcement;
  }

  /** Makes this client a wall: it says `wall {dashboard, name}` now if connected and after every reconnect. */
  joinWall(hello: WallHello): void {
    this.#wall.join(hello);
    if (this.#socket?.connected) this.#socket.emit('wall', hello);
  }

  /** The active alerts as the server last said (null before it said); whole list per message. */
  get alerts(): ActiveAlert[] | null {
    return this.#alerts;
  }

  /** The open suggestions of surge detection as the server last said (null before it said); whole list per message. */
  get suggestions(): SuggestionsMessage | null {
    return this.#suggestions;
  }

  /** The agents, after `watchAgents()` and the server's first answer; sorted by id. */
  get agents(): AgentView[] | null {
    return this.#agents;
  }

  /** Makes this client list agents: the whole list now and after every reconnect, then the changes. */
  watchAgents(): void {
    this.#watchingAgents = true;
    if (this.#socket?.connected) this.#socket.emit('watch-agents');
  }

  start(): void {
    if (this.#socket) return;
    const token = this.#token;
    if (!token) {
      this.#connection.refused('No access token: open this page once with ?token=…');
      return;
    }
    const socket: LiveSocket = io((this.#origin ?? '') + NAMESPACE, socketOptions(token, new URL(globalThis.location.href)));
    this.#socket = socket;
    this.#connection.trying();

    let connectedBefore = false;
    socket.on('connect', () => {
      this.#connection.connected();
      this.#retry.clear();
      this.#seq.connected();
      if (connectedBefore) this.#reconnects++;
      connectedBefore = true;
      const hello = this.#wall.hello;
      if (hello) socket.emit('wall', hello);
      if (this.#watchingAgents) socket.emit('watch-agents');
    });
    socket.on('disconnect', (reason) => {
      this.#seq.disconnected();
      this.#connection.trying();
      if (reason === 'io server disconnect') this.#retry.later(() => this.#socket?.connect());
    });
    socket.on('connect_error', (err) => {
      if (socket.active) {
        this.#connection.failed(err.message);
        return;
      }
      // Refused by the server, not a network error: socket.io will not retry by itself.
      this.#connection.refused(err.message);
      this.#retry.later(() => this.#socket?.connect());
    });
    socket.on('state', (message) => {
      this.#seq.whole(message.seq);
      this.#live.whole(message, this.#good());
    });
    socket.on('delta', (message) => {
      // A missed delta would leave its sections stale, so nothing is applied until the whole state arrives.
      if (!this.#seq.follows(message.seq, this.#live.state !== null)) return this.#askResync();
      this.#live.delta(message, this.#good());
    });
    socket.on('incident', (message) => this.#onIncident(message));
    socket.on('dashboard', (message) => this.#wall.received(message.dashboard));
    socket.on('dashboard-error', (message) => this.#wall.refused(message.message));
    socket.on('show-dashboard', ({ dashboard }) => {
      // Only a wall follows a switch; it asks for the new dashboard as it asked for its own.
      const hello = this.#wall.switchedTo(dashboard);
      if (hello !== null) this.joinWall(hello);
    });
    socket.on('announce', (message) => this.#wall.announced(message, Date.now()));
    socket.on('health', (message) => {
      this.#storeHealth = message;
    });
    socket.on('alerts', (message) => {
      this.#alerts = message.active;
    });
    socket.on('suggestions', (message) => {
      this.#suggestions = message;
    });
    socket.on('agents', (message) => {
      this.#agents = agentsAfter(this.#agents, message);
    });

    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  stop(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#retry.clear();
    this.#connection.stop();
    const socket = this.#socket;
    this.#socket = null;
    this.#seq.disconnected();
    // Listeners first, so that our own disconnect does not arm the timers again.
    socket?.removeAllListeners();
    socket?.disconnect();
  }

  /** A good message arrived: the connection is live as of now; answers now for the state's parts. */
  #good(): number {
    const now = Date.now();
    this.#connection.good(now);
    return now;
  }

  // An incident message takes the connection's next seq like a delta (contract/live-events.ts): a gap
  // before it means a delta was missed, so the whole state is asked for; the incident itself is
  // whole and passed on either way.
  #onIncident(message: IncidentMessage): void {
    if (!this.#seq.follows(message.seq, this.#live.state !== null)) this.#askResync();
    for (const listener of this.#incidentListeners) listener(message.incident);
  }

  #askResync(): void {
    if (this.#seq.shouldAskResync(Date.now(), this.#socket?.connected === true)) this.#socket?.emit('resync');
  }

  // A TV waking from standby may have missed messages on a connection that still looks open.
  #onVisibility = (): void => {
    if (document.visibilityState !== 'visible' || !this.#socket) return;
    if (this.#socket.connected) this.#askResync();
    else if (!this.#socket.active) this.#socket.connect();
  };
}
