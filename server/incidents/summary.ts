// The short form of the active incidents for the live state (docs/contract.md#the-numbers `incidents`): what a wall in
// incident mode shows. Pure.
import type { IncidentSummary } from '../../contract/domain.js';
import { isActive } from './incident.js';
import { SEVERITIES, type Incident } from '../../contract/incidents.js';

export function summarize(incident: Incident): IncidentSummary {
  const latest = incident.updates.at(-1);
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    severity: incident.severity,
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
export function activeSummaries(incidents: Iterable<Incident>): IncidentSummary[] {
  return [...incidents]
    .filter(isActive)
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.number - b.number)
    .map(summarize);
}
