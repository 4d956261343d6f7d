// GET /api/v1/flow/escalations?since= (docs/contract.md#the-flow-between-lines), role viewer: the
// tickets escalated lately, newest first: the supervisor's list.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { parseTime } from '../history/range.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const HOUR_MS = 3_600_000;
/** How far back the list reaches: today's flow is what the wall shows; older is for the reports. */
const MAX_BACK_MS = 24 * HOUR_MS;
export const MAX_ESCALATION_ROWS = 200;

const ESCALATED_TICKET = openObject(
  {
    key: { type: 'string' },
    id: { type: 'string' },
    source: { type: 'string' },
    subject: { type: 'string' },
    from: { type: 'string', description: 'The line it left.' },
    to: { type: 'string', description: 'The higher line it went to.' },
    at: { ...ISO_TIME, description: 'The updatedAt of the event that moved it.' },
    priority: { type: 'string' },
    onLineSec: { type: 'integer', description: 'Seconds on `from` before the move (from its arrival there, or its creation).' },
  },
  ['key', 'id', 'source', 'subject', 'from', 'to', 'at', 'priority', 'onLineSec'],
);

export async function flowRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { since?: string } }>(
    '/api/v1/flow/escalations',
    {
      onRequest: requireRole(app.tokens, 'viewer'),
      schema: {
        tags: ['screens'],
        summary: 'Tickets escalated lately, newest first',
        ...needsRole(
          'viewer',
          'GET',
          `\`since\`: ISO-8601 or relative to now (-1h, the default; -30m), at most 24 h back. At most ${MAX_ESCALATION_ROWS} rows.`,
        ),
        querystring: {
          type: 'object',
          properties: { since: { type: 'string', maxLength: 64 }, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: { 200: { type: 'array', items: ESCALATED_TICKET }, ...errors(400, ...GUARD_ERRORS) },
      },
    },
    async (request, reply) => {
      const now = app.now();
      const since = parseTime('since', request.query.since ?? '-1h', now);
      if (typeof since !== 'number') return sendError(reply, 400, 'invalid_request', since.error);
      if (since < now - MAX_BACK_MS) return sendError(reply, 400, 'invalid_request', 'since: at most 24 h back (-24h)');
      app.flowLines.reload();
      return app.model.escalations(since, MAX_ESCALATION_ROWS);
    },
  );
}
