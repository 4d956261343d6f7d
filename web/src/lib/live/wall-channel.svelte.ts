// What a wall says and hears on the live channel (docs/contract.md#dashboards-as-code,
// #wall-control): it says `wall {dashboard, name}` after every (re)connect (a restarted server knows
// nothing of its walls); the server answers with the dashboard and pushes each good change of its
// file, or says why it has none; a supervisor may switch it to another dashboard (until the page is
// reloaded) and put an announcement over it.
import type { Dashboard } from '../../../../contract/dashboards.js';
import type { AnnounceMessage, ClientToServerEvents } from '../../../../contract/live-events.js';
import { announcementOf, type Announcement } from './announcement.js';

/** What a wall tells the server after each (re)connect. */
export type WallHello = Parameters<ClientToServerEvents['wall']>[0];

export class WallChannel {
  #hello: WallHello | null = null;
  #wallDashboard = $state<string | null>(null);
  #dashboard = $state.raw<Dashboard | null>(null);
  #dashboardError = $state<string | null>(null);
  #announcement = $state.raw<Announcement | null>(null);

  /** What to say after a (re)connect, or null: this client is not a wall. */
  get hello(): WallHello | null {
    return this.#hello;
  }

  /** The dashboard this wall asks for: its URL's, or the one a supervisor switched it to. */
  get wallDashboard(): string | null {
    return this.#wallDashboard;
  }

  /** The wall's dashboard as the server last sent it, or null. */
  get dashboard(): Dashboard | null {
    return this.#dashboard;
  }

  /** Why the server has no dashboard for this wall, until it sends one; a shown dashboard stays shown. */
  get dashboardError(): string | null {
    return this.#dashboardError;
  }

  /** The last announcement; it is over once the clock passes `untilMs`. */
  get announcement(): Announcement | null {
    return this.#announcement;
  }

  join(hello: WallHello): void {
    this.#hello = hello;
    this.#wallDashboard = hello.dashboard;
  }

  /** The hello after a supervisor's switch to `dashboard`, or null when this client is no wall (or the message is bad). */
  switchedTo(dashboard: unknown): WallHello | null {
    if (this.#hello === null || typeof dashboard !== 'string') return null;
    return { ...this.#hello, dashboard };
  }

  received(dashboard: Dashboard): void {
    this.#dashboard = dashboard;
    this.#dashboardError = null;
  }

  refused(message: string): void {
    this.#dashboardError = message;
  }

  announced(message: AnnounceMessage, nowMs: number): void {
    const announcement = announcementOf(message, nowMs);
    if (announcement !== null) this.#announcement = announcement;
  }
}
