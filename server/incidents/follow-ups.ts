// Follow-ups across incidents (docs/contract.md#follow-ups): the rows of `GET /api/v1/follow-ups`
// and the live state's `followUps` counts. Overdue is a matter of time alone (open and past its
// due time), so everything here takes `now`. Pure.
import type { FollowUpCounts } from '../../contract/domain.js';
import type { FollowUpFilter, FollowUpRow, Incident, IncidentFollowUp } from '../../contract/incidents.js';

/** Open and past its due time at `now`. */
export function isOverdue(followUp: Pick<IncidentFollowUp, 'status' | 'dueAt'>, now: number): boolean {
  return followUp.status === 'open' && Date.parse(followUp.dueAt) < now;
}

/** Every follow-up of `incidents` that `filter` keeps, by due time (then incident and id, so that equal times keep one order). */
export function followUpRows(incidents: Iterable<Incident>, filter: FollowUpFilter, now: number): FollowUpRow[] {
  const rows: FollowUpRow[] = [];
  for (const incident of incidents) {
    for (const followUp of incident.followUps) {
      const overdue = isOverdue(followUp, now);
      if (filter === 'open' && followUp.status !== 'open') continue;
      if (filter === 'overdue' && !overdue) continue;
      rows.push({ incidentId: incident.id, incidentNumber: incident.number, incidentTitle: incident.title, ...followUp, overdue });
    }
  }
  return rows.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.incidentNumber - b.incidentNumber || Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

/** The state's `followUps` section: how many are open, and how many of those are overdue, at `now`. */
export function followUpCounts(incidents: Iterable<Incident>, now: number): FollowUpCounts {
  let open = 0;
  let overdue = 0;
  for (const incident of incidents) {
    for (const followUp of incident.followUps) {
      if (followUp.status !== 'open') continue;
      open++;
      if (isOverdue(followUp, now)) overdue++;
    }
  }
  return { open, overdue };
}
