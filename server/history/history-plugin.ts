// Metric history in the app: the store chosen by config (InfluxDB when INFLUX_URL is set,
// SQLite under DATA_DIR otherwise), the sampler started once the app is ready and stopped,
// with its store flushed, when the app closes.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { HistoryStore } from './history-store.js';
import { InfluxHistoryStore } from './influx-history.js';
import { HistorySampler } from './sampler.js';
import { SqliteHistoryStore } from './sqlite-history.js';

export interface HistoryService {
  store: HistoryStore;
  sampler: HistorySampler;
}

declare module 'fastify' {
  interface FastifyInstance {
    history: HistoryService;
  }
}

export function createHistoryStore(config: Config, options: { now: () => number; log: FastifyInstance['log'] }): HistoryStore {
  if (config.influxUrl !== null) return new InfluxHistoryStore({ url: config.influxUrl, now: options.now, log: options.log });
  return new SqliteHistoryStore({
    dataDir: config.dataDir,
    now: options.now,
    onError: (error) => options.log.error({ err: error }, 'history write failed; samples dropped'),
  });
}

export const historyPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, now } = app;
    const log = app.log.child({ component: 'history' });
    const store = createHistoryStore(config, { now, log });
    const sampler = new HistorySampler({
      state: () => app.currentState(),
      store,
      now,
      onError: (error) => log.error({ err: error }, 'history sample failed'),
    });
    app.decorate('history', { store, sampler });
    // Samples of a half-restored state would stay in the history for good: from the whole one on.
    app.addHook('onReady', async () => app.live.onLive('the history sampler', () => sampler.start()));
    app.addHook('preClose', async () => sampler.stop());
    app.addHook('onClose', async () => store.close());
  },
  { name: 'history', dependencies: ['config', 'model'] },
);
