// Alerts (issue 6): the active alerts and their history (viewer), and acknowledging one
// (supervisor). Kept in the alert store: the same answer on every instance, and after a restart.
import type { FastifyInstance } from 'fastify';
import { HISTORY_LIMIT } from '../alerts/engine.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { errors, GUARD_ERRORS, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const ALERT = { type: 'object', additionalProperties: true, description: 'An alert: its rule, state, since when, who acknowledged it.' } as const;

export async function alertRoutes(app: FastifyInstance): Promise<void> {
  const { alerts, tokens } = app;
  const viewer = requireRole(tokens, 'viewer');
  const supervisor = requireRole(tokens, 'supervisor');

  app.get<{ Querystring: { limit?: number } }>(
    '/api/v1/alerts',
    {
      onRequest: viewer,
      schema: {
        tags: ['alerts'],
        summary: 'The active alerts and their history',
        ...needsRole('viewer', 'GET', '`limit`: only the newest entries of the history (kept oldest first).'),
        querystring: {
          type: 'object',
          // `limit`: the newest entries of the history only (it is kept oldest first, newest last).
          properties: { limit: { type: 'integer', minimum: 0, maximum: HISTORY_LIMIT }, token: TOKEN_QUERY },
        },
        response: {
          200: openObject({ active: { type: 'array', items: ALERT }, history: { type: 'array', items: ALERT }, problems: { type: 'array' } }, [
            'active',
            'history',
            'problems',
          ]),
          ...errors(400, ...GUARD_ERRORS),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { active: alerts.active(), history: alerts.history(request.query.limit), problems: alerts.problems };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/alerts/:id/ack',
    {
      onRequest: supervisor,
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge a firing alert',
        ...needsRole('supervisor', 'WRITE', '409 `not_firing` when the alert is not firing.'),
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200, description: 'The rule id' } } },
        response: { 200: ALERT, ...errors(400, ...GUARD_ERRORS, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      let result: Awaited<ReturnType<typeof alerts.acknowledge>>;
      try {
        result = await alerts.acknowledge(id, request.principal!.name);
      } catch (error) {
        request.log.warn({ err: error, alert: id }, 'acknowledging an alert failed');
        return sendError(reply, 503, 'unavailable', 'alert storage is unavailable; try again shortly');
      }
      if (!result.ok) {
        if (result.reason === 'unknown') {
          return sendError(reply, 404, 'not_found', `no alert "${id}"; known: ${alerts.ruleIds().join(', ') || 'none'}`);
        }
        return sendError(reply, 409, 'not_firing', `alert "${id}" is not firing; only a firing alert can be acknowledged`);
      }
      return result.alert;
    },
  );
}
