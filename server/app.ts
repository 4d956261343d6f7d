// The application: the core (model, store, ingest, live hub) wired once, then the routes.
// Tests build this very app and call `app.inject()`; main.ts only listens and closes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Server as SocketServer } from 'socket.io';
import { ALERT_EVALUATE_MS, AlertService } from './alerts/alert-service.js';
import { loadTokens, type TokenRegistry } from './auth/tokens.js';
import { IncidentService, LINK_REFRESH_MS } from './command/incident-service.js';
import type { Config } from './config.js';
import { DashboardRegistry } from './dashboards/dashboard-registry.js';
import { LiveModel } from './domain/live-model.js';
import type { LiveState } from '../contract/domain.js';
import { historyPlugin } from './history/history-plugin.js';
import { metricsPlugin } from './metrics/metrics-plugin.js';
import { redactUrl } from './http/auth.js';
import { installErrorHandling } from './http/errors.js';
import { openApiPlugin } from './http/openapi.js';
import { registerSecurityHeaders, secureEngineResponses } from './http/security-headers.js';
import { serverTimeouts } from './http/timeouts.js';
import { registerWebAssets } from './http/web-assets.js';
import { ConnectorService, type ConnectorRuntimeOptions } from './connectors/connector-service.js';
import { IngestService } from './ingest/ingest-service.js';
import { LiveHub } from './live/live-hub.js';
import { connectFanout, type RedisFanout } from './live/redis-fanout.js';
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
import { readRoutes } from './routes/read.js';
import { wallRoutes } from './routes/walls.js';
import type { AlertStore } from './store/alert-store.js';
import { EmbeddedAlertStore } from './store/embedded-alert-store.js';
import { EmbeddedIncidentStore } from './store/embedded-incident-store.js';
import { EmbeddedStore } from './store/embedded-store.js';
import type { IncidentStore } from './store/incident-store.js';
import type { LiveStore } from './store/live-store.js';
import { RedisAlertStore } from './store/redis-alert-store.js';
import { RedisIncidentStore } from './store/redis-incident-store.js';
import { RedisStore } from './store/redis-store.js';
import { StoreHealthMonitor } from './store/store-health.js';

/** How often the SLA clock is advanced: well inside the 1 s a breach may take to show. */
const CLOCK_TICK_MS = 250;
/** How often the store's reachability is checked for the walls. */
const STORE_PROBE_MS = 2_000;
/** How often changed tickets and agents are folded out of the journal. */
const CHECKPOINT_MS = 5_000;

