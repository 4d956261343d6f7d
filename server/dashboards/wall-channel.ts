// Walls on the live channel (SPEC 7, 8): a client that says `wall` joins the room of its dashboard
// and gets the dashboard's last good version; every good change of the file goes to that room at
// once, so open walls change without a reload. Used by the live hub, which owns the namespace.
import type { Namespace, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData, WallInfo } from '../live/events.js';
import type { DashboardRegistry } from './dashboard-registry.js';
import { DASHBOARD_ID, formatProblem } from './validate-dashboard.js';

type WallSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type WallNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** A wall's name is shown on the supervisor page; longer is a mistake or mischief. */
const MAX_NAME = 100;

export const dashboardRoom = (id: string): string => `dashboard:${id}`;

export interface WallChannelOptions {
  namespace: WallNamespace;
  dashboards: DashboardRegistry;
  now: () => number;
}

export class WallChannel {
  private readonly onChanged = (id: string): void => this.push(id);

  constructor(private readonly options: WallChannelOptions) {
    options.dashboards.on('changed', this.onChanged);
  }

  /** Called for every new connection: it becomes a wall when it says `wall`. */
  attach(socket: WallSocket): void {
    const connectedAt = iso(this.options.now());
    socket.on('wall', (hello: unknown) => this.hello(socket, hello, connectedAt));
  }

  /** The walls connected to this instance, oldest first. */
  list(): WallInfo[] {
    const walls: WallInfo[] = [];
    for (const socket of this.options.namespace.sockets.values()) {
      if (socket.data.wall !== undefined) walls.push({ ...socket.data.wall });
    }
    return walls.sort((a, b) => (a.connectedAt < b.connectedAt ? -1 : a.connectedAt > b.connectedAt ? 1 : 0));
  }

  close(): void {
    this.options.dashboards.off('changed', this.onChanged);
  }

  private hello(socket: WallSocket, hello: unknown, connectedAt: string): void {
    // The payload comes from the network: check it as such, whatever the typed map says.
    const fields = typeof hello === 'object' && hello !== null ? (hello as Record<string, unknown>) : {};
    const id = fields.dashboard;
    if (typeof id !== 'string' || !DASHBOARD_ID.test(id)) {
      socket.emit('dashboard-error', {
        dashboard: typeof id === 'string' ? id.slice(0, MAX_NAME) : '',
        message: 'send wall with {dashboard: "<id>"}, an id of a-z, 0-9 and - (the file name without .json)',
      });
      return;
    }
    const name = typeof fields.name === 'string' && fields.name.trim() !== '' ? fields.name.trim().slice(0, MAX_NAME) : null;

    const previous = socket.data.wall;
    if (previous !== undefined && previous.dashboard !== id) void socket.leave(dashboardRoom(previous.dashboard));
    // Joined even when the dashboard is unknown, so that the wall comes alive once its file appears.
    void socket.join(dashboardRoom(id));
    socket.data.wall = { name, dashboard: id, connectedAt, lastSeen: iso(this.options.now()) };
    if (previous === undefined) {
      socket.conn.on('packet', () => {
        if (socket.data.wall !== undefined) socket.data.wall.lastSeen = iso(this.options.now());
      });
    }

    const dashboard = this.options.dashboards.get(id);
    if (dashboard !== undefined) {
      socket.emit('dashboard', { dashboard });
      return;
    }
    socket.emit('dashboard-error', { dashboard: id, message: this.whyNot(id) });
  }

  private whyNot(id: string): string {
    const problems = this.options.dashboards.problemsOf(id);
    if (problems.length > 0) {
      const file = `${id}.json`;
      return `dashboard "${id}" has no good version: ${problems.map((p) => formatProblem(file, p)).join('; ')}`;
    }
    const known = this.options.dashboards.list().filter((d) => d.title !== null).map((d) => d.id);
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

const iso = (ms: number): string => new Date(ms).toISOString();
