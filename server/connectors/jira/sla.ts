// JSM SLA custom fields (`SlaInformation`, research 2.2): an ongoing cycle with a `breachTime`,
// and completed cycles with the `breachTime` they were measured against and their `stopTime`.
// The field ids differ per site, so fields are found by the SLA's own `name` inside the value, or
// by the ids a site lists in `slaFields` (connectors.json).
import { isObject } from '../../domain/validation.js';
import { isoTime } from '../merge.js';
import type { SlaFieldNames } from '../types.js';

/** What one SLA field says of its target. */
export interface SlaReading {
  /** The due time of the current cycle, or of the last completed one; null: no target runs (none, or paused). */
  dueAt: string | null;
  /** When the first cycle stopped (for "Time to first response": the first response), or null. */
  firstStopAt: string | null;
}

export interface IssueSlas {
  /** undefined: the issue carries no such field (keep what is known); otherwise its reading. */
  firstResponse: SlaReading | undefined;
  resolution: SlaReading | undefined;
}

/** `{epochMillis, iso8601, jira, friendly}` → ISO-8601 UTC: the epoch first (zone-free), else the texts. */
export function slaTime(value: unknown): string | null {
  return isObject(value) ? isoTime(value) : null;
}

function looksLikeSla(value: unknown): value is Record<string, unknown> {
  return isObject(value) && ('ongoingCycle' in value || 'completedCycles' in value);
}

export function readSla(field: Record<string, unknown>): SlaReading {
  const completed = Array.isArray(field.completedCycles) ? field.completedCycles.filter(isObject) : [];
  const first = completed[0];
  const firstStopAt = first === undefined ? null : slaTime(first.stopTime);
  const ongoing = field.ongoingCycle;
  if (isObject(ongoing)) {
    // A paused clock (e.g. waiting for the customer) has no deadline that can pass: no target now.
    if (ongoing.paused === true) return { dueAt: null, firstStopAt };
    return { dueAt: slaTime(ongoing.breachTime), firstStopAt };
  }
  const last = completed[completed.length - 1];
  // Done: the due time it was measured against stays, so the day's compliance can count it.
  return { dueAt: last === undefined ? null : slaTime(last.breachTime), firstStopAt };
}

/**
 * Finds the two SLA fields among an issue's fields: a field whose id is listed, or an SLA-shaped
 * value whose `name` is listed (names and ids lower-cased). A listed id whose value is null reads
 * as "no target"; an SLA not found at all is undefined.
 */
export function findSlas(fields: Record<string, unknown>, names: SlaFieldNames | undefined): IssueSlas {
  const result: IssueSlas = { firstResponse: undefined, resolution: undefined };
  if (names === undefined) return result;
  const wanted = (list: string[], id: string, value: unknown): boolean => {
    if (list.includes(id.toLowerCase())) return true;
    return looksLikeSla(value) && typeof value.name === 'string' && list.includes(value.name.trim().toLowerCase());
  };
  for (const [id, value] of Object.entries(fields)) {
    const reading = looksLikeSla(value) ? readSla(value) : value === null ? { dueAt: null, firstStopAt: null } : undefined;
    if (reading === undefined) continue;
    if (result.firstResponse === undefined && wanted(names.firstResponse, id, value)) result.firstResponse = reading;
    else if (result.resolution === undefined && wanted(names.resolution, id, value)) result.resolution = reading;
  }
  return result;
}
