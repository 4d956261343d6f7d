// The wall's sparklines read the server's history (issue 4): four hours of `kpis.createdToday`
// sampled on a server clock that runs from four hours ago to now, then the wall opened: the line
// is drawn at once from the history, with no "since …" caption. With the history refused, the
// sparkline falls back to the live values quietly. Needs `npx vite build` first, as wall.test.ts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, requireWebBuild } from '../helpers/browser.js';
import { iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SPARK = '[data-type="sparkline"][data-metric="kpis.createdToday"]';

let t: TestApp;
let url: string;
let browser: Browser;
/** The server's clock runs `offset` ms from real time; the browser's does not. */
let offset = -4 * HOUR - 2 * MINUTE;

async function open(route?: (page: Page) => Promise<unknown>): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, { width: 1920, height: 1080 });
  if (route) await route(opened.page);
  await opened.page.goto(`${url}/wall/support?token=${TOKENS.viewer}`);
  await opened.page.waitForSelector('body[data-connection="live"][data-dashboard="support"]', { state: 'attached', timeout: 10_000 });
  return opened;
}

function caption(page: Page): Promise<string> {
  return page.$eval(SPARK, (el) => el.querySelector('.caption')?.textContent ?? '');
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  t = await startTestApp({ webRoot, now: () => Date.now() + offset });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  // A sample every minute over the last four hours (the sampler's own timer takes one every 10 s
  // of real time), a ticket created every 20 minutes.
  let n = 0;
  for (; offset < 0; offset += MINUTE) {
    if (n % 20 === 0) {
      const at = iso(Date.now() + offset);
      await postEvents(url, [ticketEvent({ id: `spark-${n}`, createdAt: at, updatedAt: at })]);
    }
    t.app.history.sampler.sample();
    n++;
  }
  offset = 0;
  t.app.history.sampler.sample();
  browser = await launchBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the sparkline', () => {
  it('draws the server history of its window right after load, with no "since" caption', async () => {
    const { page, errors } = await open();
    await page.waitForFunction((sel) => Number(document.querySelector(`${sel} path.line`)?.getAttribute('data-points') ?? 0) > 200, SPARK, { timeout: 5_000 });
    // 4 h at 1-minute steps: ~240 history points, then the live ones.
    const points = Number(await page.getAttribute(`${SPARK} path.line`, 'data-points'));
    expect(points).toBeGreaterThan(200);
    expect(points).toBeLessThan(300);
    expect(await caption(page)).not.toMatch(/since|collecting/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('falls back to the live values, quietly, when the history cannot be read', async () => {
    const { page, errors } = await open((p) =>
      p.route('**/api/v1/history**', (route) =>
        route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"history_unavailable","message":"no"}}' }),
      ),
    );
    await page.waitForSelector(`${SPARK} .caption`, { state: 'attached', timeout: 5_000 });
    expect(await caption(page)).toMatch(/since|collecting/);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    await page.context().close();
  });
});
