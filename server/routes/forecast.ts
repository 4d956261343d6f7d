// GET /api/v1/forecast?line=&from=&to= (docs/contract.md#forecast-shifts-and-staffing), role viewer:
// a line's expected arrivals per interval with the P10–P90 band and the actual count where known,
// for any range from 28 days back to 7 days ahead (today when no range is given).
import type { FastifyInstance } from 'fastify';
import { parseTime } from '../history/range.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { LocalIntervals } from '../forecast/intervals.js';
import { FORECAST_AHEAD_MS, FORECAST_BACK_MS } from '../staffing/staffing-service.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

interface ForecastQuerystring {
  line: string;
  from?: string;
  to?: string;
}

export const LINE_PARAM = { type: 'string', minLength: 1, maxLength: 200, description: 'A line: the queue id tickets carry (`l1`).' } as const;

export async function forecastRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');

  app.get<{ Querystring: ForecastQuerystring }>(
    '/api/v1/forecast',
    {
      onRequest: viewer,
      schema: {
        tags: ['screens'],
        summary: 'Expected arrivals of a line per interval, with a P10–P90 band',
        ...needsRole(
          'viewer',
          'GET',
          "`from`/`to`: ISO times or relative to now (`-7d`); today (local midnight to midnight) when absent; at most 28 days back and 7 days ahead. Each past day is what would have been forecast that morning; today's remaining intervals are re-forecast from what has arrived. With under 7 days of history `method` is `insufficient-history` and the band is wide.",
        ),
        querystring: {
          type: 'object',
          required: ['line'],
          properties: { line: LINE_PARAM, from: { type: 'string', maxLength: 64 }, to: { type: 'string', maxLength: 64 }, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: {
          200: openObject(
            {
              line: { type: 'string' },
              intervalMinutes: { type: 'integer' },
              method: { type: 'string', enum: ['weighted-weekday-profile', 'insufficient-history', 'same-weekday-average-4w'] },
              wape: { type: ['number', 'null'], description: 'Σ|actual − expected| ÷ Σ actual over the points with an actual.' },
              points: {
                type: 'array',
                items: openObject(
                  { at: ISO_TIME, expected: { type: 'number' }, p10: { type: 'number' }, p90: { type: 'number' }, actual: { type: ['integer', 'null'] } },
                  ['at', 'expected', 'p10', 'p90', 'actual'],
                ),
              },
            },
            ['line', 'intervalMinutes', 'method', 'wape', 'points'],
          ),
          ...errors(400, ...GUARD_ERRORS, 503),
        },
      },
    },
    async (request, reply) => {
      const now = app.now();
      const { line } = request.query;
      const today = new LocalIntervals(app.config.timeZone, 60).day(now);
      const from = request.query.from === undefined ? today.start : parseTime('from', request.query.from, now);
      const to = request.query.to === undefined ? today.end : parseTime('to', request.query.to, now);
      if (typeof from !== 'number') return sendError(reply, 400, 'invalid_request', from.error);
      if (typeof to !== 'number') return sendError(reply, 400, 'invalid_request', to.error);
      if (!(to > from)) return sendError(reply, 400, 'invalid_request', 'to: must be after from');
      if (from < now - FORECAST_BACK_MS) return sendError(reply, 400, 'invalid_request', 'from: at most 28 days back');
      if (to > now + FORECAST_AHEAD_MS) return sendError(reply, 400, 'invalid_request', 'to: at most 7 days ahead');
      let answer: Awaited<ReturnType<typeof app.staffing.forecast>>;
      try {
        answer = await app.staffing.forecast(line, from, to, now);
      } catch (error) {
        request.log.warn({ err: error }, 'forecast failed');
        return sendError(reply, 503, 'store_unavailable', 'the arrivals store cannot answer now; try again shortly');
      }
      return {
        line,
        intervalMinutes: answer.intervalMinutes,
        method: answer.method,
        wape: answer.wape,
        points: answer.points.map((p) => ({
          at: new Date(p.at).toISOString(),
          expected: Math.round(p.expected * 10) / 10,
          p10: p.p10,
          p90: p.p90,
          actual: p.actual,
        })),
      };
    },
  );
}
