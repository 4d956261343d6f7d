// The pure logic of incident screens (no Svelte, no I/O), shared by the console and the wall and
// tested without a browser: which incidents put the walls into incident mode, countdowns, task
// progress, updates and "what changed meanwhile" read off the append-only timeline.
import type { Dashboard, IncidentMode } from '../../../../contract/dashboards.js';
import type { Audience, Incident, IncidentStatus, IncidentUpdate, TimelineEntry } from './types.js';

/** The shape of an incident that the live state carries (docs/contract.md#the-numbers `incidents`). */
export interface IncidentLike {
  id: string;
  number: number;
  severity: string;
  status: string;
  declaredAt: string;
  /** The state's summaries say whether the severity is major on the scale in force (docs/contract.md#severities). */
  major?: boolean;
}

/**
 * docs/contract.md#major-incidents: an unresolved incident whose severity is major (SEV1 or SEV2 by default) puts every
 * wall into incident mode. The server decides `major` from the scale in force, so a wall never needs the scale.
 */
export function isMajor(incident: Pick<IncidentLike, 'major' | 'status'>): boolean {
  return incident.major === true && incident.status !== 'resolved';
}

export type WallMode = 'normal' | 'takeover' | 'banner';

/**
 * What a wall shows: its own dashboard, the `incident` dashboard instead (`takeover`), or its own
 * with a banner. A dashboard that says nothing gets the banner: no wall may stay unaware of a major incident,
 * and a banner takes nothing away from a board that was not designed for takeover. The incident
 * dashboard itself is never taken over.
 */
export function wallModeOf(own: Pick<Dashboard, 'id' | 'incidentMode'> | null, incidents: readonly IncidentLike[] | null): WallMode {
  if (own === null || own.id === 'incident' || incidents === null || !incidents.some(isMajor)) return 'normal';
  const mode: IncidentMode = own.incidentMode ?? 'banner';
  return mode;
}

export interface Countdown {
  /** Seconds until due; negative once overdue. */
  seconds: number;
  overdue: boolean;
}

/** The countdown to `dueAt` (ISO), or null when nothing is due (no cadence, resolved). */
export function countdownTo(dueAt: string | null | undefined, now: number): Countdown | null {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (!Number.isFinite(due)) return null;
  const seconds = Math.floor((due - now) / 1000);
  return { seconds, overdue: seconds < 0 };
}

export function taskProgress(incident: Pick<Incident, 'tasks'>): { done: number; total: number } {
  const tasks = incident.tasks ?? [];
  return { done: tasks.filter((t) => t.done).length, total: tasks.length };
}

/** An update to people (internal or customers) rather than a change of a field. */
export function isUpdate(entry: TimelineEntry): boolean {
  return entry.kind === 'update';
}

export function audienceOf(entry: Pick<TimelineEntry, 'audience'>): Audience {
  return entry.audience ?? 'internal';
}

/** The updates, newest first. */
export function updatesOf(incident: Pick<Incident, 'updates'>): IncidentUpdate[] {
  return [...(incident.updates ?? [])].sort((a, b) => b.seq - a.seq);
}

/** The highest timeline `seq` (0 for none): where "what changed since" starts. */
export function lastSeq(incident: Pick<Incident, 'timeline'>): number {
  return (incident.timeline ?? []).reduce((max, e) => Math.max(max, e.seq), 0);
}

/** Entries appended after `seq`, oldest first: what someone else did while this page decided. */
export function entriesAfter(incident: Pick<Incident, 'timeline'>, seq: number): TimelineEntry[] {
  return (incident.timeline ?? []).filter((e) => e.seq > seq).sort((a, b) => a.seq - b.seq);
}

/** The timeline as the console shows it: newest first (the report keeps it oldest first). */
export function newestFirst(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  return [...timeline].sort((a, b) => b.seq - a.seq);
}

/** The next status forward, or null at the end; back-steps are any earlier unresolved status. */
export function nextStatus(status: IncidentStatus): IncidentStatus | null {
  const order: IncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];
  const i = order.indexOf(status);
  return i >= 0 && i < order.length - 1 ? order[i + 1]! : null;
}

/** "alerts, 500 error" → ["alerts", "500 error"]: comma-separated, trimmed, no empties or repeats. */
export function splitList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item !== '') seen.add(item);
  }
  return [...seen];
}
