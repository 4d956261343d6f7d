// The command center's service (docs/contract.md#major-incidents): incidents in memory (they are few), every change through
// the pure domain (server/incidents) into the store, then to the live model's `incidents` section
// and, at once, to every screen. Writes on this instance run one at a time; writes on several
// instances meet in the store, which refuses a write based on an old version, and the loser retries
// on the fresh incident (or answers 409 when the client said which version it meant, If-Match).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LiveModel } from '../domain/live-model.js';
import { followUpCounts, followUpRows } from '../incidents/follow-ups.js';
import {
  addFollowUp,
  addTask,
  changeFollowUp,
  changesSince,
  changeTask,
  declare,
  deriveIncident,
  isActive,
  isIncidentId,
  normalizeIncidentId,
  patch,
  postUpdate,
  type Actor,
  type StoredIncident,
} from '../incidents/incident.js';
import { countLinks, impactOf, type Impact } from '../incidents/linking.js';
import { renderReport } from '../incidents/report.js';
import { activeSummaries } from '../incidents/summary.js';
import {
  DEFAULT_SEVERITY_SCALE,
  type DeclareInput,
  type FollowUpFilter,
  type FollowUpInput,
  type FollowUpPatch,
  type FollowUpRow,
  type Incident,
  type IncidentPatch,
  type LinkedTickets,
  type SeverityScale,
  type TaskInput,
  type TaskPatch,
  type TimelineEntry,
  type UpdateInput,
} from '../../contract/incidents.js';
import type { Emit } from '../notify/notifications.js';
import type { NotifyEvent } from '../notify/notifications-file.js';
import type { IncidentStore } from '../store/incident-store.js';

/** Linked-ticket counts are recomputed at most this often (a scan of every ticket held). */
export const LINK_REFRESH_MS = 3_000;
/** Follow-up counts are recounted this often besides every change: overdue moves with time alone. */
export const FOLLOW_UP_REFRESH_MS = 60_000;
/** Writes racing with other instances: retried on the fresh incident this many times. */
const MAX_WRITE_TRIES = 5;

export interface IncidentServiceOptions {
  store: IncidentStore;
  model: Pick<LiveModel, 'setIncidents' | 'setFollowUps' | 'scanTickets'>;
  now: () => number;
  /** A monotonic clock for throttling the scans (real time even when tests pin `now`); default performance.now. */
  elapsed?: () => number;
  log: { warn(object: object, message: string): void };
  /** An incident changed (here or on another instance): screens must hear of it at once. */
  onChange: (incident: Incident) => void;
  /** Only counts moved (linked tickets, follow-ups): the coalesced path is enough. */
  onCountsChanged: () => void;
  /** Outbound notifications of the changes made here (docs/contract.md#outbound-notifications): once per change, by the instance that made it. */
  notify?: Emit;
  /**
   * The severity scale in force (docs/contract.md#severities); the same object until it changes.
   * Default: the built-in SEV1–SEV4.
   */
  severities?: () => SeverityScale;
}

export type StatusFilter = 'active' | 'resolved' | 'all';

/** A command: the entries to append to the current incident; null when its target (a task) is unknown. */
type Command = (incident: Incident, who: Actor) => TimelineEntry[] | null;

export type WriteResult =
  | { kind: 'ok'; incident: Incident; changed: boolean }
  | { kind: 'not-found'; what: string }
  | { kind: 'conflict'; incident: Incident; message: string };

export type DeclareResult = { kind: 'created'; incident: Incident } | { kind: 'replayed'; incident: Incident } | { kind: 'key-reused'; id: string };

export class IncidentService {
  private readonly stored = new Map<string, StoredIncident>();
  private readonly incidents = new Map<string, Incident>();
  private links = new Map<string, LinkedTickets>();
  private lastLinkScan = -Infinity;
  private lastSummaries = '';
  private lastFollowUps = '';
  /** The scale the incidents were derived with: another one re-derives them all. */
  private scale: SeverityScale;
  /** The tail of this instance's writes: each waits for the one before. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: IncidentServiceOptions) {
    this.scale = this.severities();
  }

  /** The severity scale in force (read from the file on demand; cheap when it did not change). */
  severities(): SeverityScale {
    return this.options.severities?.() ?? DEFAULT_SEVERITY_SCALE;
  }

