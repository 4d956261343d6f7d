// A screenshot of the reports page for the docs: `npx tsx test/e2e/reports-screenshot.ts` (after
// `npm run build:web`). Starts the demo server (the shipped dashboards and report definitions, the
// simulator's traffic), opens /reports as a supervisor at 1920×1080 in headless Chromium, runs the
// weekly and the monthly once each for their default (last complete) period through "Run now", and
// writes docs/reports-page.png: the definitions, the runs with their links. Fails when the page
// logged an error, a run did not finish, or the page is wider than the window.
import fs from 'node:fs';
import path from 'node:path';
import { TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';

const out = path.join(root, 'docs', 'reports-page.png');
const RUN_MS = 60_000;

const { t, url, simulator } = await startDemoServer();
const browser = await launchBrowser();
let failed = false;
try {
  const { page, errors } = await openPage(browser, { width: 1920, height: 1080 });
  await page.goto(`${url}/reports?token=${TOKENS.supervisor}&lang=en`);
  await page.waitForSelector('article[data-report="weekly"] button[data-action="run"]:not([disabled])', { timeout: 20_000 });

  for (const id of ['weekly', 'monthly']) {
    const card = page.locator(`article[data-report="${id}"]`);
    await card.locator('button[data-action="run"]').click();
    await card.locator('[data-field="run-result"]').waitFor({ timeout: RUN_MS });
    console.log(`${id}: ${await card.locator('[data-field="run-result"]').textContent()}`);
    if ((await card.locator('[data-field="run-result"]').getAttribute('data-ok')) !== 'true') failed = true;
  }
  await page.waitForSelector('table[data-list="runs"] tr[data-status="done"] a[data-file="html"]', { timeout: 5_000 });

  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  if (wide) {
    console.log('the page is wider than the window');
    failed = true;
  }
  // Off the buttons: a hovered button is not how the page rests.
  await page.mouse.move(1900, 1060);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log('docs/reports-page.png (1920×1080)');
  for (const error of errors) console.log(`  browser error: ${error}`);
  if (errors.length > 0) failed = true;
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
}
process.exit(failed ? 1 : 0);
