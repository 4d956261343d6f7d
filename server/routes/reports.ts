// Reports to management (docs/contract.md#reports-to-management):
//   GET /api/v1/reports/daily?from=&to= (viewer): the daily figures of local days, per line and for
//   all lines together, as the reports compute them.
import type { FastifyInstance } from 'fastify';
import { DAILY_FIGURES } from '../../contract/reports.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { daysBetween, nextDay } from '../reports/daily-store.js';
import { dailyRows } from '../reports/report-data.js';
import { errors, GUARD_ERRORS, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

/** At most this many days in one answer: a year and a month, the whole retention. */
export const MAX_DAILY_SPAN = 430;
const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local date, YYYY-MM-DD' } as const;

/** Whether `date` (already YYYY-MM-DD in shape) names a real calendar day. */
export function isCalendarDate(date: string): boolean {
  const noon = Date.parse(`${date}T12:00:00Z`);
  return !Number.isNaN(noon) && new Date(noon).toISOString().slice(0, 10) === date;
}

const FIGURES_SCHEMA = openObject(Object.fromEntries(DAILY_FIGURES.map((name) => [name, { type: ['number', 'null'] }])), DAILY_FIGURES);

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');

  app.get<{ Querystring: { from: string; to: string } }>(
    '/api/v1/reports/daily',
    {
      onRequest: viewer,
      schema: {
        tags: ['reports'],
        summary: 'Daily figures per line and for all lines, for local days from `from` to `to` (both included)',
        ...needsRole('viewer', 'GET', `At most ${MAX_DAILY_SPAN} days. Line \`all\` is every line together, with the incidents.`),
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: DATE, to: DATE, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: {
          200: openObject(
            {
              from: DATE,
              to: DATE,
              lines: { type: 'array', items: { type: 'string' } },
              rows: { type: 'array', items: openObject({ date: DATE, line: { type: 'string' }, figures: FIGURES_SCHEMA }, ['date', 'line', 'figures']) },
            },
            ['from', 'to', 'lines', 'rows'],
          ),
          ...errors(400, ...GUARD_ERRORS, 503),
        },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      for (const [name, date] of [
        ['from', from],
        ['to', to],
      ] as const)
        if (!isCalendarDate(date)) return sendError(reply, 400, 'invalid_request', `${name}: "${date}" is not a date`);
      if (to < from) return sendError(reply, 400, 'invalid_request', `to: ${to} is before from: ${from}`);
      const end = nextDay(to);
      if (daysBetween(from, end).length > MAX_DAILY_SPAN) return sendError(reply, 400, 'invalid_request', `at most ${MAX_DAILY_SPAN} days at once`);
      await app.daily.flush();
      let span: Awaited<ReturnType<typeof app.daily.store.read>>;
      try {
        span = await app.daily.store.read(from, end);
      } catch (error) {
        request.log.warn({ err: error }, 'daily figures read failed');
        return sendError(reply, 503, 'store_unavailable', 'the daily figures cannot be read now; try again shortly');
      }
      const { lines, rows } = dailyRows(span, from, end, app.incidents.list('all'), app.daily.calendar, app.now());
      return { from, to, lines, rows };
    },
  );
}
