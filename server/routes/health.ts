// GET /healthz, open to all (load balancers have no token): 200 when this instance can take
// events, 503 when its store cannot, or while it is still restoring its live state after a
// restart ("recovering", with how far it got: a balancer sends it nothing until it is whole).
// The history store is reported but never decides the status: losing history does not stop the
// live numbers, so a balancer must not drop the instance.
import type { FastifyInstance, FastifySchema } from 'fastify';
import { errors, openObject } from './schemas/common.js';

const HEALTH = openObject(
  {
    status: { type: 'string', enum: ['ok', 'degraded', 'recovering'] },
    recovery: openObject(
      {
        step: { type: 'string', enum: ['loading', 'tickets', 'journal'] },
        tickets: { type: 'integer' },
        ticketsTotal: { type: 'integer' },
        journalBatches: { type: 'integer' },
        journalBatchesTotal: { type: 'integer' },
        elapsedMs: { type: 'integer' },
      },
      ['step', 'tickets', 'ticketsTotal', 'journalBatches', 'journalBatchesTotal', 'elapsedMs'],
    ),
    store: openObject({ kind: { type: 'string' }, ok: { type: 'boolean' } }, ['kind', 'ok']),
    history: openObject({ kind: { type: 'string' }, ok: { type: 'boolean' } }, ['kind', 'ok']),
    uptimeSec: { type: 'number' },
    tickets: { type: 'number' },
    agents: { type: 'number' },
    liveClients: { type: 'number' },
    lastEventAt: { type: ['string', 'null'] },
    totals: { type: 'object', additionalProperties: true },
  },
  ['status', 'store', 'history'],
);

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const schema: FastifySchema = {
    tags: ['operations'],
    summary: 'Whether this instance can take events (for load balancers)',
    'x-role': 'public',
    description:
      '**Role: none** (open to all: load balancers have no token). 200 when the store takes events, 503 when it cannot, and 503 with status `recovering` (and `recovery`: how far it got) while the live state is being restored after a restart; the history store is reported but never decides.',
    response: {
      200: { description: 'Can take events.', ...HEALTH },
      503: { description: 'The store cannot take events, or the live state is still being restored (`recovering`).', ...HEALTH },
      ...errors(429),
    },
  };
  app.get('/healthz', { schema }, async (_request, reply) => {
    const { store, model, hub, ingest, startedAt, now, storeHealth, live } = app;
    // Slow is not down: ok while the store answers and takes writes within the command timeout.
    const probed = await storeHealth.check();
    const storeOk = probed.ok;
    const history = await app.history.store.healthy().catch(() => ({ kind: app.history.store.kind, ok: false, bufferedPoints: 0, droppedPoints: 0 }));
    // Recovering outranks the store: a half-restored instance must take no traffic even with its store fine.
    const status = !live.ready ? 'recovering' : storeOk ? 'ok' : 'degraded';
    return reply.code(status === 'ok' ? 200 : 503).send({
      status,
      ...(live.ready ? {} : { recovery: live.progress() }),
      store: {
        kind: store.kind,
        ok: storeOk,
        state: probed.state,
        slow: probed.slow,
        latencyMs: probed.latencyMs,
        ...(probed.message === null ? {} : { message: probed.message }),
      },
      history: { kind: history.kind, ok: history.ok, bufferedPoints: history.bufferedPoints, droppedPoints: history.droppedPoints },
      // Embedded only: what the journal could not replay at start, until an admin acknowledges it.
      ...(store.journalDamage === undefined ? {} : { journal: { damaged: store.journalDamage(), sync: app.config.journalSync } }),
      uptimeSec: Math.round((now() - startedAt) / 1000),
      tickets: model.ticketCount,
      agents: model.agentCount,
      liveClients: hub.clientCount,
      // Live connections this instance cut since start (a client that stopped reading, or flooded).
      liveConnectionsCut: hub.cutConnections,
      lastEventAt: ingest.lastEventAt === null ? null : new Date(ingest.lastEventAt).toISOString(),
      totals: ingest.totals,
    });
  });
}
