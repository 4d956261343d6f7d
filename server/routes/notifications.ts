// Outbound notifications (docs/contract.md#outbound-notifications): the deliveries the outbox holds,
// for an admin looking into why a receiver heard nothing. Never the URL, the secret or the body.
import type { FastifyInstance } from 'fastify';
import { NOTIFY_EVENTS } from '../notify/notifications-file.js';
import { DELIVERY_STATUSES, type Delivery, type DeliveryStatus } from '../notify/outbox-store.js';
import { requireRole } from '../http/auth.js';
import { errors, GUARD_ERRORS, ISO_TIME, NULLABLE_ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

const DELIVERY = openObject(
  {
    id: { type: 'string', description: 'X-Watchfloor-Delivery: the same on every attempt.' },
    target: { type: 'string', description: "The target's id in notifications.json." },
    event: { type: 'string', enum: [...NOTIFY_EVENTS] },
    incidentId: { type: ['string', 'null'] },
    status: { type: 'string', enum: [...DELIVERY_STATUSES] },
    attempts: { type: 'integer' },
    lastStatus: { type: ['integer', 'null'], description: "The receiver's last HTTP status; null: none yet, or no answer." },
    lastError: { type: ['string', 'null'] },
    nextAttemptAt: { ...NULLABLE_ISO_TIME, description: 'When it goes (again); null once delivered or failed.' },
    createdAt: ISO_TIME,
    deliveredAt: NULLABLE_ISO_TIME,
  },
  ['id', 'target', 'event', 'incidentId', 'status', 'attempts', 'lastStatus', 'lastError', 'nextAttemptAt', 'createdAt', 'deliveredAt'],
);

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function row(d: Delivery) {
  return {
    id: d.id,
    target: d.target,
    event: d.event,
    incidentId: d.incidentId,
    status: d.status,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    createdAt: iso(d.createdAt),
    deliveredAt: iso(d.deliveredAt),
  };
}

export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  const { tokens, outbox } = app;

  app.get<{ Querystring: { status?: DeliveryStatus; limit?: number } }>(
    '/api/v1/notifications/deliveries',
    {
      onRequest: requireRole(tokens, 'admin'),
      schema: {
        tags: ['incidents'],
        summary: 'Outbound notifications: the deliveries, newest first',
        ...needsRole('admin', 'GET', '`status` filters; finished deliveries are kept for 7 days.'),
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: [...DELIVERY_STATUSES] },
            limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
            token: TOKEN_QUERY,
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'array', items: DELIVERY }, ...errors(400, ...GUARD_ERRORS, 503) },
      },
    },
    async (request) => (await outbox.list(request.query.status ?? null, request.query.limit ?? DEFAULT_LIMIT)).map(row),
  );
}
