// Storage, where the config says (docs/contract.md#configuration): embedded (the journal and
// SQLite files under DATA_DIR) or the shared Redis of distributed mode. The live store, and the
// stores of incidents and alerts, whose services (incidents and alerts plugins) take them from
// here, so that the choice of mode is made once and no service folder reaches into store/.
// Each store's close is hooked as soon as it is open: a start that fails on the next one closes
// those before it. Closed last of all: Fastify runs onClose hooks in reverse order of
// registration, so the services, the final checkpoint and the connectors still have them.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { AlertStore } from '../alerts/alert-store.js';
import { EmbeddedAlertStore } from './embedded-alert-store.js';
import { EmbeddedIncidentStore } from './embedded-incident-store.js';
import { EmbeddedStore } from './embedded-store.js';
import type { IncidentStore } from './incident-store.js';
import type { LiveStore } from './live-store.js';
import { RedisAlertStore } from './redis-alert-store.js';
import { RedisIncidentStore } from './redis-incident-store.js';
import { RedisStore } from './redis-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: LiveStore;
    incidentStore: IncidentStore;
    alertStore: AlertStore;
    /**
     * Distributed mode: the live store's command connection, lent to those that need a command
     * now and then on the shared Redis (the pollers' cursors); null when embedded.
     */
    sharedRedis: Redis | null;
  }
}

export const storePlugin = fp(
  async (app: FastifyInstance) => {
    const { config } = app;
    const redis =
      config.redisUrl === null ? null : { url: config.redisUrl, log: app.log, commandTimeoutMs: config.redisCommandTimeoutMs, prefix: config.redisKeyPrefix };

    const store: LiveStore =
      redis === null ? new EmbeddedStore({ dataDir: config.dataDir, journalSync: config.journalSync, log: app.log }) : await RedisStore.connect(redis);
    app.addHook('onClose', async () => store.close());
    app.decorate('store', store);
    app.decorate('sharedRedis', store instanceof RedisStore ? store.commandConnection : null);

    // Incidents live where the live state does: SQLite under DATA_DIR, or the same Redis.
    const incidentStore: IncidentStore = redis === null ? new EmbeddedIncidentStore({ dataDir: config.dataDir }) : await RedisIncidentStore.connect(redis);
    app.addHook('onClose', async () => incidentStore.close());
    app.decorate('incidentStore', incidentStore);

    // Alert state and history too (in Redis, a lease makes one instance the evaluator). The
    // alerts plugin closes it first (handing the lease over); closing again here does nothing.
    const alertStore: AlertStore = redis === null ? new EmbeddedAlertStore({ dataDir: config.dataDir, log: app.log }) : await RedisAlertStore.connect(redis);
    app.addHook('onClose', async () => alertStore.close());
    app.decorate('alertStore', alertStore);
  },
  { name: 'store', dependencies: ['config'] },
);
