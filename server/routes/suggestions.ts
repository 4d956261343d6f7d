// Surge detection's suggestions (docs/contract.md#surge-detection): the list (viewer), declaring one
// as an incident (commander) and dismissing one (supervisor).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SEVERITY_ID_PATTERN, type Severity } from '../../contract/incidents.js';
import { parseSeverity } from '../incidents/validate-input.js';
import { SUGGESTION_KINDS, SUGGESTION_STATUSES, type SuggestionStatus } from '../../contract/suggestions.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const MAX_REASON = 500;
const MAX_TITLE = 200;
const ID = { type: 'string', pattern: '^[cs]-[0-9a-f]{16}$', description: "A suggestion's id (`c-…` a group of tickets, `s-…` a line's surge)." } as const;
const STRINGS = { type: 'array', items: { type: 'string' } } as const;

const SUGGESTION = openObject(
  {
    id: { type: 'string' },
    kind: { type: 'string', enum: [...SUGGESTION_KINDS] },
    line: { type: 'string' },
    title: { type: 'string' },
    keywords: STRINGS,
    tags: STRINGS,
    tickets: { ...STRINGS, description: 'The tickets of the group, as `source:id` keys, oldest first.' },
    recent: {
      type: 'array',
      description: 'The newest tickets (up to 10) with their subject and their link into the helpdesk (`TICKET_URLS`).',
      items: openObject({ key: { type: 'string' }, id: { type: 'string' }, subject: { type: 'string' }, url: { type: ['string', 'null'] } }, [
        'key',
        'id',
        'subject',
        'url',
      ]),
    },
    count: { type: 'integer' },
    firstAt: ISO_TIME,
    lastAt: ISO_TIME,
    ratePerHour: { type: 'number' },
    expectedPerHour: { type: 'number' },
    status: { type: 'string', enum: [...SUGGESTION_STATUSES] },
    incidentId: { type: ['string', 'null'] },
    history: {
      type: 'array',
      items: openObject({ at: ISO_TIME, by: { type: 'string' }, action: { type: 'string' }, reason: { type: 'string' } }, ['at', 'by', 'action']),
    },
  },
  [
    'id',
    'kind',
    'line',
    'title',
    'keywords',
    'tags',
    'tickets',
    'count',
    'firstAt',
    'lastAt',
    'ratePerHour',
    'expectedPerHour',
    'status',
    'incidentId',
    'history',
  ],
);

export async function suggestionRoutes(app: FastifyInstance): Promise<void> {
  const { tokens, surge } = app;
  const actor = (request: FastifyRequest): string => request.principal!.name;

  app.get<{ Querystring: { status?: SuggestionStatus } }>(
    '/api/v1/suggestions',
    {
      onRequest: requireRole(tokens, 'viewer'),
      schema: {
        tags: ['incidents'],
        summary: 'Possible incidents raised by surge detection',
        ...needsRole('viewer', 'GET', 'Newest first. `status` filters; all the server holds when absent.'),
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: [...SUGGESTION_STATUSES] }, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: { 200: { type: 'array', items: SUGGESTION }, ...errors(400, ...GUARD_ERRORS) },
      },
    },
    async (request) => surge.list(request.query.status),
  );

  app.post<{ Params: { id: string }; Body: { severity: Severity; title?: string } }>(
    '/api/v1/suggestions/:id/declare',
    {
      onRequest: requireRole(tokens, 'commander'),
      schema: {
        tags: ['incidents'],
        summary: 'Declare a suggestion as a major incident',
        ...needsRole(
          'commander',
          'WRITE',
          "The incident links the group's tickets and, for those still to come, its shared tags. Declaring the same suggestion again (here or on another instance) answers 409 with the incident it became.",
        ),
        params: { type: 'object', required: ['id'], properties: { id: ID } },
        body: {
          type: 'object',
          required: ['severity'],
          properties: {
            severity: { type: 'string', pattern: SEVERITY_ID_PATTERN, description: 'An id of the severity scale in force (`GET /api/v1/severities`).' },
            title: { type: 'string', minLength: 1, maxLength: MAX_TITLE, description: "The suggestion's title when absent." },
          },
          additionalProperties: false,
        },
        response: {
          201: openObject({ suggestion: SUGGESTION, incident: openObject({ id: { type: 'string' } }, ['id']) }, ['suggestion', 'incident']),
          ...errors(400, ...GUARD_ERRORS, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const title = request.body.title?.trim();
      const severity = parseSeverity(
        request.body.severity,
        app.incidents.severities().levels.map((l) => l.id),
      );
      if (!severity.ok) return sendError(reply, 400, 'invalid_request', severity.error);
      const result = await surge.declare(request.params.id, { severity: severity.value, ...(title ? { title } : {}) }, actor(request));
      if (!result.ok)
        return sendError(reply, result.error === 'not-found' ? 404 : 409, result.error === 'not-found' ? 'not_found' : 'already_declared', result.message);
      const incident = app.incidents.get(result.incidentId) ?? { id: result.incidentId };
      return reply.code(201).send({ suggestion: result.suggestion, incident });
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/v1/suggestions/:id/dismiss',
    {
      onRequest: requireRole(tokens, 'supervisor'),
      schema: {
        tags: ['incidents'],
        summary: 'Dismiss a suggestion: it stays quiet unless its group doubles',
        ...needsRole('supervisor', 'WRITE'),
        params: { type: 'object', required: ['id'], properties: { id: ID } },
        body: {
          type: 'object',
          required: ['reason'],
          properties: { reason: { type: 'string', minLength: 1, maxLength: MAX_REASON, description: 'Why: kept in the history with who and when.' } },
          additionalProperties: false,
        },
        response: { 200: openObject({ suggestion: SUGGESTION }, ['suggestion']), ...errors(400, ...GUARD_ERRORS, 404, 409) },
      },
    },
    async (request, reply) => {
      const reason = request.body.reason.trim();
      if (reason === '') return sendError(reply, 400, 'invalid_request', 'reason: say why (it is kept with your name)');
      const result = await surge.dismiss(request.params.id, reason, actor(request));
      if (!result.ok)
        return sendError(reply, result.error === 'not-found' ? 404 : 409, result.error === 'not-found' ? 'not_found' : 'already_declared', result.message);
      return { suggestion: result.suggestion };
    },
  );
}
