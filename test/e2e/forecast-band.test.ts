// The forecast band on a wall sparkline (docs/screens.md#dashboards-as-code): a dashboards dir with a
// staffing file for l1 and a board with `"forecast": true` on `staffing.l1.actual`, eight weeks of
// arrivals (two every quarter hour) in the real arrivals store, the real server and the built web
// app in Chromium. The band is drawn from GET /api/v1/forecast, a new l1 ticket moves the widget's
// number within a second, the shipped support wall still fits with the band on it, and a refused
// forecast leaves the plain line, quietly. Needs `npm run build:web` first, as wall.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../contract/domain.js';
import { startTestApp, TOKENS, tempDir, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport, requireWebBuild } from '../helpers/browser.js';
import { iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, fetchState, postEvents, sleep } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_DASHBOARDS = path.resolve(here, '../../dashboards');
const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const HALF_HOUR = 30 * MINUTE;
const SPARK = '[data-type="sparkline"][data-metric="staffing.l1.actual"]';
const BAND = `${SPARK} g.forecast`;

const STAFFING = { intervalMinutes: 30, lines: { l1: { model: 'workload', ahtSeconds: 600, shrinkage: 0.3, maxOccupancy: 0.85 } } };
const BOARD = {
  id: 'forecast',
  title: 'Forecast',
  pages: [
    {
      widgets: [
        { type: 'sparkline', metric: 'staffing.l1.actual', forecast: true, title: 'title.l1ArrivalsForecast', x: 0, y: 0, w: 6, h: 4 },
        { type: 'stat', metric: 'staffing.l1.forecast', x: 6, y: 0, w: 3, h: 2 },
      ],
    },
  ],
};

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;

async function open(board: string, viewport = { width: 1920, height: 1080 }, route?: (page: Page) => Promise<unknown>) {
  const opened = await openPage(browser, viewport);
  if (route) await route(opened.page);
  await opened.page.goto(`${url}/wall/${board}?token=${TOKENS.viewer}`);
  await opened.page.waitForSelector(`body[data-connection="live"][data-dashboard="${board}"]`, { state: 'attached', timeout: 15_000 });
  return opened;
}

function forecastPoints(page: Page): Promise<number> {
  return page.$eval(BAND, (el) => Number(el.getAttribute('data-forecast-points'))).catch(() => 0);
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-forecast-band-');
  // The support wall switches to the incident board in a major incident: it asks for it at once.
  for (const file of ['support.json', 'incident.json']) fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, file), path.join(dashDir, file));
  fs.writeFileSync(path.join(dashDir, 'staffing.json'), JSON.stringify(STAFFING));
  fs.writeFileSync(path.join(dashDir, 'forecast.json'), JSON.stringify(BOARD));
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir, TZ: 'UTC' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  // Eight weeks up to now, two arrivals every quarter hour: history for the forecast, actuals for
  // today's ended intervals, and the current interval's first ones.
  const now = Date.now();
  const history = [];
  for (let at = Math.floor((now - 56 * 24 * 60 * MINUTE) / QUARTER) * QUARTER; at <= now - MINUTE; at += QUARTER) {
    history.push({ key: `h/${at}/0`, line: 'l1', createdAt: at }, { key: `h/${at}/1`, line: 'l1', createdAt: at + 1 });
  }
  await t.app.arrivals.record(history, now);
  await t.app.refreshStaffing();
  browser = await launchBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the forecast band', () => {
  it('draws the band, the expected line and the arrivals, and a new l1 ticket moves the number within a second', async () => {
    const { page, errors } = await open('forecast');
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-forecast-points') ?? 0) > 0, BAND, { timeout: 10_000 });
    // 4 h back and 2 h ahead at 30 min: 12 intervals, give or take the ones at the edges.
    const points = await forecastPoints(page);
    expect(points).toBeGreaterThanOrEqual(11);
    expect(points).toBeLessThanOrEqual(13);
    for (const part of ['path.band', 'path.expected', 'path.actual', 'path.live-dot', 'line.now']) {
      expect(await page.$eval(`${BAND} ${part}`, (el) => el.getAttribute('d') ?? el.getAttribute('x1') ?? '').catch(() => ''), part).not.toBe('');
    }
    // No plain line while the band is drawn.
    expect(await page.$(`${SPARK} path.line`)).toBeNull();

    // The number is the live state's, and moves with a new ticket of the line. Not across an
    // interval's end, when the count starts again: wait for the next interval if it is that close.
    const untilEnd = HALF_HOUR - (Date.now() % HALF_HOUR);
    if (untilEnd < 5_000) await sleep(untilEnd + 2_000);
    const state: LiveState = await fetchState(url);
    const before = state.staffing.find((row) => row.line === 'l1')!.actual;
    expect(await page.getAttribute(SPARK, 'data-value')).toBe(String(before));
    const at = iso(Date.now());
    await postEvents(url, [ticketEvent({ id: 'band-1', queue: 'l1', createdAt: at, updatedAt: at })]);
    await page.waitForSelector(`${SPARK}[data-value="${before + 1}"]`, { state: 'attached', timeout: 1_000 });
    expect(await forecastPoints(page)).toBe(points);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits the shipped support wall at 1920×1080 and 3840×2160 with the band drawn', async () => {
    for (const viewport of [
      { width: 1920, height: 1080 },
      { width: 3840, height: 2160 },
    ]) {
      const { page, errors } = await open('support', viewport);
      await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-forecast-points') ?? 0) > 0, BAND, { timeout: 10_000 });
      expect(await overflowReport(page), `${viewport.width}×${viewport.height}`).toEqual([]);
      // Readable across the room: the chart is a good part of the screen's height.
      const chart = await page.$eval(`${SPARK} svg`, (el) => el.getBoundingClientRect().height);
      expect(chart).toBeGreaterThan(viewport.height * 0.1);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 45_000);

  it('falls back to the plain live line, quietly, when the forecast cannot be read', async () => {
    let asked = 0;
    const { page, errors } = await open('forecast', undefined, (p) =>
      p.route('**/api/v1/forecast**', (route) => {
        asked++;
        return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"store_unavailable","message":"no"}}' });
      }),
    );
    await page.waitForSelector(`${SPARK} .caption`, { state: 'attached', timeout: 10_000 });
    expect(asked).toBeGreaterThan(0);
    expect(await page.$(BAND)).toBeNull();
    expect(await page.getAttribute(SPARK, 'data-value')).not.toBeNull();
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    await page.context().close();
  });
});
