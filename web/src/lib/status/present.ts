// How the status page lays out the status view: each incident with its own customer updates, and
// times as people read them (the browser's zone, the date when it is not today).
import type { StatusIncident, StatusUpdate, StatusView } from '../../../../contract/status.js';

export interface IncidentWithUpdates {
  incident: StatusIncident;
  /** Newest first, as the view lists them. */
  updates: StatusUpdate[];
}

/** The view's incidents in its order, each with its updates. */
export function incidentsWithUpdates(view: StatusView): IncidentWithUpdates[] {
  const byNumber = new Map<number, StatusUpdate[]>();
  for (const update of view.updates) {
    const list = byNumber.get(update.number);
    if (list === undefined) byNumber.set(update.number, [update]);
    else list.push(update);
  }
  return view.incidents.map((incident) => ({ incident, updates: byNumber.get(incident.number) ?? [] }));
}

/** "14:05" today, "3 Dec, 14:05" another day (in `lang`, the browser's zone). */
export function readableTime(iso: string, lang: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return new Intl.DateTimeFormat(lang, options).format(at);
}
