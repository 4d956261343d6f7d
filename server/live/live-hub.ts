// The `/live` namespace (docs/contract.md#live-channel): the whole state on connect, then deltas of the sections that
// changed, as the live feed (live-feed.ts) hands them over, at most once per 250 ms; a per-connection `seq`; a client whose
// socket is not draining gets no more deltas (nor agent changes), and a fresh whole state (and
// agents list) once it drains. Every connection is guarded (connection-guard.ts): whatever is
// sent counts toward a bounded buffer, past which a client that does not read is cut, and its
// inbound packets are rate limited. Requests for a whole payload are paced (answer-pacing.ts).
import type { SuggestionsMessage } from '../../contract/suggestions.js';
import type { Namespace, Server, Socket } from 'socket.io';
import type { TokenRegistry } from '../auth/tokens.js';
import { authenticateSocket } from '../http/auth.js';
import type { DashboardRegistry } from '../dashboards/dashboard-registry.js';
import type { ActiveAlert } from '../../contract/alerts.js';
import type { AgentView, StateSection } from '../../contract/domain.js';
import type { Incident } from '../../contract/incidents.js';
import {
  type AnnounceMessage,
  LIVE_NAMESPACE,
  type ClientToServerEvents,
  type DeltaMessage,
  type ServerToClientEvents,
  type SocketData,
  type ListedWall,
  type StoreHealth,
  type WallInfo,
} from '../../contract/live-events.js';
import { AnswerPacing } from './answer-pacing.js';
import type { StateDelta, StateSnapshot } from '../domain/live-model.js';
import { ConnectionGuard, DEFAULT_CONNECTION_LIMITS, type CutReason, type EngineConnection } from './connection-guard.js';
import { WALLS_ROOM, WallChannel } from './wall-channel.js';
import { SharedDelta } from './shared-delta-encoder.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;
type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

interface LiveSocketData extends SocketData {
  /** Set when deltas were skipped because the client was not keeping up. */
  behind: boolean;
  /** Set when agent changes were skipped because the client was not keeping up. */
  agentsBehind: boolean;
  /** What the client called its page at the handshake (`auth.page`), for the clients metric; unchecked, so capped. */
  page: string | null;
  /** The model's change mark of the last whole state sent: later deltas skip the sections it had already. */
  mark: number;
}

/** A handshake's page name is only ever compared to a few known words. */
const MAX_PAGE_NAME = 20;

/** The requests answered with a whole payload, each paced on its own. */
type PacedRequest = 'resync' | 'watch-agents' | 'wall';

/** What the feed hands the hub once per slot: the sections that changed, and the agents that did. */
export interface LiveUpdate extends StateDelta {
  /** The agents changed since the last update, for the connections that list agents. */
  agents: AgentView[];
}

export interface LiveHubOptions {
  io: Server;
  tokens: TokenRegistry;
  /** The whole current state and its change mark, for a connection that has nothing yet or fell behind (the caller advances the model's clock first). */
  snapshot: () => StateSnapshot;
  /** The dashboards walls ask for with `wall`. */
  dashboards: DashboardRegistry;
  now: () => number;
  /** Other instances share `/live` through the Redis adapter (docs/contract.md#configuration). */
  distributed?: boolean;
  /** All agents, for a client that starts listing them. */
  agentList: () => AgentView[];
  /** Where a cut connection is reported. */
  log?: { warn(details: object, message: string): void };
}

/** The room of the connections that list agents (`watch-agents`); local to each instance. */
const AGENTS_ROOM = 'agents';

export class LiveHub {
  private readonly namespace: LiveNamespace;
  private readonly wallChannel: WallChannel;
  /** Messages skipped for slow clients since start, for /healthz. */
  skippedForSlowClients = 0;
  /** Connections cut since start: not reading past the buffer bound, or sending too fast. */
  readonly cutConnections: Record<CutReason, number> = { 'not reading': 0, 'too many packets': 0 };
  private readonly guards = new WeakMap<object, ConnectionGuard>();
  private health: StoreHealth;
  private activeAlerts: ActiveAlert[] = [];
  private openSuggestions: SuggestionsMessage | null = null;
  /** Told after each full broadcast how many connections it reached (the broadcast-delay metric). */
  private readonly broadcastListeners: ((sent: number) => void)[] = [];

