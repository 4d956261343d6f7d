// One definition of each daily figure (docs/contract.md#reports-to-management), computed from the
// tickets' day parts, the line's end-of-day counts and the incidents: for one day, or for a whole
// period at once (medians over the period's tickets, never a median of daily medians). The same
// median and nearest-rank rules as the live state, so a day's figures equal what the wall showed. Pure.
import type { Figures } from '../../contract/reports.js';
import { median, nearestRank } from '../domain/daily-stats.js';
import type { DayPart } from './day-parts.js';

/** What is counted per line and day besides the tickets' parts (written at the day's end). */
export interface LineDay {
  day: string;
  line: string;
  /** Open tickets at the end of the day; null when nobody counted them (the server was down). */
  backlog: number | null;
  /** Σ|actual − forecast| and Σ actual over the day's intervals, for WAPE; null without a forecast. */
  forecastAbsError: number | null;
  forecastActual: number | null;
  scheduledAgentHours: number | null;
  requiredAgentHours: number | null;
  /** The backlog was rebuilt from the tickets' times after the server was down over the day's end, not counted then. */
  reconstructed: boolean;
}

/** An incident as the figures count it: on the day it was declared. */
export interface IncidentTimes {
  declaredMs: number;
  mitigatedMs: number | null;
  resolvedMs: number | null;
}

export interface FigureInputs {
  /** The parts of the row's line (of every line for the department's row). */
  parts: Iterable<DayPart>;
  /**
   * The escalations from the row's line, in the span: counted on the line left, whichever line
   * the ticket's part is under now (report-data.ts counts them over every part).
   */
  escalated: number;
  /** The line-days covered, in day order: backlog is the last one's; the others add up. */
  lineDays: readonly LineDay[];
  /** Incidents declared in the span; null for a line's row (incidents belong to the department). */
  incidents: readonly IncidentTimes[] | null;
  /** The end of the span, for an incident still open (its minutes run to here). */
  endMs: number;
}

export function figuresOf({ parts, escalated, lineDays, incidents, endMs }: FigureInputs): Figures {
  let created = 0;
  let solved = 0;
  let met = 0;
  let missed = 0;
  let csatGood = 0;
  let csatRated = 0;
  let reopened = 0;
  const frt: number[] = [];
  const resolution: number[] = [];
  for (const part of parts) {
    if (part.created) created += 1;
    if (part.resolutionSec !== null) {
      solved += 1;
      resolution.push(part.resolutionSec);
    }
    if (part.frtSec !== null) frt.push(part.frtSec);
    if (part.csatGood !== null) {
      csatRated += 1;
      if (part.csatGood) csatGood += 1;
    }
    met += part.met;
    missed += part.missed;
    reopened += part.reopened;
  }
  frt.sort((a, b) => a - b);
  resolution.sort((a, b) => a - b);
  const last = lastBacklogs(lineDays);
  const targets = met + missed;
  const incidentFigures = incidentFiguresOf(incidents, endMs);
  const forecastActual = sumOrNull(lineDays, (d) => d.forecastActual);
  const forecastAbsError = sumOrNull(lineDays, (d) => d.forecastAbsError);
  return {
    created,
    solved,
    backlog: last,
    targetsMet: met,
    targetsMissed: missed,
    compliance: targets === 0 ? null : met / targets,
    frtMedianSec: median(frt),
    frtP90Sec: nearestRank(frt, 0.9),
    resolutionMedianSec: median(resolution),
    resolutionP90Sec: nearestRank(resolution, 0.9),
    csatGood,
    csatRated,
    csat: csatRated === 0 ? null : csatGood / csatRated,
    // From the tickets' history of queues and statuses (docs/contract.md#the-flow-between-lines).
    reopened,
    escalated,
    ...incidentFigures,
    forecastWape: forecastActual === null || forecastAbsError === null || forecastActual === 0 ? null : forecastAbsError / forecastActual,
    scheduledAgentHours: sumOrNull(lineDays, (d) => d.scheduledAgentHours),
    requiredAgentHours: sumOrNull(lineDays, (d) => d.requiredAgentHours),
  };
}

/**
 * The backlog at the end of the span: per line, its last counted day's backlog, added up over the
 * lines. Null when the span's last day has no count for any line.
 */
function lastBacklogs(lineDays: readonly LineDay[]): number | null {
  if (lineDays.length === 0) return null;
  const lastDay = lineDays
    .map((d) => d.day)
    .sort()
    .at(-1);
  let total: number | null = null;
  for (const d of lineDays) if (d.day === lastDay && d.backlog !== null) total = (total ?? 0) + d.backlog;
  return total;
}

function sumOrNull(lineDays: readonly LineDay[], pick: (d: LineDay) => number | null): number | null {
  let total: number | null = null;
  for (const d of lineDays) {
    const value = pick(d);
    if (value !== null) total = (total ?? 0) + value;
  }
  return total;
}

type IncidentFigures = Pick<Figures, 'incidents' | 'incidentMinutes' | 'timeToMitigateMedianSec' | 'timeToResolveMedianSec'>;

function incidentFiguresOf(incidents: readonly IncidentTimes[] | null, endMs: number): IncidentFigures {
  if (incidents === null) return { incidents: null, incidentMinutes: null, timeToMitigateMedianSec: null, timeToResolveMedianSec: null };
  let minutes = 0;
  const mitigate: number[] = [];
  const resolve: number[] = [];
  for (const incident of incidents) {
    const end = incident.resolvedMs ?? endMs;
    minutes += Math.max(0, end - incident.declaredMs) / 60_000;
    if (incident.mitigatedMs !== null) mitigate.push(Math.max(0, incident.mitigatedMs - incident.declaredMs) / 1000);
    if (incident.resolvedMs !== null) resolve.push(Math.max(0, incident.resolvedMs - incident.declaredMs) / 1000);
  }
  mitigate.sort((a, b) => a - b);
  resolve.sort((a, b) => a - b);
  return {
    incidents: incidents.length,
    incidentMinutes: Math.round(minutes),
    timeToMitigateMedianSec: median(mitigate),
    timeToResolveMedianSec: median(resolve),
  };
}
