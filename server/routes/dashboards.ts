// The dashboards (SPEC 8), role viewer: the list with each file's problems, and one dashboard's
// last good version (what walls show).
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const { dashboards, tokens } = app.watch;
  const viewer = requireRole(tokens, 'viewer');

  app.get('/api/v1/dashboards', { onRequest: viewer }, async (_request, reply) => {
    // Files change under a running server; a cached list would hide a fix or a new problem.
    reply.header('cache-control', 'no-store');
    return { dashboards: dashboards.list() };
  });

  app.get<{ Params: { id: string } }>(
    '/api/v1/dashboards/:id',
    {
      onRequest: viewer,
      schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } },
    },
    async (request, reply) => {
      const { id } = request.params;
      const dashboard = dashboards.get(id);
      if (dashboard === undefined) {
        const problems = dashboards.problemsOf(id);
        const why =
          problems.length > 0
            ? `dashboard "${id}" has no good version; see GET /api/v1/dashboards for its problems`
            : `no dashboard "${id}"; known: ${dashboards.list().filter((d) => d.title !== null).map((d) => d.id).join(', ') || 'none'}`;
        return sendError(reply, 404, 'not_found', why);
      }
      reply.header('cache-control', 'no-store');
      return dashboard;
    },
  );
}
