// Wall control (docs/contract.md#wall-control): the open walls (role viewer), switching the walls of a name to another
// dashboard and an announcement banner on every wall (role supervisor). Both commands travel over
// `/live` (events `show-dashboard` and `announce`), through the Redis adapter in distributed mode.
//
// A switch lasts until the wall's page is reloaded (a reload returns it to its URL's dashboard) or
// until it is switched again; a wall that only reconnects keeps the switched dashboard.
import type { FastifyInstance } from 'fastify';
import { DASHBOARD_ID } from '../dashboards/validate-dashboard.js';
import { cleanName, TEXT_LIMITS, validateAnnouncement } from '../domain/text-rules.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

export const MAX_ANNOUNCE_CHARS = 280;
export const MIN_ANNOUNCE_SECONDS = 5;
export const MAX_ANNOUNCE_SECONDS = 3600;
/** A wall's name follows the rule for every name (the wall channel checks its hello the same way). */
const MAX_WALL_NAME = TEXT_LIMITS.name;

export async function wallRoutes(app: FastifyInstance): Promise<void> {
  const { dashboards, tokens, hub } = app;
  const viewer = requireRole(tokens, 'viewer');
  const supervisor = requireRole(tokens, 'supervisor');

  const wallsSchema = {
    tags: ['dashboards'],
    summary: 'The open walls: name, dashboard, since when',
    ...needsRole('viewer', 'GET'),
    querystring: { type: 'object', properties: { token: TOKEN_QUERY } },
    response: {
      200: openObject(
        {
          walls: {
            type: 'array',
            items: openObject({ name: { type: 'string' }, dashboard: { type: 'string' }, connectedAt: ISO_TIME, lastSeen: ISO_TIME }, ['name', 'dashboard']),
          },
        },
        ['walls'],
      ),
      ...errors(...GUARD_ERRORS),
    },
  };
  // Bodies are checked by the rules walls and screens share (text-rules.ts), whose messages say
  // what a name or an announcement must be; the schemas below document them.
  const showSchema = {
    tags: ['dashboards'],
    summary: 'Switch every wall of a name to another dashboard',
    ...needsRole(
      'supervisor',
      'WRITE',
      'Lasts until the wall page is reloaded or switched again. 400 `unknown_dashboard` for a dashboard with no good version; 404 when no wall of that name is connected.',
    ),
    params: { type: 'object', properties: { wall: { type: 'string', description: "The wall's ?name= (at most 200 characters, no control characters)." } } },
    documentedBody: {
      type: 'object',
      required: ['dashboard'],
      properties: { dashboard: { type: 'string', pattern: DASHBOARD_ID.source, description: 'A dashboard id.' } },
    },
    response: {
      200: openObject({ wall: { type: 'string' }, dashboard: { type: 'string' }, walls: { type: 'integer', description: 'How many walls were switched.' } }, [
        'wall',
        'dashboard',
        'walls',
      ]),
      ...errors(400, ...GUARD_ERRORS, 404),
    },
  };
  const announceSchema = {
    tags: ['dashboards'],
    summary: 'Show an announcement banner on every wall',
    ...needsRole('supervisor', 'WRITE'),
    documentedBody: {
      type: 'object',
      required: ['text', 'seconds'],
      properties: {
        text: { type: 'string', minLength: 1, maxLength: MAX_ANNOUNCE_CHARS, description: 'One line, no control characters; trimmed, bidi controls removed.' },
        seconds: { type: 'integer', minimum: MIN_ANNOUNCE_SECONDS, maximum: MAX_ANNOUNCE_SECONDS },
      },
    },
    response: {
      200: openObject({ announcement: openObject({ text: { type: 'string' }, until: { type: ['string', 'number'] } }, ['text', 'until']) }, ['announcement']),
      ...errors(400, ...GUARD_ERRORS),
    },
  };

  app.get('/api/v1/walls', { onRequest: viewer, schema: wallsSchema }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { walls: await hub.allWalls() };
  });

  app.post<{ Params: { wall: string }; Body: unknown }>('/api/v1/walls/:wall/show', { onRequest: supervisor, schema: showSchema }, async (request, reply) => {
    // The same rule as the wall's own hello, so every name a wall can connect with can be switched.
    const checked = cleanName(request.params.wall.trim(), MAX_WALL_NAME);
    if (!checked.ok) return sendError(reply, 400, 'invalid_request', `wall: the name of a wall (its ?name=): ${checked.reason}`);
    const name = checked.text;
    const body = objectOf(request.body);
    if (body === null) return sendError(reply, 400, 'invalid_request', 'body: send JSON {"dashboard": "<id>"}');
    const id = body.dashboard;
    if (typeof id !== 'string' || !DASHBOARD_ID.test(id)) {
      return sendError(reply, 400, 'invalid_request', 'dashboard: a dashboard id (a-z, 0-9 and -, the file name without .json)');
    }
    if (dashboards.get(id) === undefined) {
      const known = dashboards
        .list()
        .filter((d) => d.title !== null)
        .map((d) => d.id);
      const why = dashboards.problemsOf(id).length > 0 ? `dashboard "${id}" has no good version; see GET /api/v1/dashboards` : `no dashboard "${id}"`;
      return sendError(reply, 400, 'unknown_dashboard', `${why} (known: ${known.join(', ') || 'none'})`);
    }
    const count = await hub.wallsNamed(name);
    if (count === 0) {
      return sendError(reply, 404, 'not_found', `no wall named "${name}" is connected; see GET /api/v1/walls`);
    }
    hub.showOnWalls(name, id);
    request.log.info({ wall: name, dashboard: id, walls: count, by: request.principal?.name }, 'walls switched');
    return { wall: name, dashboard: id, walls: count };
  });

  app.post<{ Body: unknown }>('/api/v1/walls/announce', { onRequest: supervisor, schema: announceSchema }, async (request, reply) => {
    const body = objectOf(request.body);
    if (body === null) return sendError(reply, 400, 'invalid_request', 'body: send JSON {"text": "…", "seconds": 60}');
    const { text, seconds } = body;
    const announced = validateAnnouncement(text, MAX_ANNOUNCE_CHARS);
    if (!announced.ok) return sendError(reply, 400, 'invalid_request', announced.error);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < MIN_ANNOUNCE_SECONDS || seconds > MAX_ANNOUNCE_SECONDS) {
      return sendError(reply, 400, 'invalid_request', `seconds: a whole number from ${MIN_ANNOUNCE_SECONDS} to ${MAX_ANNOUNCE_SECONDS}`);
    }
    const message = hub.announce(announced.text, seconds);
    request.log.info({ seconds, by: request.principal?.name }, 'announcement on the walls');
    return { announcement: { text: message.text, until: message.until } };
  });
}

function objectOf(body: unknown): Record<string, unknown> | null {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}
