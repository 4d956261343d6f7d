// Major incidents (docs/contract.md#major-incidents): their store (opened by the store plugin),
// the state's `incidents` section and the screens, behind one service. An incident's change goes
// to the screens at once (the feed's incident path); a change of the counts waits for the next
// slot like any other section.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { lateEmit } from '../notify/notify-plugin.js';
import { Severities } from '../incidents/severities.js';
import { FOLLOW_UP_REFRESH_MS, IncidentService, LINK_REFRESH_MS } from './incident-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    incidents: IncidentService;
    /** The severity scale in force (`dashboards/severities.json`, docs/contract.md#severities). */
    severities: Severities;
  }
}

export const incidentsPlugin = fp(
  async (app: FastifyInstance) => {
    const { incidentStore, model, liveFeed, now, config } = app;
    const severities = new Severities({ dir: config.dashboardsDir, log: app.log });
    app.decorate('severities', severities);
    const incidents = new IncidentService({
      store: incidentStore,
      model,
      now,
      log: app.log,
      onChange: (incident) => liveFeed.incidentChanged(incident),
      onCountsChanged: () => liveFeed.notify(),
      notify: lateEmit(app),
      severities: () => severities.current(),
    });
    await incidents.start();
    // Started before a restore in the background ended: the links counted on the whole state.
    if (!app.live.ready) void app.live.whenLive.then(() => incidents.refreshLinks(true));
    app.decorate('incidents', incidents);

    // Linked-ticket counts of active incidents: a scan of the tickets, throttled inside.
    const linking = setInterval(() => {
      // Counted on a half-restored state, an incident's linked tickets would drop and come back.
      if (app.live.ready) incidents.refreshLinks();
    }, LINK_REFRESH_MS);
    linking.unref();
    // Follow-ups turn overdue with time alone: recounted once a minute (docs/contract.md#follow-ups).
    const followUps = setInterval(() => incidents.refreshFollowUps(), FOLLOW_UP_REFRESH_MS);
    followUps.unref();
    app.addHook('preClose', async () => {
      clearInterval(linking);
      clearInterval(followUps);
    });
  },
  { name: 'incidents', dependencies: ['config', 'store', 'model', 'live'] },
);
