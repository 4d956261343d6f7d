// The poller tests' apps (zendesk-, jira- and freshdesk-poller): real apps pointed at a fake vendor,
// their pollers driven by hand (pollNow) unless asked to start on their own, and every wait they
// ask for (Retry-After, the request budget) recorded instead of waited.
import { startTestApp, type TestApp } from '../../helpers/app.js';

export interface PollerAppOptions {
  /** Reuse a DATA_DIR (the stored cursor across a restart). */
  dataDir?: string;
  /** Added to the test file's own env. */
  env?: Record<string, string>;
  /** Let the poller run on its own once the app is ready. */
  autoStart?: boolean;
}

export class PollerApps {
  /** Every wait the pollers asked for, in order. */
  readonly sleeps: number[] = [];
  private readonly running: TestApp[] = [];

  /**
   * `base` is read at every start: a test may replace its fake vendor (a new port, a new env)
   * between two apps.
   */
  constructor(private readonly base: () => { now?: () => number; env: Record<string, string> }) {}

  async start(options: PollerAppOptions = {}): Promise<TestApp> {
    const base = this.base();
    const app = await startTestApp({
      ...(base.now === undefined ? {} : { now: base.now }),
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      env: { ...base.env, ...options.env },
      connectors: {
        startPollers: options.autoStart ?? false,
        sleep: async (ms) => {
          this.sleeps.push(ms);
        },
      },
    });
    this.running.push(app);
    return app;
  }

  /** Closes one app now (a restart, a lease handed back). */
  async stop(app: TestApp): Promise<void> {
    this.running.splice(this.running.indexOf(app), 1);
    await app.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((app) => app.close()));
  }
}