  /**
   * Re-derives every incident when the scale changed (a cadence or `major` moved): their due times
   * and the walls' incident mode follow the file without a restart. Answers whether it changed.
   */
  refreshSeverities(): boolean {
    const scale = this.severities();
    if (scale === this.scale) return false;
    this.scale = scale;
    for (const stored of this.stored.values()) this.incidents.set(stored.id, deriveIncident(stored, this.links.get(stored.id), scale));
    if (this.publishSummaries()) this.options.onCountsChanged();
    return true;
  }

  /** Loads every incident, puts the active ones on the state, and starts following other instances. */
  async start(): Promise<void> {
    for (const stored of await this.options.store.loadAll()) this.adopt(stored);
    this.refreshLinks(true);
    this.publishSummaries();
    this.publishFollowUps();
    this.options.store.follow((id, version) => {
      this.reload(id, version).catch((error: unknown) => this.options.log.warn({ err: error, incident: id }, 'incidents: reloading a changed incident failed'));
    });
  }

  list(filter: StatusFilter): Incident[] {
    this.refreshSeverities();
    return [...this.incidents.values()].filter((i) => filter === 'all' || (filter === 'active') === isActive(i)).sort((a, b) => b.number - a.number);
  }

  /** By id (`inc-7`) or number (`7`), as this instance knows it. */
  get(idOrNumber: string): Incident | undefined {
    this.refreshSeverities();
    return this.incidents.get(normalizeIncidentId(idOrNumber));
  }

  /**
   * As `get`, but asks the store about an id this instance does not know: declared a moment ago on
   * another instance, whose news has not arrived yet (a console sent to the new incident's page
   * through a load balancer).
   */
  async find(idOrNumber: string): Promise<Incident | undefined> {
    return this.get(idOrNumber) ?? (await this.reload(normalizeIncidentId(idOrNumber), null));
  }

  async declare(input: DeclareInput, actor: string, idempotencyKey: string | null): Promise<DeclareResult> {
    return this.serially(async () => {
      this.refreshSeverities();
      const entries = declare(input, { actor, at: this.options.now() });
      const idempotency = idempotencyKey === null ? null : { key: idempotencyKey, fingerprint: fingerprint(input) };
      const result = await this.options.store.create({ entries, idempotency, now: this.options.now() });
      if (result.kind === 'key-reused') return result;
      if (result.kind === 'existing') {
        // Declared by another instance a moment ago: this one may not have heard yet.
        const incident = this.incidents.get(result.id) ?? (await this.reload(result.id, null));
        if (incident === undefined) throw new Error(`incidents: the Idempotency-Key names ${result.id}, which the store does not hold`);
        return { kind: 'replayed', incident };
      }
      const incident = this.changed(result.stored);
      this.options.notify?.('incident.declared', { incident }, { incidentId: incident.id });
      return { kind: 'created', incident };
    });
  }

  patch(id: string, input: IncidentPatch, actor: string, ifMatch: number | null): Promise<WriteResult> {
    // Resolved by this patch (not a patch of an incident already resolved): as it was when the patch applied.
    let wasResolved = false;
    const event = (after: Incident): NotifyEvent => (!wasResolved && after.status === 'resolved' ? 'incident.resolved' : 'incident.changed');
    return this.notified(
      this.write(id, ifMatch, actor, (incident, who) => {
        wasResolved = incident.status === 'resolved';
        return patch(incident, input, who, this.scale);
      }),
      event,
    );
  }

  postUpdate(id: string, input: UpdateInput, actor: string, ifMatch: number | null): Promise<WriteResult> {
    return this.notified(
      this.write(id, ifMatch, actor, (incident, who) => postUpdate(incident, input, who)),
      () => 'incident.update',
    );
  }

