// Wires the app's metrics to the services they read (see registry.ts) and decorates the app with
// them. Two things are measured as they happen: the duration of every POST /api/v1/events (a
// hook on the answer) and the broadcast delay (ingest tells when it applied, the hub when it sent).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EmbeddedStore } from '../store/embedded-store.js';
import { BroadcastDelay } from './broadcast-delay.js';
import { createMetrics, type MetricSources, type WatchfloorMetrics } from './registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: WatchfloorMetrics;
  }
}

const INGEST_ROUTE = '/api/v1/events';

function sourcesOf(app: FastifyInstance): MetricSources {
  const { ingest, hub, storeHealth, store, connectors, incidents, alerts, now, startedAt } = app;
  return {
    now,
    startedAt,
    eventsIn: () => ingest.bySource.entries(),
    liveClients: () => hub.clientFacts(),
    live: () => ({ skippedDeltas: hub.skippedForSlowClients, cut: hub.cutConnections }),
    store: () => storeHealth.last,
    journal:
      store instanceof EmbeddedStore
        ? () => {
            const damage = store.journalDamage();
            return { bytes: store.journalBytes(), damagedRecords: damage.records, damagedEvents: damage.events };
          }
        : null,
    // Read at scrape time: the history plugin may be registered after this one.
    history: async () => (app.hasDecorator('history') ? app.history.store.healthy().catch(() => null) : null),
    deliveries: () => connectors.deliveryCounts(),
    pollers: () =>
      connectors.status().flatMap(({ vendor, poller }) =>
        poller.enabled
          ? [
              {
                vendor,
                polling: poller.state !== 'standby' && poller.state !== 'stopped',
                lastSuccessAt: poller.lastSuccessAt === null ? null : Date.parse(poller.lastSuccessAt),
              },
            ]
          : [],
      ),
    activeIncidents: () => incidents.list('active'),
    severities: () => incidents.severities().levels.map((l) => l.id),
    activeAlerts: () => alerts.active(),
  };
}

export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    const metrics = createMetrics(sourcesOf(app));
    const { ingest, hub } = app;
    const delay = new BroadcastDelay();
    ingest.onApply(() => delay.applied());
    hub.onBroadcast((sent) => {
      const seconds = delay.flushed(sent);
      if (seconds !== null) metrics.broadcastDelay.observe(seconds);
    });
    app.addHook('onResponse', async (request, reply) => {
      if (request.method === 'POST' && request.routeOptions.url === INGEST_ROUTE) {
        metrics.ingestDuration.observe({ code: String(reply.statusCode) }, reply.elapsedTime / 1000);
      }
    });
    app.decorate('metrics', metrics);
  },
  { name: 'metrics', dependencies: ['config', 'store', 'model', 'connectors', 'live', 'incidents', 'alerts'] },
);
