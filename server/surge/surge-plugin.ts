// Surge detection (docs/contract.md#surge-detection) in the app: the new tickets the model hands out
// go to the detector as they come; every few seconds the closed intervals are checked against the
// forecast, the decisions of other instances are read, surge.json is re-read, and the screens hear of
// what changed. After a restart the restored tickets within the detector's memory go in once the
// restore is over (SurgeService.restored).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ticketUrl } from '../links/ticket-links.js';
import { lateEmit } from '../notify/notify-plugin.js';
import { EmbeddedDecisionStore, RedisDecisionStore } from './decision-store.js';
import { MAX_TICKETS_PER_SECOND, SurgeService } from './surge-service.js';

/** Suggestions reach the screens within this of the ticket that completes them (the contract says 60 s). */
const PUBLISH_MS = 1_000;
/** Intervals, other instances' decisions and the settings file. */
const CHECK_MS = 5_000;

declare module 'fastify' {
  interface FastifyInstance {
    surge: SurgeService;
  }
}

export const surgePlugin = fp(
  async (app: FastifyInstance) => {
    const { config, hub, now } = app;
    const decisions =
      app.sharedRedis === null ? new EmbeddedDecisionStore({ dataDir: config.dataDir }) : new RedisDecisionStore(app.sharedRedis, config.redisKeyPrefix);
    const surge = new SurgeService({
      dir: config.dashboardsDir,
      log: app.log,
      now,
      decisions,
      incidents: app.incidents,
      staffing: app.staffing,
      publish: (message) => hub.suggestionsChanged(message),
      notify: lateEmit(app),
      ticket: (key) => {
        const colon = key.indexOf(':');
        const found = app.model.ticket(key.slice(0, colon), key.slice(colon + 1));
        return found === null ? null : { id: found.id, subject: found.subject, url: ticketUrl(config.ticketUrls, found.source, found.id) };
      },
    });
    app.decorate('surge', surge);
    app.newTickets.subscribe((batch, restored) => (restored ? surge.restored(batch) : surge.tickets(batch)), surge.memoryMs());
    await surge.syncDecisions();

    const publishing = setInterval(() => surge.flush(), PUBLISH_MS);
    publishing.unref();
    let checking: Promise<void> | null = null;
    let skippedLogged = 0;
    const check = (): void => {
      if (checking !== null) return;
      checking = (async () => {
        try {
          if (surge.skipped > skippedLogged) {
            app.log.warn({ skipped: surge.skipped - skippedLogged }, `surge detection skipped new tickets beyond ${MAX_TICKETS_PER_SECOND} a second`);
            skippedLogged = surge.skipped;
          }
          surge.reload();
          await surge.syncDecisions();
          await surge.intervals();
        } catch (error) {
          app.log.warn({ err: error }, 'surge check failed; the next one retries');
        } finally {
          checking = null;
        }
      })();
    };
    const checker = setInterval(check, CHECK_MS);
    checker.unref();
    app.addHook('onReady', async () => {
      surge.flush();
      // The restored tickets, once the restore has put back the last of them (at once when it is over).
      await app.live.onLive('surge detection', () => {
        app.newTickets.drain();
        surge.feedRestored();
      });
    });
    app.addHook('preClose', async () => {
      clearInterval(publishing);
      clearInterval(checker);
      surge.stop();
      await checking;
    });
    app.addHook('onClose', async () => decisions.close());
  },
  { name: 'surge', dependencies: ['config', 'store', 'model', 'live', 'incidents', 'staffing'] },
);
