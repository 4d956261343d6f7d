// Hostile text on the screens, in headless Chromium against the real server and the built web app:
// names as long as the server takes (200 characters, no spaces), a subject and names carrying a
// right-to-left override. No screen grows wider than the viewport (before the fix, one long agent
// name made the supervisor's agents table 15,841 px wide), every such text is isolated from its
// neighbours' direction, and the override is gone from what the page shows.
// Needs `npm run build` (or `npx vite build`) first. Leaves screenshots of the supervisor page, the
// wall and the console in the temp directory (watchfloor-hostile-*.png), to look at.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport, requireWebBuild } from '../helpers/browser.js';
import { agentEvent, iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

const RLO = '\u202e';
const LONG_NAME = 'W'.repeat(200);
const LONG_QUEUE = 'Q'.repeat(200);
const LONG_TEAM = 'T'.repeat(200);
const SCREENSHOT = path.join(os.tmpdir(), 'watchfloor-hostile-supervisor.png');
const VIEWPORT = { width: 1920, height: 1080 };

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let incidentId: string;

/** What a page shows that a hostile text could break: its width, the override in its text, and how user text is set. */
async function measure(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const target = document.querySelector<HTMLElement>(sel);
    const userText = Array.from(document.querySelectorAll<HTMLElement>('.user-text'));
    return {
      pageWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      targetWidth: target === null ? null : target.getBoundingClientRect().width,
      targetRight: target === null ? null : target.getBoundingClientRect().right,
      hasOverride: /[\u202a-\u202e\u2066-\u2069]/.test(document.body.innerText),
      userTextCount: userText.length,
      notIsolated: userText.filter((el) => getComputedStyle(el).unicodeBidi !== 'isolate').map((el) => el.outerHTML.slice(0, 80)),
    };
  }, selector);
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-hostile-');
  const board = {
    id: 'support',
    title: 'Support',
    pages: [
      {
        widgets: [
          { type: 'queue-table', x: 0, y: 0, w: 6, h: 4 },
          { type: 'sla-risk', metric: 'tickets.at-risk', x: 6, y: 0, w: 6, h: 4 },
          { type: 'agent-board', x: 0, y: 4, w: 6, h: 3 },
          { type: 'incident', x: 6, y: 4, w: 6, h: 3 },
        ],
      },
    ],
  };
  fs.writeFileSync(path.join(dashDir, 'support.json'), JSON.stringify(board));
  // The wall loads the incident board while a SEV1/SEV2 is active (its bar names the incident).
  fs.writeFileSync(path.join(dashDir, 'incident.json'), JSON.stringify({ ...board, id: 'incident', title: 'Incident' }));
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);

  const created = iso(Date.now() - 20 * 60_000);
  // The 1,000-character name of the report is refused with its limit; the longest name taken is 200.
  const refused = await t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: bearer('ingest'),
    payload: [agentEvent({ id: 'too-long', name: 'W'.repeat(1000) }, created)],
  });
  expect(refused.json().rejected).toEqual([{ index: 0, error: 'agent.name: at most 200 characters, got 1000' }]);
  await postEvents(url, [
    agentEvent({ id: 'hostile-1', name: LONG_NAME, team: LONG_TEAM, status: 'busy' }, created),
    agentEvent({ id: 'hostile-2', name: `Eve ${RLO}evil`, team: 'l1', status: 'available' }, created),
    ticketEvent({
      id: 'H-1',
      queue: LONG_QUEUE,
      assignee: LONG_NAME,
      subject: `Invoice ${RLO}fdp.exe attached`,
      firstResponseDueAt: iso(Date.now() + 10 * 60_000),
      createdAt: created,
      updatedAt: created,
    }),
  ]);
  const declared = await t.app.inject({
    method: 'POST',
    url: '/api/v1/incidents',
    headers: bearer('commander'),
    payload: { title: `${'I'.repeat(200)}`, severity: 'SEV2', summary: `${'S'.repeat(3000)} ${RLO}desrever` },
  });
  incidentId = declared.json().id;
  await t.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${incidentId}/updates`,
    headers: bearer('commander'),
    payload: { audience: 'internal', text: `${'U'.repeat(2000)} ${RLO}kcab` },
  });
  await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/tasks`, headers: bearer('commander'), payload: { title: `${'K'.repeat(300)}` } });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('hostile text on the screens', () => {
  it('the supervisor page: the agents table stays within the viewport, names are isolated, the override is gone', async () => {
    const { page, errors } = await openPage(browser, VIEWPORT);
    await page.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
    await page.waitForSelector('body[data-connection="live"] tr[data-agent="hostile-1"]', { state: 'attached', timeout: 10_000 });
    await page.waitForSelector('[data-panel="sla"] tr[data-ticket]', { state: 'attached', timeout: 10_000 });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`screenshot: ${SCREENSHOT}`);

    const agents = await measure(page, '[data-panel="agents"] table');
    expect(agents.pageWidth, 'the page does not scroll sideways').toBeLessThanOrEqual(agents.viewport);
    expect(agents.targetRight!, 'the agents table ends within the viewport').toBeLessThanOrEqual(agents.viewport);
    expect(agents.hasOverride, 'no bidi control in the page text').toBe(false);
    expect(agents.userTextCount).toBeGreaterThan(0);
    expect(agents.notIsolated).toEqual([]);

    const name = page.locator('tr[data-agent="hostile-1"] td').first().locator('.user-text');
    expect(await name.getAttribute('dir')).toBe('auto');
    // Cut with an ellipsis on one line: the row is no taller than its neighbour's.
    const heights = await page.$$eval('[data-panel="agents"] tbody tr', (rows) => rows.map((r) => Math.round(r.getBoundingClientRect().height)));
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThanOrEqual(1);
    expect(await page.locator('tr[data-agent="hostile-2"] td').first().innerText()).toBe('Eve evil');

    for (const panel of ['sla', 'queues', 'agents']) {
      const box = await measure(page, `[data-panel="${panel}"]`);
      expect(box.targetRight!, `the ${panel} panel ends within the viewport`).toBeLessThanOrEqual(box.viewport);
    }
    expect(await page.locator('[data-panel="sla"] tr[data-ticket] .subject').first().innerText()).toContain('Invoice fdp.exe attached');
    expect(errors, errors.join('; ')).toEqual([]);
    await page.context().close();
  });

  it('the wall: no widget overflows its box and the page does not scroll', async () => {
    const { page, errors } = await openPage(browser, VIEWPORT);
    await page.goto(`${url}/wall/support?token=${TOKENS.viewer}&lang=en`);
    await page.waitForSelector('body[data-connection="live"][data-dashboard="support"]', { state: 'attached', timeout: 10_000 });
    await page.waitForSelector('.widget[data-type="sla-risk"] [data-ticket]', { state: 'attached', timeout: 10_000 });
    await page.screenshot({ path: path.join(os.tmpdir(), 'watchfloor-hostile-wall.png') });
    const report = await overflowReport(page);
    expect(report, report.join('; ')).toEqual([]);
    const wall = await measure(page, 'body');
    expect(wall.hasOverride).toBe(false);
    expect(wall.notIsolated).toEqual([]);
    expect(errors, errors.join('; ')).toEqual([]);
    await page.context().close();
  });

  it('the command console: title, summary, update and task stay within the viewport, isolated, without the override', async () => {
    const { page, errors } = await openPage(browser, VIEWPORT);
    await page.goto(`${url}/command/${incidentId}?token=${TOKENS.commander}&lang=en`);
    await page.waitForSelector('[data-panel="timeline"] li', { state: 'attached', timeout: 10_000 });
    await page.screenshot({ path: path.join(os.tmpdir(), 'watchfloor-hostile-console.png'), fullPage: true });
    const consolePage = await measure(page, 'h1');
    expect(consolePage.pageWidth).toBeLessThanOrEqual(consolePage.viewport);
    expect(consolePage.targetRight!).toBeLessThanOrEqual(consolePage.viewport);
    expect(consolePage.hasOverride).toBe(false);
    expect(consolePage.notIsolated).toEqual([]);
    for (const panel of ['timeline', 'updates', 'tasks']) {
      const box = await measure(page, `[data-panel="${panel}"]`);
      expect(box.targetRight!, `the ${panel} panel ends within the viewport`).toBeLessThanOrEqual(box.viewport);
    }
    await page.goto(`${url}/command?token=${TOKENS.commander}&lang=en`);
    await page.waitForSelector(`tr[data-incident="${incidentId}"]`, { state: 'attached', timeout: 10_000 });
    const list = await measure(page, 'table');
    expect(list.pageWidth).toBeLessThanOrEqual(list.viewport);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
