// What the wall shows, decided without Svelte, I/O or a clock (tested in test/web/wall/): which
// dashboard (its own, or the `incident` one taking over), which incident names the red bar, which
// alerts reach the wall, which page of the rotation is up, and what the top bar is. The bar is the
// wall's conscience: whatever else is going on, a wall that is not live says so, never a title.
import type { ActiveAlert } from '../../../../contract/alerts.js';
import type { Dashboard, DashboardPage } from '../../../../contract/dashboards.js';
import type { ConnectionStatus } from '../live/connection-status.js';
import { isMajor, wallModeOf, type IncidentLike, type WallMode } from '../incidents/present.js';

export interface ShownBoard<I extends IncidentLike> {
  mode: WallMode;
  /** The `incident` dashboard is shown instead of the wall's own. */
  takeover: boolean;
  /** The incident named in the red bar: in banner mode, and in takeover mode without an incident dashboard. */
  barIncident: I | null;
  dashboard: Dashboard | null;
}

/** The board a wall shows, given its own, the `incident` dashboard (if read) and the live incidents. */
export function shownBoard<I extends IncidentLike>(own: Dashboard | null, incidentBoard: Dashboard | null, incidents: readonly I[] | null): ShownBoard<I> {
  const mode = wallModeOf(own, incidents);
  const takeover = mode === 'takeover' && incidentBoard !== null;
  // The state lists them most severe first, then the earliest declared (the server knows the scale).
  const majors = (incidents ?? []).filter(isMajor);
  return {
    mode,
    takeover,
    barIncident: mode !== 'normal' && !takeover ? (majors[0] ?? null) : null,
    dashboard: takeover ? incidentBoard : own,
  };
}

/**
 * Alerts whose rule says `wall: true`, in the server's order (critical first), unless the wall's own
 * board opts out with `"alerts": false`; a taken-over wall follows its own board's choice.
 */
export function wallAlertsOf(own: Pick<Dashboard, 'alerts'> | null, alerts: readonly ActiveAlert[] | null): ActiveAlert[] {
  return own?.alerts === false ? [] : (alerts ?? []).filter((a) => a.wall);
}

/** The page up at rotation step `index` (which wraps), or null for a board without pages. */
export function pageAt(pages: readonly DashboardPage[], index: number): { page: DashboardPage; index: number } | null {
  const at = pages.length === 0 ? 0 : index % pages.length;
  const page = pages[at];
  return page === undefined ? null : { page, index: at };
}

/** What the top bar is, most urgent first. */
export type BarKind = 'store-down' | 'incident' | 'alert' | 'title' | 'connection';

export interface BarInput {
  status: ConnectionStatus;
  /** The server's last word on its storage: false while it cannot take events; null before it said. */
  storeOk: boolean | null;
  hasIncident: boolean;
  alertCount: number;
  /** Whether anything good ever arrived on this page. */
  hasLastGood: boolean;
}

/**
 * Live: storage down, then incident, then alert, then the title. Not live: the OFFLINE/RECONNECTING
 * banner with the last good time, except before the first connection, when there is nothing to warn
 * about yet (a quiet bar saying "connecting").
 */
export function barKindOf(input: BarInput): BarKind {
  if (input.status === 'live') {
    if (input.storeOk === false) return 'store-down';
    if (input.hasIncident) return 'incident';
    if (input.alertCount > 0) return 'alert';
    return 'title';
  }
  return input.status === 'reconnecting' && !input.hasLastGood ? 'title' : 'connection';
}

/** The hint of the connection banner: why it may be down, or that the numbers below may be old. */
export function connectionHintOf(token: string | null, error: string | null, hasLastGood: boolean): 'wall.noToken' | 'conn.refused' | 'conn.stale' | null {
  if (token === null) return 'wall.noToken';
  if (/^(unauthorized|forbidden)/.test(error ?? '')) return 'conn.refused';
  return hasLastGood ? 'conn.stale' : null;
}

/** The words in the middle of the wall when there is no widget to show. */
export type NoticeKind = 'empty' | 'unknown' | 'noToken' | 'loading' | 'connecting';

export function noticeOf(input: { hasPage: boolean; dashboardError: string | null; token: string | null; status: ConnectionStatus }): NoticeKind {
  if (input.hasPage) return 'empty';
  if (input.dashboardError !== null) return 'unknown';
  if (input.token === null) return 'noToken';
  return input.status === 'live' ? 'loading' : 'connecting';
}