  /** Emits a write's notification once it changed the incident; an update goes with its audience. */
  private async notified(writing: Promise<WriteResult>, event: (incident: Incident) => NotifyEvent): Promise<WriteResult> {
    const result = await writing;
    if (result.kind !== 'ok' || !result.changed || this.options.notify === undefined) return result;
    const { incident } = result;
    const name = event(incident);
    const update = name === 'incident.update' ? incident.updates[incident.updates.length - 1] : undefined;
    this.options.notify(name, update === undefined ? { incident } : { incident, update }, { incidentId: incident.id });
    return result;
  }

  addTask(id: string, input: TaskInput, actor: string, ifMatch: number | null): Promise<WriteResult> {
    return this.write(id, ifMatch, actor, (incident, who) => addTask(incident, input, who).entries);
  }

  changeTask(id: string, taskId: string, input: TaskPatch, actor: string, ifMatch: number | null): Promise<WriteResult> {
    return this.write(id, ifMatch, actor, (incident, who) => changeTask(incident, taskId, input, who));
  }

  /** A follow-up outlives its incident: it may be added to, and changed on, a resolved one. */
  addFollowUp(id: string, input: FollowUpInput, actor: string, ifMatch: number | null): Promise<WriteResult> {
    return this.write(id, ifMatch, actor, (incident, who) => addFollowUp(incident, input, who).entries, 'follow-up');
  }

  changeFollowUp(id: string, followUpId: string, input: FollowUpPatch, actor: string, ifMatch: number | null): Promise<WriteResult> {
    return this.write(id, ifMatch, actor, (incident, who) => changeFollowUp(incident, followUpId, input, who), 'follow-up');
  }

  /** Every incident's follow-ups that `filter` keeps, by due time, overdue as of now. */
  followUps(filter: FollowUpFilter): FollowUpRow[] {
    return followUpRows(this.incidents.values(), filter, this.options.now());
  }

  /**
   * Recounts the follow-ups on the state: overdue moves with time alone, so this runs once a
   * minute besides every change; the screens hear of a moved count with the next slot.
   */
  refreshFollowUps(): void {
    if (this.publishFollowUps()) this.options.onCountsChanged();
  }

  /** The post-incident report in Markdown. */
  report(incident: Incident): string {
    const now = this.options.now();
    return renderReport(incident, this.impact(incident, now), now, this.severities());
  }

  impact(incident: Incident, now = this.options.now()): Impact {
    return impactOf(incident, (visit) => this.options.model.scanTickets(visit), now);
  }

  /**
   * Recounts the tickets linked to active incidents (at most every LINK_REFRESH_MS unless forced)
   * and, when a count moved, puts the new summaries on the state.
   */
  refreshLinks(force = false): void {
    const elapsed = this.options.elapsed?.() ?? performance.now();
    if (!force && elapsed - this.lastLinkScan < LINK_REFRESH_MS) return;
    this.lastLinkScan = elapsed;
    this.refreshSeverities();
    const now = this.options.now();
    const active = [...this.incidents.values()].filter(isActive);
    const links = countLinks(active, (visit) => this.options.model.scanTickets(visit), now);
    this.links = links;
    let moved = false;
    for (const incident of active) {
      const next = links.get(incident.id)!;
      if (next.count === incident.linkedTickets.count && next.perHour === incident.linkedTickets.perHour) continue;
      this.incidents.set(incident.id, { ...incident, linkedTickets: next });
      moved = true;
    }
    if (moved && this.publishSummaries()) this.options.onCountsChanged();
  }

