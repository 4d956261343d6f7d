// The wall's flow widget end to end (docs/contract.md#the-flow-between-lines): the built web app
// served by the real server, a board with the flow widget, opened in headless Chromium. Before any
// move it draws the three lines and "no escalations yet"; ticket events that move two tickets
// l1→l2 and one l2→l3 show as two bands labelled 2 and 1 (the first twice as wide as the second)
// within 1 s, and the supervisor's list shows the three escalations. Needs `npm run build:web` first.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport, requireWebBuild } from '../helpers/browser.js';
import { iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

const MINUTE = 60_000;
const LIVE_MS = 1_000;
const BOARD = {
  id: 'flow-wall',
  title: 'Flow',
  pages: [{ widgets: [{ type: 'flow', metric: 'flow', x: 0, y: 0, w: 6, h: 4 }] }],
};

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let page: Page;
let errors: string[];

function bands(p: Page): Promise<Array<{ key: string; count: string; width: number }>> {
  return p.$$eval('[data-type="flow"] [data-band="up"]', (els) =>
    els.map((el) => ({
      key: `${el.getAttribute('data-from')}>${el.getAttribute('data-to')}`,
      count: el.getAttribute('data-count') ?? '',
      width: Number(el.getAttribute('data-width')),
    })),
  );
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-flow-e2e-');
  fs.writeFileSync(path.join(dashDir, `${BOARD.id}.json`), JSON.stringify(BOARD));
  // Every wall reads the incident board up front (for incident mode).
  fs.writeFileSync(path.join(dashDir, 'incident.json'), JSON.stringify({ ...BOARD, id: 'incident', title: 'Incident' }));
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser, { width: 1920, height: 1080 }));
  await page.goto(`${url}/wall/${BOARD.id}?token=${TOKENS.viewer}&lang=en`);
  await page.waitForSelector(`body[data-connection="live"][data-dashboard="${BOARD.id}"] [data-type="flow"] rect.box`, { state: 'attached', timeout: 10_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the wall’s flow widget', () => {
  it('draws the three lines and no band before any move', async () => {
    expect(await page.$$eval('[data-type="flow"] rect.box', (els) => els.map((el) => el.getAttribute('data-line')))).toEqual(['l1', 'l2', 'l3']);
    expect(await page.textContent('[data-type="flow"]')).toContain('No escalations yet');
    expect(await bands(page)).toEqual([]);
    expect(await overflowReport(page)).toEqual([]);
  });

  it('shows two l1→l2 escalations and one l2→l3 as bands of 2 and 1 within 1 s', async () => {
    const now = Date.now();
    const created = iso(now - 30 * MINUTE);
    const arrive = [
      ticketEvent({ id: 'f-1', queue: 'l1', createdAt: created, updatedAt: created }),
      ticketEvent({ id: 'f-2', queue: 'l1', createdAt: created, updatedAt: created }),
      ticketEvent({ id: 'f-3', queue: 'l2', createdAt: created, updatedAt: created }),
    ];
    const moves = [
      ticketEvent({ id: 'f-1', queue: 'l2', createdAt: created, updatedAt: iso(now - 20 * MINUTE) }),
      ticketEvent({ id: 'f-2', queue: 'l2', createdAt: created, updatedAt: iso(now - 15 * MINUTE) }),
      ticketEvent({ id: 'f-3', queue: 'l3', createdAt: created, updatedAt: iso(now - 5 * MINUTE) }),
    ];
    await postEvents(url, arrive);
    const since = Date.now();
    await postEvents(url, moves);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-band="up"][data-from="l1"][data-to="l2"]')?.getAttribute('data-count') === '2' &&
        document.querySelector('[data-band="up"][data-from="l2"][data-to="l3"]')?.getAttribute('data-count') === '1',
      undefined,
      { timeout: 5_000, polling: 'raf' },
    );
    expect(Date.now() - since).toBeLessThan(LIVE_MS);
    const shown = await bands(page);
    const l1l2 = shown.find((b) => b.key === 'l1>l2')!;
    const l2l3 = shown.find((b) => b.key === 'l2>l3')!;
    expect(l1l2.count).toBe('2');
    expect(l2l3.count).toBe('1');
    expect(l1l2.width).toBeCloseTo(2 * l2l3.width, 0);
    expect(await page.textContent('[data-metric="flow.escalated.l1.l2"]')).toBe('2');
    expect(await page.textContent('[data-metric="flow.escalated.l2.l3"]')).toBe('1');
    expect(await overflowReport(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('lists the escalations on the supervisor page, newest first', async () => {
    const { page: sup, errors: supErrors } = await openPage(browser, { width: 1600, height: 1000 });
    await sup.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
    await sup.waitForSelector('[data-panel="escalations"] [data-escalation]', { timeout: 10_000 });
    const rows = await sup.$$eval('[data-panel="escalations"] [data-escalation]', (els) =>
      els.map((el) => `${el.getAttribute('data-from')}>${el.getAttribute('data-to')}`),
    );
    expect(rows).toEqual(['l2>l3', 'l1>l2', 'l1>l2']);
    expect(supErrors).toEqual([]);
    await sup.context().close();
  });
});
