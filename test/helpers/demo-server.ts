// A real server with the shipped dashboards, the built web app and the simulator's traffic, for
// the screenshot scripts (docs/*.png).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulator } from '../../server/simulator/simulator.js';
import { seedDemoPlanning } from '../../server/simulator/planning-seed.js';
import { seedDemoReports } from '../../server/simulator/report-seed.js';
import { startTestApp, type TestApp } from './app.js';
import { requireWebBuild } from './browser.js';
import { baseUrl } from './live-client.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `env` adds to (or overrides) the shipped dashboards folder, e.g. a copy with extra alert rules. */
export async function startDemoServer(env: Record<string, string> = {}): Promise<{ t: TestApp; url: string; simulator: Simulator }> {
  const webRoot = requireWebBuild();
  const t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: path.join(REPO_ROOT, 'dashboards'), ...env } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const url = baseUrl(t.app);
  await seedDemoPlanning(t.app);
  await seedDemoReports(t.app);
  const simulator = new Simulator({ ingest: (events) => t.app.ingest.ingestEvents(events) });
  await simulator.start();
  console.log(`server with simulated traffic on ${url}`);
  return { t, url, simulator };
}
