// The wall (docs/contract.md#screens-and-who-uses-them, #dashboards-as-code; issue 3) end to end: the built web app served by the real server, opened in
// headless Chromium (Debian's, through playwright-core), read the way docs/contract.md#dashboards-as-code lets machines read a
// screen: `data-metric`/`data-value` on every widget, `data-connection` and `data-dashboard` on
// <body>. Needs `npm run build` (or `npx vite build`) first; without build/ the suite fails and
// says so.
//
// The tests share one wall and run in order: numbers, a live change, dashboard edits, then a
// server restart (which replaces the app).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberMetricValue, parseNumberMetric } from '../../contract/metrics.js';
import type { Dashboard } from '../../contract/dashboards.js';
import type { LiveState } from '../../contract/domain.js';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport, requireWebBuild, WEB_ROOT } from '../helpers/browser.js';
import { agentEvent, iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, fetchState, postEvents, sleep } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_DASHBOARDS = path.resolve(here, '../../dashboards');

const MINUTE = 60_000;
/** `oldestWaitingSec` grows every second on the server's clock; reading the page and the API differs by that. */
const WAIT_TOLERANCE_SEC = 3;
/**
 * docs/contract.md#targets: JS+CSS at most 200 KB gzipped. (Its other wall target, first live numbers within 1.5 s
 * of navigation, is timed by `npm run bench` on a quiet machine: here, beside other browser suites
 * on two cores, a timing would measure the neighbours.)
 */
const BUNDLE_GZIP_BYTES = 200 * 1024;
/** socket.io's reconnect backoff ends at 10 s ± 50 %; a restarted server is found well within this. */
const RECONNECT_DEADLINE_MS = 25_000;

let webRoot: string;
let dashDir: string;
let dataDir: string;
let t: TestApp;
let url: string;
let port: number;
let browser: Browser;
let page: Page;
let pageErrors: string[];