  private write(rawId: string, ifMatch: number | null, actor: string, command: Command, target: 'task' | 'follow-up' = 'task'): Promise<WriteResult> {
    const id = normalizeIncidentId(rawId);
    return this.serially(async () => {
      this.refreshSeverities();
      for (let attempt = 0; attempt < MAX_WRITE_TRIES; attempt++) {
        let incident = this.incidents.get(id) ?? (await this.reload(id, null));
        if (incident === undefined) return { kind: 'not-found', what: `no incident "${rawId}"` };
        // Our copy may lag behind another instance's write: look again before refusing.
        if (ifMatch !== null && ifMatch !== incident.version) incident = (await this.reload(id, null)) ?? incident;
        if (ifMatch !== null && ifMatch !== incident.version) return this.conflict(incident, ifMatch);
        const entries = command(incident, { actor, at: this.options.now() });
        if (entries === null) return { kind: 'not-found', what: `incident ${incident.id} has no such ${target}` };
        if (entries.length === 0) return { kind: 'ok', incident, changed: false };
        const result = await this.options.store.append(id, incident.version, entries);
        if (result.kind === 'missing') return { kind: 'not-found', what: `no incident "${rawId}"` };
        if (result.kind === 'appended') {
          const stored = this.stored.get(id)!;
          return { kind: 'ok', incident: this.changed({ ...stored, entries: [...stored.entries.slice(0, incident.version), ...entries] }), changed: true };
        }
        // Another instance wrote first: take its version, then retry (or refuse, with If-Match).
        const fresh = this.changed(result.stored);
        if (ifMatch !== null) return this.conflict(fresh, ifMatch);
      }
      throw new Error(`incidents: ${id} kept moving under ${MAX_WRITE_TRIES} tries`);
    });
  }

  private conflict(incident: Incident, ifMatch: number): WriteResult {
    const message =
      ifMatch > incident.version
        ? `incident ${incident.id} is at version ${incident.version}; If-Match ${ifMatch} is ahead of it`
        : `incident ${incident.id} changed since version ${ifMatch} (now ${incident.version}): ${changesSince(incident, ifMatch)}. Nothing was written; look again and resend.`;
    return { kind: 'conflict', incident, message };
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writing.then(task, task);
    this.writing = run.catch(() => {});
    return run;
  }

  /** Takes a stored incident if it is newer than ours; answers whether it was. */
  private adopt(stored: StoredIncident): boolean {
    const current = this.stored.get(stored.id);
    if (current !== undefined && current.entries.length >= stored.entries.length) return false;
    this.stored.set(stored.id, stored);
    const incident = deriveIncident(stored, this.links.get(stored.id), this.scale);
    this.incidents.set(stored.id, incident);
    return true;
  }

  /** Adopts a newer incident, then tells the state and the screens; answers the incident as it is now. */
  private changed(stored: StoredIncident): Incident {
    if (this.adopt(stored)) {
      const incident = this.incidents.get(stored.id)!;
      // A newly declared (or reopened) incident gets its counts now, not at the next refresh.
      if (isActive(incident) && !this.links.has(incident.id)) this.refreshLinks(true);
      this.publishSummaries();
      // The follow-up counts are not in the incident message: they go with the next slot.
      if (this.publishFollowUps()) this.options.onCountsChanged();
      this.options.onChange(this.incidents.get(stored.id)!);
    }
    return this.incidents.get(stored.id)!;
  }

  /** Re-reads one incident (null: all of them) from the store, after another instance changed it. */
  private async reload(id: string | null, version: number | null): Promise<Incident | undefined> {
    if (id === null) {
      for (const stored of await this.options.store.loadAll()) this.changed(stored);
      return undefined;
    }
    if (!isIncidentId(id)) return undefined;
    const known = this.incidents.get(id);
    if (known !== undefined && version !== null && known.version >= version) return known;
    const stored = await this.options.store.load(id);
    if (stored === null) return undefined;
    return this.changed(stored);
  }

  /** Puts the active incidents on the live state; answers whether they differ from what it had. */
  private publishSummaries(): boolean {
    const summaries = activeSummaries(this.incidents.values(), this.scale);
    const encoded = JSON.stringify(summaries);
    if (encoded === this.lastSummaries) return false;
    this.lastSummaries = encoded;
    this.options.model.setIncidents(summaries);
    return true;
  }

  /** Puts the follow-up counts on the live state; answers whether they moved. */
  private publishFollowUps(): boolean {
    const counts = followUpCounts(this.incidents.values(), this.options.now());
    const encoded = `${counts.open}/${counts.overdue}`;
    if (encoded === this.lastFollowUps) return false;
    this.lastFollowUps = encoded;
    this.options.model.setFollowUps(counts);
    return true;
  }
}

/** A digest of what a declaration says, to tell a repeated request from a reused key. */
function fingerprint(input: DeclareInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}
