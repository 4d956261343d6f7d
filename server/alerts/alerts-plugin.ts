// Alert rules (dashboards/alerts.json), evaluated every ALERT_EVALUATE_MS by one instance: state
// and history in the alert store (opened by the store plugin: SQLite, or the same Redis, where a
// lease makes one instance the evaluator). Every instance's view of the active alerts goes to its
// own walls.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { firedAlerts } from '../notify/alert-events.js';
import { lateEmit } from '../notify/notify-plugin.js';
import { ALERT_EVALUATE_MS, AlertService } from './alert-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}

export const alertsPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, ingest, hub, alertStore, now } = app;
    const notify = lateEmit(app);
    const alerts = new AlertService({
      dir: config.dashboardsDir,
      log: app.log,
      now,
      state: () => app.currentState(),
      sources: () => ({ any: ingest.lastEventAt, bySource: ingest.lastEventAtBySource }),
      store: alertStore,
      onActiveChange: (active) => hub.alertsChanged(active),
      // On the instance that evaluates (the lead, in Redis mode): one notification per firing.
      onChange: (transitions) => {
        for (const alert of firedAlerts(transitions, alerts.active())) notify('alert.fired', { alert });
      },
    });
    // Waits for an evaluation under way, then closes the store; in Redis it hands the lead over to
    // another instance at once. Runs before the store plugin's onClose (registered earlier).
    app.addHook('onClose', async () => alerts.close());
    await alerts.start();
    app.decorate('alerts', alerts);

    const alerting = setInterval(() => {
      // Rules judged on half a restored state would fire (and notify) on numbers that are not so.
      if (!app.live.ready) return;
      alerts.evaluate().catch((error: unknown) => app.log.error({ err: error }, 'alert evaluation failed; the next one retries'));
    }, ALERT_EVALUATE_MS);
    alerting.unref();
    app.addHook('preClose', async () => clearInterval(alerting));
  },
  { name: 'alerts', dependencies: ['config', 'store', 'model', 'live'] },
);
