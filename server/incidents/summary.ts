// The short form of the active incidents for the live state (docs/contract.md#the-numbers `incidents`): what a wall in
// incident mode shows, and whether it puts walls into incident mode (`major`, from the scale in force, so walls
// never need the scale). Pure.
import type { IncidentSummary } from '../../contract/domain.js';
import { isActive } from './incident.js';
import { type Incident, type SeverityScale, severityLevel, severityRank } from '../../contract/incidents.js';

export function summarize(incident: Incident, scale: SeverityScale): IncidentSummary {
  const latest = incident.updates.at(-1);
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    severity: incident.severity,
    // A severity the scale no longer has is not major: the file decides what takes over walls.
    major: incident.status !== 'resolved' && severityLevel(scale, incident.severity)?.major === true,
    status: incident.status,
    declaredAt: incident.declaredAt,
    commander: incident.roles.commander,
    latestUpdate: latest === undefined ? null : { at: latest.at, actor: latest.actor, audience: latest.audience, text: latest.text },
    nextUpdateDueAt: incident.nextUpdateDueAt,
    linkedTickets: incident.linkedTickets.count,
    linkedRatePerHour: incident.linkedTickets.perHour,
    tasksDone: incident.tasks.filter((t) => t.done).length,
    tasksTotal: incident.tasks.length,
    version: incident.version,
  };
}

/** The active incidents, most severe first, then the earliest declared. */
export function activeSummaries(incidents: Iterable<Incident>, scale: SeverityScale): IncidentSummary[] {
  return [...incidents]
    .filter(isActive)
    .sort((a, b) => severityRank(scale, a.severity) - severityRank(scale, b.severity) || a.number - b.number)
    .map((incident) => summarize(incident, scale));
}
