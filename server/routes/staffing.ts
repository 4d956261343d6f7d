// GET /api/v1/staffing?line=&date= (docs/contract.md#forecast-shifts-and-staffing), role viewer: a
// line's local day, per interval: forecast with its band, actual arrivals, required, required on
// the roster (shrinkage) and scheduled. The supervisor's day chart draws it.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { localDateOf, LocalIntervals } from '../forecast/intervals.js';
import { FORECAST_AHEAD_MS, FORECAST_BACK_MS } from '../staffing/staffing-service.js';
import { LINE_PARAM } from './forecast.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const HOUR_MS = 3_600_000;

/** The local midnight starting `date` (YYYY-MM-DD) in the zone, or null for a date that does not exist. */
export function localDayStart(date: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return null;
  const noon = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12);
  if (Number.isNaN(noon) || new Date(noon).toISOString().slice(0, 10) !== date) return null;
  // Noon UTC is on the wanted local date in most zones; in zones 12 h or more away it is a day
  // off, and half a day's step puts it back.
  for (const shift of [0, -12 * HOUR_MS, 12 * HOUR_MS]) {
    const at = noon + shift;
    if (localDateOf(at, timeZone).key === date) return new LocalIntervals(timeZone, 60).dayStart(at);
  }
  return null;
}

export async function staffingRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');

  app.get<{ Querystring: { line: string; date?: string } }>(
    '/api/v1/staffing',
    {
      onRequest: viewer,
      schema: {
        tags: ['staffing'],
        summary: "A line's day: forecast, actual, required and scheduled per interval",
        ...needsRole(
          'viewer',
          'GET',
          '`date`: a local date (YYYY-MM-DD), today when absent, from 28 days back to 7 days ahead. 404 for a line `staffing.json` does not name.',
        ),
        querystring: {
          type: 'object',
          required: ['line'],
          properties: { line: LINE_PARAM, date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: {
          200: openObject(
            {
              line: { type: 'string' },
              date: { type: 'string' },
              intervalMinutes: { type: 'integer' },
              intervals: {
                type: 'array',
                items: openObject(
                  {
                    start: ISO_TIME,
                    end: ISO_TIME,
                    forecast: { type: 'number' },
                    p10: { type: 'number' },
                    p90: { type: 'number' },
                    actual: { type: ['integer', 'null'] },
                    required: { type: 'integer' },
                    requiredScheduled: { type: 'integer' },
                    scheduled: { type: 'number', description: 'Full-interval equivalents on the roster, breaks taken out.' },
                  },
                  ['start', 'end', 'forecast', 'p10', 'p90', 'actual', 'required', 'requiredScheduled', 'scheduled'],
                ),
              },
            },
            ['line', 'date', 'intervalMinutes', 'intervals'],
          ),
          ...errors(400, ...GUARD_ERRORS, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const now = app.now();
      const { timeZone } = app.config;
      const date = request.query.date ?? localDateOf(now, timeZone).key;
      const start = localDayStart(date, timeZone);
      if (start === null) return sendError(reply, 400, 'invalid_request', `date: "${date}" is not a date`);
      if (start < now - FORECAST_BACK_MS - 86_400_000 || start > now + FORECAST_AHEAD_MS)
        return sendError(reply, 400, 'invalid_request', 'date: from 28 days back to 7 days ahead');
      const line = request.query.line;
      let day: Awaited<ReturnType<typeof app.staffing.day>>;
      try {
        day = await app.staffing.day(line, start, now);
      } catch (error) {
        request.log.warn({ err: error }, 'staffing day failed');
        return sendError(reply, 503, 'store_unavailable', 'the arrivals or roster store cannot answer now; try again shortly');
      }
      if (day === null)
        return sendError(
          reply,
          404,
          'not_found',
          `line: ${JSON.stringify(line)} is not in staffing.json (lines: ${app.staffing.lines().join(', ') || 'none'})`,
        );
      return { line, date, intervalMinutes: day.intervalMinutes, intervals: day.intervals };
    },
  );
}
