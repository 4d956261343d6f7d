// The application: Fastify plugins, each owning its part (its decorators, its timers, its hooks),
// registered in the order of their dependencies, then the routes. Tests build this very app and
// call `app.inject()`; main.ts only listens and closes.
//
// Order matters at close: Fastify runs preClose hooks in order of registration and onClose hooks
// in reverse. So on close: the pollers stop first (connectors before live), then the live clock,
// the hub and socket.io (every websocket must go before the HTTP server can close), the other
// timers; then, in reverse: the alerts hand their lead over, the Redis fanout closes, the final
// checkpoint is written, and the stores close last.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { alertsPlugin } from './alerts/alerts-plugin.js';
import { incidentsPlugin } from './command/incidents-plugin.js';
import type { Config } from './config.js';
import { configPlugin } from './config-plugin.js';
import type { ConnectorRuntimeOptions } from './connectors/connector-service.js';
import { connectorsPlugin } from './connectors/connectors-plugin.js';
import { dashboardsPlugin } from './dashboards/dashboards-plugin.js';
import { historyPlugin } from './history/history-plugin.js';
import { redactUrl } from './http/auth.js';
import { installErrorHandling } from './http/errors.js';
import { openApiPlugin } from './http/openapi.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { serverTimeouts } from './http/timeouts.js';
import { registerWebAssets } from './http/web-assets.js';
import { modelPlugin } from './ingest/model-plugin.js';
import { flowPlugin } from './flow/flow-plugin.js';
import { notifyPlugin } from './notify/notify-plugin.js';
import { livePlugin } from './live/live-plugin.js';
import { metricsPlugin } from './metrics/metrics-plugin.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { connectorRoutes } from './routes/connectors.js';
import { dashboardRoutes } from './routes/dashboards.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { incidentRoutes } from './routes/incidents.js';
import { kpiRoutes } from './routes/kpis.js';
import { metricsRoutes } from './routes/metrics.js';
import { notificationRoutes } from './routes/notifications.js';
import { readRoutes } from './routes/read.js';
import { wallRoutes } from './routes/walls.js';
import { forecastRoutes } from './routes/forecast.js';
import { rosterRoutes } from './routes/roster.js';
import { staffingCalculatorRoutes } from './routes/staffing-calculator.js';
import { staffingRoutes } from './routes/staffing.js';
import { statusRoutes } from './routes/status.js';
import { suggestionRoutes } from './routes/suggestions.js';
import { flowRoutes } from './routes/flow.js';
import { severityRoutes } from './routes/severities.js';
import { templateRoutes } from './routes/templates.js';
import { reportRoutes } from './routes/reports.js';
import { staffingPlugin } from './staffing/staffing-plugin.js';
import { surgePlugin } from './surge/surge-plugin.js';
import { dailyPlugin } from './reports/daily-plugin.js';
import { reportsPlugin } from './reports/reports-plugin.js';
import { storePlugin } from './store/store-plugin.js';

export interface BuildOptions {
  /** The clock; tests pass their own. */
  now?: () => number;
  /** Fastify's logger option; false silences it (tests). */
  logger?: FastifyServerOptions['logger'];
  /** The built web app; null serves no pages. */
  webRoot?: string | null;
  /** Where the production logger writes (stdout unless given); tests read it back. */
  logStream?: NodeJS.WritableStream;
  /** Connector knobs for tests (instant waits, pollers driven by hand). */
  connectors?: ConnectorRuntimeOptions;
  /** Listen while the live state is restored (/healthz "recovering"); else buildApp answers once it is (see model-plugin.ts). */
  restoreWhileListening?: boolean;
}

// server/app.ts runs from server/ (tsx) or from dist/server/ (built); the web build sits at the top.
const here = path.dirname(fileURLToPath(import.meta.url));
const defaultWebRoot = path.resolve(here, here.split(path.sep).includes('dist') ? '../..' : '..', 'build');

function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream === undefined ? {} : { stream }),
    // Tokens travel in the Authorization header or ?token=; neither may reach a log line.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), ip: req.ip }),
    },
  };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const webRoot = options.webRoot === undefined ? defaultWebRoot : options.webRoot;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config, options.logStream),
    // Generous for the events route; smaller limits are set per route where it matters.
    bodyLimit: 1024 * 1024,
    // Slow clients hold no connection for long (docs/contract.md#security-and-durability): the whole request within
    // REQUEST_TIMEOUT_MS, its headers within HEADERS_TIMEOUT_MS, idle keep-alive KEEP_ALIVE_TIMEOUT_MS.
    ...serverTimeouts(config.http),
    // No timer of Fastify's on a plugin's start: each wait inside has its own bound (Redis's
    // start-up wait per connection, command timeouts) and its own message. Fastify's (10 s by
    // default) would cut a start about to fail more clearly, and leave what that plugin opened
    // afterwards with nobody to close it.
    pluginTimeout: 0,
  });
  try {
    installErrorHandling(app);
    await registerSecurityHeaders(app, { http: config.http, webRoot });

    await app.register(configPlugin, { config, now: options.now ?? Date.now });
    await app.register(storePlugin);
    await app.register(modelPlugin, { restoreWhileListening: options.restoreWhileListening ?? false });
    await app.register(flowPlugin);
    // Before live: its preClose (pollers stop) runs before the live channel closes.
    await app.register(connectorsPlugin, options.connectors ?? {});
    await app.register(dashboardsPlugin);
    await app.register(livePlugin);
    await app.register(incidentsPlugin);
    await app.register(alertsPlugin);
    await app.register(staffingPlugin);
    await app.register(surgePlugin);
    // After the incidents, the alerts and surge detection, whose events it sends.
    await app.register(notifyPlugin);
    await app.register(dailyPlugin);
    await app.register(reportsPlugin);
    // Metric history: SQLite or InfluxDB by config; samples from ready until close, then flushes.
    await app.register(historyPlugin);
    await app.register(metricsPlugin);

    // Before the routes: the OpenAPI document is built from the routes registered after it.
    await app.register(openApiPlugin);
    await app.register(healthRoutes);
    await app.register(readRoutes);
    await app.register(historyRoutes);
    await app.register(kpiRoutes);
    await app.register(eventRoutes);
    await app.register(dashboardRoutes);
    await app.register(wallRoutes);
    await app.register(incidentRoutes);
    await app.register(alertRoutes);
    await app.register(connectorRoutes);
    await app.register(adminRoutes);
    await app.register(staffingCalculatorRoutes);
    await app.register(forecastRoutes);
    await app.register(rosterRoutes);
    await app.register(staffingRoutes);
    await app.register(suggestionRoutes);
    await app.register(flowRoutes);
    await app.register(notificationRoutes);
    await app.register(statusRoutes);
    await app.register(templateRoutes);
    await app.register(severityRoutes);
    await app.register(reportRoutes);
    await app.register(metricsRoutes);
    await registerWebAssets(app, webRoot);
  } catch (error) {
    // A start that fails half-way (Redis refusing, a bad file) closes what the plugins before
    // it opened: each one hooked its own close as soon as it had something to close.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
