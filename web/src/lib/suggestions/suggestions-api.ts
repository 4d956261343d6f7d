// The HTTP calls of surge detection (docs/contract.md#surge-detection): declare a suggestion as an
// incident (commander), dismiss it with a reason (supervisor), and the ticket rows the card links
// to. The open suggestions themselves come over the live channel (suggestions-feed).
import type { Severity } from '../../../../contract/incidents.js';
import type { Suggestion } from '../../../../contract/suggestions.js';
import { ApiError, errorMessage, postJson } from '../api/http.js';
import { incidentOf } from '../incidents/incident-api.js';
import type { Incident } from '../incidents/types.js';

const BASE = '/api/v1/suggestions';

/** The server takes a reason of 1 to 500 characters. */
export const REASON_MAX = 500;

export type DecideOutcome<T> = { kind: 'done'; value: T } | { kind: 'error'; status: number; message: string };

/** POST …/declare: the suggestion becomes an incident (a SEV1/SEV2 takes over the walls). 409: already declared. */
export async function declareSuggestion(
  token: string | null,
  id: string,
  severity: Severity,
): Promise<DecideOutcome<{ suggestion: Suggestion | null; incident: Incident }>> {
  return decide(`${BASE}/${encodeURIComponent(id)}/declare`, token, { severity }, (answer) => {
    const incident = incidentOf(answer);
    return incident === null ? null : { suggestion: suggestionOf(answer), incident };
  });
}

/** POST …/dismiss with the reason a supervisor gave. */
export async function dismissSuggestion(token: string | null, id: string, reason: string): Promise<DecideOutcome<Suggestion>> {
  return decide(`${BASE}/${encodeURIComponent(id)}/dismiss`, token, { reason }, suggestionOf);
}

async function decide<T>(path: string, token: string | null, body: unknown, read: (answer: unknown) => T | null): Promise<DecideOutcome<T>> {
  try {
    const value = read(await postJson<unknown>(path, token, body));
    return value === null ? { kind: 'error', status: 200, message: 'the server answered without the suggestion' } : { kind: 'done', value };
  } catch (error) {
    return { kind: 'error', status: error instanceof ApiError ? error.status : 0, message: errorMessage(error) };
  }
}

/** The `suggestion` of an answer, when it is one. */
function suggestionOf(answer: unknown): Suggestion | null {
  const inner = typeof answer === 'object' && answer !== null ? (answer as { suggestion?: unknown }).suggestion : undefined;
  if (typeof inner !== 'object' || inner === null) return null;
  const s = inner as Partial<Suggestion>;
  return typeof s.id === 'string' && typeof s.status === 'string' && Array.isArray(s.history) ? (inner as Suggestion) : null;
}
