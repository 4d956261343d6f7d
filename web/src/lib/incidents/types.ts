// A major incident as the API of docs/contract.md#major-incidents sends it: the contract's own types (contract/incidents.ts,
// types and constants only), so that the console, the wall and the server cannot drift apart.
export {
  AUDIENCES,
  FOLLOW_UP_STATUSES,
  INCIDENT_ROLES,
  INCIDENT_STATUSES,
  DEFAULT_SEVERITY_LEVELS,
  type Audience,
  type FollowUpPatch,
  type FollowUpRow,
  type FollowUpStatus,
  type Incident,
  type IncidentFollowUp,
  type IncidentListItem,
  type IncidentMatch,
  type IncidentPatch,
  type IncidentRole,
  type IncidentRoles,
  type IncidentStatus,
  type IncidentTask,
  type IncidentUpdate,
  type LinkedTickets,
  type SeveritiesAnswer,
  type Severity,
  type SeverityLevel,
  type TaskPatch,
  type TimelineEntry,
} from '../../../../contract/incidents.js';

import type { IncidentMatch, Severity } from '../../../../contract/incidents.js';

/** POST /api/v1/incidents as docs/contract.md#major-incidents writes it: everything but title and severity may be left out. */
export interface DeclareBody {
  title: string;
  severity: Severity;
  summary?: string;
  services?: string[];
  match?: Partial<IncidentMatch>;
}
