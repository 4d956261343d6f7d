// GET /healthz, open to all (load balancers have no token): 200 when this instance can take
// events, 503 when its store cannot.
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    const { store, model, hub, ingest, startedAt, now } = app.watch;
    const storeOk = await store.healthy().catch(() => false);
    return reply.code(storeOk ? 200 : 503).send({
      status: storeOk ? 'ok' : 'degraded',
      store: { kind: store.kind, ok: storeOk },
      uptimeSec: Math.round((now() - startedAt) / 1000),
      tickets: model.ticketCount,
      agents: model.agentCount,
      liveClients: hub.clientCount,
      lastEventAt: ingest.lastEventAt === null ? null : new Date(ingest.lastEventAt).toISOString(),
      totals: ingest.totals,
    });
  });
}
