// Major incidents (docs/contract.md#major-incidents): declare and change (commander), post updates, run tasks and
// follow-ups (supervisor), read and report (viewer); the follow-ups of every incident in one list (viewer). Bodies are checked by the domain's validator rather than
// a JSON Schema, so a refusal names the field and the allowed values. Every write may carry
// `If-Match: <version>` (409 with the current incident when stale); a declaration may carry an
// `Idempotency-Key` (the same key within 24 h answers the incident it declared, 200).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeclareResult, StatusFilter, WriteResult } from '../command/incident-service.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import {
  parseDeclare,
  parseFollowUp,
  parseFollowUpPatch,
  parsePatch,
  parseTask,
  parseTaskPatch,
  parseUpdate,
  type Parsed,
} from '../incidents/validate-input.js';
import { FOLLOW_UP_FILTERS, type ConflictBody, type FollowUpFilter, type Incident, type IncidentListItem } from '../../contract/incidents.js';
import { errors, GUARD_ERRORS, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';
import {
  DECLARE_BODY,
  FOLLOW_UP_BODY,
  FOLLOW_UP_PATCH_BODY,
  FOLLOW_UP_ROW,
  INCIDENT,
  INCIDENT_WRITE_HEADERS,
  PATCH_BODY,
  TASK_BODY,
  TASK_PATCH_BODY,
  UPDATE_BODY,
  VERSION_CONFLICT,
} from './schemas/incident.js';

/** Incident bodies are a few fields of text; the largest is a 10,000-character summary or update. */
const BODY_LIMIT = 64 * 1024;
const MAX_IDEMPOTENCY_KEY = 200;
const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;
const TASK_PARAMS = {
  type: 'object',
  required: ['id', 'tid'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 }, tid: { type: 'string', minLength: 1, maxLength: 20 } },
} as const;

const FOLLOW_UP_PARAMS = {
  type: 'object',
  required: ['id', 'fid'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 }, fid: { type: 'string', minLength: 1, maxLength: 20 } },
} as const;

type IdParams = { Params: { id: string } };