  constructor(private readonly options: LiveHubOptions) {
    this.health = { ok: true, since: new Date(options.now()).toISOString() };
    this.namespace = options.io.of(LIVE_NAMESPACE) as LiveNamespace;
    this.wallChannel = new WallChannel({
      namespace: this.namespace,
      dashboards: options.dashboards,
      now: options.now,
      distributed: options.distributed ?? false,
    });
    // Guarded from the engine.io handshake on, before any namespace: a flood need not join /live.
    options.io.engine.on('connection', (conn: EngineConnection) => {
      const guard = new ConnectionGuard(conn, DEFAULT_CONNECTION_LIMITS, (reason, pendingBytes) => {
        this.cutConnections[reason]++;
        options.log?.warn({ address: conn.remoteAddress, reason, pendingBytes }, 'live connection cut');
      });
      this.guards.set(conn, guard);
    });
    this.namespace.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown; page?: unknown };
      const token = typeof auth.token === 'string' ? auth.token : undefined;
      const page = typeof auth.page === 'string' ? auth.page.slice(0, MAX_PAGE_NAME) : null;
      const principal = authenticateSocket(options.tokens, token, socket.handshake.address);
      if (principal instanceof Error) return next(principal);
      Object.assign(socket.data, {
        role: principal.role,
        name: principal.name,
        address: socket.handshake.address,
        seq: 0,
        behind: false,
        agentsBehind: false,
        page,
        mark: 0,
      });
      next();
    });
    this.namespace.on('connection', (socket: LiveSocket) => {
      this.sendState(socket, options.snapshot());
      socket.emit('health', this.health);
      socket.emit('alerts', { at: this.isoNow(), active: this.activeAlerts });
      if (this.openSuggestions !== null) socket.emit('suggestions', this.openSuggestions);
      const pacing = new AnswerPacing<PacedRequest>();
      socket.on('disconnect', () => pacing.stop());
      // A client that is not keeping up gets no whole answer on top of its backlog: it is marked
      // behind instead, and the broadcast sends the whole state (or agents list) once it drains.
      socket.on('resync', () =>
        pacing.request('resync', () => {
          if (this.isSlow(socket)) socket.data.behind = true;
          else this.sendState(socket, options.snapshot());
        }),
      );
      socket.on('watch-agents', () => {
        void socket.join(AGENTS_ROOM);
        pacing.request('watch-agents', () => {
          if (this.isSlow(socket)) socket.data.agentsBehind = true;
          else this.sendAgentList(socket, options.agentList());
        });
      });
      this.wallChannel.attach(socket, (answer) => pacing.request('wall', answer));
    });
  }

  /**
   * The store became reachable or unreachable. Told to this instance's clients at once (it is
   * about this instance), outside the seq of state messages like the dashboard messages.
   */
  setStoreHealth(ok: boolean): void {
    if (ok === this.health.ok) return;
    this.health = { ok, since: this.isoNow() };
    this.namespace.local.emit('health', this.health);
  }

  /**
   * The active alerts changed (on this instance's view): every client of this instance hears the
   * whole list at once. Local: in distributed mode every instance holds the same view and tells
   * its own clients, so none hears it twice.
   */
  alertsChanged(active: ActiveAlert[]): void {
    this.activeAlerts = active;
    this.namespace.local.emit('alerts', { at: this.isoNow(), active });
  }

  /** Surge detection's open suggestions changed: every local screen hears (each instance detects on its own). */
  suggestionsChanged(message: SuggestionsMessage): void {
    this.openSuggestions = message;
    // Walls show suggestions only where dashboards/surge.json says so; otherwise they would get a
    // message a second in an outage for nothing (the one sent on connect says `wall: false` too).
    if (message.wall) this.namespace.local.emit('suggestions', message);
    else this.namespace.local.except(WALLS_ROOM).emit('suggestions', message);
  }

  private isoNow(): string {
    return new Date(this.options.now()).toISOString();
  }

  get storeHealth(): StoreHealth {
    return this.health;
  }

  get clientCount(): number {
    return this.namespace.sockets.size;
  }

  /** What this instance knows of each connection's page: said `wall`, lists agents, its own word. */
  *clientFacts(): IterableIterator<{ wall: boolean; watchingAgents: boolean; page: string | null }> {
    for (const socket of this.namespace.sockets.values()) {
      yield { wall: socket.data.wall !== undefined, watchingAgents: socket.rooms.has(AGENTS_ROOM), page: socket.data.page };
    }
  }

  onBroadcast(listener: (sent: number) => void): void {
    this.broadcastListeners.push(listener);
  }

  /** The walls connected to this instance: name, dashboard, connectedAt, lastSeen. */
  walls(): WallInfo[] {
    return this.wallChannel.list();
  }

  /** The walls connected to any instance (distributed mode: through the adapter's fetchSockets), with their addresses. */
  allWalls(): Promise<ListedWall[]> {
    return this.wallChannel.listAll();
  }

  /** How many walls of this name are connected, on any instance. */
  wallsNamed(name: string): Promise<number> {
    return this.wallChannel.countNamed(name);
  }

  /** Switches the walls of this name to another dashboard (docs/contract.md#wall-control); they ask for it themselves. */
  showOnWalls(name: string, dashboard: string): void {
    this.wallChannel.show(name, dashboard);
  }

  /** A banner on every wall for `seconds` (docs/contract.md#wall-control). */
  announce(text: string, seconds: number): AnnounceMessage {
    return this.wallChannel.announce(text, seconds);
  }

  /**
   * An incident changed: the whole incident goes to every connection now, then a delta with the
   * state's `incidents` section (when it changed; `incidents` is empty otherwise), also now. Incident
   * changes skip the 250 ms pacing (docs/contract.md#live-channel); the other sections keep their
   * slot. Every connection gets the incident, slow ones too: incident changes come at the pace of
   * people typing, never as a flood.
   */
  incidentChanged(incident: Incident, incidents: StateDelta): void {
    const at = this.isoNow();
    for (const socket of this.namespace.sockets.values()) {
      socket.data.seq++;
      socket.emit('incident', { seq: socket.data.seq, at, incident });
    }
    this.send(incidents);
  }

  private sendAgentList(socket: LiveSocket, agents: AgentView[]): void {
    socket.data.agentsBehind = false;
    socket.emit('agents', { at: this.isoNow(), full: true, agents });
  }

  /**
   * The agents that changed go to the connections listing agents, except slow ones: those are
   * marked behind and get the whole list once they drain, instead of a queue of changes.
   */
  private sendAgentChanges(changed: AgentView[]): void {
    const room = this.namespace.adapter.rooms.get(AGENTS_ROOM);
    if (room === undefined) return;
    const skipped: string[] = [];
    let whole: AgentView[] | null = null;
    for (const id of room) {
      const socket = this.namespace.sockets.get(id);
      if (socket === undefined) continue;
      if (this.isSlow(socket)) {
        if (changed.length > 0) socket.data.agentsBehind = true;
        skipped.push(id);
      } else if (socket.data.agentsBehind) {
        whole ??= this.options.agentList();
        this.sendAgentList(socket, whole);
        skipped.push(id);
      }
    }
    if (changed.length > 0) this.namespace.local.to(AGENTS_ROOM).except(skipped).emit('agents', { at: this.isoNow(), full: false, agents: changed });
  }

  private isSlow(socket: LiveSocket): boolean {
    const guard = this.guards.get(socket.conn);
    return guard === undefined ? false : guard.slow;
  }

  private sendState(socket: LiveSocket, { state, mark }: StateSnapshot): void {
    socket.data.seq++;
    socket.data.behind = false;
    socket.data.mark = mark;
    socket.emit('state', { ...state, seq: socket.data.seq });
  }

  /**
   * One slot's update from the feed: the agents that changed to those listing them, the sections
   * that changed to everyone (a connection that fell behind gets the whole state instead, once it
   * drains). Called every slot, also when nothing changed, so a drained connection is caught up.
   */
  publish(update: LiveUpdate): void {
    this.sendAgentChanges(update.agents);
    this.broadcasted(this.namespace.sockets.size === 0 ? 0 : this.send(update));
  }

  /**
   * Sends these sections to every connection that keeps up, each the ones it does not have yet (a
   * connection whose whole state came after a section's change has it); answers how many it reached.
   */
  private send(delta: StateDelta): number {
    const given = Object.keys(delta.sections) as StateSection[];
    // The newest change among them: a connection whose whole state is at least this recent needs none.
    const newest = Math.max(-1, ...given.map((section) => delta.marks[section] ?? Infinity));
    let whole: StateSnapshot | null = null;
    // The sections every connection that lacks them all gets: serialised once (SharedDelta).
    let allSections: string | null = null;
    let reached = 0;
    for (const socket of this.namespace.sockets.values()) {
      const changed = socket.data.mark < newest;
      if (!changed && !socket.data.behind) continue;
      if (this.isSlow(socket)) {
        if (changed) this.skippedForSlowClients++;
        socket.data.behind = true;
        continue;
      }
      reached++;
      if (socket.data.behind) {
        whole ??= this.options.snapshot();
        this.sendState(socket, whole);
        continue;
      }
      socket.data.seq++;
      const sections = sectionsAfter(delta, given, socket.data.mark);
      if (sections === delta.sections) {
        allSections ??= JSON.stringify(delta.sections);
        // The same message on the wire (shared-delta-encoder.ts); typed as what the client decodes.
        socket.emit('delta', new SharedDelta(socket.data.seq, delta.at, allSections) as unknown as DeltaMessage);
      } else {
        const message: DeltaMessage = { seq: socket.data.seq, at: delta.at, ...sections };
        socket.emit('delta', message);
      }
    }
    return reached;
  }

  private broadcasted(reached: number): void {
    for (const listener of this.broadcastListeners) listener(reached);
  }

  /**
   * Stops sending. Connections are dropped by `io.close()`, not disconnected one by one: a
   * DISCONNECT packet tells socket.io clients not to reconnect, and walls must come back.
   */
  close(): void {
    this.wallChannel.close();
  }
}

/** The sections of a delta changed after `mark` (all of them, mostly: a connection's whole state is older than any change given). */
function sectionsAfter(delta: StateDelta, given: readonly StateSection[], mark: number): StateDelta['sections'] {
  if (given.every((section) => (delta.marks[section] ?? Infinity) > mark)) return delta.sections;
  const sections: StateDelta['sections'] = {};
  for (const section of given) {
    if ((delta.marks[section] ?? Infinity) > mark) Object.assign(sections, { [section]: delta.sections[section] });
  }
  return sections;
}
