// A screenshot of the supervisor page for the README: `npx tsx test/e2e/supervisor-screenshot.ts`
// (after `npm run build`). Starts the real server with the simulator's traffic and the shipped
// dashboards and alert rules, opens two walls (so the wall list has rows) and /supervisor at
// 1920×1080 in headless Chromium, lets it run SCREENSHOT_WAIT_MS (default 20000) and writes
// docs/supervisor.png.
import fs from 'node:fs';
import path from 'node:path';
import { TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';

const waitMs = Number(process.env.SCREENSHOT_WAIT_MS ?? 20_000);
const file = path.join(root, 'docs/supervisor.png');

const { t, url, simulator } = await startDemoServer();

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
  t.app.watch.alerts.evaluate();
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  console.log(`docs/supervisor.png (1920×1080)`);
  for (const error of errors) console.log(`  browser error: ${error}`);
  if (errors.length > 0) failed = true;
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
}
process.exit(failed ? 1 : 0);