export async function incidentRoutes(app: FastifyInstance): Promise<void> {
  const { incidents, tokens } = app;
  const viewer = requireRole(tokens, 'viewer');
  const supervisor = requireRole(tokens, 'supervisor');
  const commander = requireRole(tokens, 'commander');
  const actor = (request: FastifyRequest): string => request.principal!.name;
  /** The ids of the severity scale in force (docs/contract.md#severities): what declare and patch accept. */
  const severityIds = (): string[] => incidents.severities().levels.map((l) => l.id);

  app.get<{ Querystring: { status: StatusFilter; limit: number } }>(
    '/api/v1/incidents',
    {
      onRequest: viewer,
      schema: {
        tags: ['incidents'],
        summary: 'The incidents, without their timelines',
        ...needsRole('viewer', 'GET'),
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['active', 'resolved', 'all'], default: 'active' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            token: TOKEN_QUERY,
          },
          additionalProperties: false,
        },
        response: { 200: openObject({ incidents: { type: 'array', items: INCIDENT } }, ['incidents']), ...errors(400, ...GUARD_ERRORS) },
      },
    },
    async (request, reply) => {
      incidents.refreshLinks();
      reply.header('cache-control', 'no-store');
      const list: IncidentListItem[] = incidents
        .list(request.query.status)
        .slice(0, request.query.limit)
        .map(({ timeline: _timeline, ...rest }) => rest);
      return { incidents: list };
    },
  );

  const tokenOnly = { type: 'object', properties: { token: TOKEN_QUERY } } as const;
  const readOne = {
    tags: ['incidents'],
    summary: 'One incident with its timeline, updates and tasks',
    ...needsRole('viewer', 'GET', "The ETag is the incident's version, for `If-Match` on writes."),
    params: ID_PARAMS,
    querystring: tokenOnly,
    response: { 200: INCIDENT, ...errors(400, ...GUARD_ERRORS, 404, 503) },
  };
  const report = {
    tags: ['incidents'],
    summary: 'The incident report, as Markdown',
    ...needsRole('viewer', 'GET'),
    params: ID_PARAMS,
    querystring: tokenOnly,
    response: { 200: { description: 'The report.', content: { 'text/markdown': { schema: { type: 'string' } } } }, ...errors(400, ...GUARD_ERRORS, 404, 503) },
  };
  /** Every write: its role, the incident answered, and the errors a write may meet. */
  const writeSchema = (summary: string, role: 'commander' | 'supervisor', body: unknown, params: unknown, ok: 200 | 201) => ({
    tags: ['incidents'],
    summary,
    ...needsRole(
      role,
      'WRITE',
      '`If-Match: <version>` makes the write conditional: 409 `version_conflict` with the current incident when stale. A write that changes nothing answers 200.',
    ),
    params,
    headers: INCIDENT_WRITE_HEADERS,
    // The domain validator (server/incidents/validate-input.ts) checks the body: its refusals name the field and what was sent.
    documentedBody: body,
    response: {
      [ok]: { description: 'The incident after the write.', ...INCIDENT },
      ...(ok === 201 ? { 200: { description: 'Nothing changed: the incident as it is.', ...INCIDENT } } : {}),
      409: VERSION_CONFLICT,
      ...errors(400, ...GUARD_ERRORS, 404, 413, 503),
    },
  });

  app.get<IdParams>('/api/v1/incidents/:id', { onRequest: viewer, schema: readOne }, async (request, reply) => {
    incidents.refreshLinks();
    const incident = await findOrUnavailable(request, reply);
    if (incident === null) return reply;
    return sendIncident(reply, 200, incident);
  });

  app.get<IdParams>('/api/v1/incidents/:id/report', { onRequest: viewer, schema: report }, async (request, reply) => {
    const incident = await findOrUnavailable(request, reply);
    if (incident === null) return reply;
    const report = incidents.report(incident);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="incident-${incident.number}-report.md"`)
      .type('text/markdown; charset=utf-8')
      .send(report);
  });

  const declareSchema = {
    tags: ['incidents'],
    summary: 'Declare an incident',
    ...needsRole(
      'commander',
      'WRITE',
      '`Idempotency-Key`: the same key within 24 h answers the incident it declared (200, `Idempotent-Replayed: true`); with a different body, 422.',
    ),
    headers: {
      type: 'object',
      properties: { 'idempotency-key': { type: 'string', description: '1 to 200 visible ASCII characters (a UUID does well).' } },
    },
    documentedBody: DECLARE_BODY,
    response: {
      201: { description: 'Declared (Location: the new incident).', ...INCIDENT },
      200: { description: 'Replayed: this Idempotency-Key declared it before.', ...INCIDENT },
      ...errors(400, ...GUARD_ERRORS, 413, 422, 503),
    },
  };
  app.post('/api/v1/incidents', { onRequest: commander, bodyLimit: BODY_LIMIT, schema: declareSchema }, async (request, reply) => {
    const key = idempotencyKey(request);
    if (key !== null && typeof key === 'object') return sendError(reply, 400, 'invalid_request', key.error);
    const input = parseDeclare(request.body, severityIds());
    if (!input.ok) return invalid(reply, input);
    let result: DeclareResult;
    try {
      result = await incidents.declare(input.value, actor(request), key);
    } catch (error) {
      return unavailable(request, reply, error);
    }
    if (result.kind === 'key-reused') {
      return sendError(
        reply,
        422,
        'idempotency_key_reused',
        `this Idempotency-Key already declared ${result.id} with a different body within the last 24 h; use a new key for a new incident`,
      );
    }
    if (result.kind === 'replayed') reply.header('idempotent-replayed', 'true');
    else reply.header('location', `/api/v1/incidents/${result.incident.id}`);
    return sendIncident(reply, result.kind === 'created' ? 201 : 200, result.incident);
  });

  app.patch<IdParams>(
    '/api/v1/incidents/:id',
    { onRequest: commander, bodyLimit: BODY_LIMIT, schema: writeSchema('Change an incident', 'commander', PATCH_BODY, ID_PARAMS, 200) },
    async (request, reply) => {
      const input = parsePatch(request.body, severityIds());
      return write(request, reply, input, 200, (value, ifMatch) => incidents.patch(request.params.id, value, actor(request), ifMatch));
    },
  );

  app.post<IdParams>(
    '/api/v1/incidents/:id/updates',
    {
      onRequest: supervisor,
      bodyLimit: BODY_LIMIT,
      schema: writeSchema('Post an update (internal or for customers)', 'supervisor', UPDATE_BODY, ID_PARAMS, 201),
    },
    async (request, reply) => {
      const input = parseUpdate(request.body);
      return write(request, reply, input, 201, (value, ifMatch) => incidents.postUpdate(request.params.id, value, actor(request), ifMatch));
    },
  );

  app.post<IdParams>(
    '/api/v1/incidents/:id/tasks',
    { onRequest: supervisor, bodyLimit: BODY_LIMIT, schema: writeSchema('Add a task', 'supervisor', TASK_BODY, ID_PARAMS, 201) },
    async (request, reply) => {
      const input = parseTask(request.body);
      return write(request, reply, input, 201, (value, ifMatch) => incidents.addTask(request.params.id, value, actor(request), ifMatch));
    },
  );

  app.patch<{ Params: { id: string; tid: string } }>(
    '/api/v1/incidents/:id/tasks/:tid',
    { onRequest: supervisor, bodyLimit: BODY_LIMIT, schema: writeSchema('Tick off or reassign a task', 'supervisor', TASK_PATCH_BODY, TASK_PARAMS, 200) },
    async (request, reply) => {
      const input = parseTaskPatch(request.body);
      return write(request, reply, input, 200, (value, ifMatch) => incidents.changeTask(request.params.id, request.params.tid, value, actor(request), ifMatch));
    },
  );

  app.post<IdParams>(
    '/api/v1/incidents/:id/follow-ups',
    {
      onRequest: supervisor,
      bodyLimit: BODY_LIMIT,
      schema: writeSchema('Add a follow-up (also to a resolved incident)', 'supervisor', FOLLOW_UP_BODY, ID_PARAMS, 201),
    },
    async (request, reply) => {
      const input = parseFollowUp(request.body);
      return write(request, reply, input, 201, (value, ifMatch) => incidents.addFollowUp(request.params.id, value, actor(request), ifMatch));
    },
  );

  app.patch<{ Params: { id: string; fid: string } }>(
    '/api/v1/incidents/:id/follow-ups/:fid',
    {
      onRequest: supervisor,
      bodyLimit: BODY_LIMIT,
      schema: writeSchema('Close, reopen, reassign or reschedule a follow-up', 'supervisor', FOLLOW_UP_PATCH_BODY, FOLLOW_UP_PARAMS, 200),
    },
    async (request, reply) => {
      const input = parseFollowUpPatch(request.body);
      return write(request, reply, input, 200, (value, ifMatch) =>
        incidents.changeFollowUp(request.params.id, request.params.fid, value, actor(request), ifMatch),
      );
    },
  );

  app.get<{ Querystring: { status: FollowUpFilter } }>(
    '/api/v1/follow-ups',
    {
      onRequest: viewer,
      schema: {
        tags: ['incidents'],
        summary: "Every incident's follow-ups, by due time",
        ...needsRole('viewer', 'GET', '`overdue`: open and past the due time, as of the answer.'),
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: [...FOLLOW_UP_FILTERS], default: 'open' }, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: { 200: openObject({ followUps: { type: 'array', items: FOLLOW_UP_ROW } }, ['followUps']), ...errors(400, ...GUARD_ERRORS) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { followUps: incidents.followUps(request.query.status) };
    },
  );

  /** The incident of `:id`, or null once a 404 (or a 503) has been sent. */
  async function findOrUnavailable(request: FastifyRequest<IdParams>, reply: FastifyReply): Promise<Incident | null> {
    let incident: Incident | undefined;
    try {
      incident = await incidents.find(request.params.id);
    } catch (error) {
      request.log.warn({ err: error }, 'incident lookup failed');
      sendError(reply, 503, 'unavailable', 'incident storage is unavailable; try again shortly');
      return null;
    }
    if (incident === undefined) {
      notFound(reply, request.params.id);
      return null;
    }
    return incident;
  }

  /** The shared tail of every write: If-Match, validation, the store's answer, the one error shape. */
  async function write<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    input: Parsed<T>,
    okStatus: 200 | 201,
    run: (value: T, ifMatch: number | null) => Promise<WriteResult>,
  ): Promise<FastifyReply> {
    const ifMatch = parseIfMatch(request.headers['if-match']);
    if (typeof ifMatch === 'object' && ifMatch !== null) return sendError(reply, 400, 'invalid_request', ifMatch.error);
    if (!input.ok) return invalid(reply, input);
    let result: WriteResult;
    try {
      result = await run(input.value, ifMatch);
    } catch (error) {
      return unavailable(request, reply, error);
    }
    if (result.kind === 'not-found') return sendError(reply, 404, 'not_found', result.what);
    if (result.kind === 'conflict') {
      const body: ConflictBody = { error: { code: 'version_conflict', message: result.message }, incident: result.incident };
      return reply.code(409).header('etag', etag(result.incident)).send(body);
    }
    // A write that changed nothing (a status it already had) is answered 200 with the incident as is.
    return sendIncident(reply, result.changed ? okStatus : 200, result.incident);
  }
}

function sendIncident(reply: FastifyReply, status: number, incident: Incident): FastifyReply {
  return reply.code(status).header('etag', etag(incident)).header('cache-control', 'no-store').send(incident);
}

const etag = (incident: Incident): string => `"${incident.version}"`;

function notFound(reply: FastifyReply, id: string): FastifyReply {
  return sendError(reply, 404, 'not_found', `no incident "${id}"`);
}

function invalid(reply: FastifyReply, parsed: { ok: false; error: string }): FastifyReply {
  return sendError(reply, 400, 'invalid_body', parsed.error);
}

function unavailable(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  request.log.error({ err: error }, 'incident write failed');
  return reply
    .code(503)
    .header('retry-after', '5')
    .send({ error: { code: 'unavailable', message: 'incident storage is unavailable; the change may not have been saved: reload the incident, then retry' } });
}

/** `If-Match: 7`, `"7"` or `W/"7"`; `*` or none: no check. */
function parseIfMatch(header: string | string[] | undefined): number | null | { error: string } {
  if (header === undefined) return null;
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (raw.trim() === '*') return null;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (match === null) return { error: `If-Match: must be the incident's version (a whole number, as in If-Match: 7), got "${raw.slice(0, 40)}"` };
  return Number(match[1]);
}

/** The `Idempotency-Key` header, null without one. */
function idempotencyKey(request: FastifyRequest): string | null | { error: string } {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw.join(',') : raw;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY || !/^[\x21-\x7e]+$/.test(key)) {
    return { error: `Idempotency-Key: must be 1 to ${MAX_IDEMPOTENCY_KEY} visible ASCII characters (a UUID does well)` };
  }
  return key;
}
