// Incidents for the status page's pure tests, made as the service makes them: the domain's commands
// give timeline entries, the fold gives the incident.
import type { DeclareInput, Incident, IncidentPatch, UpdateInput } from '../../../contract/incidents.js';
import { declare, deriveIncident, patch, postUpdate, type StoredIncident } from '../../../server/incidents/incident.js';

export const T0 = Date.parse('2026-11-26T10:00:00.000Z');
export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const min = (m: number): number => T0 + m * MINUTE;

export type Step = { at: number; patch: IncidentPatch } | { at: number; update: UpdateInput };

/** Incident `number` declared at `at` with `input`, then each step in order. */
export function incident(number: number, input: Partial<DeclareInput>, at: number, steps: Step[] = []): Incident {
  const declared: DeclareInput = { title: `Incident ${number}`, severity: 'SEV2', summary: '', services: [], match: { tags: [], keywords: [] }, ...input };
  let stored: StoredIncident = { id: `inc-${number}`, number, entries: declare(declared, { actor: 'anna', at }) };
  for (const step of steps) {
    const current = deriveIncident(stored);
    const who = { actor: 'omar', at: step.at };
    const entries = 'patch' in step ? patch(current, step.patch, who) : postUpdate(current, step.update, who);
    stored = { ...stored, entries: [...stored.entries, ...entries] };
  }
  return deriveIncident(stored);
}
