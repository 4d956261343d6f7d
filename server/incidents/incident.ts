// The incident domain (docs/contract.md#major-incidents): an incident is whatever its append-only timeline says. Commands
// (declare, patch, post an update, add or change a task or a follow-up) look at the current incident and answer
// the entries to append, each with actor, time and from/to; `deriveIncident` folds the entries
// back into the incident. Pure: no I/O, the caller passes the time in.
import {
  INCIDENT_ROLES,
  INCIDENT_STATUSES,
  DEFAULT_SEVERITY_SCALE,
  severityLevel,
  severityRank,
  type DeclareInput,
  type FollowUpInput,
  type FollowUpPatch,
  type FollowUpStatus,
  type Incident,
  type IncidentFollowUp,
  type IncidentMatch,
  type IncidentPatch,
  type IncidentRoles,
  type IncidentStatus,
  type IncidentTask,
  type IncidentUpdate,
  type LinkedTickets,
  type Severity,
  type SeverityScale,
  type TaskInput,
  type TaskPatch,
  type TimelineEntry,
  type UpdateInput,
} from '../../contract/incidents.js';

/** What a store keeps of an incident: its number and its entries, in order. */
export interface StoredIncident {
  id: string;
  number: number;
  entries: TimelineEntry[];
}

/** Who makes a change, and when (ms). */
export interface Actor {
  actor: string;
  at: number;
}

/** The fields the `declared` entry sets. */
interface Declared {
  title: string;
  severity: Severity;
  status: IncidentStatus;
  summary: string;
  services: string[];
  match: IncidentMatch;
}

export const incidentId = (number: number): string => `inc-${number}`;

/** `inc-7` or `7` → `inc-7`; anything else as given (then unknown). */
export function normalizeIncidentId(raw: string): string {
  return /^[1-9]\d{0,8}$/.test(raw) ? incidentId(Number(raw)) : raw;
}

/** Whether a (normalized) id has the shape of one: anything else is unknown without asking a store. */
export const isIncidentId = (id: string): boolean => /^inc-[1-9]\d{0,8}$/.test(id);

export const NO_LINKS: LinkedTickets = { count: 0, perHour: 0 };

const MINUTE_MS = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const rank = (status: IncidentStatus): number => INCIDENT_STATUSES.indexOf(status);
/** The customer-update cadence of `severity` on `scale`; null without one (or when the scale no longer has it). */
export const cadenceMs = (scale: SeverityScale, severity: Severity): number | null => {
  const minutes = severityLevel(scale, severity)?.customerUpdateMinutes ?? null;
  return minutes === null ? null : minutes * MINUTE_MS;
};

/**
 * The incident its entries describe, its cadence from `scale` (the scale in force; the caller
 * re-derives when it changes). Throws on a timeline with a gap (a store bug, never data to guess at).
 */
