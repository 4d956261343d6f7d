// Thin wrappers over app.inject() for the public API (docs/contract.md#events-in, #the-numbers), so that tests read as
// scenarios. They assert nothing about the answer beyond its status; the tests do that.
import type { FastifyInstance } from 'fastify';
import type { AgentView, IngestSummary, LiveState, QueueState, TicketView, TicketViewName } from '../../contract/domain.js';
import { bearer } from './app.js';

/** POSTs events as a JSON array with the ingest token; expects 202. */
export async function postEvents(app: FastifyInstance, events: readonly unknown[]): Promise<IngestSummary> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events as unknown[] });
  if (response.statusCode !== 202) throw new Error(`POST /api/v1/events answered ${response.statusCode}: ${response.body}`);
  return response.json<IngestSummary>();
}

async function getJson<T>(app: FastifyInstance, url: string): Promise<T> {
  const response = await app.inject({ method: 'GET', url, headers: bearer('viewer') });
  if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${response.body}`);
  return response.json<T>();
}

export const getState = (app: FastifyInstance): Promise<LiveState> => getJson<LiveState>(app, '/api/v1/state');

export const getAgents = async (app: FastifyInstance): Promise<AgentView[]> => (await getJson<{ agents: AgentView[] }>(app, '/api/v1/agents')).agents;

export const getTickets = async (app: FastifyInstance, view: TicketViewName): Promise<TicketView[]> =>
  (await getJson<{ tickets: TicketView[] }>(app, `/api/v1/tickets?view=${view}`)).tickets;

/** A queue's row; a queue with nothing open may be left out of the state, and then reads as zeros. */
export function queueOf(state: LiveState, id: string): QueueState {
  return state.queues.find((q) => q.id === id) ?? { id, open: 0, waiting: 0, oldestWaitingSec: 0, breached: 0, atRisk: 0 };
}
