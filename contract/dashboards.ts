// Dashboards as code (docs/contract.md#dashboards-as-code): the shape of `dashboards/*.json`, shared by server and web.
// Types and their constant lists only.

export const WIDGET_TYPES = ['stat', 'gauge', 'sparkline', 'queue-table', 'agent-board', 'sla-risk', 'incident', 'clock', 'text', 'staffing', 'flow'] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

export const THRESHOLD_COLORS = ['green', 'amber', 'red', 'blue', 'grey'] as const;
export type ThresholdColor = (typeof THRESHOLD_COLORS)[number];

export const WIDGET_FORMATS = ['number', 'percent', 'duration'] as const;
export type WidgetFormat = (typeof WIDGET_FORMATS)[number];

export const DASHBOARD_LANGS = ['en', 'ru'] as const;
export type DashboardLang = (typeof DASHBOARD_LANGS)[number];

export const INCIDENT_MODES = ['takeover', 'banner'] as const;
export type IncidentMode = (typeof INCIDENT_MODES)[number];

/** Every page is a grid of this many columns and rows; a widget's box must fit inside. */
export const GRID_COLUMNS = 12;
export const GRID_ROWS = 12;

/**
 * A colour for values within the bounds (`gte` and/or `lte`, both inclusive). The LAST threshold
 * whose bounds hold colours the widget, so list them from mild to severe, as docs/contract.md#dashboards-as-code does:
 * `[{"gte":10,"color":"amber"},{"gte":20,"color":"red"}]` makes 25 red. See thresholds.ts.
 */
export interface Threshold {
  gte?: number;
  lte?: number;
  color: ThresholdColor;
}

export interface Widget {
  type: WidgetType;
  /**
   * A path into the live state (see metrics.ts): a number (`queues.l1.waiting`,
   * `sla.complianceToday`) for stat, gauge and sparkline; a list (`queues`, `agents`,
   * `tickets.at-risk`, `incidents`) for the list widgets, filled in by the validator when the file
   * leaves it out; absent for clock and text.
   */
  metric?: string;
  title?: string;
  /** stat, gauge and sparkline only. */
  thresholds?: Threshold[];
  /** How the value reads: a count, a share (0..1 shown as %), or seconds shown as a duration. stat, gauge and sparkline only. */
  format?: WidgetFormat;
  /** The gauge's scale (gauge only); when left out the wall chooses (0..1 for percent). */
  min?: number;
  max?: number;
  /** The words of a `text` widget (required there, refused elsewhere). */
  text?: string;
  /**
   * A sparkline of `staffing.<line>.actual` only: arrivals per interval over the window and the
   * next 2 h, drawn with the forecast's expected line and its P10–P90 band.
   */
  forecast?: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardPage {
  title?: string;
  widgets: Widget[];
}

export interface Dashboard {
  id: string;
  title: string;
  /** The wall's language unless the URL says `?lang=`. */
  lang?: DashboardLang;
  /** Pages rotate every this many seconds (at least 5) when set. */
  rotateSeconds?: number;
  /** While a major incident (SEV1/SEV2 as shipped, docs/contract.md#severities) is active: switch to the `incident` dashboard, or show a banner. */
  incidentMode?: IncidentMode;
  /** Whether wall-visible alerts (`"wall": true` in alerts.json) show on this board's bar; default true. */
  alerts?: boolean;
  pages: DashboardPage[];
}

/** One thing wrong with a dashboard file: where (a JSON path, '' for the file as a whole) and why. */
export interface DashboardProblem {
  path: string;
  message: string;
}
