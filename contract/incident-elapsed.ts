// How long an incident has run, as every screen shows it: from its declaration to its
// resolution, or to `now` while it is unresolved.

/**
 * Seconds since the incident was declared (until `resolvedAt` once resolved). Never negative: a
 * screen whose clock runs behind the server's shows 0, not a minus sign.
 */
export function incidentElapsedSec(incident: { declaredAt: string; resolvedAt?: string | null }, now: number): number {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return Math.max(0, (end - Date.parse(incident.declaredAt)) / 1000);
}
