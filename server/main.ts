// The entry point: read the config, build the app, listen, and close with grace on SIGTERM/SIGINT.
import { buildApp } from './app.js';
import { tuneHeap } from './heap-tuning.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { OWNER_ONLY_UMASK, prepareDataDir } from './data-dir.js';
import { startDemo, type Demo } from './simulator/demo.js';
import { seedDemoPlanning } from './simulator/planning-seed.js';
import { seedDemoReports } from './simulator/report-seed.js';

/** A stop must finish within this, whatever hangs. */
const SHUTDOWN_DEADLINE_MS = 10_000;

function printUrls(config: Config, secretOf: (role: 'viewer' | 'supervisor' | 'commander') => string | undefined, address: string): void {
  const url = (p: string, role: 'viewer' | 'supervisor' | 'commander') => {
    const secret = secretOf(role);
    return secret === undefined ? `${address}${p}  (no ${role} token)` : `${address}${p}?token=${encodeURIComponent(secret)}`;
  };
  // Printed to the terminal on purpose (the user asked for a demo); never through the logger.
  process.stdout.write(
    `${[
      '',
      'Watchfloor is running.',
      `  Wall:        ${url('/wall/support', 'viewer')}`,
      `  Command:     ${url('/command', 'commander')}`,
      `  Supervisor:  ${url('/supervisor', 'supervisor')}`,
      `  Reports:     ${url('/reports', 'supervisor')}`,
      `  Status page: ${config.statusPublic ? `${address}/status` : url('/status', 'viewer')}`,
      `  Health:      ${address}/healthz`,
      `  Tokens:      ${config.tokens === null ? `${config.dataDir}/tokens.json` : 'from WATCHFLOOR_TOKENS'}`,
      '',
    ].join('\n')}\n`,
  );
}

async function main(): Promise<void> {
  // Before anything creates a file: tokens, SQLite files and journal segments are owner-only.
  process.umask(OWNER_ONLY_UMASK);
  // Before the heap fills: a heap that grows by a tenth at a time, not by half or more.
  tuneHeap();
  const config = loadConfig();
  prepareDataDir(config.dataDir);
  // Listening while the live state goes back in: a million tickets take seconds, and meanwhile
  // /healthz says "recovering" rather than nothing answering at all.
  const app = await buildApp(config, { restoreWhileListening: true });
  const address = await app.listen({ host: config.host, port: config.port });
  // A restore that fails (a damaged checkpoint) stops the process, as a start that fails does.
  app.live.restoring.catch(() => {
    void app.close().finally(() => process.exit(1));
  });
  const base = address.replace('://[::1]', '://localhost');
  if (app.generatedTokensFile !== null) {
    process.stdout.write(`First start: one token per role was generated into ${app.generatedTokensFile}\n`);
  }

  let demo: Demo | null = null;
  if (config.demo) {
    // The demo's seeds and simulator read and feed the model: only once it is whole.
    await app.live.whenLive;
    // 8 weeks of arrivals and the agents' roster, so the forecast and staffing show at once
    // (idempotent: every instance of a distributed demo may do it).
    const seeded = await seedDemoPlanning(app);
    app.log.info(seeded, 'demo planning data seeded');
    // Eight weeks of daily figures behind the arrivals, so the reports have a last week and month.
    app.log.info(await seedDemoReports(app), 'demo report history seeded');
    // In distributed mode the instances share one run (one of them simulates); see simulator/demo.ts.
    demo = await startDemo({
      model: app.model,
      ingest: (events) => app.ingest.ingestEvents(events),
      timeZone: config.timeZone,
      log: app.log,
      redisUrl: config.redisUrl,
      commandTimeoutMs: config.redisCommandTimeoutMs,
      prefix: config.redisKeyPrefix,
      scenario: config.demoScenario,
    });
  }
  if (config.demo || app.generatedTokensFile !== null) {
    printUrls(config, (role) => app.tokens.secretFor(role), base);
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: finishing requests in flight, flushing storage');
    const deadline = setTimeout(() => {
      app.log.error('stop took longer than 10 s; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // The demo first: it hands its lease over, and sends nothing into a closing app.
    (demo?.stop() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'error while stopping');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`watchfloor: configuration error: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`watchfloor: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
