// Walls on the live channel (docs/contract.md#live-channel, #dashboards-as-code): a client that says `wall` joins the room of its dashboard
// and gets the dashboard's last good version; every good change of the file goes to that room at
// once, so open walls change without a reload. Used by the live hub, which owns the namespace;
// it lives beside it and reads the dashboards, which know nothing of the live channel.
// Wall control (docs/contract.md#wall-control): every named wall also joins `wall-name:<name>`, so a switch reaches the
// walls of that name on every instance through the Redis adapter; announcements go to everyone and
// the active one is sent to each new connection.
//
// A wall's name is a claim: any viewer may say it is "lobby". The name must pass the rules of every
// name (at most 200 characters, no control characters; bidi controls removed), and the listing
// shows every connection that claims a name with the address it came from and since when, so two
// screens answering to "lobby" show as two and a pose is visible to the supervisor.
import type { Namespace, Socket } from 'socket.io';
import { cleanName, TEXT_LIMITS } from '../domain/text-rules.js';
import type { AnnounceMessage, ClientToServerEvents, ListedWall, ServerToClientEvents, SocketData, WallInfo } from '../../contract/live-events.js';
import type { DashboardRegistry } from '../dashboards/dashboard-registry.js';
import { DASHBOARD_ID, formatProblem } from '../dashboards/validate-dashboard.js';

type WallSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type WallNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** A wall's name is shown on the supervisor page; longer is a mistake or mischief. */
export const MAX_WALL_NAME = TEXT_LIMITS.name;
/** How much of a refused dashboard id is echoed back. */
const MAX_ECHO = 100;

export const dashboardRoom = (id: string): string => `dashboard:${id}`;
export const wallNameRoom = (name: string): string => `wall-name:${name}`;
/** Every wall (a client that said `wall`), whatever its dashboard. */
export const WALLS_ROOM = 'walls';
/** The instances tell each other of announcements with this server-side event (distributed mode). */
const ANNOUNCE_SYNC = 'wall-announce';

export interface WallChannelOptions {
  namespace: WallNamespace;
  dashboards: DashboardRegistry;
  now: () => number;
  /** Other instances share the namespace through the Redis adapter (docs/contract.md#configuration). */
  distributed?: boolean;
}

export class WallChannel {
  private readonly onChanged = (id: string): void => this.push(id);

  /** The last announcement (it may have ended already). */
  private announcement: AnnounceMessage | null = null;

  constructor(private readonly options: WallChannelOptions) {
    options.dashboards.on('changed', this.onChanged);
    if (options.distributed === true) {
      // Server-side events are outside the typed client map; an announcement made on another
      // instance is kept here too, for the walls that connect to this one while it lasts.
      (options.namespace as unknown as Namespace).on(ANNOUNCE_SYNC, (message: unknown) => {
        if (isAnnouncement(message)) this.announcement = message;
      });
    }
  }

  /**
   * Called for every new connection: it becomes a wall when it says `wall`. `pace` runs the answer
   * to a well-formed hello (the whole dashboard) now or folded into the next allowed answer.
   */
  attach(socket: WallSocket, pace: (answer: () => void) => void): void {
    const connectedAt = iso(this.options.now());
    socket.on('wall', (hello: unknown) => this.hello(socket, hello, connectedAt, pace));
    const active = this.activeAnnouncement();
    if (active !== null) socket.emit('announce', { ...active, at: iso(this.options.now()) });
  }

  /** The walls connected to every instance (through the adapter in distributed mode), oldest first, with their addresses. */
  async listAll(): Promise<ListedWall[]> {
    const sockets = await this.options.namespace.fetchSockets();
    const walls: ListedWall[] = [];
    for (const socket of sockets) {
      if (socket.data.wall !== undefined) walls.push({ ...socket.data.wall, address: socket.data.address });
    }
    return walls.sort(byConnectedAt);
  }

  /** How many walls of this name are connected, on any instance. */
  async countNamed(name: string): Promise<number> {
    return (await this.options.namespace.in(wallNameRoom(name)).fetchSockets()).length;
  }

  /** Tells the walls of this name, on every instance, to show another dashboard. */
  show(name: string, dashboard: string): void {
    this.options.namespace.to(wallNameRoom(name)).emit('show-dashboard', { dashboard });
  }

  /** A banner on every wall of every instance until `now + seconds`. */
  announce(text: string, seconds: number): AnnounceMessage {
    const now = this.options.now();
    const message: AnnounceMessage = { text, until: iso(now + seconds * 1000), at: iso(now) };
    this.announcement = message;
    this.options.namespace.emit('announce', message);
    if (this.options.distributed === true) (this.options.namespace as unknown as Namespace).serverSideEmit(ANNOUNCE_SYNC, message);
    return message;
  }