async function startApp(options: { port?: number; dataDir?: string } = {}): Promise<void> {
  t = await startTestApp({ webRoot, dataDir: options.dataDir, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  url = baseUrl(t.app);
  port = Number(new URL(url).port);
  dataDir = t.dataDir;
}

/** Every `data-metric` element's metric and raw value as the page shows them. */
function shownValues(p: Page): Promise<Array<{ metric: string; value: string }>> {
  return p.$$eval('[data-metric]', (elements) =>
    elements.map((el) => ({ metric: el.getAttribute('data-metric') ?? '', value: el.getAttribute('data-value') ?? '' })),
  );
}

function dataValueOf(p: Page, metric: string): Promise<string | null> {
  return p.$eval(`[data-metric="${metric}"]`, (el) => el.getAttribute('data-value')).catch(() => null);
}

/** Compares every number the wall shows with the API's state; returns the metrics compared. */
async function expectWallShowsState(p: Page): Promise<string[]> {
  const shown = await shownValues(p);
  const state: LiveState = await fetchState(url);
  const compared: string[] = [];
  for (const { metric, value } of shown) {
    if ('error' in parseNumberMetric(metric)) continue;
    const expected = numberMetricValue(state, metric);
    const actual = value === 'null' ? null : Number(value);
    if (metric.endsWith('.oldestWaitingSec') && expected !== null && actual !== null) {
      expect(Math.abs(actual - expected), metric).toBeLessThanOrEqual(WAIT_TOLERANCE_SEC);
    } else {
      expect(actual, metric).toBe(expected);
    }
    compared.push(metric);
  }
  return compared;
}

function readDashboard(id: string): Dashboard {
  return JSON.parse(fs.readFileSync(path.join(dashDir, `${id}.json`), 'utf8')) as Dashboard;
}

function writeDashboard(id: string, content: string): void {
  // Write then rename, as editors do, so the server never reads half a file.
  const file = path.join(dashDir, `${id}.json`);
  fs.writeFileSync(`${file}.tmp`, content);
  fs.renameSync(`${file}.tmp`, file);
}

beforeAll(async () => {
  webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-dashboards-');
  // The shipped boards without the shipped alert rules: a wall-visible alert would take the top
  // bar whose title and banners these tests read (alerts on walls: test/e2e/supervisor.test.ts).
  for (const file of fs.readdirSync(SHIPPED_DASHBOARDS).filter((f) => f.endsWith('.json') && f !== 'alerts.json')) {
    fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, file), path.join(dashDir, file));
  }
  await startApp();

  // A known floor: waiting tickets in two lines (one at risk, one breached), answered ones, agents.
  const now = Date.now();
  await postEvents(url, [
    ticketEvent({
      id: 'e2e-1',
      queue: 'l1',
      priority: 'high',
      createdAt: iso(now - 20 * MINUTE),
      firstResponseDueAt: iso(now + 12 * MINUTE),
      resolutionDueAt: iso(now + 6 * 60 * MINUTE),
    }),
    ticketEvent({ id: 'e2e-2', queue: 'l1', createdAt: iso(now - 5 * MINUTE), firstResponseDueAt: iso(now + 55 * MINUTE) }),
    ticketEvent({ id: 'e2e-3', queue: 'l2', priority: 'urgent', createdAt: iso(now - 90 * MINUTE), firstResponseDueAt: iso(now - 30 * MINUTE) }),
    ticketEvent({
      id: 'e2e-4',
      queue: 'l2',
      createdAt: iso(now - 60 * MINUTE),
      firstResponseAt: iso(now - 50 * MINUTE),
      firstResponseDueAt: iso(now - 30 * MINUTE),
      updatedAt: iso(now - 50 * MINUTE),
    }),
    agentEvent({ id: 'A-1', status: 'available' }, iso(now - 10 * MINUTE)),
    agentEvent({ id: 'A-2', status: 'busy' }, iso(now - 10 * MINUTE)),
    agentEvent({ id: 'A-3', status: 'away', team: 'l2' }, iso(now - 10 * MINUTE)),
  ]);

  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openPage(browser, { width: 1920, height: 1080 }));
  await page.goto(`${url}/wall/support?token=${TOKENS.viewer}&name=e2e`, { waitUntil: 'commit' });
  await page.waitForSelector('[data-metric="queues.l1.waiting"][data-value="2"]', { state: 'attached', timeout: 10_000 });
  await page.waitForSelector('body[data-connection="live"][data-dashboard="support"]', { state: 'attached', timeout: 10_000 });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the wall', () => {
  it('shows the numbers of GET /api/v1/state', async () => {
    const compared = await expectWallShowsState(page);
    // The support dashboard's queue table, agent board, stats, gauge and sparklines.
    for (const metric of [
      'queues.l1.waiting',
      'queues.l2.breached',
      'queues.l1.atRisk',
      'agents.available',
      'sla.breachedOpen',
      'sla.complianceToday',
      'kpis.createdToday',
    ]) {
      expect(compared).toContain(metric);
    }
    expect(await dataValueOf(page, 'queues.l1.waiting')).toBe('2');
    expect(await dataValueOf(page, 'queues.l2.breached')).toBe('1');
    expect(await dataValueOf(page, 'agents.busy')).toBe('1');
    expect(pageErrors).toEqual([]);
  });

  it('fills 1920×1080 and 3840×2160 with no scroll and no overflow, in English and Russian', async () => {
    expect(await overflowReport(page)).toEqual([]);
    const { page: big } = await openPage(browser, { width: 3840, height: 2160 });
    await big.goto(`${url}/wall/support?token=${TOKENS.viewer}&lang=ru`);
    await big.waitForSelector('body[data-connection="live"][data-dashboard="support"]', { state: 'attached', timeout: 10_000 });
    await big.waitForSelector('.widget', { state: 'attached' });
    expect(await overflowReport(big)).toEqual([]);
    expect(await big.textContent('.wall')).toContain('Ждут');
    expect(await big.getAttribute('html', 'lang')).toBe('ru');
    await big.context().close();
  });

  it('says so when the dashboard does not exist', async () => {
    const { page: other } = await openPage(browser, { width: 1920, height: 1080 });
    await other.goto(`${url}/wall/no-such-board?token=${TOKENS.viewer}`);
    await other.waitForSelector('text=Dashboard “no-such-board” is not available', { timeout: 10_000 });
    expect(await other.getAttribute('body', 'data-dashboard')).toBeNull();
    expect(await other.getAttribute('body', 'data-connection')).toBe('live');
    await other.context().close();
  });

  it('draws every widget type without overflow, and rotates pages', async () => {
    const every: Dashboard = {
      id: 'every-widget',
      title: 'title.queues',
      rotateSeconds: 5,
      pages: [
        {
          title: 'All',
          widgets: [
            { type: 'text', text: 'A release tonight at 22:00: expect more L2 tickets', x: 0, y: 0, w: 6, h: 2 },
            {
              type: 'gauge',
              metric: 'queues.l1.waiting',
              min: 0,
              max: 30,
              thresholds: [
                { gte: 10, color: 'amber' },
                { gte: 20, color: 'red' },
              ],
              x: 6,
              y: 0,
              w: 3,
              h: 3,
            },
            { type: 'stat', metric: 'queues.l1.oldestWaitingSec', x: 9, y: 0, w: 1, h: 1 },
            { type: 'clock', x: 9, y: 1, w: 3, h: 2 },
            { type: 'incident', metric: 'incidents', x: 0, y: 2, w: 6, h: 2 },
            { type: 'sla-risk', metric: 'tickets.breached', x: 0, y: 4, w: 4, h: 5 },
            { type: 'sla-risk', metric: 'tickets.waiting', x: 4, y: 4, w: 4, h: 5 },
            { type: 'sparkline', metric: 'kpis.createdToday', x: 8, y: 3, w: 4, h: 3 },
            { type: 'agent-board', metric: 'agents', x: 8, y: 6, w: 2, h: 3 },
            { type: 'queue-table', metric: 'queues', x: 10, y: 6, w: 2, h: 3 },
            { type: 'clock', x: 0, y: 9, w: 12, h: 1 },
          ],
        },
        { title: 'Clock', widgets: [{ type: 'clock', x: 0, y: 0, w: 12, h: 12 }] },
      ],
    };
    writeDashboard('every-widget', JSON.stringify(every));
    for (const viewport of [
      { width: 1920, height: 1080 },
      { width: 3840, height: 2160 },
    ]) {
      const { page: p, errors } = await openPage(browser, viewport);
      await p.goto(`${url}/wall/every-widget?token=${TOKENS.viewer}`);
      await p.waitForSelector('body[data-dashboard="every-widget"] main[data-page="0"] [data-type="sla-risk"] .row', { state: 'attached', timeout: 10_000 });
      const types = await p.$$eval('.widget', (els) => els.map((el) => el.getAttribute('data-type')));
      expect(new Set(types)).toEqual(new Set(['text', 'gauge', 'stat', 'clock', 'incident', 'sla-risk', 'sparkline', 'agent-board', 'queue-table']));
      expect(await overflowReport(p), `${viewport.width}×${viewport.height}`).toEqual([]);
      expect(await p.getAttribute('[data-type="gauge"]', 'data-value')).toBe(await dataValueOf(p, 'queues.l1.waiting'));
      expect(await p.getAttribute('[data-metric="incidents"]', 'data-value')).toBe('0');
      // The breached list is the server's: the ticket whose first answer is 30 min late.
      expect(await p.$$eval('[data-metric="tickets.breached"] [data-ticket]', (els) => els.map((el) => el.getAttribute('data-ticket')))).toContain(
        'test:e2e-3',
      );
      expect(errors).toEqual([]);
      if (viewport.width === 1920) {
        // rotateSeconds: 5; the second page follows, then the first again.
        await p.waitForSelector('main[data-page="1"]', { state: 'attached', timeout: 7_000 });
        expect(await overflowReport(p)).toEqual([]);
        await p.waitForSelector('main[data-page="0"]', { state: 'attached', timeout: 7_000 });
      }
      await p.context().close();
    }
  }, 40_000);

  it('says so when the server refuses the token', async () => {
    const { page: other } = await openPage(browser, { width: 1920, height: 1080 });
    await other.goto(`${url}/wall/support?token=not-a-known-token-at-all`);
    const banner = await other.waitForSelector('[data-banner="offline"]', { timeout: 10_000 });
    expect(await banner.textContent()).toContain('refused');
    expect(await other.getAttribute('body', 'data-connection')).toBe('offline');
    await other.context().close();
  });

  it("ships a bundle that old TV browsers run, within docs/contract.md#targets's size", async () => {
    // What a TV loads: the .js and .css of a /wall load, as the browser fetched them. The console
    // pages (/command, /supervisor, /reports, /status) are for current browsers and are not held
    // to Chrome 66; a chunk they share with the wall is, because the wall loads it.
    const { page: tv } = await openPage(browser, { width: 1920, height: 1080 });
    const loaded = new Set<string>();
    tv.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (/\.(js|css)$/.test(pathname)) loaded.add(pathname);
    });
    await tv.goto(`${url}/wall/support?token=${TOKENS.viewer}&name=bundle`);
    await tv.waitForSelector('body[data-connection="live"]', { state: 'attached', timeout: 10_000 });
    await tv.context().close();
    expect([...loaded].some((p) => p.endsWith('.css'))).toBe(true);
    expect(loaded.has('/polyfills.js')).toBe(true);
    let gzipped = 0;
    for (const file of loaded) {
      const text = fs.readFileSync(path.join(WEB_ROOT, file), 'utf8');
      gzipped += gzipSync(text).length;
      // Scoped descendant selectors compile to :where(), which Chrome < 88 drops whole rules for.
      if (file.endsWith('.css')) expect(text, file).not.toMatch(/:(where|is)\(/);
      // Runtime APIs newer than the build target (Chrome 66, Safari 12) and not in static/polyfills.js.
      if (file.endsWith('.js') && file !== '/polyfills.js')
        expect(text, file).not.toMatch(/\.(flatMap|flat|at|findLast|toSorted)\(|structuredClone|Object\.hasOwn|Promise\.(allSettled|any)\b/);
    }
    expect(gzipped).toBeLessThanOrEqual(BUNDLE_GZIP_BYTES);
  });

  it('changes the right data-value within 1 s of an ingested event', async () => {
    const before = Number(await dataValueOf(page, 'queues.l2.waiting'));
    const now = Date.now();
    await postEvents(url, [ticketEvent({ id: 'e2e-5', queue: 'l2', createdAt: iso(now), firstResponseDueAt: iso(now + 3 * 60 * MINUTE) })]);
    const posted = Date.now();
    await page.waitForFunction(
      (expected) => document.querySelector('[data-metric="queues.l2.waiting"]')?.getAttribute('data-value') === expected,
      String(before + 1),
      {
        timeout: 1_000,
      },
    );
    expect(Date.now() - posted).toBeLessThan(1_000);

    const available = Number(await dataValueOf(page, 'agents.available'));
    await postEvents(url, [agentEvent({ id: 'A-2', status: 'available' }, iso(Date.now()))]);
    await page.waitForFunction(
      (expected) => document.querySelector('[data-metric="agents.available"]')?.getAttribute('data-value') === expected,
      String(available + 1),
      {
        timeout: 1_000,
      },
    );
    // Nothing else moved by mistake.
    await expectWallShowsState(page);
  });

  it('takes a dashboard file edit without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { wallMarker: string }).wallMarker = 'same page';
    });
    const edited = readDashboard('support');
    edited.title = 'Support floor (edited)';
    edited.pages[0]!.widgets.push({ type: 'stat', metric: 'queues.l2.open', format: 'number', x: 0, y: 0, w: 1, h: 1 });
    // Make room for it: the queue table starts one column further right.
    const table = edited.pages[0]!.widgets.find((w) => w.type === 'queue-table')!;
    table.x += 1;
    table.w -= 1;
    writeDashboard('support', JSON.stringify(edited, null, 2));

    await page.waitForSelector('[data-metric="queues.l2.open"]', { state: 'attached', timeout: 5_000 });
    expect(await page.textContent('.bar')).toContain('Support floor (edited)');
    expect(await dataValueOf(page, 'queues.l2.open')).toBe(String(numberMetricValue(await fetchState(url), 'queues.l2.open')));
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: string }).wallMarker)).toBe('same page');
  });

  it('stays on the last good dashboard when the file breaks', async () => {
    writeDashboard('support', '{ "id": "support", "title": "Broken", "pages": [ { "widgets": [ { "type": "nonsense" ');
    // The server has read the broken file (it lists the problem) …
    const deadline = Date.now() + 5_000;
    for (;;) {
      const response = await fetch(`${url}/api/v1/dashboards`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
      const list = (await response.json()) as { dashboards: Array<{ id: string; problems: unknown[] }> };
      if ((list.dashboards.find((d) => d.id === 'support')?.problems.length ?? 0) > 0) break;
      if (Date.now() > deadline) throw new Error('the server never reported the broken support.json');
      await sleep(100);
    }
    await sleep(500);
    // … and the wall still shows the edited good version, live.
    expect(await page.getAttribute('body', 'data-dashboard')).toBe('support');
    expect(await page.getAttribute('body', 'data-connection')).toBe('live');
    expect(await page.textContent('.bar')).toContain('Support floor (edited)');
    expect(await page.$('[data-metric="queues.l2.open"]')).not.toBeNull();
    await expectWallShowsState(page);

    // A good file again reaches the wall: the watcher survived the broken one.
    writeDashboard('support', fs.readFileSync(path.join(SHIPPED_DASHBOARDS, 'support.json'), 'utf8'));
    await page.waitForSelector('[data-metric="queues.l2.open"]', { state: 'detached', timeout: 5_000 });
    expect(await page.textContent('.bar')).not.toContain('(edited)');
  });

  it('shows OFFLINE/RECONNECTING when the server goes, and comes back live by itself after a restart', async () => {
    await page.evaluate(() => {
      (window as unknown as { wallMarker: string }).wallMarker = 'before restart';
    });
    await t.close();

    await page.waitForSelector('body:not([data-connection="live"])', { state: 'attached', timeout: 15_000 });
    expect(['reconnecting', 'offline']).toContain(await page.getAttribute('body', 'data-connection'));
    const banner = await page.waitForSelector('[data-banner]', { timeout: 2_000 });
    expect(await banner.textContent()).toMatch(/RECONNECTING|OFFLINE/);
    // The banner gives the last good time, which was just before the server went.
    const ageOfLastGood = await page.evaluate(
      (text) => {
        const match = /(\d\d):(\d\d):(\d\d)/.exec(text);
        if (!match) return null;
        const now = new Date();
        const shown = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
        const current = now.getHours() * 3600 + now.getMinutes() * 60 + now.getSeconds();
        return (current - shown + 86_400) % 86_400;
      },
      (await banner.textContent()) ?? '',
    );
    expect(ageOfLastGood).not.toBeNull();
    expect(ageOfLastGood!).toBeLessThanOrEqual(20);
    // Every live widget now says how old its number is.
    await page.waitForSelector('.widget[data-stale="true"] .age', { state: 'attached', timeout: 2_000 });
    expect(await page.getAttribute('body', 'data-dashboard')).toBe('support');

    await sleep(1_500);
    // The same port and DATA_DIR: what a `systemctl restart` does.
    await startApp({ port, dataDir });
    const now = Date.now();
    await postEvents(url, [ticketEvent({ id: 'e2e-6', queue: 'l3', createdAt: iso(now), firstResponseDueAt: iso(now + 3 * 60 * MINUTE) })]);

    await page.waitForSelector('body[data-connection="live"]', { state: 'attached', timeout: RECONNECT_DEADLINE_MS });
    expect(await page.$('[data-banner]')).toBeNull();
    await page.waitForFunction(() => document.querySelector('[data-metric="queues.l3.waiting"]')?.getAttribute('data-value') === '1', undefined, {
      timeout: 2_000,
    });
    await expectWallShowsState(page);
    expect(await page.getAttribute('body', 'data-dashboard')).toBe('support');
    // The wall said who it is to the new server (the hello is repeated after every reconnect).
    expect(t.app.hub.walls()).toEqual([expect.objectContaining({ name: 'e2e', dashboard: 'support' })]);
    // No reload happened: the page's own state survived.
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: string }).wallMarker)).toBe('before restart');
  }, 60_000);
});
