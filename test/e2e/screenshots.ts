// Screenshots of the demo wall for the README: `npx tsx test/e2e/screenshots.ts` (after
// `npm run build`). Starts the real server with the simulator's traffic (the day so far back-filled,
// then live) and the shipped dashboards, opens /wall/support at 1920×1080 and 3840×2160 in headless
// Chromium, waits for the sparklines to have a few minutes of history, checks that nothing scrolls or
// sticks out, and writes docs/wall-1080p.png and docs/wall-4k.png.
//
// SCREENSHOT_WAIT_MS (default 150000) is how long the wall runs before the shot: the sparklines
// draw what the page has seen since it loaded, one point per 15 s.
import fs from 'node:fs';
import path from 'node:path';
import { TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport } from '../helpers/browser.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';

const waitMs = Number(process.env.SCREENSHOT_WAIT_MS ?? 150_000);
const shots = [
  { width: 1920, height: 1080, file: 'docs/wall-1080p.png' },
  { width: 3840, height: 2160, file: 'docs/wall-4k.png' },
] as const;

const { t, url, simulator } = await startDemoServer();

const browser = await launchBrowser();
let failed = false;
try {
  const pages = await Promise.all(
    shots.map(async (shot) => {
      const { page, errors } = await openPage(browser, { width: shot.width, height: shot.height });
      await page.goto(`${url}/wall/support?token=${TOKENS.viewer}&name=screenshots`);
      await page.waitForSelector('body[data-connection="live"][data-dashboard="support"]', { state: 'attached', timeout: 15_000 });
      return { shot, page, errors };
    }),
  );
  console.log(`walls live; letting them run ${Math.round(waitMs / 1000)} s for the sparklines`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));

  for (const { shot, page, errors } of pages) {
    const problems = await overflowReport(page);
    if (page.isClosed() || (await page.getAttribute('body', 'data-connection')) !== 'live') problems.push('the wall is not live');
    problems.push(...errors.map((e) => `browser error: ${e}`));
    const file = path.join(root, shot.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    console.log(`${shot.file} (${shot.width}×${shot.height})${problems.length ? '' : ': no overflow'}`);
    for (const problem of problems) console.log(`  ${problem}`);
    if (problems.length > 0) failed = true;
  }
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
}
process.exit(failed ? 1 : 0);
