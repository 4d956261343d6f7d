// Major incidents (docs/contract.md#major-incidents): their store (opened by the store plugin),
// the state's `incidents` section and the screens, behind one service. An incident's change goes
// to the screens at once (the feed's incident path); a change of the counts waits for the next
// slot like any other section.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { IncidentService, LINK_REFRESH_MS } from './incident-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    incidents: IncidentService;
  }
}

export const incidentsPlugin = fp(
  async (app: FastifyInstance) => {
    const { incidentStore, model, liveFeed, now } = app;
    const incidents = new IncidentService({
      store: incidentStore,
      model,
      now,
      log: app.log,
      onChange: (incident) => liveFeed.incidentChanged(incident),
      onCountsChanged: () => liveFeed.notify(),
    });
    await incidents.start();
    app.decorate('incidents', incidents);

    // Linked-ticket counts of active incidents: a scan of the tickets, throttled inside.
    const linking = setInterval(() => incidents.refreshLinks(), LINK_REFRESH_MS);
    linking.unref();
    app.addHook('preClose', async () => clearInterval(linking));
  },
  { name: 'incidents', dependencies: ['config', 'store', 'model', 'live'] },
);
