// Helpdesk connectors (docs/contract.md#helpdesk-connectors): webhook intake, reconciliation
// pollers, their status. Pollers start once the app is ready (routes and stores all up) and stop
// before anything else closes: this plugin is registered before the live one, and Fastify runs
// preClose hooks in order of registration, so no poller ingests into a closing app.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ConnectorService, type ConnectorRuntimeOptions } from './connector-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    connectors: ConnectorService;
  }
}

export const connectorsPlugin = fp(
  async (app: FastifyInstance, runtime: ConnectorRuntimeOptions) => {
    const { config, model, ingest, now, sharedRedis } = app;
    const connectors = await ConnectorService.create({
      ...runtime,
      config,
      model,
      ingest: (events) => ingest.ingestEvents(events),
      now,
      log: app.log,
      redis: sharedRedis,
    });
    app.decorate('connectors', connectors);
    // Polls feed the model: only once it holds the whole restored state.
    app.addHook('onReady', async () => app.live.onLive('the connectors', () => connectors.start()));
    app.addHook('preClose', async () => connectors.stop());
  },
  { name: 'connectors', dependencies: ['config', 'store', 'model'] },
);