  private activeAnnouncement(): AnnounceMessage | null {
    const a = this.announcement;
    if (a === null || Date.parse(a.until) <= this.options.now()) return null;
    return a;
  }

  /** The walls connected to this instance, oldest first. */
  list(): WallInfo[] {
    const walls: WallInfo[] = [];
    for (const socket of this.options.namespace.sockets.values()) {
      if (socket.data.wall !== undefined) walls.push({ ...socket.data.wall });
    }
    return walls.sort(byConnectedAt);
  }

  close(): void {
    this.options.dashboards.off('changed', this.onChanged);
  }

  private hello(socket: WallSocket, hello: unknown, connectedAt: string, pace: (answer: () => void) => void): void {
    // The payload comes from the network: check it as such, whatever the typed map says. A
    // malformed hello is answered at once (a short message) and changes nothing.
    const fields = typeof hello === 'object' && hello !== null ? (hello as Record<string, unknown>) : {};
    const id = fields.dashboard;
    if (typeof id !== 'string' || !DASHBOARD_ID.test(id)) {
      socket.emit('dashboard-error', {
        dashboard: typeof id === 'string' ? id.slice(0, MAX_ECHO) : '',
        message: 'send wall with {dashboard: "<id>"}, an id of a-z, 0-9 and - (the file name without .json)',
      });
      return;
    }
    const named = wallName(fields.name);
    if (!named.ok) {
      socket.emit('dashboard-error', { dashboard: id, message: `name: ${named.reason}` });
      return;
    }
    const name = named.name;

    const previous = socket.data.wall;
    if (previous !== undefined && previous.dashboard !== id) void socket.leave(dashboardRoom(previous.dashboard));
    // Joined even when the dashboard is unknown, so that the wall comes alive once its file appears.
    void socket.join(dashboardRoom(id));
    void socket.join(WALLS_ROOM);
    if (previous?.name != null && previous.name !== name) void socket.leave(wallNameRoom(previous.name));
    if (name !== null) void socket.join(wallNameRoom(name));
    socket.data.wall = { name, dashboard: id, connectedAt, lastSeen: iso(this.options.now()) };
    if (previous === undefined) {
      socket.conn.on('packet', () => {
        if (socket.data.wall !== undefined) socket.data.wall.lastSeen = iso(this.options.now());
      });
    }

    pace(() => this.answer(socket));
  }

  /** The dashboard of the wall's latest hello (requests folded into one answer get the latest). */
  private answer(socket: WallSocket): void {
    const wall = socket.data.wall;
    if (wall === undefined || !socket.connected) return;
    const dashboard = this.options.dashboards.get(wall.dashboard);
    if (dashboard !== undefined) {
      socket.emit('dashboard', { dashboard });
      return;
    }
    socket.emit('dashboard-error', { dashboard: wall.dashboard, message: this.whyNot(wall.dashboard) });
  }

  private whyNot(id: string): string {
    const problems = this.options.dashboards.problemsOf(id);
    if (problems.length > 0) {
      const file = `${id}.json`;
      return `dashboard "${id}" has no good version: ${problems.map((p) => formatProblem(file, p)).join('; ')}`;
    }
    const known = this.options.dashboards
      .list()
      .filter((d) => d.title !== null)
      .map((d) => d.id);
    return `no dashboard "${id}" (known: ${known.join(', ') || 'none'})`;
  }

  private push(id: string): void {
    const dashboard = this.options.dashboards.get(id);
    if (dashboard === undefined) return;
    // `local`: every instance runs its own registry and tells its own walls; through the Redis
    // adapter each wall would get the change once per instance.
    this.options.namespace.local.to(dashboardRoom(id)).emit('dashboard', { dashboard });
  }
}

/** A hello's `name`: absent or blank is an unnamed wall; otherwise it must pass the rules of names. */
function wallName(value: unknown): { ok: true; name: string | null } | { ok: false; reason: string } {
  if (value === undefined || value === null) return { ok: true, name: null };
  if (typeof value !== 'string') return { ok: false, reason: `a string of at most ${MAX_WALL_NAME} characters` };
  const trimmed = value.trim();
  if (trimmed === '') return { ok: true, name: null };
  const checked = cleanName(trimmed, MAX_WALL_NAME);
  return checked.ok ? { ok: true, name: checked.text } : { ok: false, reason: checked.reason };
}

const iso = (ms: number): string => new Date(ms).toISOString();

const byConnectedAt = (a: WallInfo, b: WallInfo): number => (a.connectedAt < b.connectedAt ? -1 : a.connectedAt > b.connectedAt ? 1 : 0);

function isAnnouncement(value: unknown): value is AnnounceMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.text === 'string' && typeof v.until === 'string' && typeof v.at === 'string';
}
