// Major incidents (docs/contract.md#major-incidents): the shape of an incident, its timeline and the API's bodies, shared by
// the server and the web app. Types and their constant lists only (no Node, no I/O), so that the
// console can import them as they are.

/**
 * A severity is an id from `dashboards/severities.json` (docs/contract.md#severities), e.g. `SEV1`.
 * An incident keeps its id when the file drops it: shown as the id, not major, no cadence.
 */
export type Severity = string;

/** What a severity id looks like (the file's rule; the route schemas' pattern). */
export const SEVERITY_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$';

/** One level of the severity scale. */
export interface SeverityLevel {
  id: string;
  label: string;
  description: string;
  /** Walls switch to incident mode while an incident of this level is active. */
  major: boolean;
  /** How often customers are owed an update; null: no cadence. */
  customerUpdateMinutes: number | null;
}

/** The levels in force, most severe first (the order is the rank: a smaller index is more severe). */
export interface SeverityScale {
  levels: readonly SeverityLevel[];
}

/**
 * The built-in levels, in force while `dashboards/severities.json` is missing or bad, and what the
 * shipped file says (after the PagerDuty and Atlassian definitions in research/incidents.md, written
 * for a support department). SEV1 and SEV2 are major: walls switch to incident mode and customers
 * are owed updates on a cadence.
 */
export const DEFAULT_SEVERITY_LEVELS: readonly SeverityLevel[] = [
  {
    id: 'SEV1',
    label: 'Critical',
    description: 'A customer-facing service is down or unusable for all or most customers, data is lost or exposed, or SLAs are broken at scale.',
    major: true,
    customerUpdateMinutes: 30,
  },
  {
    id: 'SEV2',
    label: 'Major',
    description: 'A core function is down or badly degraded for many customers or a large segment; no acceptable workaround.',
    major: true,
    customerUpdateMinutes: 60,
  },
  {
    id: 'SEV3',
    label: 'Minor',
    description: 'Partial degradation for some customers, or a workaround exists; essential work can go on.',
    major: false,
    customerUpdateMinutes: null,
  },
  {
    id: 'SEV4',
    label: 'Low',
    description: 'Little or cosmetic customer impact; tracked as an incident for coordination only.',
    major: false,
    customerUpdateMinutes: null,
  },
];

export const DEFAULT_SEVERITY_SCALE: SeverityScale = { levels: DEFAULT_SEVERITY_LEVELS };

/** The level of `id` on `scale`; undefined when the scale no longer has it. */
export const severityLevel = (scale: SeverityScale, id: Severity): SeverityLevel | undefined => scale.levels.find((l) => l.id === id);

/** The rank of `id` (0 is the most severe); a level the scale no longer has ranks after every known one. */
export function severityRank(scale: SeverityScale, id: Severity): number {
  const index = scale.levels.findIndex((l) => l.id === id);
  return index === -1 ? scale.levels.length : index;
}

/** `GET /api/v1/severities`: the scale in force, and what is wrong with the file (empty when the file is in force). */
export interface SeveritiesAnswer {
  levels: SeverityLevel[];
  problems: { file: string; path: string; message: string }[];
}

/** Lifecycle order: forward steps and back-steps are free while unresolved; `resolved` ends it until reopened. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** What each status means, for the console. */
export const STATUS_INFO: Readonly<Record<IncidentStatus, string>> = {
  investigating: 'Impact confirmed; the cause is not known yet.',
  identified: 'The cause is known; a fix or workaround is being worked on.',
  monitoring: 'A fix or workaround is in place (mitigated); watching that it holds.',
  resolved: 'Service restored and confirmed; the incident is over.',
};

