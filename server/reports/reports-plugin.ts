// Reports to management (docs/contract.md#reports-to-management): the definitions of
// DASHBOARDS_DIR/reports (hot-reloaded), the runs (files under DATA_DIR/reports, or the shared
// Redis), the service that renders them, and the schedule's beat, which runs each due report on
// exactly one instance. Needs the daily figures (daily-plugin) and the incidents.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EmbeddedReportRunStore } from './embedded-run-store.js';
import { findChromium } from './print-pdf.js';
import { RedisReportRunStore } from './redis-run-store.js';
import { ReportRegistry } from './report-registry.js';
import { ReportService } from './report-service.js';
import type { ReportRunStore } from './run-store.js';

/** Schedules are whole minutes: a beat every 20 s runs a due report within the minute it fires. */
const SCHEDULE_BEAT_MS = 20_000;

declare module 'fastify' {
  interface FastifyInstance {
    reports: {
      registry: ReportRegistry;
      runs: ReportRunStore;
      service: ReportService;
    };
  }
}

export const reportsPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, now } = app;
    const registry = new ReportRegistry({ dashboardsDir: config.dashboardsDir, log: app.log });
    await registry.start();
    const runs: ReportRunStore =
      app.sharedRedis === null
        ? new EmbeddedReportRunStore({ dataDir: config.dataDir })
        : new RedisReportRunStore(app.sharedRedis, { prefix: `${config.redisKeyPrefix}reports:` });
    const service = new ReportService({
      registry,
      runs,
      daily: app.daily,
      incidents: () => app.incidents.list('all'),
      timeZone: config.timeZone,
      now,
      chromium: findChromium(config.chromiumPath),
      log: app.log,
    });
    app.decorate('reports', { registry, runs, service });

    let beating: Promise<unknown> | null = null;
    const timer = setInterval(() => {
      if (beating !== null) return;
      beating = service.runDue().finally(() => {
        beating = null;
      });
    }, SCHEDULE_BEAT_MS);
    timer.unref();
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await beating;
    });
    app.addHook('onClose', async () => {
      registry.close();
      await runs.close();
    });
  },
  { name: 'reports', dependencies: ['config', 'store', 'daily', 'incidents'] },
);
