// Alerts (issue 6): the active alerts and their history (viewer), and acknowledging one
// (supervisor). In memory: per instance, lost on restart.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';

export async function alertRoutes(app: FastifyInstance): Promise<void> {
  const { alerts, tokens, now } = app.watch;
  const viewer = requireRole(tokens, 'viewer');
  const supervisor = requireRole(tokens, 'supervisor');

  app.get('/api/v1/alerts', { onRequest: viewer }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { active: alerts.engine.active(), history: alerts.engine.history(), problems: alerts.problems };
  });

  app.post<{ Params: { id: string } }>(
    '/api/v1/alerts/:id/ack',
    {
      onRequest: supervisor,
      schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } },
    },
    async (request, reply) => {
      const { id } = request.params;
      const result = alerts.engine.acknowledge(id, request.principal!.name, now());
      if (!result.ok) {
        if (result.reason === 'unknown') {
          const known = alerts.engine.rules().map((rule) => rule.id);
          return sendError(reply, 404, 'not_found', `no alert "${id}"; known: ${known.join(', ') || 'none'}`);
        }
        return sendError(reply, 409, 'not_firing', `alert "${id}" is not firing; only a firing alert can be acknowledged`);
      }
      return result.alert;
    },
  );
}
