// Forecast, shifts and staffing (docs/contract.md#forecast-shifts-and-staffing): the arrivals and
// roster stores (SQLite under DATA_DIR, or the shared Redis), the staffing service, and the plan of
// the current interval kept on the model's `staffing` section: refreshed every PLAN_REFRESH_MS, at
// once after a roster upload, and when an interval begins.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ArrivalsStore } from '../arrivals/arrivals-store.js';
import { EmbeddedArrivalsStore } from '../arrivals/embedded-arrivals-store.js';
import { RedisArrivalsStore } from '../arrivals/redis-arrivals-store.js';
import { EmbeddedRosterStore } from '../roster/embedded-roster-store.js';
import { RedisRosterStore } from '../roster/redis-roster-store.js';
import type { RosterStore } from '../roster/roster-store.js';
import { StaffingService } from './staffing-service.js';

/** The plan moves with the forecast's re-estimate and the interval's arrivals: a few times a minute is plenty. */
const PLAN_REFRESH_MS = 15_000;
/** Arrivals older than the retention are swept once an hour. */
const SWEEP_MS = 3_600_000;

declare module 'fastify' {
  interface FastifyInstance {
    arrivals: ArrivalsStore;
    roster: RosterStore;
    staffing: StaffingService;
    /** Recomputes the staffing plan now (after a roster upload) and puts it on the state. */
    refreshStaffing(): Promise<void>;
  }
}

export const staffingPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, model, liveFeed, now } = app;
    const redis = app.sharedRedis;
    const arrivals: ArrivalsStore = redis === null ? new EmbeddedArrivalsStore({ dataDir: config.dataDir }) : new RedisArrivalsStore(redis);
    const roster: RosterStore = redis === null ? new EmbeddedRosterStore({ dataDir: config.dataDir }) : new RedisRosterStore(redis);
    app.addHook('onClose', async () => {
      await arrivals.close();
      await roster.close();
    });
    const staffing = new StaffingService({ dir: config.dashboardsDir, log: app.log, timeZone: config.timeZone, arrivals, roster });

    let refreshing: Promise<void> | null = null;
    const refresh = async (): Promise<void> => {
      // One at a time: a roster upload during a refresh waits for it, then refreshes again.
      while (refreshing !== null) await refreshing;
      refreshing = (async () => {
        try {
          model.setStaffingPlan(await staffing.plan(now()), now());
          liveFeed.notify();
        } catch (error) {
          app.log.warn({ err: error }, 'staffing plan not refreshed; the last one stays on the wall');
        }
      })();
      await refreshing;
      refreshing = null;
    };

    app.decorate('arrivals', arrivals);
    app.decorate('roster', roster);
    app.decorate('staffing', staffing);
    app.decorate('refreshStaffing', refresh);

    const timer = setInterval(() => void refresh(), PLAN_REFRESH_MS);
    timer.unref();
    const sweeper = setInterval(() => {
      arrivals.sweep(now()).catch((error: unknown) => app.log.warn({ err: error }, 'arrivals sweep failed; the next one retries'));
    }, SWEEP_MS);
    sweeper.unref();
    app.addHook('onReady', async () => refresh());
    app.addHook('preClose', async () => {
      clearInterval(timer);
      clearInterval(sweeper);
      await refreshing;
    });
  },
  { name: 'staffing', dependencies: ['config', 'store', 'model', 'live'] },
);
