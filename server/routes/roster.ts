// The roster (docs/contract.md#forecast-shifts-and-staffing): PUT /api/v1/roster (supervisor) in
// JSON or CSV, GET /api/v1/roster?from&to (viewer). An upload replaces the stored shifts that start
// inside the time it covers; a bad row or two overlapping shifts of one agent refuse the whole
// upload, each named, and nothing changes. A 200 means stored, and the wall's staffing plan has
// been recomputed with it.
import type { FastifyInstance } from 'fastify';
import type { RosterShift } from '../../contract/staffing.js';
import { parseTime } from '../history/range.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { MAX_SHIFTS, parseRosterCsv, parseRosterJson, rangeOf } from '../roster/roster.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

/** 20,000 shifts of about 150 bytes each, with room to spare. */
const ROSTER_BODY_LIMIT = 4 * 1024 * 1024;
/** A month and a bit: what a planner looks at in one go. */
const MAX_RANGE_MS = 45 * 86_400_000;

const SHIFT_SCHEMA = openObject(
  {
    agent: { type: 'string' },
    line: { type: 'string' },
    start: ISO_TIME,
    end: ISO_TIME,
    breaks: { type: 'array', items: openObject({ start: ISO_TIME, end: ISO_TIME }, ['start', 'end']) },
  },
  ['agent', 'line', 'start', 'end'],
);

const REFUSAL = openObject(
  {
    error: openObject(
      {
        code: { type: 'string' },
        message: { type: 'string' },
        errors: { type: 'array', items: { type: 'string' }, description: 'Every problem, each naming its row.' },
      },
      ['code', 'message', 'errors'],
    ),
  },
  ['error'],
);

function refuse(reply: import('fastify').FastifyReply, status: number, code: string, problems: string[]) {
  return reply.code(status).send({ error: { code, message: problems.slice(0, 3).join('; ') + (problems.length > 3 ? '; …' : ''), errors: problems } });
}

export async function rosterRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');
  const supervisor = requireRole(app.tokens, 'supervisor');
  // CSV arrives as text; JSON keeps Fastify's parser. Scoped to this plugin's routes.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: ROSTER_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.put(
    '/api/v1/roster',
    {
      onRequest: supervisor,
      bodyLimit: ROSTER_BODY_LIMIT,
      schema: {
        tags: ['staffing'],
        summary: 'Upload shifts (JSON or CSV); replaces the shifts starting inside the time the upload covers',
        ...needsRole(
          'supervisor',
          'WRITE',
          `JSON \`{"shifts":[{agent, line, start, end, breaks?:[{start, end}]}]}\` or \`text/csv\` with the header \`agent,line,start,end\` (breaks in JSON only); ISO times with an offset; at most ${MAX_SHIFTS} shifts of at most 24 h. 400 names every bad row; 409 names both shifts of an agent that would overlap.`,
        ),
        documentedBody: {
          content: {
            'application/json': { schema: openObject({ shifts: { type: 'array', items: SHIFT_SCHEMA, maxItems: MAX_SHIFTS } }, ['shifts']) },
            'text/csv': { schema: { type: 'string', example: 'agent,line,start,end\nA-7,l1,2026-12-03T08:00:00+03:00,2026-12-03T17:00:00+03:00' } },
          },
        },
        response: {
          200: openObject(
            { stored: { type: 'integer' }, replaced: { type: 'integer' }, from: ISO_TIME, to: ISO_TIME },
            ['stored', 'replaced', 'from', 'to'],
            'Stored; the staffing plan on the wall already counts it.',
          ),
          400: REFUSAL,
          409: REFUSAL,
          ...errors(...GUARD_ERRORS, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const parsed = typeof request.body === 'string' ? parseRosterCsv(request.body) : parseRosterJson(request.body);
      if (!parsed.ok) return refuse(reply, 400, 'invalid_roster', parsed.errors);
      let written: Awaited<ReturnType<typeof app.roster.replace>>;
      try {
        written = await app.roster.replace(parsed.shifts);
      } catch (error) {
        request.log.warn({ err: error }, 'roster upload not stored');
        return sendError(reply, 503, 'store_unavailable', 'the roster could not be stored; nothing changed, try again shortly');
      }
      if (!written.ok) return refuse(reply, 409, 'roster_overlap', written.errors);
      await app.refreshStaffing();
      const { from, to } = rangeOf(parsed.shifts);
      return { stored: written.stored, replaced: written.replaced, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/api/v1/roster',
    {
      onRequest: viewer,
      schema: {
        tags: ['staffing'],
        summary: 'The shifts that overlap a time range',
        ...needsRole('viewer', 'GET', '`from`/`to`: ISO times or relative to now (`-1d`); the next 24 hours when absent; at most 45 days.'),
        querystring: {
          type: 'object',
          properties: { from: { type: 'string', maxLength: 64 }, to: { type: 'string', maxLength: 64 }, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: {
          200: openObject({ from: ISO_TIME, to: ISO_TIME, shifts: { type: 'array', items: SHIFT_SCHEMA } }, ['from', 'to', 'shifts']),
          ...errors(400, ...GUARD_ERRORS, 503),
        },
      },
    },
    async (request, reply) => {
      const now = app.now();
      const from = request.query.from === undefined ? now : parseTime('from', request.query.from, now);
      const to = request.query.to === undefined ? now + 86_400_000 : parseTime('to', request.query.to, now);
      if (typeof from !== 'number') return refuse(reply, 400, 'invalid_request', [from.error]);
      if (typeof to !== 'number') return refuse(reply, 400, 'invalid_request', [to.error]);
      if (!(to > from) || to - from > MAX_RANGE_MS) return refuse(reply, 400, 'invalid_request', ['to: must be after from, at most 45 days later']);
      const shifts = await app.roster.shifts(from, to);
      const iso = (ms: number) => new Date(ms).toISOString();
      return {
        from: iso(from),
        to: iso(to),
        shifts: shifts.map(
          (s): RosterShift => ({
            agent: s.agent,
            line: s.line,
            start: iso(s.start),
            end: iso(s.end),
            breaks: s.breaks.map((b) => ({ start: iso(b.start), end: iso(b.end) })),
          }),
        ),
      };
    },
  );
}