export function deriveIncident(stored: StoredIncident, linked: LinkedTickets = NO_LINKS, scale: SeverityScale = DEFAULT_SEVERITY_SCALE): Incident {
  const { id, number, entries } = stored;
  const first = entries[0];
  if (first === undefined || first.kind !== 'declared') throw new Error(`incident ${id}: the timeline does not start with its declaration`);
  const declared = first.change!.to as Declared;
  let { title, severity, status, summary, services, match } = declared;
  const roles: IncidentRoles = { commander: null, communications: null, operations: null, scribe: null };
  let identifiedAt: string | null = null;
  let mitigatedAt: string | null = null;
  let resolvedAt: string | null = null;
  let lastCustomerUpdateAt: string | null = null;
  // The customer-update clock: restarted by declaration, each customer update, a reopen, and a
  // raise from a severity without cadence (SEV3/4 by default) to one with (nothing was owed before).
  let clockStart = first.at;
  const tasks = new Map<string, IncidentTask>();
  const followUps = new Map<string, IncidentFollowUp>();
  const updates: IncidentUpdate[] = [];

  const reach = (to: IncidentStatus, at: string): void => {
    if (rank(to) >= rank('identified')) identifiedAt ??= at;
    if (rank(to) >= rank('monitoring')) mitigatedAt ??= at;
    resolvedAt = to === 'resolved' ? at : null;
    status = to;
  };
  reach(status, first.at);

  entries.forEach((entry, index) => {
    if (entry.seq !== index + 1) throw new Error(`incident ${id}: entry ${index + 1} has seq ${entry.seq}`);
    const change = entry.change;
    switch (entry.kind) {
      case 'declared':
        break;
      case 'status':
        reach(change!.to as IncidentStatus, entry.at);
        break;
      case 'reopened':
        reach(change!.to as IncidentStatus, entry.at);
        clockStart = entry.at;
        break;
      case 'severity': {
        const to = change!.to as Severity;
        if (cadenceMs(scale, severity) === null && cadenceMs(scale, to) !== null) clockStart = entry.at;
        severity = to;
        break;
      }
      case 'field':
        if (change!.field === 'title') title = change!.to as string;
        else if (change!.field === 'summary') summary = change!.to as string;
        else if (change!.field === 'services') services = change!.to as string[];
        else if (change!.field === 'match') match = change!.to as IncidentMatch;
        break;
      case 'role': {
        const role = change!.field.slice('roles.'.length) as keyof IncidentRoles;
        if (role in roles) roles[role] = change!.to as string | null;
        break;
      }
      case 'update':
        updates.push({ seq: entry.seq, at: entry.at, actor: entry.actor, audience: entry.audience ?? 'internal', text: entry.text ?? '' });
        if (entry.audience === 'customers') {
          lastCustomerUpdateAt = entry.at;
          clockStart = entry.at;
        }
        break;
      case 'task-added': {
        const taskId = change!.field.slice('tasks.'.length);
        const to = change!.to as { title: string; owner: string | null };
        tasks.set(taskId, { id: taskId, title: to.title, owner: to.owner, done: false, createdAt: entry.at, createdBy: entry.actor, doneAt: null });
        break;
      }
      case 'task-changed': {
        const [, taskId, what] = change!.field.split('.');
        const task = tasks.get(taskId ?? '');
        if (task === undefined) break;
        if (what === 'done') {
          task.done = change!.to === true;
          task.doneAt = task.done ? entry.at : null;
        } else if (what === 'owner') task.owner = change!.to as string | null;
        break;
      }
      case 'follow-up-added': {
        const followUpId = change!.field.slice('followUps.'.length);
        const to = change!.to as { title: string; owner: string; dueAt: string };
        followUps.set(followUpId, {
          id: followUpId,
          title: to.title,
          owner: to.owner,
          dueAt: to.dueAt,
          status: 'open',
          createdAt: entry.at,
          createdBy: entry.actor,
          doneAt: null,
        });
        break;
      }
      case 'follow-up-changed': {
        const [, followUpId, what] = change!.field.split('.');
        const followUp = followUps.get(followUpId ?? '');
        if (followUp === undefined) break;
        if (what === 'status') {
          followUp.status = change!.to as FollowUpStatus;
          followUp.doneAt = followUp.status === 'done' ? entry.at : null;
        } else if (what === 'owner') followUp.owner = change!.to as string;
        else if (what === 'dueAt') followUp.dueAt = change!.to as string;
        break;
      }
      default:
        // A kind this version does not know (written by a newer one): it changes nothing here.
        break;
    }
  });

  const cadence = cadenceMs(scale, severity);
  const nextUpdateDueAt = status === 'resolved' || cadence === null ? null : iso(Date.parse(clockStart) + cadence);
  const since = (at: string | null): number | null => (at === null ? null : Math.round((Date.parse(at) - Date.parse(first.at)) / 1000));
  return {
    id,
    number,
    title,
    severity,
    status,
    summary,
    services,
    roles,
    match,
    declaredAt: first.at,
    declaredBy: first.actor,
    identifiedAt,
    mitigatedAt,
    resolvedAt,
    lastCustomerUpdateAt,
    nextUpdateDueAt,
    linkedTickets: status === 'resolved' ? NO_LINKS : linked,
    tasks: [...tasks.values()],
    followUps: [...followUps.values()],
    updates,
    metrics: { timeToIdentifySec: since(identifiedAt), timeToMitigateSec: since(mitigatedAt), timeToResolveSec: since(resolvedAt) },
    version: entries.length,
    timeline: entries,
  };
}

/** Whether the next customer update is late at `now`. */
export function updateOverdue(incident: Pick<Incident, 'nextUpdateDueAt'>, now: number): boolean {
  return incident.nextUpdateDueAt !== null && now > Date.parse(incident.nextUpdateDueAt);
}

