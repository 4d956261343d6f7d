// Screenshots of the lines wall (dashboards/lines.json) with its flow widget for the docs: `npx tsx test/e2e/flow-screenshot.ts`
// (after `npm run build:web`). Starts the demo server (the shipped dashboards, the simulator's
// traffic with the day so far back-filled, so that today's escalations, de-escalations and reopens
// are there), opens /wall/lines at 1920×1080 and 3840×2160, waits until the flow widget draws a
// band, checks that nothing scrolls or sticks out and writes docs/wall-flow-1080p.png and
// docs/wall-flow-4k.png. SCREENSHOT_WAIT_MS (default 20000) is how long the walls run before the shot.
import fs from 'node:fs';
import path from 'node:path';
import { TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport } from '../helpers/browser.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';

const waitMs = Number(process.env.SCREENSHOT_WAIT_MS ?? 20_000);
const shots = [
  { width: 1920, height: 1080, file: 'docs/wall-flow-1080p.png' },
  { width: 3840, height: 2160, file: 'docs/wall-flow-4k.png' },
] as const;

const { t, url, simulator } = await startDemoServer();
const browser = await launchBrowser();
let failed = false;
try {
  const pages = await Promise.all(
    shots.map(async (shot) => {
      const { page, errors } = await openPage(browser, { width: shot.width, height: shot.height });
      await page.goto(`${url}/wall/lines?token=${TOKENS.viewer}&name=flow-screenshots`);
      await page.waitForSelector('body[data-connection="live"][data-dashboard="lines"]', { state: 'attached', timeout: 20_000 });
      await page.waitForSelector('[data-type="flow"] [data-band="up"]', { state: 'attached', timeout: 60_000 });
      return { shot, page, errors };
    }),
  );
  console.log(`walls live with escalations; letting them run ${Math.round(waitMs / 1000)} s`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));

  for (const { shot, page, errors } of pages) {
    const problems = await overflowReport(page);
    if ((await page.getAttribute('body', 'data-connection')) !== 'live') problems.push('the wall is not live');
    problems.push(...errors.map((e) => `browser error: ${e}`));
    const file = path.join(root, shot.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    const bands = await page.$$eval('[data-type="flow"] [data-band]', (els) =>
      els.map((el) => `${el.getAttribute('data-band')} ${el.getAttribute('data-from')}→${el.getAttribute('data-to')} ${el.getAttribute('data-count')}`),
    );
    console.log(`${shot.file} (${shot.width}×${shot.height})${problems.length ? '' : ': no overflow'}; bands: ${bands.join(', ')}`);
    for (const problem of problems) console.log(`  ${problem}`);
    if (problems.length > 0) failed = true;
  }
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
}
process.exit(failed ? 1 : 0);
