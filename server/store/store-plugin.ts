// The live store, where the config says: embedded (journal and SQLite under DATA_DIR) or the
// shared Redis of distributed mode (docs/contract.md#configuration). Closed last of the core: its
// onClose runs after those of every plugin registered after it (Fastify runs onClose hooks in
// reverse order of registration), so the final checkpoint and the connectors still have it.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { EmbeddedStore } from './embedded-store.js';
import type { LiveStore } from './live-store.js';
import { RedisStore } from './redis-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: LiveStore;
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
    const store: LiveStore =
      config.redisUrl === null
        ? new EmbeddedStore({ dataDir: config.dataDir, journalSync: config.journalSync, log: app.log })
        : await RedisStore.connect({ url: config.redisUrl, log: app.log, commandTimeoutMs: config.redisCommandTimeoutMs });
    app.addHook('onClose', async () => store.close());
    app.decorate('store', store);
    app.decorate('sharedRedis', store instanceof RedisStore ? store.commandConnection : null);
  },
  { name: 'store', dependencies: ['config'] },
);