export const isActive = (incident: Pick<Incident, 'status'>): boolean => incident.status !== 'resolved';

/** Builds entries from seq `after + 1` on, all at one instant by one actor. */
class Entries {
  readonly list: TimelineEntry[] = [];
  private readonly at: string;

  constructor(
    private readonly after: number,
    private readonly who: Actor,
  ) {
    this.at = iso(who.at);
  }

  add(entry: Omit<TimelineEntry, 'seq' | 'at' | 'actor'>): void {
    this.list.push({ seq: this.after + this.list.length + 1, at: this.at, actor: this.who.actor, ...entry });
  }
}

/**
 * A declaration: the `declared` entry with every initial field, and the declarer taking command
 * (someone must hold it from the first second; a hand-over is one PATCH away).
 */
export function declare(input: DeclareInput, who: Actor): TimelineEntry[] {
  const out = new Entries(0, who);
  const to: Declared = {
    title: input.title,
    severity: input.severity,
    status: 'investigating',
    summary: input.summary,
    services: input.services,
    match: input.match,
  };
  out.add({ kind: 'declared', text: `${input.severity} declared: ${input.title}`, change: { field: 'incident', from: null, to } });
  out.add({ kind: 'role', text: `${who.actor} takes command`, change: { field: 'roles.commander', from: null, to: who.actor } });
  return out.list;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const sameMatch = (a: IncidentMatch, b: IncidentMatch): boolean => sameList(a.tags, b.tags) && sameList(a.keywords, b.keywords);

/**
 * The entries a PATCH appends: one per field that actually changes (a PATCH that changes nothing
 * appends nothing). Any status may follow any other while unresolved (forward jumps and back-steps);
 * leaving `resolved` is a reopen, its own kind of entry.
 */
export function patch(incident: Incident, input: IncidentPatch, who: Actor, scale: SeverityScale = DEFAULT_SEVERITY_SCALE): TimelineEntry[] {
  const out = new Entries(incident.version, who);
  if (input.title !== undefined && input.title !== incident.title) {
    out.add({ kind: 'field', text: `title: ${input.title}`, change: { field: 'title', from: incident.title, to: input.title } });
  }
  if (input.status !== undefined && input.status !== incident.status) {
    const from = incident.status;
    const to = input.status;
    if (from === 'resolved') out.add({ kind: 'reopened', text: `reopened (${to})`, change: { field: 'status', from, to } });
    else {
      const words = to === 'resolved' ? 'resolved' : `${rank(to) < rank(from) ? 'back to' : 'status'} ${to}`;
      out.add({ kind: 'status', text: words, change: { field: 'status', from, to } });
    }
  }
  if (input.severity !== undefined && input.severity !== incident.severity) {
    const from = incident.severity;
    const to = input.severity;
    const way = severityRank(scale, to) < severityRank(scale, from) ? 'raised' : 'lowered'; // the scale lists the most severe first
    out.add({ kind: 'severity', text: `severity ${way}: ${from} → ${to}`, change: { field: 'severity', from, to } });
  }
  if (input.summary !== undefined && input.summary !== incident.summary) {
    out.add({ kind: 'field', text: 'summary updated', change: { field: 'summary', from: incident.summary, to: input.summary } });
  }
  if (input.services !== undefined && !sameList(input.services, incident.services)) {
    const text = input.services.length === 0 ? 'services: none' : `services: ${input.services.join(', ')}`;
    out.add({ kind: 'field', text, change: { field: 'services', from: incident.services, to: input.services } });
  }
  if (input.match !== undefined && !sameMatch(input.match, incident.match)) {
    // The tickets a declared suggestion linked are not the API's to set: a new rule keeps them.
    const to: IncidentMatch = incident.match.tickets === undefined ? input.match : { ...input.match, tickets: incident.match.tickets };
    out.add({ kind: 'field', text: 'ticket matching rules changed', change: { field: 'match', from: incident.match, to } });
  }
  for (const role of INCIDENT_ROLES) {
    const to = input.roles?.[role];
    if (to === undefined) continue;
    const from = incident.roles[role];
    if (to === from) continue;
    const text = from === null ? `${to} takes ${role}` : to === null ? `${from} leaves ${role}` : `${role} hand-over: ${from} → ${to}`;
    out.add({ kind: 'role', text, change: { field: `roles.${role}`, from, to } });
  }
  return out.list;
}

export function postUpdate(incident: Incident, input: UpdateInput, who: Actor): TimelineEntry[] {
  const out = new Entries(incident.version, who);
  out.add({ kind: 'update', audience: input.audience, text: input.text });
  return out.list;
}

/** The new task's id is `t<n>`: tasks are never removed, so the count names the next. */
export function addTask(incident: Incident, input: TaskInput, who: Actor): { taskId: string; entries: TimelineEntry[] } {
  const taskId = `t${incident.tasks.length + 1}`;
  const out = new Entries(incident.version, who);
  const owner = input.owner === null ? '' : ` (owner ${input.owner})`;
  out.add({
    kind: 'task-added',
    text: `task ${taskId}: ${input.title}${owner}`,
    change: { field: `tasks.${taskId}`, from: null, to: { title: input.title, owner: input.owner } },
  });
  return { taskId, entries: out.list };
}

/** Null when the incident has no such task. */
export function changeTask(incident: Incident, taskId: string, input: TaskPatch, who: Actor): TimelineEntry[] | null {
  const task = incident.tasks.find((t) => t.id === taskId);
  if (task === undefined) return null;
  const out = new Entries(incident.version, who);
  if (input.done !== undefined && input.done !== task.done) {
    const text = `task ${taskId} ${input.done ? 'done' : 'not done'}: ${task.title}`;
    out.add({ kind: 'task-changed', text, change: { field: `tasks.${taskId}.done`, from: task.done, to: input.done } });
  }
  if (input.owner !== undefined && input.owner !== task.owner) {
    const text = input.owner === null ? `task ${taskId} has no owner` : `task ${taskId} owner: ${input.owner}`;
    out.add({ kind: 'task-changed', text, change: { field: `tasks.${taskId}.owner`, from: task.owner, to: input.owner } });
  }
  return out.list;
}

/**
 * The new follow-up's id is `f<n>`: follow-ups are never removed, so the count names the next.
 * A resolved incident takes follow-ups too: they are what outlives it.
 */
export function addFollowUp(incident: Incident, input: FollowUpInput, who: Actor): { followUpId: string; entries: TimelineEntry[] } {
  const followUpId = `f${incident.followUps.length + 1}`;
  const out = new Entries(incident.version, who);
  out.add({
    kind: 'follow-up-added',
    text: `follow-up ${followUpId}: ${input.title} (owner ${input.owner}, due ${input.dueAt})`,
    change: { field: `followUps.${followUpId}`, from: null, to: { title: input.title, owner: input.owner, dueAt: input.dueAt } },
  });
  return { followUpId, entries: out.list };
}

/** Null when the incident has no such follow-up; one entry per field that actually changes. */
export function changeFollowUp(incident: Incident, followUpId: string, input: FollowUpPatch, who: Actor): TimelineEntry[] | null {
  const followUp = incident.followUps.find((f) => f.id === followUpId);
  if (followUp === undefined) return null;
  const out = new Entries(incident.version, who);
  const field = `followUps.${followUpId}`;
  if (input.status !== undefined && input.status !== followUp.status) {
    const text = `follow-up ${followUpId} ${input.status === 'open' ? 'reopened' : input.status}: ${followUp.title}`;
    out.add({ kind: 'follow-up-changed', text, change: { field: `${field}.status`, from: followUp.status, to: input.status } });
  }
  if (input.owner !== undefined && input.owner !== followUp.owner) {
    out.add({
      kind: 'follow-up-changed',
      text: `follow-up ${followUpId} owner: ${input.owner}`,
      change: { field: `${field}.owner`, from: followUp.owner, to: input.owner },
    });
  }
  if (input.dueAt !== undefined && input.dueAt !== followUp.dueAt) {
    out.add({
      kind: 'follow-up-changed',
      text: `follow-up ${followUpId} due ${input.dueAt}`,
      change: { field: `${field}.dueAt`, from: followUp.dueAt, to: input.dueAt },
    });
  }
  return out.list;
}

/** Who changed what since `version` (for a 409): "anna: status identified; severity raised: SEV2 → SEV1". */
export function changesSince(incident: Incident, version: number): string {
  const later = incident.timeline.filter((e) => e.seq > version);
  if (later.length === 0) return 'nothing';
  return later.map((e) => `${e.actor}: ${e.kind === 'update' ? `${e.audience} update` : (e.text ?? e.kind)}`).join('; ');
}
