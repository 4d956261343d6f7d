// The incident API (docs/contract.md#major-incidents) as test scenarios read it: one call per line, with the role's token.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Incident } from '../../contract/incidents.js';
import { bearer, type TOKENS } from './app.js';

export type Role = keyof typeof TOKENS;

export interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  /** null sends no token. */
  as: Role | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export function call(app: FastifyInstance, { method, url, as, body, headers = {} }: Call): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(as === null ? {} : bearer(as)), ...headers },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

/** Expects `status` and answers the body as an incident. */
export async function expectIncident(response: LightMyRequestResponse, status: number): Promise<Incident> {
  if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  return response.json<Incident>();
}

export async function declareIncident(app: FastifyInstance, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Incident> {
  return expectIncident(await call(app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body, headers }), 201);
}

export async function patchIncident(app: FastifyInstance, id: string, body: Record<string, unknown>, as: Role = 'commander'): Promise<Incident> {
  return expectIncident(await call(app, { method: 'PATCH', url: `/api/v1/incidents/${id}`, as, body }), 200);
}

export async function postUpdate(
  app: FastifyInstance,
  id: string,
  audience: 'internal' | 'customers',
  text: string,
  as: Role = 'supervisor',
): Promise<Incident> {
  return expectIncident(await call(app, { method: 'POST', url: `/api/v1/incidents/${id}/updates`, as, body: { audience, text } }), 201);
}

export async function addTask(app: FastifyInstance, id: string, title: string, owner?: string): Promise<Incident> {
  const body = owner === undefined ? { title } : { title, owner };
  return expectIncident(await call(app, { method: 'POST', url: `/api/v1/incidents/${id}/tasks`, as: 'supervisor', body }), 201);
}

export async function getIncident(app: FastifyInstance, id: string): Promise<Incident> {
  return expectIncident(await call(app, { method: 'GET', url: `/api/v1/incidents/${id}`, as: 'viewer' }), 200);
}

export async function listIncidents(app: FastifyInstance, status: 'active' | 'resolved' | 'all'): Promise<Omit<Incident, 'timeline'>[]> {
  const response = await call(app, { method: 'GET', url: `/api/v1/incidents?status=${status}`, as: 'viewer' });
  if (response.statusCode !== 200) throw new Error(`GET /api/v1/incidents answered ${response.statusCode}: ${response.body}`);
  return response.json<{ incidents: Omit<Incident, 'timeline'>[] }>().incidents;
}