export const INCIDENT_ROLES = ['commander', 'communications', 'operations', 'scribe'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

export const ROLE_INFO: Readonly<Record<IncidentRole, string>> = {
  commander: 'Runs the incident and decides; delegates, does not fix. One holder; hand-over is explicit.',
  communications: 'Writes the customer and stakeholder updates, on the cadence of the severity.',
  operations: 'Leads the technical work of L2/L3 towards a fix or workaround.',
  scribe: 'Keeps the timeline: decisions, actions, who was called.',
};

export const AUDIENCES = ['internal', 'customers'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Who holds each role: a person's name (the token name of whoever assigned it chooses it), or null. */
export type IncidentRoles = Record<IncidentRole, string | null>;

export interface IncidentMatch {
  /** Tickets carrying any of these tags (case-insensitive) are linked while the incident is active. */
  tags: string[];
  /** Tickets whose subject contains any of these (case-insensitive) are linked while the incident is active. */
  keywords: string[];
  /**
   * These tickets (`source:id` keys) are linked while the incident is active: a declared
   * suggestion's cluster, exactly (an extension: keywords would link any subject sharing one word).
   */
  tickets?: string[];
}

export const TIMELINE_KINDS = [
  'declared',
  'status',
  'reopened',
  'severity',
  'field',
  'role',
  'update',
  'task-added',
  'task-changed',
  'follow-up-added',
  'follow-up-changed',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/**
 * One entry of an incident's append-only timeline (docs/contract.md#major-incidents). The incident is derived from these
 * alone; nothing here is ever rewritten. `change` says which field moved, from what to what:
 * - declared:      field `incident`, from null, to {title, severity, status, summary, services, match}
 * - status:        field `status` (a forward step, a back-step, or to `resolved`)
 * - reopened:      field `status`, from `resolved`
 * - severity:      field `severity`
 * - field:         field `title` | `summary` | `services` | `match`
 * - role:          field `roles.<role>`, from the previous holder (or null), to the new one (or null)
 * - update:        no change; `text` and `audience`
 * - task-added:    field `tasks.<id>`, from null, to {title, owner}
 * - task-changed:  field `tasks.<id>.done` or `tasks.<id>.owner`
 * - follow-up-added:   field `followUps.<id>`, from null, to {title, owner, dueAt}
 * - follow-up-changed: field `followUps.<id>.status`, `followUps.<id>.owner` or `followUps.<id>.dueAt`
 */
export interface TimelineEntry {
  /** 1, 2, 3… per incident; an incident's `version` is its last entry's seq. */
  seq: number;
  /** ISO-8601, the server's clock when the change was accepted. */
  at: string;
  kind: TimelineKind;
  /** The token name of whoever made the change. */
  actor: string;
  text?: string;
  change?: { field: string; from: unknown; to: unknown };
  /** `update` entries only. */
  audience?: Audience;
}

export interface IncidentTask {
  /** `t1`, `t2`… in order of creation. */
  id: string;
  title: string;
  owner: string | null;
  done: boolean;
  createdAt: string;
  createdBy: string;
  /** When it was last marked done; null while not done. */
  doneAt: string | null;
}

/**
 * What became of a follow-up: still to do, done, or decided against (it stays on record, closed).
 * `open` is the only status that can be overdue.
 */
export const FOLLOW_UP_STATUSES = ['open', 'done', 'wontfix'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/**
 * An action item that outlives the incident (docs/contract.md#follow-ups): unlike a task, it has
 * an owner and a due time, and can be added and changed after the incident is resolved.
 */
export interface IncidentFollowUp {
  /** `f1`, `f2`… in order of creation. */
  id: string;
  title: string;
  /** A person's name. */
  owner: string;
  /** ISO-8601: open after this, it is overdue. */
  dueAt: string;
  status: FollowUpStatus;
  createdAt: string;
  createdBy: string;
  /** When it was last marked done; null while open or wontfix. */
  doneAt: string | null;
}

export interface IncidentUpdate {
  /** The seq of its timeline entry. */
  seq: number;
  at: string;
  actor: string;
  audience: Audience;
  text: string;
}

export interface LinkedTickets {
  /** Open tickets linked now (tagged `incident-<number>`, or matching `match`); 0 once resolved. */
  count: number;
  /** Linked tickets created in the last 15 minutes, per hour (×4); 0 once resolved. */
  perHour: number;
}

/** Durations from declaration, in seconds; null until reached. */
export interface IncidentMetrics {
  timeToIdentifySec: number | null;
  timeToMitigateSec: number | null;
  timeToResolveSec: number | null;
}

/** An incident as the API and the `incident` live event send it (docs/contract.md#major-incidents, with a few additions). */
export interface Incident {
  /** `inc-<number>`. The API also takes the bare number where an id goes. */
  id: string;
  number: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  summary: string;
  services: string[];
  roles: IncidentRoles;
  match: IncidentMatch;
  declaredAt: string;
  declaredBy: string;
  /** The first time the status reached `identified` or beyond; kept through back-steps. */
  identifiedAt: string | null;
  /** The first time the status reached `monitoring` or beyond (mitigated); kept through back-steps. */
  mitigatedAt: string | null;
  /** When it was (last) resolved; null while active (a reopen clears it). */
  resolvedAt: string | null;
  /** The last customer update, or null. */
  lastCustomerUpdateAt: string | null;
  /** When the next customer update is owed (the severity's cadence: SEV1 30 min, SEV2 60 min by default); null without a cadence and once resolved. */
  nextUpdateDueAt: string | null;
  linkedTickets: LinkedTickets;
  tasks: IncidentTask[];
  /** The incident's follow-ups, oldest first (docs/contract.md#follow-ups). */
  followUps: IncidentFollowUp[];
  /** Every update, oldest first (also in the timeline as `update` entries). */
  updates: IncidentUpdate[];
  metrics: IncidentMetrics;
  /** The number of timeline entries: grows by at least one with every change. */
  version: number;
  timeline: TimelineEntry[];
}

/** `GET /api/v1/incidents` rows: the incident without its timeline. */
export type IncidentListItem = Omit<Incident, 'timeline'>;

/** POST /api/v1/incidents */
export interface DeclareInput {
  title: string;
  severity: Severity;
  summary: string;
  services: string[];
  match: IncidentMatch;
}

/** PATCH /api/v1/incidents/:id (title and match are additions to docs/contract.md#major-incidents). */
export interface IncidentPatch {
  title?: string;
  status?: IncidentStatus;
  severity?: Severity;
  summary?: string;
  services?: string[];
  match?: IncidentMatch;
  roles?: Partial<IncidentRoles>;
}

/** POST /api/v1/incidents/:id/updates */
export interface UpdateInput {
  audience: Audience;
  text: string;
}

/** POST /api/v1/incidents/:id/tasks */
export interface TaskInput {
  title: string;
  owner: string | null;
}

/** PATCH /api/v1/incidents/:id/tasks/:tid */
export interface TaskPatch {
  done?: boolean;
  owner?: string | null;
}

/** POST /api/v1/incidents/:id/follow-ups */
export interface FollowUpInput {
  title: string;
  owner: string;
  /** ISO-8601, normalized to UTC (`…Z`). */
  dueAt: string;
}

/** PATCH /api/v1/incidents/:id/follow-ups/:fid: at least one of these. */
export interface FollowUpPatch {
  status?: FollowUpStatus;
  owner?: string;
  dueAt?: string;
}

/** `GET /api/v1/follow-ups` rows: a follow-up with the incident it belongs to, and whether it is overdue now. */
export interface FollowUpRow extends IncidentFollowUp {
  incidentId: string;
  incidentNumber: number;
  incidentTitle: string;
  /** Open and past its due time, at the time of the answer. */
  overdue: boolean;
}

export const FOLLOW_UP_FILTERS = ['open', 'overdue', 'all'] as const;
export type FollowUpFilter = (typeof FOLLOW_UP_FILTERS)[number];

/** The 409 body of a write whose `If-Match` is stale. */
export interface ConflictBody {
  error: { code: 'version_conflict'; message: string };
  incident: Incident;
}

/** Whether a severity puts walls into incident mode. */
