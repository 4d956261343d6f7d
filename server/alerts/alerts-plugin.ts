// Alert rules (dashboards/alerts.json), evaluated every ALERT_EVALUATE_MS by one instance: state
// and history in the alert store (SQLite, or the same Redis, where a lease makes one instance the
// evaluator). Every instance's view of the active alerts goes to its own walls.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EmbeddedAlertStore } from '../store/embedded-alert-store.js';
import { RedisAlertStore } from '../store/redis-alert-store.js';
import { ALERT_EVALUATE_MS, AlertService } from './alert-service.js';
import type { AlertStore } from './alert-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}

export const alertsPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, ingest, hub, now } = app;
    const store: AlertStore =
      config.redisUrl === null
        ? new EmbeddedAlertStore({ dataDir: config.dataDir, log: app.log })
        : await RedisAlertStore.connect({ url: config.redisUrl, log: app.log, commandTimeoutMs: config.redisCommandTimeoutMs });
    const alerts = new AlertService({
      dir: config.dashboardsDir,
      log: app.log,
      now,
      state: () => app.currentState(),
      sources: () => ({ any: ingest.lastEventAt, bySource: ingest.lastEventAtBySource }),
      store,
      onActiveChange: (active) => hub.alertsChanged(active),
    });
    // Waits for an evaluation under way, then closes the store; in Redis it hands the lead over to
    // another instance. Hooked before start, so a start that fails half-way closes the store too.
    app.addHook('onClose', async () => alerts.close());
    await alerts.start();
    app.decorate('alerts', alerts);

    const alerting = setInterval(() => {
      alerts.evaluate().catch((error: unknown) => app.log.error({ err: error }, 'alert evaluation failed; the next one retries'));
    }, ALERT_EVALUATE_MS);
    alerting.unref();
    app.addHook('preClose', async () => clearInterval(alerting));
  },
  { name: 'alerts', dependencies: ['config', 'model', 'live'] },
);