export interface Watchfloor {
  config: Config;
  model: LiveModel;
  store: LiveStore;
  ingest: IngestService;
  tokens: TokenRegistry;
  hub: LiveHub;
  dashboards: DashboardRegistry;
  /** Major incidents (docs/contract.md#major-incidents): their store, the state's `incidents` section and the screens, behind one service. */
  incidents: IncidentService;
  /** Alert rules (dashboards/alerts.json), evaluated every 5 s by one instance; state and history in the alert store. */
  alerts: AlertService;
  /** The store probe (slow, down, refusing writes, lost data), for /healthz and the walls. */
  storeHealth: StoreHealthMonitor;
  io: SocketServer;
  /** Helpdesk connectors (docs/contract.md#helpdesk-connectors): webhook intake, reconciliation pollers, their status. */
  connectors: ConnectorService;
  now: () => number;
  startedAt: number;
  /** Where tokens were generated on this start (printed once), or null. */
  generatedTokensFile: string | null;
  /** Advances the model's clock to now (SLA breaches, at-risk, midnight) and tells the hub. */
  tick(): void;
  currentState(): LiveState;
  checkpoint(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    watch: Watchfloor;
  }
}

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
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config, options.logStream),
    // Generous for the events route; smaller limits are set per route where it matters.
    bodyLimit: 1024 * 1024,
    // Slow clients hold no connection for long (docs/contract.md#security-and-durability): the whole request within
    // REQUEST_TIMEOUT_MS, its headers within HEADERS_TIMEOUT_MS, idle keep-alive KEEP_ALIVE_TIMEOUT_MS.
    ...serverTimeouts(config.http),
  });
  installErrorHandling(app);
  await registerSecurityHeaders(app, { http: config.http, webRoot: options.webRoot === undefined ? defaultWebRoot : options.webRoot });

  const { registry: tokens, generatedFile } = loadTokens(config);
  // REDIS_URL set: distributed mode (docs/contract.md#configuration), every instance a replica of the shared log.
  const store: LiveStore =
    config.redisUrl === null
      ? new EmbeddedStore({ dataDir: config.dataDir, journalSync: config.journalSync, log: app.log })
      : await RedisStore.connect({ url: config.redisUrl, log: app.log, commandTimeoutMs: config.redisCommandTimeoutMs });
  const model = new LiveModel({ atRiskMinutes: config.atRiskMinutes });
  // The hub exists only once socket.io is attached below; until then nobody is listening.
  let onApplied = (): void => {};
  const ingest = new IngestService({ model, store, now, onApplied: () => onApplied() });

  const loaded = await store.load(now());
  model.restore(loaded.tickets, loaded.agents, now());
  const replayed = ingest.replay(loaded.journal, (ids) => store.remember(ids, now()));
  if (loaded.tickets.length + replayed > 0) {
    app.log.info({ tickets: loaded.tickets.length, agents: loaded.agents.length, replayed }, 'restored live state');
  }

  // Incidents live where the live state does: SQLite under DATA_DIR, or the same Redis.
  let incidentStore: IncidentStore;
  try {
    incidentStore =
      config.redisUrl === null
        ? new EmbeddedIncidentStore({ dataDir: config.dataDir })
        : await RedisIncidentStore.connect({ url: config.redisUrl, log: app.log, commandTimeoutMs: config.redisCommandTimeoutMs });
  } catch (error) {
    await store.close();
    throw error;
  }
  let fanout: RedisFanout | null = null;
  if (config.redisUrl !== null) {
    try {
      fanout = await connectFanout(config.redisUrl, app.log);
    } catch (error) {
      await incidentStore.close();
      await store.close();
      throw error;
    }
  }
  const io = new SocketServer(app.server, {
    ...(fanout === null ? {} : { adapter: fanout.adapter }),
    serveClient: false,
    // A TV behind a flaky network should learn within ~15 s that the server is gone.
    pingInterval: 10_000,
    pingTimeout: 5_000,
    maxHttpBufferSize: 64 * 1024,
  });
  secureEngineResponses(io.engine);
  const currentState = (): LiveState => {
    model.advance(now());
    return model.state(now());
  };
  const dashboards = new DashboardRegistry({ dir: config.dashboardsDir, log: app.log });
  await dashboards.start();
  const hub = new LiveHub({
    io,
    tokens,
    state: currentState,
    dashboards,
    now,
    distributed: fanout !== null,
    agentList: () => model.agentList(),
    changedAgents: () => model.takeChangedAgents(),
    log: app.log,
  });
  onApplied = () => hub.notify();
  const incidents = new IncidentService({
    store: incidentStore,
    model,
    now,
    log: app.log,
    onChange: (incident) => hub.incidentChanged(incident),
    onCountsChanged: () => hub.notify(),
  });
  await incidents.start();
  // Alert state and history live where incidents do (SQLite, or the same Redis, where a lease
  // makes one instance the evaluator); every instance's view of the active alerts goes to its walls.
  let alertStore: AlertStore | null = null;
  let alerts: AlertService;
  try {
    alertStore =
      config.redisUrl === null
        ? new EmbeddedAlertStore({ dataDir: config.dataDir, log: app.log })
        : await RedisAlertStore.connect({ url: config.redisUrl, log: app.log, commandTimeoutMs: config.redisCommandTimeoutMs });
    alerts = new AlertService({
      dir: config.dashboardsDir,
      log: app.log,
      now,
      state: currentState,
      sources: () => ({ any: ingest.lastEventAt, bySource: ingest.lastEventAtBySource }),
      store: alertStore,
      onActiveChange: (active) => hub.alertsChanged(active),
    });
    await alerts.start();
  } catch (error) {
    await alertStore?.close();
    fanout?.close();
    await incidentStore.close();
    await store.close();
    throw error;
  }
  let connectors: ConnectorService;
  try {
    connectors = await ConnectorService.create({
      ...options.connectors,
      config,
      model,
      ingest: (events) => ingest.ingestEvents(events),
      now,
      log: app.log,
    });
  } catch (error) {
    await alerts.close();
    fanout?.close();
    await incidentStore.close();
    await store.close();
    throw error;
  }
  // Distributed mode: what the other instances accept reaches this model (and its clients) too.
  store.follow({
    events: (events) => ingest.applyFromLog(events),
    reload: (state) => {
      model.restore(state.tickets, state.agents, now());
      ingest.replay(state.journal, (ids) => store.remember(ids, now()));
      hub.notify();
    },
  });
  // After a loss of Redis's data, the instance puts its whole model back (see RedisStore).
  if (store instanceof RedisStore) store.reseedFrom(() => model.everything());
  // Walls hear at once when the store stops taking events (down, out of memory, lost data).
  const storeHealth = new StoreHealthMonitor(store, (status) => hub.setStoreHealth(status.ok), app.log);

  const watch: Watchfloor = {
    config,
    model,
    store,
    ingest,
    tokens,
    hub,
    dashboards,
    incidents,
    alerts,
    storeHealth,
    io,
    connectors,
    now,
    startedAt: now(),
    generatedTokensFile: generatedFile,
    tick() {
      model.advance(now());
      hub.notify();
    },
    currentState,
    async checkpoint() {
      await store.checkpoint(model.takeChanges(), now());
    },
  };
  app.decorate('watch', watch);

  const clock = setInterval(() => watch.tick(), CLOCK_TICK_MS);
  // Walls must learn that the numbers stopped moving when the store is gone (Redis down): the
  // connection to this server stays live, so nothing else would tell them.
  const storeProbe = setInterval(() => void storeHealth.check(), STORE_PROBE_MS);
  void storeHealth.check();
  storeProbe.unref();
  const checkpoints = setInterval(() => {
    watch.checkpoint().catch((error: unknown) => app.log.error({ err: error }, 'checkpoint failed; will retry'));
  }, CHECKPOINT_MS);
  // Linked-ticket counts of active incidents: a scan of the tickets, throttled inside.
  const linking = setInterval(() => incidents.refreshLinks(), LINK_REFRESH_MS);
  const alerting = setInterval(() => {
    alerts.evaluate().catch((error: unknown) => app.log.error({ err: error }, 'alert evaluation failed; the next one retries'));
  }, ALERT_EVALUATE_MS);
  alerting.unref();
  clock.unref();
  checkpoints.unref();
  linking.unref();

  // preClose, not onClose: Fastify's close waits for the HTTP server, and an open websocket
  // keeps it open, so the live connections must go first.
  // Pollers start once the app is ready (routes and stores all up) and stop before anything closes.
  app.addHook('onReady', async () => connectors.start());
  app.addHook('preClose', async () => {
    await connectors.stop();
    clearInterval(clock);
    clearInterval(storeProbe);
    clearInterval(checkpoints);
    clearInterval(linking);
    clearInterval(alerting);
    hub.close();
    dashboards.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });
  app.addHook('onClose', async () => {
    try {
      await watch.checkpoint();
    } catch (error) {
      // Nothing accepted is lost: the journal (embedded) or the log (Redis) still holds it.
      app.log.error({ err: error }, 'final checkpoint failed; the next start replays more');
    }
    // Waits for an evaluation under way; in Redis it hands the lead over to another instance.
    await alerts.close();
    await store.close();
    await incidentStore.close();
    fanout?.close();
  });

  // Metric history: SQLite or InfluxDB by config; samples from ready until close, then flushes.
  // Before the routes: the OpenAPI document is built from the routes registered after it.
  await app.register(openApiPlugin);
  await app.register(historyPlugin);
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
  await app.register(metricsPlugin);
  await app.register(metricsRoutes);
  await registerWebAssets(app, options.webRoot === undefined ? defaultWebRoot : options.webRoot);
  return app;
}
