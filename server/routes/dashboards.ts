// The dashboards (docs/contract.md#dashboards-as-code), role viewer: the list with each file's problems, and one dashboard's
// last good version (what walls show).
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { errors, GUARD_ERRORS, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const TOKEN_ONLY = { type: 'object', properties: { token: TOKEN_QUERY } } as const;

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const { dashboards, tokens } = app;
  const viewer = requireRole(tokens, 'viewer');

  const listSchema = {
    tags: ['dashboards'],
    summary: 'The dashboards, with the problems of each file',
    ...needsRole('viewer', 'GET'),
    querystring: TOKEN_ONLY,
    response: {
      200: openObject(
        {
          dashboards: {
            type: 'array',
            items: openObject({ id: { type: 'string' }, title: { type: ['string', 'null'] }, problems: { type: 'array' } }, ['id']),
          },
        },
        ['dashboards'],
      ),
      ...errors(...GUARD_ERRORS),
    },
  };
  app.get('/api/v1/dashboards', { onRequest: viewer, schema: listSchema }, async (_request, reply) => {
    // Files change under a running server; a cached list would hide a fix or a new problem.
    reply.header('cache-control', 'no-store');
    return { dashboards: dashboards.list() };
  });

  app.get<{ Params: { id: string } }>(
    '/api/v1/dashboards/:id',
    {
      onRequest: viewer,
      schema: {
        tags: ['dashboards'],
        summary: "One dashboard's last good version (what walls show)",
        ...needsRole('viewer', 'GET'),
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 200, description: 'The file name without .json' } },
        },
        querystring: TOKEN_ONLY,
        response: {
          200: openObject({ id: { type: 'string' }, title: { type: 'string' } }, ['id'], 'The dashboard: its layout of widgets.'),
          ...errors(400, ...GUARD_ERRORS, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const dashboard = dashboards.get(id);
      if (dashboard === undefined) {
        const problems = dashboards.problemsOf(id);
        const why =
          problems.length > 0
            ? `dashboard "${id}" has no good version; see GET /api/v1/dashboards for its problems`
            : `no dashboard "${id}"; known: ${
                dashboards
                  .list()
                  .filter((d) => d.title !== null)
                  .map((d) => d.id)
                  .join(', ') || 'none'
              }`;
        return sendError(reply, 404, 'not_found', why);
      }
      reply.header('cache-control', 'no-store');
      return dashboard;
    },
  );
}
