// The live channel of docs/contract.md#live-channel as a Svelte 5 class: one socket.io connection to `/live`, the whole
// state held in a `$state.raw` field that every message replaces wholesale (a deep `$state` proxy
// over big arrays is slow, and nothing edits the state in place), the connection status for the
// OFFLINE/RECONNECTING banner and `<body data-connection>`, and the `seq` gap check.
// For walls it also keeps when each section last arrived (per-widget freshness), a bounded history
// of every number for the sparklines, and the wall's dashboard (docs/contract.md#dashboards-as-code): the wall says which one it
// shows after every (re)connect, and the server answers and pushes each good change of its file.
import { io, type Socket } from 'socket.io-client';
import type { Dashboard } from '../../../../contract/dashboards.js';
import type { ActiveAlert } from '../../../../contract/alerts.js';
import { STATE_SECTIONS, type AgentView, type LiveState, type StateSection } from '../../../../contract/domain.js';
import { HISTORY_WINDOW_MS, MetricHistory, type Sample } from './metric-history.js';
import { transportFromUrl, transportOptions } from './transport.js';
import { pageOfPath } from './page-of-path.js';
import type { Incident } from '../incidents/types.js';
import type {
  ClientToServerEvents,
  DeltaMessage,
  IncidentMessage,
  LIVE_NAMESPACE,
  ServerToClientEvents,
  StateMessage,
  StoreHealth,
} from '../../../../contract/live-events.js';

export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';

/** What a wall tells the server after each (re)connect. */
export type WallHello = Parameters<ClientToServerEvents['wall']>[0];

/** A banner on the wall (docs/contract.md#wall-control): its text and when it goes away, on this client's clock (ms). */
export interface Announcement {
  text: string;
  untilMs: number;
}

/** Client time (ms) at which each section of the state last arrived. */
export type SectionTimes = Readonly<Record<StateSection, number>>;

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveClientOptions {
  token: string | null;
  /** The server's origin; the page's own origin when absent (the server serves the app). */
  origin?: string;
  /** Without a live state for this long, `reconnecting` becomes `offline`. */
  offlineAfterMs?: number;
}

// Checked against the server's constant without importing server code into the bundle.
const NAMESPACE: typeof LIVE_NAMESPACE = '/live';
const OFFLINE_AFTER_MS = 30_000;
// A gap asks for the whole state once; if it does not come (lost, or the server was busy), the next
// gap after this long asks again rather than waiting forever.
const RESYNC_RETRY_MS = 3_000;
// socket.io does not retry a connection refused by the server's middleware (bad token, server not
// ready) or closed by the server; a wall must, so it does after this delay.
const REFUSED_RETRY_MS = 15_000;

export class LiveClient {
  #state = $state.raw<LiveState | null>(null);
  #status = $state<ConnectionStatus>('reconnecting');
  #lastGoodAt = $state.raw<Date | null>(null);
  #error = $state<string | null>(null);
  #sectionAt = $state.raw<SectionTimes | null>(null);
  #dashboard = $state.raw<Dashboard | null>(null);
  #dashboardError = $state<string | null>(null);
  #storeHealth = $state.raw<StoreHealth | null>(null);
  #wall: WallHello | null = null;
  #wallDashboard = $state<string | null>(null);
  #announcement = $state.raw<Announcement | null>(null);
  #alerts = $state.raw<ActiveAlert[] | null>(null);
  #agents = $state.raw<AgentView[] | null>(null);
  #watchingAgents = false;
  readonly #incidentListeners = new Set<(incident: Incident) => void>();
  #reconnects = $state(0);
  // Every number this client has seen over the last hours, for sparklines; bumping the version
  // tells readers, the buffers themselves are not reactive (a proxy over typed arrays would only cost).
  readonly #history = new MetricHistory();
  #historyVersion = $state(0);

