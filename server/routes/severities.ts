// The severity scale (docs/contract.md#severities): `GET /api/v1/severities` (viewer) answers the
// levels in force, most severe first (`dashboards/severities.json`, or the built-in SEV1–SEV4
// while it is missing or was never good), and what is wrong with the file, for the console's
// choices, labels and meanings. Walls never ask: the state's summaries say `major`.
import type { FastifyInstance } from 'fastify';
import type { SeveritiesAnswer } from '../../contract/incidents.js';
import { requireRole } from '../http/auth.js';
import { errors, GUARD_ERRORS, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const LEVEL = openObject(
  {
    id: { type: 'string' },
    label: { type: 'string' },
    description: { type: 'string' },
    major: { type: 'boolean', description: 'Walls switch to incident mode while an incident of this level is active.' },
    customerUpdateMinutes: { type: ['integer', 'null'], description: 'How often customers are owed an update; null: no cadence.' },
  },
  ['id', 'label', 'description', 'major', 'customerUpdateMinutes'],
);

const ANSWER = openObject(
  {
    levels: { type: 'array', items: LEVEL, description: 'Most severe first.' },
    problems: {
      type: 'array',
      description: 'What is wrong with the file as it is now; empty while the file is in force.',
      items: openObject({ file: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } }, ['file', 'path', 'message']),
    },
  },
  ['levels', 'problems'],
);

export async function severityRoutes(app: FastifyInstance): Promise<void> {
  const { tokens, severities } = app;
  app.get(
    '/api/v1/severities',
    {
      onRequest: requireRole(tokens, 'viewer'),
      schema: {
        tags: ['incidents'],
        summary: 'The severity scale in force',
        ...needsRole('viewer', 'GET', 'The levels of `dashboards/severities.json` (the built-in SEV1–SEV4 while it is missing or bad), most severe first.'),
        querystring: { type: 'object', properties: { token: TOKEN_QUERY }, additionalProperties: false },
        response: { 200: ANSWER, ...errors(400, ...GUARD_ERRORS) },
      },
    },
    async (_request, reply) => {
      const scale = severities.current();
      reply.header('cache-control', 'no-store');
      return { levels: [...scale.levels], problems: severities.problems } satisfies SeveritiesAnswer;
    },
  );
}
