// Outbound notifications (docs/contract.md#outbound-notifications) in the app: the outbox (SQLite
// under DATA_DIR, or the shared Redis), the worker that sends it, and `app.notifications.emit`,
// which the incidents, the alerts and surge detection call (through `lateEmit`, as they are
// registered before this plugin).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DeliveryWorker } from './delivery-worker.js';
import { EmbeddedOutboxStore } from './embedded-outbox-store.js';
import type { NotifyPayload } from './formats.js';
import type { NotifyEvent } from './notifications-file.js';
import { type Emit, type EmitOptions, Notifications } from './notifications.js';
import { KEEP_FINISHED_MS, type OutboxStore } from './outbox-store.js';
import { RedisOutboxStore } from './redis-outbox-store.js';

/** Finished deliveries older than a week are forgotten, looked at once an hour. */
const SWEEP_MS = 3_600_000;

declare module 'fastify' {
  interface FastifyInstance {
    notifications: Notifications;
    /** The outbox, for the deliveries route. */
    outbox: OutboxStore;
  }
}

export const notifyPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, now } = app;
    const store: OutboxStore =
      app.sharedRedis === null ? new EmbeddedOutboxStore({ dataDir: config.dataDir }) : new RedisOutboxStore(app.sharedRedis, config.redisKeyPrefix);
    const notifications: Notifications = new Notifications({ dir: config.dashboardsDir, env: process.env, log: app.log, now, store, worker: () => worker });
    const worker: DeliveryWorker = new DeliveryWorker({
      store,
      targets: () => notifications.targets(),
      now,
      retryBaseMs: config.notifyRetryBaseMs,
      log: app.log,
    });
    app.decorate('notifications', notifications);
    app.decorate('outbox', store);

    const sweeper = setInterval(() => {
      store.sweep(now() - KEEP_FINISHED_MS).catch((error: unknown) => app.log.warn({ err: error }, 'notifications: sweep failed; the next one retries'));
    }, SWEEP_MS);
    sweeper.unref();
    app.addHook('onReady', async () => worker.start());
    // After the screens and the pollers stopped (their preClose ran first); before the store closes.
    app.addHook('preClose', async () => {
      clearInterval(sweeper);
      await notifications.settled();
      await worker.close();
    });
    app.addHook('onClose', async () => store.close());
  },
  { name: 'notify', dependencies: ['config', 'store', 'incidents', 'alerts', 'surge'] },
);

/**
 * An emit for a plugin registered before this one: it reaches `app.notifications` once that
 * exists, and does nothing before (no event is raised while the app starts).
 */
export function lateEmit(app: FastifyInstance): Emit {
  return (event: NotifyEvent, payload: NotifyPayload, options?: EmitOptions) => {
    if (app.hasDecorator('notifications')) app.notifications.emit(event, payload, options);
  };
}