  readonly #token: string | null;
  readonly #origin: string | undefined;
  readonly #offlineAfterMs: number;
  #socket: LiveSocket | null = null;
  #lastSeq: number | null = null;
  #resyncAskedAt: number | null = null;
  #offlineTimer: ReturnType<typeof setTimeout> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: LiveClientOptions) {
    this.#token = options.token;
    this.#origin = options.origin;
    this.#offlineAfterMs = options.offlineAfterMs ?? OFFLINE_AFTER_MS;
  }

  /** The last whole state, or null before the first one arrived. */
  get state(): LiveState | null {
    return this.#state;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** When the last message was applied (client clock). */
  get lastGoodAt(): Date | null {
    return this.#lastGoodAt;
  }

  /** Why the connection is down, when the server or the browser said so. */
  get error(): string | null {
    return this.#error;
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
    return this.#sectionAt;
  }

  /**
   * Whether the server can take events, as it last said. While it cannot (its Redis is down), the
   * connection is live but the numbers stand still: screens must say they may be out of date.
   */
  get storeHealth(): StoreHealth | null {
    return this.#storeHealth;
  }

  /** The wall's dashboard as the server last sent it, or null. */
  get dashboard(): Dashboard | null {
    return this.#dashboard;
  }

  /** The values of a number path this client has seen within `windowMs` before `now`, oldest first. */
  series(path: string, now: number, windowMs = HISTORY_WINDOW_MS): Sample[] {
    void this.#historyVersion;
    return this.#history.series(path, now, windowMs);
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

  /**
   * Makes this client a wall: it says `wall {dashboard, name}` now if connected and after every
   * reconnect (a restarted server knows nothing of its walls), and keeps the `dashboard` answers.
   */
  joinWall(hello: WallHello): void {
    this.#wall = hello;
    this.#wallDashboard = hello.dashboard;
    if (this.#socket?.connected) this.#socket.emit('wall', hello);
  }

  /**
   * The dashboard this wall asks for: its URL's, or the one a supervisor switched it to (docs/contract.md#wall-control),
   * until the page is reloaded.
   */
  get wallDashboard(): string | null {
    return this.#wallDashboard;
  }

  /** The active alerts as the server last said (null before it said); whole list per message. */
  get alerts(): ActiveAlert[] | null {
    return this.#alerts;
  }

  /** The agents, after `watchAgents()` and the server's first answer; sorted by id. */
  get agents(): AgentView[] | null {
    return this.#agents;
  }

  /**
   * Makes this client list agents: the server sends the whole list now and after every reconnect,
   * then the agents whose state changed, as they change.
   */
  watchAgents(): void {
    this.#watchingAgents = true;
    if (this.#socket?.connected) this.#socket.emit('watch-agents');
  }

  /** The last announcement (docs/contract.md#wall-control); it is over once the clock passes `untilMs`. */
  get announcement(): Announcement | null {
    return this.#announcement;
  }

  /**
   * Why the server has no dashboard for this wall (unknown id, or a file that never validated),
   * until it sends one. A wall that already shows a dashboard keeps showing it.
   */
  get dashboardError(): string | null {
    return this.#dashboardError;
  }

  start(): void {
    if (this.#socket) return;
    const token = this.#token;
    if (!token) {
      this.#error = 'No access token: open this page once with ?token=…';
      this.#status = 'offline';
      return;
    }

    const socket: LiveSocket = io((this.#origin ?? '') + NAMESPACE, {
      auth: { token, page: pageOfPath(globalThis.location.pathname) },
      // WebSocket, falling back to long-polling; WebSocket only when the page's URL says so.
      ...transportOptions(transportFromUrl(new URL(globalThis.location.href))),
      // Forever, 1 s doubling to 10 s with ±50 % jitter, so a wall of TVs does not reconnect in step
      // after a server restart.
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
    });
    this.#socket = socket;
    this.#armOfflineTimer();

    let connectedBefore = false;
    socket.on('connect', () => {
      this.#error = null;
      this.#clearRetry();
      // seq counts per connection: the server sends the whole state first, unasked.
      this.#lastSeq = null;
      this.#resyncAskedAt = null;
      if (connectedBefore) this.#reconnects++;
      connectedBefore = true;
      if (this.#wall) socket.emit('wall', this.#wall);
      if (this.#watchingAgents) socket.emit('watch-agents');
    });
    socket.on('disconnect', (reason) => {
      this.#lastSeq = null;
      if (this.#status === 'live') this.#status = 'reconnecting';
      this.#armOfflineTimer();
      if (reason === 'io server disconnect') this.#retryLater();
    });
    socket.on('connect_error', (err) => {
      this.#error = err.message;
      if (!socket.active) {
        // Refused by the server, not a network error: socket.io will not retry by itself.
        this.#status = 'offline';
        this.#retryLater();
      }
    });
    socket.on('state', (message) => this.#onState(message));
    socket.on('delta', (message) => this.#onDelta(message));
    socket.on('dashboard', (message) => {
      this.#dashboard = message.dashboard;
      this.#dashboardError = null;
    });
    socket.on('dashboard-error', (message) => {
      this.#dashboardError = message.message;
    });
    socket.on('health', (message) => {
      this.#storeHealth = message;
    });
    socket.on('incident', (message) => this.#onIncident(message));
    socket.on('show-dashboard', ({ dashboard }) => {
      // Only a wall follows a switch; it asks for the new dashboard as it asked for its own.
      if (this.#wall === null || typeof dashboard !== 'string') return;
      this.joinWall({ ...this.#wall, dashboard });
    });
    socket.on('alerts', (message) => {
      this.#alerts = message.active;
    });
    socket.on('agents', (message) => {
      this.#agents = message.full ? message.agents : mergeById(this.#agents ?? [], message.agents);
    });
    socket.on('announce', (message) => {
      // Measured from the server's own clock, so a TV with a wrong clock keeps it as long.
      const left = Date.parse(message.until) - Date.parse(message.at);
      if (!Number.isFinite(left)) return;
      this.#announcement = { text: message.text, untilMs: Date.now() + Math.max(0, left) };
    });

    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  stop(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#clearRetry();
    this.#clearOfflineTimer();
    const socket = this.#socket;
    this.#socket = null;
    this.#lastSeq = null;
    // Listeners first, so that our own disconnect does not arm the timers again.
    socket?.removeAllListeners();
    socket?.disconnect();
  }

  #onState(message: StateMessage): void {
    this.#lastSeq = message.seq;
    this.#resyncAskedAt = null;
    this.#state = message;
    this.#markGood(STATE_SECTIONS);
  }

  #onDelta(message: DeltaMessage): void {
    const current = this.#state;
    if (current === null || this.#lastSeq === null || message.seq !== this.#lastSeq + 1) {
      // A missed delta would leave its sections stale, so nothing is applied until the whole
      // state arrives.
      this.#askResync();
      return;
    }
    const { seq, at, ...sections } = message;
    this.#state = { ...current, ...sections, seq, at };
    this.#lastSeq = seq;
    this.#markGood(STATE_SECTIONS.filter((s) => message[s] !== undefined));
  }

  // An incident message takes the connection's next seq like a delta (contract/live-events.ts): a gap
  // before it means a delta was missed, so the whole state is asked for; the incident itself is
  // whole and passed on either way.
  #onIncident(message: IncidentMessage): void {
    if (this.#state !== null && this.#lastSeq !== null && message.seq === this.#lastSeq + 1) this.#lastSeq = message.seq;
    else this.#askResync();
    for (const listener of this.#incidentListeners) listener(message.incident);
  }

  #markGood(sections: readonly StateSection[]): void {
    const now = Date.now();
    this.#lastGoodAt = new Date(now);
    this.#status = 'live';
    this.#error = null;
    this.#clearOfflineTimer();
    if (sections.length > 0) {
      const times = { ...(this.#sectionAt ?? initialTimes(now)) };
      for (const section of sections) times[section] = now;
      this.#sectionAt = times;
    }
    if (this.#state) {
      this.#history.record(this.#state, now);
      this.#historyVersion++;
    }
  }

  #askResync(): void {
    const now = Date.now();
    if (this.#resyncAskedAt !== null && now - this.#resyncAskedAt < RESYNC_RETRY_MS) return;
    if (!this.#socket?.connected) return;
    this.#resyncAskedAt = now;
    this.#socket.emit('resync');
  }

  // A TV waking from standby may have missed messages on a connection that still looks open.
  #onVisibility = (): void => {
    if (document.visibilityState !== 'visible' || !this.#socket) return;
    if (this.#socket.connected) this.#askResync();
    else if (!this.#socket.active) this.#socket.connect();
  };

  #armOfflineTimer(): void {
    if (this.#offlineTimer !== null) return;
    this.#offlineTimer = setTimeout(() => {
      this.#offlineTimer = null;
      if (this.#status !== 'live') this.#status = 'offline';
    }, this.#offlineAfterMs);
  }

  #clearOfflineTimer(): void {
    if (this.#offlineTimer !== null) clearTimeout(this.#offlineTimer);
    this.#offlineTimer = null;
  }

  #retryLater(): void {
    if (this.#retryTimer !== null) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#socket?.connect();
    }, REFUSED_RETRY_MS);
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }
}

/** `changed` over `list` by id, kept sorted by id as the server sorts the whole list. */
function mergeById(list: readonly AgentView[], changed: readonly AgentView[]): AgentView[] {
  const byId = new Map(list.map((agent) => [agent.id, agent]));
  for (const agent of changed) byId.set(agent.id, agent);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function initialTimes(now: number): Record<StateSection, number> {
  return Object.fromEntries(STATE_SECTIONS.map((s) => [s, now])) as Record<StateSection, number>;
}
