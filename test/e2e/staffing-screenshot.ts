// A screenshot of the supervisor's staffing panel for the docs: `npx tsx test/e2e/staffing-screenshot.ts`
// (after `npm run build:web`). Starts the demo server (the shipped dashboards, the simulator's
// traffic, eight weeks of arrivals history and a roster: seedDemoPlanning), opens /supervisor at
// 1920×1080 in headless Chromium, runs the calculator once so that its answer shows, and writes
// docs/supervisor-staffing.png: the staffing panel (the day chart of every line, the roster upload
// and the calculator). Fails when the page logged an error or the panel drew no chart for l1.
import fs from 'node:fs';
import path from 'node:path';
import { TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';

const waitMs = Number(process.env.SCREENSHOT_WAIT_MS ?? 5_000);
const out = path.join(root, 'docs', 'supervisor-staffing.png');

const { t, url, simulator } = await startDemoServer();
const browser = await launchBrowser();
let failed = false;
try {
  const { page, errors } = await openPage(browser, { width: 1920, height: 1080 });
  await page.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
  await page.waitForSelector('body[data-connection="live"]', { state: 'attached', timeout: 20_000 });
  await page.waitForSelector('figure.day[data-line="l1"] rect.scheduled', { state: 'attached', timeout: 20_000 });
  console.log(`staffing panel drawn; letting it run ${Math.round(waitMs / 1000)} s`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));

  // The calculator's answer for its starting figures (L1-like), so that the form is not empty.
  const calculator = page.locator('form[data-form="calculator"]');
  await calculator.locator('button[type="submit"]').click();
  await calculator.locator('[data-field="calc-answer"]').waitFor({ timeout: 5_000 });

  const panel = page.locator('[data-panel="staffing"]');
  await panel.scrollIntoViewIfNeeded();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await panel.screenshot({ path: out });
  const box = await panel.boundingBox();
  console.log(`docs/supervisor-staffing.png (${Math.round(box?.width ?? 0)}×${Math.round(box?.height ?? 0)}, the staffing panel)`);
  for (const error of errors) console.log(`  browser error: ${error}`);
  if (errors.length > 0) failed = true;
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
}
process.exit(failed ? 1 : 0);
