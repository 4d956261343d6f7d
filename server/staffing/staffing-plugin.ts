// Forecast, shifts and staffing (docs/contract.md#forecast-shifts-and-staffing): the arrivals and
// roster stores (SQLite under DATA_DIR, or the shared Redis), the staffing service, and
//  - the arrivals the model collects (tickets new to it), handed to the arrivals store every
//    ARRIVALS_FLUSH_MS, and once more at close; the tickets a restart puts back only when the
//    process before did not stop cleanly (after a clean stop the store holds them all already);
//  - the plan of the current interval kept on the model's `staffing` section: refreshed every
//    PLAN_REFRESH_MS, at once after a roster upload, and when an interval begins.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Arrival, ArrivalsStore } from '../arrivals/arrivals-store.js';
import { EmbeddedArrivalsStore } from '../arrivals/embedded-arrivals-store.js';
import { RedisArrivalsStore } from '../arrivals/redis-arrivals-store.js';
import { MAX_PENDING_ARRIVALS, RECOUNT_ARRIVALS_MS } from '../domain/live-model.js';
import { EmbeddedRosterStore } from '../roster/embedded-roster-store.js';
import { RedisRosterStore } from '../roster/redis-roster-store.js';
import type { RosterStore } from '../roster/roster-store.js';
import { StaffingService } from './staffing-service.js';

/** The plan moves with the forecast's re-estimate and the interval's arrivals: a few times a minute is plenty. */
const PLAN_REFRESH_MS = 15_000;
/** Arrivals reach the store within a second of their ticket. */
const ARRIVALS_FLUSH_MS = 1_000;
/** Arrivals older than the retention are swept once an hour. */
const SWEEP_MS = 3_600_000;

declare module 'fastify' {
  interface FastifyInstance {
    arrivals: ArrivalsStore;
    roster: RosterStore;
    staffing: StaffingService;
    /** Recomputes the staffing plan now (after a roster upload) and puts it on the state. */
    refreshStaffing(): Promise<void>;
    /** Hands the arrivals collected so far to the store (every second; tests call it to be sure). */
    flushArrivals(): Promise<void>;
  }
}

export const staffingPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, model, liveFeed, now } = app;
    const redis = app.sharedRedis;
    const arrivals: ArrivalsStore =
      redis === null ? new EmbeddedArrivalsStore({ dataDir: config.dataDir }) : new RedisArrivalsStore(redis, config.redisKeyPrefix);
    const roster: RosterStore = redis === null ? new EmbeddedRosterStore({ dataDir: config.dataDir }) : new RedisRosterStore(redis, config.redisKeyPrefix);
    const staffing = new StaffingService({ dir: config.dashboardsDir, log: app.log, timeZone: config.timeZone, arrivals, roster });

    let refreshing: Promise<void> | null = null;
    const refresh = async (): Promise<void> => {
      // One at a time: a roster upload during a refresh waits for it, then refreshes again.
      while (refreshing !== null) await refreshing;
      refreshing = (async () => {
        try {
          // The store first gets what the model holds, so the plan's `actual` includes it.
          await flush();
          model.setStaffingPlan(await staffing.plan(now()));
          liveFeed.notify();
        } catch (error) {
          app.log.warn({ err: error }, 'staffing plan not refreshed; the last one stays on the wall');
        }
      })();
      await refreshing;
      refreshing = null;
    };

    // Read before any restored ticket is handed over (the restore waits for onReady, or the
    // tickets wait in the model until the first flush), and forgotten at once: from here on a crash
    // leaves it unsaid.
    const allStored = await arrivals.takeAllStored();
    // New tickets wait here (bounded) until stored; what the store refused goes with the next flush.
    let unsent: Arrival[] = [];
    // Whether every arrival this process saw was kept until stored (none dropped from `unsent`).
    let keptAll = true;
    app.newTickets.subscribe(
      (batch, restored) => {
        // Counted again only after a crash: the ticket's checkpoint may have been written before
        // its arrival was stored. After a clean stop, a million restored tickets would cost seconds of
        // the restart for nothing (the store counts each ticket once).
        if (restored && allStored) return;
        unsent = unsent.length === 0 ? [...batch] : unsent.concat(batch);
        // Restored tickets come once (the model bounds them): only new ones meet this bound.
        if (!restored && unsent.length > MAX_PENDING_ARRIVALS) {
          unsent = unsent.slice(unsent.length - MAX_PENDING_ARRIVALS);
          keptAll = false;
        }
      },
      allStored ? 0 : RECOUNT_ARRIVALS_MS,
    );
    let flushing: Promise<void> | null = null;
    const flush = async (): Promise<void> => {
      while (flushing !== null) await flushing;
      flushing = (async () => {
        app.newTickets.drain();
        const batch = unsent;
        unsent = [];
        if (batch.length === 0) return;
        try {
          await arrivals.record(batch, now());
        } catch (error) {
          if (batch.length + unsent.length > MAX_PENDING_ARRIVALS) keptAll = false;
          unsent = batch.concat(unsent).slice(-MAX_PENDING_ARRIVALS);
          app.log.warn({ err: error, waiting: unsent.length }, 'arrivals not stored; kept for the next try');
        }
      })();
      await flushing;
      flushing = null;
    };

    app.decorate('arrivals', arrivals);
    app.decorate('roster', roster);
    app.decorate('staffing', staffing);
    app.decorate('refreshStaffing', refresh);
    app.decorate('flushArrivals', flush);

    const timer = setInterval(() => void refresh(), PLAN_REFRESH_MS);
    timer.unref();
    // A new interval needs a new plan row at once, not up to PLAN_REFRESH_MS later (once per interval end).
    let refreshedFor = 0;
    const flusher = setInterval(() => {
      void flush();
      const ends = model.staffingPlanEndsMs();
      if (ends !== null && now() >= ends && refreshedFor !== ends) {
        refreshedFor = ends;
        void refresh();
      }
    }, ARRIVALS_FLUSH_MS);
    flusher.unref();
    const sweeper = setInterval(() => {
      arrivals.sweep(now()).catch((error: unknown) => app.log.warn({ err: error }, 'arrivals sweep failed; the next one retries'));
    }, SWEEP_MS);
    sweeper.unref();
    app.addHook('onReady', async () => refresh());
    app.addHook('preClose', async () => {
      clearInterval(timer);
      clearInterval(flusher);
      clearInterval(sweeper);
      await refreshing;
    });
    // Before the model's final checkpoint and the store's close (registered earlier, so closed later).
    app.addHook('onClose', async () => {
      await flush();
      if (model.droppedArrivals > 0) app.log.warn({ dropped: model.droppedArrivals }, 'arrivals dropped while the store was unreachable');
      // Everything seen is stored: the next start need not count the tickets it restores again.
      // Ingest has stopped by now (the HTTP server and the pollers close before onClose hooks). Not
      // after a crash's count that a close during the restore cut short.
      else if (keptAll && unsent.length === 0 && (allStored || app.live.ready)) {
        await arrivals
          .markAllStored()
          .catch((error: unknown) => app.log.warn({ err: error }, 'arrivals: the clean stop not recorded; the next start counts again'));
      }
      await arrivals.close();
      await roster.close();
    });
  },
  { name: 'staffing', dependencies: ['config', 'store', 'model', 'live'] },
);
