// GET /api/v1/staffing/calculate (docs/contract.md#forecast-shifts-and-staffing), role viewer:
// the staffing calculator behind the supervisor's form. One line's agents for one interval, with
// how the queue behaves at that staffing, from the same functions as the live staffing
// (server/staffing/). Pure computation: no store, no clock.
import type { FastifyInstance } from 'fastify';
import { INTERVAL_MINUTES, STAFFING_MODELS, type StaffingLine, type StaffingModel } from '../../contract/staffing.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { calculateStaffing } from '../staffing/calculator.js';
import { errors, GUARD_ERRORS, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

interface CalculatorQuerystring {
  model: StaffingModel;
  arrivals: number;
  intervalMinutes: number;
  ahtSeconds: number;
  targetPercent?: number;
  targetSeconds?: number;
  shrinkage: number;
  maxOccupancy?: number;
  patienceSeconds?: number;
}

const SHARE = (description: string) => ({ type: 'number', minimum: 0, maximum: 1, description }) as const;
const NULLABLE_SHARE = (description: string) => ({ type: ['number', 'null'], minimum: 0, maximum: 1, description }) as const;

const DESCRIPTION = [
  '`erlang-c` and `erlang-a` need `targetPercent` and `targetSeconds`; `erlang-a` also `patienceSeconds`; `workload` needs `maxOccupancy` (1 when absent for the Erlang models).',
  '`agents` is the smallest number meeting the target with occupancy at most `maxOccupancy` (workload: arrivals × AHT ÷ interval ÷ `maxOccupancy`, rounded up); `requiredScheduled` = `agents` ÷ (1 − `shrinkage`), rounded up.',
  'Service level is the share of all arrivals answered within `targetSeconds` (an abandoned contact is a miss). Shares are 0–1.',
  '422 `out_of_range` when the queue to compute would be larger than the calculator handles (patience far longer than the handle time at a high load).',
].join('\n\n');

export async function staffingCalculatorRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');

  app.get<{ Querystring: CalculatorQuerystring }>(
    '/api/v1/staffing/calculate',
    {
      onRequest: viewer,
      schema: {
        tags: ['screens'],
        summary: 'Agents needed for one interval of a line (Erlang C, Erlang A or workload)',
        ...needsRole('viewer', 'GET', DESCRIPTION),
        querystring: {
          type: 'object',
          required: ['model', 'arrivals', 'intervalMinutes', 'ahtSeconds', 'shrinkage'],
          properties: {
            model: { type: 'string', enum: [...STAFFING_MODELS] },
            arrivals: { type: 'number', minimum: 0, maximum: 100_000, description: 'Contacts expected in the interval.' },
            intervalMinutes: { type: 'integer', enum: [...INTERVAL_MINUTES] },
            ahtSeconds: { type: 'number', minimum: 1, maximum: 86_400, description: 'Average handle time.' },
            targetPercent: { type: 'number', minimum: 1, maximum: 99.9, description: 'Share of contacts to answer within targetSeconds, in percent.' },
            targetSeconds: { type: 'number', minimum: 0, maximum: 604_800 },
            shrinkage: { type: 'number', minimum: 0, maximum: 0.95, description: 'Share of paid time off the line: 0.3 = 30 %.' },
            maxOccupancy: { type: 'number', minimum: 0.1, maximum: 1, description: 'Occupancy cap, 0.1–1.' },
            patienceSeconds: {
              type: 'number',
              exclusiveMinimum: 0,
              maximum: 604_800,
              description: 'Mean patience before a waiting contact gives up (erlang-a).',
            },
            token: TOKEN_QUERY,
          },
          additionalProperties: false,
        },
        response: {
          200: openObject(
            {
              agents: { type: 'integer', minimum: 0, description: 'Agents needed on the line (`required`).' },
              requiredScheduled: { type: 'integer', minimum: 0, description: '`agents` grossed up for shrinkage: what the roster should hold.' },
              serviceLevel: NULLABLE_SHARE('Share of all arrivals answered within the target at `agents` (null for workload).'),
              occupancy: SHARE('Share of the agents’ time spent handling contacts.'),
              waitProbability: NULLABLE_SHARE('Share of arrivals that find every agent busy (null for workload).'),
              asaSeconds: { type: ['number', 'null'], minimum: 0, description: 'Mean wait of the answered contacts (null for workload).' },
              abandonProbability: NULLABLE_SHARE('Share of arrivals that give up before an answer (erlang-a only; null otherwise).'),
            },
            ['agents', 'requiredScheduled', 'serviceLevel', 'occupancy', 'waitProbability', 'asaSeconds', 'abandonProbability'],
          ),
          ...errors(400, ...GUARD_ERRORS, 422),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      // What depends on the model is checked here, so that each message names the field.
      const missing = (field: string, why: string) => sendError(reply, 400, 'invalid_request', `${field}: required ${why}`);
      if (query.model !== 'workload') {
        if (query.targetPercent === undefined) return missing('targetPercent', `for ${query.model}`);
        if (query.targetSeconds === undefined) return missing('targetSeconds', `for ${query.model}`);
      }
      if (query.model === 'erlang-a' && query.patienceSeconds === undefined) return missing('patienceSeconds', 'for erlang-a (mean patience, seconds)');
      if (query.model === 'workload' && query.maxOccupancy === undefined)
        return missing('maxOccupancy', 'for workload (the share of time agents can work contacts)');
      const line: StaffingLine = {
        model: query.model,
        ahtSeconds: query.ahtSeconds,
        shrinkage: query.shrinkage,
        ...(query.maxOccupancy === undefined ? {} : { maxOccupancy: query.maxOccupancy }),
        ...(query.model === 'workload' ? {} : { target: { percent: query.targetPercent!, seconds: query.targetSeconds! } }),
        ...(query.model === 'erlang-a' ? { patienceSeconds: query.patienceSeconds! } : {}),
      };
      try {
        return calculateStaffing({ line, arrivals: query.arrivals, intervalMinutes: query.intervalMinutes });
      } catch (error) {
        if (error instanceof RangeError) return sendError(reply, 422, 'out_of_range', error.message);
        throw error;
      }
    },
  );
}
