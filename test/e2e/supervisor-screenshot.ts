// Screenshots of the supervisor page and of a wall showing an alert, for the README:
// `npx tsx test/e2e/supervisor-screenshot.ts` (after `npm run build`). Starts the real server with
// the simulator's traffic, a copy of the shipped dashboards whose alert rules gain one that the
// demo traffic trips at once (L1 holds 100–200 open tickets through the day) (so the alert panel and a wall's alert bar have something to show),
// and TICKET_URLS for the demo source (so the SLA lists carry links). Opens two walls and
// /supervisor in headless Chromium, lets it run SCREENSHOT_WAIT_MS (default 20000) and writes
// docs/supervisor.png (1920×1080, whole page), docs/wall-alert-1080p.png and docs/wall-alert-4k.png.
import fs from 'node:fs';
import path from 'node:path';
import { TOKENS, tempDir } from '../helpers/app.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';

const waitMs = Number(process.env.SCREENSHOT_WAIT_MS ?? 20_000);
const docs = path.join(root, 'docs');

const dashboards = tempDir('watchfloor-screenshot-');
fs.cpSync(path.join(root, 'dashboards'), dashboards, { recursive: true });
const rulesFile = path.join(dashboards, 'alerts.json');
const rules = JSON.parse(fs.readFileSync(rulesFile, 'utf8')) as { rules: unknown[] };
rules.rules.unshift({
  id: 'l1-open-100',
  title: 'L1 open tickets ≥ 100',
  metric: 'queues.l1.open',
  op: '>=',
  value: 100,
  forSec: 0,
  clearValue: 80,
  severity: 'critical',
  wall: true,
});
fs.writeFileSync(rulesFile, JSON.stringify(rules, null, 2));

const { t, url, simulator } = await startDemoServer({ DASHBOARDS_DIR: dashboards, TICKET_URLS: 'demo=https://helpdesk.example/tickets/{id}' });

const browser = await launchBrowser();
let failed = false;
try {
  for (const name of ['floor-1', 'lobby']) {
    const { page } = await openPage(browser, { width: 1280, height: 720 });
    await page.goto(`${url}/wall/support?token=${TOKENS.viewer}&name=${name}`);
  }
  const { page, errors } = await openPage(browser, { width: 1920, height: 1080 });
  await page.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
  await page.waitForSelector('body[data-connection="live"] tr[data-agent]', { state: 'attached', timeout: 15_000 });
  console.log(`supervisor page live; letting it run ${Math.round(waitMs / 1000)} s`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await t.app.alerts.evaluate();
  await t.app.alerts.evaluate();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  fs.mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: path.join(docs, 'supervisor.png'), fullPage: true });
  console.log('docs/supervisor.png (1920 wide, whole page)');
  for (const [name, viewport] of [
    ['wall-alert-1080p.png', { width: 1920, height: 1080 }],
    ['wall-alert-4k.png', { width: 3840, height: 2160 }],
  ] as const) {
    const wall = await openPage(browser, viewport);
    await wall.page.goto(`${url}/wall/support?token=${TOKENS.viewer}&lang=en`);
    await wall.page.waitForSelector('header[data-banner="alert"]', { state: 'attached', timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await wall.page.screenshot({ path: path.join(docs, name) });
    console.log(`docs/${name} (${viewport.width}×${viewport.height})`);
    errors.push(...wall.errors);
  }
  for (const error of errors) console.log(`  browser error: ${error}`);
  if (errors.length > 0) failed = true;
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
  fs.rmSync(dashboards, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
