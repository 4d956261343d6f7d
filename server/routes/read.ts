// The read APIs for screens (SPEC 6), role viewer.
import type { FastifyInstance } from 'fastify';
import { TICKET_VIEWS, type ListedTicket, type TicketViewName } from '../domain/types.js';
import { requireRole } from '../http/auth.js';
import { ticketUrl } from '../links/ticket-links.js';

export async function readRoutes(app: FastifyInstance): Promise<void> {
  const { model, tokens, config } = app.watch;
  const viewer = requireRole(tokens, 'viewer');

  app.get('/api/v1/state', { onRequest: viewer }, async () => app.watch.currentState());

  app.get('/api/v1/agents', { onRequest: viewer }, async () => ({ agents: model.agentList() }));

  // Who this token is, so that a screen can offer only what its role may do (the server still
  // checks every write).
  app.get('/api/v1/me', { onRequest: viewer }, async (request) => ({ name: request.principal!.name, role: request.principal!.role }));

  app.get<{ Querystring: { view: TicketViewName; limit: number } }>(
    '/api/v1/tickets',
    {
      onRequest: viewer,
      schema: {
        querystring: {
          type: 'object',
          required: ['view'],
          properties: {
            view: { type: 'string', enum: [...TICKET_VIEWS] },
            limit: { type: 'integer', minimum: 1, maximum: 5000, default: 200 },
            token: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const now = app.watch.now();
      app.watch.tick();
      const tickets: ListedTicket[] = model
        .ticketList(request.query.view, now, request.query.limit)
        .map((ticket) => ({ ...ticket, url: ticketUrl(config.ticketUrls, ticket.source, ticket.id) }));
      return { view: request.query.view, at: new Date(now).toISOString(), tickets };
    },
  );
}
