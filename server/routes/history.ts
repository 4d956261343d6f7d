// GET /api/v1/history?metric=&from=&to=&step= (docs/contract.md#the-numbers), role viewer: one number of the wall
// over time, from the history store. `metric` is a number path of the wall's grammar
// (contract/metrics.ts); times and steps as in server/history/range.ts.
import type { FastifyInstance } from 'fastify';
import { parseNumberMetric } from '../../contract/metrics.js';
import { parseRange } from '../history/range.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

interface HistoryQuerystring {
  metric: string;
  from?: string;
  to?: string;
  step?: string;
}

export async function historyRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');

  app.get<{ Querystring: HistoryQuerystring }>(
    '/api/v1/history',
    {
      onRequest: viewer,
      schema: {
        tags: ['screens'],
        summary: 'One number of the wall over time',
        ...needsRole(
          'viewer',
          'GET',
          '`metric` is a number path of the wall (e.g. `queues.billing.open`); `from`/`to` are ISO times or relative (`-24h`, `now`), `step` a duration (`1m`, `1h`).',
        ),
        querystring: {
          type: 'object',
          required: ['metric'],
          properties: {
            metric: { type: 'string', minLength: 1, maxLength: 300 },
            from: { type: 'string', maxLength: 64 },
            to: { type: 'string', maxLength: 64 },
            step: { type: 'string', maxLength: 16 },
            token: TOKEN_QUERY,
          },
          additionalProperties: false,
        },
        response: {
          200: openObject(
            {
              metric: { type: 'string' },
              from: ISO_TIME,
              to: ISO_TIME,
              step: { type: 'number', description: 'Seconds per point.' },
              aggregate: { type: 'string' },
              points: { type: 'array', items: openObject({ t: ISO_TIME, v: { type: ['number', 'null'] } }, ['t', 'v']) },
            },
            ['metric', 'from', 'to', 'step', 'points'],
          ),
          ...errors(400, ...GUARD_ERRORS, 503),
        },
      },
    },
    async (request, reply) => {
      const { metric } = request.query;
      const parsed = parseNumberMetric(metric);
      if ('error' in parsed) return sendError(reply, 400, 'invalid_request', `metric: ${parsed.error}`);
      const range = parseRange(request.query, app.now());
      if ('error' in range) return sendError(reply, 400, 'invalid_request', range.error);
      let series: Awaited<ReturnType<typeof app.history.store.query>>;
      try {
        series = await app.history.store.query({ metric, ...range });
      } catch (error) {
        request.log.warn({ err: error }, 'history query failed');
        return sendError(reply, 503, 'history_unavailable', 'the history store cannot answer now; the live numbers are unaffected, try again shortly');
      }
      // The newest step changes with every sample: no cache in between may keep an old answer.
      reply.header('cache-control', 'no-store');
      return {
        metric: series.metric,
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        step: series.step,
        aggregate: series.aggregate,
        points: series.points.map((point) => ({ t: new Date(point.t).toISOString(), v: point.v })),
      };
    },
  );
}
