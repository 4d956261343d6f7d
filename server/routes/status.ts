// The status page's data (docs/contract.md#status-page): `GET /api/v1/status` (JSON) and
// `GET /status/feed.atom` (Atom 1.0). A viewer token reads them, or anyone when `STATUS_PUBLIC=1`.
// The page itself (`/status`) is the web app's, served like every other screen; the feed is a
// route of the server, which Fastify finds before the web app's fallback (server/http/web-assets.ts).
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { INCIDENT_STATUSES } from '../../contract/incidents.js';
import { OVERALL_STATES, SERVICE_STATES } from '../../contract/status.js';
import { requireRole } from '../http/auth.js';
import { ATOM_CONTENT_TYPE, renderAtom } from '../status/atom.js';
import { statusView } from '../status/status-view.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, NULLABLE_ISO_TIME, openObject, TOKEN_QUERY } from './schemas/common.js';

const STATUS = { type: 'string', enum: [...INCIDENT_STATUSES] } as const;
const STRINGS = { type: 'array', items: { type: 'string' } } as const;

const STATUS_VIEW = openObject(
  {
    generatedAt: ISO_TIME,
    state: {
      type: 'string',
      enum: [...OVERALL_STATES],
      description: 'An active incident of the most severe level (SEV1 as shipped): `major-outage`; any other active incident: `partial-outage`.',
    },
    services: {
      type: 'array',
      description: 'Every service named by an active incident or one resolved in the last 7 days, by name.',
      items: openObject(
        {
          name: { type: 'string' },
          state: { type: 'string', enum: [...SERVICE_STATES] },
          incidents: { type: 'array', items: { type: 'integer' }, description: 'The active incidents naming it.' },
        },
        ['name', 'state', 'incidents'],
      ),
    },
    incidents: {
      type: 'array',
      description: 'Active (newest first), then resolved in the last 7 days (newest first). No severity, summary, people or internal update.',
      items: openObject(
        { number: { type: 'integer' }, title: { type: 'string' }, status: STATUS, services: STRINGS, declaredAt: ISO_TIME, resolvedAt: NULLABLE_ISO_TIME },
        ['number', 'title', 'status', 'services', 'declaredAt', 'resolvedAt'],
      ),
    },
    updates: {
      type: 'array',
      description: 'The customer updates of those incidents, newest first; internal updates never.',
      items: openObject(
        {
          number: { type: 'integer' },
          title: { type: 'string' },
          status: STATUS,
          statusThen: { ...STATUS, description: 'The status when the update was posted.' },
          seq: { type: 'integer' },
          at: ISO_TIME,
          text: { type: 'string' },
          declaredAt: ISO_TIME,
          resolvedAt: NULLABLE_ISO_TIME,
        },
        ['number', 'title', 'status', 'statusThen', 'seq', 'at', 'text', 'declaredAt', 'resolvedAt'],
      ),
    },
  },
  ['generatedAt', 'state', 'services', 'incidents', 'updates'],
);

export async function statusRoutes(app: FastifyInstance): Promise<void> {
  const { tokens, incidents, config, now } = app;
  const open = config.statusPublic;
  const guard = open ? {} : { onRequest: requireRole(tokens, 'viewer') };
  const PUBLIC_NOTE = 'Open to anyone, without a token, when `STATUS_PUBLIC=1`.';
  const access = (what: string): Pick<FastifySchema, 'description' | 'security' | 'x-role'> =>
    open ? { 'x-role': 'public', description: `**Role: none** (\`STATUS_PUBLIC=1\`). ${what}` } : needsRole('viewer', 'GET', `${what} ${PUBLIC_NOTE}`);
  const querystring = { type: 'object', properties: { token: TOKEN_QUERY }, additionalProperties: false } as const;
  const refusals = open ? errors(400) : errors(400, ...GUARD_ERRORS);

  app.get(
    '/api/v1/status',
    {
      ...guard,
      schema: {
        tags: ['incidents'],
        summary: "The status page's data: services, their state and the customer updates",
        ...access('What customers may see of the incidents active or resolved in the last 7 days.'),
        querystring,
        response: { 200: STATUS_VIEW, ...refusals },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return statusView(incidents.list('all'), now(), incidents.severities());
    },
  );

  app.get(
    '/status/feed.atom',
    {
      ...guard,
      schema: {
        tags: ['incidents'],
        summary: 'The customer updates as an Atom 1.0 feed',
        ...access('One entry per customer update of the incidents on the status page, newest first.'),
        querystring,
        response: {
          200: { description: 'The feed.', content: { 'application/atom+xml': { schema: { type: 'string' } } } },
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const base = origin(request);
      const feed = renderAtom(statusView(incidents.list('all'), now(), incidents.severities()), { page: `${base}/status`, self: `${base}/status/feed.atom` });
      return reply.header('cache-control', 'no-cache').type(ATOM_CONTENT_TYPE).send(feed);
    },
  );
}

/** The address the request came to, for the feed's absolute links. */
function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
