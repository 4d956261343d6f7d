// Dashboards as code (docs/contract.md#dashboards-as-code): the files under DASHBOARDS_DIR, read
// and watched. Closed on onClose, after the live plugin (registered later) stopped listening.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DashboardRegistry } from './dashboard-registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    dashboards: DashboardRegistry;
  }
}

export const dashboardsPlugin = fp(
  async (app: FastifyInstance) => {
    const dashboards = new DashboardRegistry({ dir: app.config.dashboardsDir, log: app.log });
    app.addHook('onClose', async () => dashboards.close());
    await dashboards.start();
    app.decorate('dashboards', dashboards);
  },
  { name: 'dashboards', dependencies: ['config'] },
);
