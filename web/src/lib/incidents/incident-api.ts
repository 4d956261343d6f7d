// The console's HTTP calls to docs/contract.md#major-incidents. Every write carries `If-Match: <version>` (the version the
// person was looking at when they decided), so a 409 means "someone else changed it meanwhile" and
// comes back as the current incident instead of an error; a declare carries `Idempotency-Key`.
import { ApiError, errorMessage, getJson, request } from '../api/http.js';
import type { Audience, DeclareBody, FollowUpPatch, FollowUpRow, Incident, IncidentListItem, IncidentPatch, TaskPatch } from './types.js';

export type WriteOutcome =
  | { kind: 'done'; incident: Incident }
  /** 409: the incident moved on; `incident` is its current state, nothing was written. */
  | { kind: 'conflict'; incident: Incident }
  | { kind: 'error'; status: number; message: string };

export type IncidentListStatus = 'active' | 'resolved' | 'all';

const BASE = '/api/v1/incidents';

export async function listIncidents(token: string | null, status: IncidentListStatus, signal?: AbortSignal): Promise<IncidentListItem[]> {
  const body = await getJson<{ incidents: IncidentListItem[] }>(`${BASE}?status=${status}`, token, signal);
  return body.incidents;
}

export async function getIncident(token: string | null, id: string, signal?: AbortSignal): Promise<Incident> {
  return (
    incidentOf(await getJson<unknown>(`${BASE}/${encodeURIComponent(id)}`, token, signal)) ??
    Promise.reject(new ApiError(500, 'not_an_incident', 'not an incident'))
  );
}

/** The Markdown post-incident report; the token rides in the query, as a link cannot send headers. */
export function reportUrl(id: string, token: string | null): string {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${BASE}/${encodeURIComponent(id)}/report${query}`;
}

export function declareIncident(token: string | null, body: DeclareBody, idempotencyKey: string): Promise<WriteOutcome> {
  return write(token, 'POST', BASE, body, { 'idempotency-key': idempotencyKey }, null);
}

export function patchIncident(token: string | null, id: string, version: number, patch: IncidentPatch): Promise<WriteOutcome> {
  return write(token, 'PATCH', `${BASE}/${encodeURIComponent(id)}`, patch, ifMatch(version), id);
}

export function postUpdate(token: string | null, id: string, version: number, update: { audience: Audience; text: string }): Promise<WriteOutcome> {
  return write(token, 'POST', `${BASE}/${encodeURIComponent(id)}/updates`, update, ifMatch(version), id);
}

export function addTask(token: string | null, id: string, version: number, task: { title: string; owner?: string | null }): Promise<WriteOutcome> {
  return write(token, 'POST', `${BASE}/${encodeURIComponent(id)}/tasks`, task, ifMatch(version), id);
}

export function patchTask(token: string | null, id: string, taskId: string, version: number, patch: TaskPatch): Promise<WriteOutcome> {
  return write(token, 'PATCH', `${BASE}/${encodeURIComponent(id)}/tasks/${encodeURIComponent(taskId)}`, patch, ifMatch(version), id);
}

export function addFollowUp(
  token: string | null,
  id: string,
  version: number,
  followUp: { title: string; owner: string; dueAt: string },
): Promise<WriteOutcome> {
  return write(token, 'POST', `${BASE}/${encodeURIComponent(id)}/follow-ups`, followUp, ifMatch(version), id);
}

export function patchFollowUp(token: string | null, id: string, followUpId: string, version: number, patch: FollowUpPatch): Promise<WriteOutcome> {
  return write(token, 'PATCH', `${BASE}/${encodeURIComponent(id)}/follow-ups/${encodeURIComponent(followUpId)}`, patch, ifMatch(version), id);
}

/** Every incident's follow-ups (docs/contract.md#follow-ups), by due time. */
export async function listFollowUps(token: string | null, status: 'open' | 'overdue' | 'all', signal?: AbortSignal): Promise<FollowUpRow[]> {
  return (await getJson<{ followUps: FollowUpRow[] }>(`/api/v1/follow-ups?status=${status}`, token, signal)).followUps;
}

/**
 * A random key per declare form: the same key for every click until the declare succeeds, so a
 * double-click (or a retry after a lost answer) declares once. getRandomValues, not randomUUID:
 * the console is often opened over plain http on a LAN address, which is not a secure context.
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function ifMatch(version: number): Record<string, string> {
  return { 'if-match': String(version) };
}

async function write(
  token: string | null,
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
  headers: Record<string, string>,
  id: string | null,
): Promise<WriteOutcome> {
  let answer: unknown;
  try {
    answer = await request(path, token, { method, body, headers });
  } catch (error) {
    if (!(error instanceof ApiError)) return { kind: 'error', status: 0, message: errorMessage(error) };
    if (error.status === 409) {
      const current = incidentOf(error.body) ?? (await reread(token, id));
      if (current !== null) return { kind: 'conflict', incident: current };
    }
    return { kind: 'error', status: error.status, message: error.message };
  }
  // Writes answer with the incident; should one answer with less (the task, the update), the
  // incident is read again so the page never shows a half-known state.
  const incident = incidentOf(answer) ?? (await reread(token, id));
  if (incident === null) return { kind: 'error', status: 200, message: 'the server answered without the incident' };
  return { kind: 'done', incident };
}

function reread(token: string | null, id: string | null): Promise<Incident | null> {
  return id === null ? Promise.resolve(null) : getIncident(token, id).catch(() => null);
}

/** The incident in an answer: the body itself, or its `incident` field. */
export function incidentOf(body: unknown): Incident | null {
  if (isIncident(body)) return body;
  const inner = typeof body === 'object' && body !== null ? (body as { incident?: unknown }).incident : undefined;
  return isIncident(inner) ? inner : null;
}

function isIncident(value: unknown): value is Incident {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Incident>;
  return typeof v.id === 'string' && typeof v.version === 'number' && Array.isArray(v.timeline);
}
