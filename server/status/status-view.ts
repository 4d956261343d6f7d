// The status page's content (docs/contract.md#status-page), pure: incidents and a time in, the body
// of `GET /api/v1/status` out. What customers may see is chosen here and only here, field by field
// (never by copying an incident and deleting what is private), so that an internal update, a
// summary or a person's name cannot reach the page, its JSON or its feed by a field added later.
import { DEFAULT_SEVERITY_SCALE, type Incident, type IncidentStatus, type SeverityScale } from '../../contract/incidents.js';
import {
  STATUS_RESOLVED_DAYS,
  type OverallState,
  type ServiceState,
  type StatusIncident,
  type StatusService,
  type StatusUpdate,
  type StatusView,
} from '../../contract/status.js';

const DAY_MS = 86_400_000;
const RANK: Readonly<Record<ServiceState, number>> = { operational: 0, degraded: 1, outage: 2 };

/** Active, or resolved at most STATUS_RESOLVED_DAYS before `now`. */
function shown(incident: Incident, now: number): boolean {
  if (incident.resolvedAt === null) return true;
  return now - Date.parse(incident.resolvedAt) <= STATUS_RESOLVED_DAYS * DAY_MS;
}

/**
 * What an active incident does to the services it names; a resolved one does nothing. `top`: the
 * most severe level of the scale in force (SEV1 as shipped), the one that means an outage.
 */
function stateOf(incident: Incident, top: string | undefined): ServiceState {
  if (incident.resolvedAt !== null) return 'operational';
  return incident.severity === top ? 'outage' : 'degraded';
}

/** The status each update was posted under, by the update's seq, read off the timeline. */
function statusAtUpdates(incident: Incident): Map<number, IncidentStatus> {
  const at = new Map<number, IncidentStatus>();
  let status: IncidentStatus = 'investigating';
  for (const entry of incident.timeline) {
    if (entry.kind === 'declared') {
      const declared = entry.change?.to as { status?: IncidentStatus } | undefined;
      status = declared?.status ?? status;
    } else if ((entry.kind === 'status' || entry.kind === 'reopened') && typeof entry.change?.to === 'string') {
      status = entry.change.to as IncidentStatus;
    } else if (entry.kind === 'update') {
      at.set(entry.seq, status);
    }
  }
  return at;
}

function services(incidents: Incident[], top: string | undefined): StatusService[] {
  // Keyed case-insensitively ("Login" and "login" are one service), named as the newest incident spells it.
  const byKey = new Map<string, StatusService>();
  for (const incident of incidents) {
    for (const name of incident.services) {
      const key = name.toLowerCase();
      let service = byKey.get(key);
      if (service === undefined) {
        service = { name, state: 'operational', incidents: [] };
        byKey.set(key, service);
      }
      const state = stateOf(incident, top);
      if (RANK[state] > RANK[service.state]) service.state = state;
      if (incident.resolvedAt === null && !service.incidents.includes(incident.number)) service.incidents.push(incident.number);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
}

function overall(incidents: Incident[], top: string | undefined): OverallState {
  const active = incidents.filter((i) => i.resolvedAt === null);
  if (active.some((i) => i.severity === top)) return 'major-outage';
  return active.length > 0 ? 'partial-outage' : 'operational';
}

function publicIncident(incident: Incident): StatusIncident {
  return {
    number: incident.number,
    title: incident.title,
    status: incident.status,
    services: [...incident.services],
    declaredAt: incident.declaredAt,
    resolvedAt: incident.resolvedAt,
  };
}

function customerUpdates(incident: Incident): StatusUpdate[] {
  const statusThen = statusAtUpdates(incident);
  return incident.updates
    .filter((update) => update.audience === 'customers')
    .map((update) => ({
      number: incident.number,
      title: incident.title,
      status: incident.status,
      statusThen: statusThen.get(update.seq) ?? incident.status,
      seq: update.seq,
      at: update.at,
      text: update.text,
      declaredAt: incident.declaredAt,
      resolvedAt: incident.resolvedAt,
    }));
}

/** The status page of `all` incidents at `now`; `scale`: the severity scale in force (its first level is an outage). */
export function statusView(all: readonly Incident[], now: number, scale: SeverityScale = DEFAULT_SEVERITY_SCALE): StatusView {
  const top = scale.levels[0]?.id;
  // Newest first: the numbers count up as incidents are declared.
  const incidents = all.filter((i) => shown(i, now)).sort((a, b) => b.number - a.number);
  const active = incidents.filter((i) => i.resolvedAt === null);
  const resolved = incidents.filter((i) => i.resolvedAt !== null).sort((a, b) => Date.parse(b.resolvedAt!) - Date.parse(a.resolvedAt!));
  const updates = incidents.flatMap(customerUpdates).sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.number - a.number || b.seq - a.seq);
  return {
    generatedAt: new Date(now).toISOString(),
    state: overall(incidents, top),
    services: services(incidents, top),
    incidents: [...active, ...resolved].map(publicIncident),
    updates,
  };
}
