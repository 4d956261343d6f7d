// Follow-ups (docs/contract.md#follow-ups) as the screens show and edit them: overdue at the screen's
// time, due times in the browser's zone, and the `datetime-local` field's value to and from the
// API's ISO time. Pure.
import type { IncidentFollowUp } from './types.js';

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Open and past its due time at `now`, as the server counts it. */
export function isOverdue(followUp: Pick<IncidentFollowUp, 'status' | 'dueAt'>, now: number): boolean {
  return followUp.status === 'open' && Date.parse(followUp.dueAt) < now;
}

/** "2026-11-28 17:00" in the browser's zone: a due date is a day and an hour, seconds do not matter. */
export function formatDue(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The `datetime-local` value ("2026-11-28T17:00") of an instant, in the browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the browser's zone) as the API's ISO time; null when it is not one. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = new Date(value).getTime(); // no zone: the browser reads it as local time
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Open ones first (the overdue among them first), then by due time: what to chase heads the list. */
export function followUpOrder<T extends Pick<IncidentFollowUp, 'status' | 'dueAt'>>(list: readonly T[], now: number): T[] {
  const rank = (f: T): number => (f.status !== 'open' ? 2 : isOverdue(f, now) ? 0 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b) || Date.parse(a.dueAt) - Date.parse(b.dueAt));
}
