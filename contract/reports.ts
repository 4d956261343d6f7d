// Reports to management (docs/contract.md#reports-to-management): the daily figures kept for 400
// days, report definitions (`dashboards/reports/*.json`), their runs, and what a run is rendered
// from. Types and constant lists only: imported by the server, the web app and the tests alike.

/** The daily figures, in the order of the CSV's columns (after `date` and `line`). */
export const DAILY_FIGURES = [
  'created',
  'solved',
  'backlog',
  'targetsMet',
  'targetsMissed',
  'compliance',
  'frtMedianSec',
  'frtP90Sec',
  'resolutionMedianSec',
  'resolutionP90Sec',
  'csatGood',
  'csatRated',
  'csat',
  'reopened',
  'escalated',
  'incidents',
  'incidentMinutes',
  'timeToMitigateMedianSec',
  'timeToResolveMedianSec',
  'forecastWape',
  'scheduledAgentHours',
  'requiredAgentHours',
] as const;
export type DailyFigure = (typeof DAILY_FIGURES)[number];

/** One row of figures: every figure, null where it has no value (no tickets answered, no forecast). */
export type Figures = { [K in DailyFigure]: number | null };

/**
 * Which way is better for a figure: 'up' (more is better), 'down' (less is better), or null (neither:
 * volume). Reports colour the change against the previous period by this.
 */
export const FIGURE_BETTER: { readonly [K in DailyFigure]: 'up' | 'down' | null } = {
  created: null,
  solved: 'up',
  backlog: 'down',
  targetsMet: 'up',
  targetsMissed: 'down',
  compliance: 'up',
  frtMedianSec: 'down',
  frtP90Sec: 'down',
  resolutionMedianSec: 'down',
  resolutionP90Sec: 'down',
  csatGood: 'up',
  csatRated: null,
  csat: 'up',
  reopened: 'down',
  escalated: 'down',
  incidents: 'down',
  incidentMinutes: 'down',
  timeToMitigateMedianSec: 'down',
  timeToResolveMedianSec: 'down',
  forecastWape: 'down',
  scheduledAgentHours: null,
  requiredAgentHours: null,
};

/** How a figure is shown: a count, a duration in seconds, a share 0–1, or hours. */
export const FIGURE_UNIT: { readonly [K in DailyFigure]: 'count' | 'seconds' | 'share' | 'hours' | 'minutes' } = {
  created: 'count',
  solved: 'count',
  backlog: 'count',
  targetsMet: 'count',
  targetsMissed: 'count',
  compliance: 'share',
  frtMedianSec: 'seconds',
  frtP90Sec: 'seconds',
  resolutionMedianSec: 'seconds',
  resolutionP90Sec: 'seconds',
  csatGood: 'count',
  csatRated: 'count',
  csat: 'share',
  reopened: 'count',
  escalated: 'count',
  incidents: 'count',
  incidentMinutes: 'minutes',
  timeToMitigateMedianSec: 'seconds',
  timeToResolveMedianSec: 'seconds',
  forecastWape: 'share',
  scheduledAgentHours: 'hours',
  requiredAgentHours: 'hours',
};

/** The line name of the whole department's row (every line together). */
export const ALL_LINES = 'all';

/** One day × line: `date` is the local day (YYYY-MM-DD), `line` a queue id or `ALL_LINES`. */
export interface DailyRow {
  date: string;
  line: string;
  figures: Figures;
}

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export const REPORT_LANGS = ['en', 'ru'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

export const REPORT_SECTION_TYPES = ['summary', 'trend', 'lines', 'worstDays', 'incidents', 'forecast', 'staffing'] as const;
export type ReportSectionType = (typeof REPORT_SECTION_TYPES)[number];

/** One section of a report, in the order given. */
export type ReportSection =
  /** The period's figures for the whole department, each against the previous period with an arrow. */
  | { type: 'summary'; title?: string; figures: DailyFigure[] }
  /** A day-by-day chart of one figure, one series per line (all lines when `lines` is absent). */
  | { type: 'trend'; title?: string; figure: DailyFigure; lines?: string[] }
  /** A table: one row per line, one column per figure, for the period. */
  | { type: 'lines'; title?: string; figures: DailyFigure[] }
  /** The `count` worst days of the period by `figure` (worst by FIGURE_BETTER). */
  | { type: 'worstDays'; title?: string; figure: DailyFigure; count: number }
  /** The incidents declared in the period, with their times. */
  | { type: 'incidents'; title?: string }
  /** Forecast accuracy per line: WAPE per day and for the period. */
  | { type: 'forecast'; title?: string }
  /** Scheduled against required agent-hours per line. */
  | { type: 'staffing'; title?: string };

/** `dashboards/reports/<id>.json`. */
export interface ReportDefinition {
  id: string;
  title: string;
  period: ReportPeriod;
  /** A five-field cron expression in the server's local time (TZ): when the run for the period just ended starts. */
  schedule: string;
  lang: ReportLang;
  sections: ReportSection[];
}

/** An incident as a report lists it. */
export interface ReportIncident {
  id: string;
  number: number;
  title: string;
  severity: string;
  status: string;
  declaredAt: string;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  /** declared → resolved (or → the period's end for one still open), minutes. */
  minutes: number;
  /** Follow-up actions (title, owner, due, done); empty until incidents have follow-ups. */
  followUps: { title: string; owner: string | null; dueAt: string | null; done: boolean }[];
}

/** Everything a run is rendered from: computed once by the server; the renderers only lay it out. */
export interface ReportData {
  definition: ReportDefinition;
  /** First local day of the period and the first day after it (YYYY-MM-DD). */
  periodStart: string;
  periodEnd: string;
  previousStart: string;
  previousEnd: string;
  timeZone: string;
  generatedAt: string;
  /** The lines that have figures in either period, sorted; `ALL_LINES` is not among them. */
  lines: string[];
  /** The period's days × (lines and ALL_LINES), by date then line. */
  days: DailyRow[];
  /** The whole period per line and for ALL_LINES (medians over the period's tickets, not of the days). */
  totals: DailyRow[];
  /** The same for the previous period. */
  previousTotals: DailyRow[];
  incidents: ReportIncident[];
  /** What the figures could not recover (days the server was down, forgotten tickets), said in the report. */
  notes: string[];
}

export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** `GET /api/v1/reports/runs` rows. */
export interface ReportRun {
  runId: string;
  reportId: string;
  title: string;
  period: ReportPeriod;
  periodStart: string;
  periodEnd: string;
  trigger: RunTrigger;
  /** The token's name of whoever asked ("scheduler" for a scheduled run). */
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'done' | 'failed';
  error: string | null;
}

/** `GET /api/v1/reports`: the definitions in force, what is wrong with the files, and whether PDF can be printed here. */
export interface ReportsAnswer {
  reports: Pick<ReportDefinition, 'id' | 'title' | 'period' | 'schedule' | 'lang'>[];
  /** Files refused (file, JSON path, message); the last good version of each stays in force. */
  problems: { file: string; path: string; message: string }[];
  /** False when no headless Chromium is installed: `.pdf` answers 501, HTML and CSV still work. */
  pdf: boolean;
}

/** `GET /api/v1/reports/runs?limit=`: newest first. */
export interface ReportRunsAnswer {
  runs: ReportRun[];
}

/** `POST /api/v1/reports/:id/run` body: the period's first day (a Monday for a week, the 1st for a month). */
export interface RunRequest {
  periodStart: string;
}
