// The read APIs for screens (docs/contract.md#the-numbers), role viewer.
import type { FastifyInstance } from 'fastify';
import { TICKET_VIEWS, type ListedTicket, type TicketViewName } from '../../contract/domain.js';
import { requireRole } from '../http/auth.js';
import { ticketUrl } from '../links/ticket-links.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const GET_ERRORS = errors(...GUARD_ERRORS);
const TOKEN_ONLY = { type: 'object', properties: { token: TOKEN_QUERY } } as const;

export async function readRoutes(app: FastifyInstance): Promise<void> {
  const { model, tokens, config } = app;
  const viewer = requireRole(tokens, 'viewer');

  app.get(
    '/api/v1/state',
    {
      onRequest: viewer,
      schema: {
        tags: ['screens'],
        summary: 'The whole live state (what the walls show)',
        ...needsRole('viewer', 'GET', 'The sections the live channel sends, at this moment; objects may carry more than listed.'),
        querystring: TOKEN_ONLY,
        response: {
          200: openObject({ at: ISO_TIME }, ['at'], 'The live state: one section per part of the wall (tickets, queues, agents, sla, kpis, incidents, …).'),
          ...GET_ERRORS,
        },
      },
    },
    async () => app.currentState(),
  );

  app.get(
    '/api/v1/agents',
    {
      onRequest: viewer,
      schema: {
        tags: ['screens'],
        summary: 'Every agent with status, team and current load',
        ...needsRole('viewer', 'GET'),
        querystring: TOKEN_ONLY,
        response: { 200: openObject({ agents: { type: 'array', items: { type: 'object', additionalProperties: true } } }, ['agents']), ...GET_ERRORS },
      },
    },
    async () => ({ agents: model.agentList() }),
  );

  // Who this token is, so that a screen can offer only what its role may do (the server still
  // checks every write).
  app.get(
    '/api/v1/me',
    {
      onRequest: viewer,
      schema: {
        tags: ['screens'],
        summary: 'The name and role of the token sent',
        ...needsRole('viewer', 'GET'),
        querystring: TOKEN_ONLY,
        response: { 200: openObject({ name: { type: 'string' }, role: { type: 'string' } }, ['name', 'role']), ...GET_ERRORS },
      },
    },
    async (request) => ({ name: request.principal!.name, role: request.principal!.role }),
  );

  app.get<{ Querystring: { view: TicketViewName; limit: number } }>(
    '/api/v1/tickets',
    {
      onRequest: viewer,
      schema: {
        tags: ['screens'],
        summary: 'A list of tickets: at risk, breached or waiting',
        ...needsRole('viewer', 'GET'),
        querystring: {
          type: 'object',
          required: ['view'],
          properties: {
            view: { type: 'string', enum: [...TICKET_VIEWS] },
            limit: { type: 'integer', minimum: 1, maximum: 5000, default: 200 },
            token: TOKEN_QUERY,
          },
          additionalProperties: false,
        },
        response: {
          200: openObject({ view: { type: 'string' }, at: ISO_TIME, tickets: { type: 'array', items: { type: 'object', additionalProperties: true } } }, [
            'view',
            'at',
            'tickets',
          ]),
          ...errors(400, ...GUARD_ERRORS),
        },
      },
    },
    async (request) => {
      const now = app.now();
      // The clock to now (breaches, midnight) for this answer; a read never broadcasts: the screens
      // hear of it on the hub's own tick.
      model.advance(now);
      const tickets: ListedTicket[] = model
        .ticketList(request.query.view, now, request.query.limit)
        .map((ticket) => ({ ...ticket, url: ticketUrl(config.ticketUrls, ticket.source, ticket.id) }));
      return { view: request.query.view, at: new Date(now).toISOString(), tickets };
    },
  );
}
