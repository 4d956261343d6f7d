// GET /api/v1/kpis/compare (issue 6), role viewer: today's figures beside yesterday's, for the
// supervisor. Two yesterdays, because a count is only fair against the same time of day:
// - `yesterday`: the whole of yesterday, derived from the tickets the model still holds;
// - `yesterdayByNow`: the same figures as sampled 24 h ago, from the history store (null when
//   the history does not reach back that far, e.g. on a first day).
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { DayFigures } from '../../contract/day-figures.js';
import { requireRole } from '../http/auth.js';
import { errors, GUARD_ERRORS, ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

/** Each daily figure and the number path the history store samples it under. */
const SAMPLED: Readonly<Record<keyof DayFigures, string>> = {
  createdToday: 'kpis.createdToday',
  solvedToday: 'kpis.solvedToday',
  frtMedianSec: 'kpis.frtMedianSec',
  frtP90Sec: 'kpis.frtP90Sec',
  resolutionMedianSec: 'kpis.resolutionMedianSec',
  csatToday: 'kpis.csatToday',
  breachedToday: 'sla.breachedToday',
  complianceToday: 'sla.complianceToday',
};

const DAY_MS = 24 * 3600_000;
/** The newest sample at most this old before "24 h ago" stands for that moment (samples are every 10 s). */
const BY_NOW_TOLERANCE_MS = 15 * 60_000;

export async function kpiRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');

  const figures = {
    type: 'object',
    additionalProperties: true,
    description: 'createdToday, solvedToday, frtMedianSec, frtP90Sec, resolutionMedianSec, csatToday, breachedToday, complianceToday',
  };
  const schema: FastifySchema = {
    tags: ['screens'],
    summary: "Today's figures beside yesterday's",
    ...needsRole('viewer', 'GET', '`yesterdayByNow`: the same figures as sampled 24 h ago (null when the history does not reach back that far).'),
    querystring: { type: 'object', properties: { token: TOKEN_QUERY } },
    response: {
      200: openObject(
        {
          at: ISO_TIME,
          today: figures,
          yesterday: figures,
          yesterdayByNow: { type: ['object', 'null'], additionalProperties: true },
          byNowError: { type: 'string' },
        },
        ['at', 'today', 'yesterday', 'yesterdayByNow'],
      ),
      ...errors(...GUARD_ERRORS),
    },
  };
  app.get('/api/v1/kpis/compare', { onRequest: viewer, schema }, async (request, reply) => {
    const now = app.now();
    const { model } = app;
    // The clock to now for this answer; a read never broadcasts (the hub's own tick tells the screens).
    model.advance(now);
    let yesterdayByNow: Partial<DayFigures> | null = null;
    let byNowError: string | null = null;
    try {
      yesterdayByNow = await sampledAt(app, now - DAY_MS);
    } catch (error) {
      request.log.warn({ err: error }, 'history query for yesterday failed');
      byNowError = 'the history store cannot answer now';
    }
    reply.header('cache-control', 'no-store');
    return {
      at: new Date(now).toISOString(),
      today: model.dayFigures(now, 0),
      yesterday: model.dayFigures(now, 1),
      yesterdayByNow,
      ...(byNowError === null ? {} : { byNowError }),
    };
  });
}

/** The daily figures as last sampled at or before `at` (within the tolerance), or null when none were. */
async function sampledAt(app: FastifyInstance, at: number): Promise<Partial<DayFigures> | null> {
  const entries = await Promise.all(
    (Object.entries(SAMPLED) as [keyof DayFigures, string][]).map(async ([field, metric]) => {
      const series = await app.history.store.query({ metric, from: at - BY_NOW_TOLERANCE_MS, to: at, stepSec: 60 });
      const last = series.points.at(-1);
      return [field, last === undefined ? undefined : last.v] as const;
    }),
  );
  const figures: Partial<DayFigures> = {};
  for (const [field, value] of entries) if (value !== undefined) figures[field] = value;
  return Object.keys(figures).length === 0 ? null : figures;
}
