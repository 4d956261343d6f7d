// One time to breach on every screen: the wall's sla-risk widget and the supervisor's SLA panel
// both count from the `dueAt` the server sends with each listed ticket. The ticket here answered
// its first response late and still has its resolution ahead: it has breached, so both screens
// count up from the missed first-response target (about -1 h), neither down to the resolution.
// Needs `npm run build` (or `npx vite build`) first.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, requireWebBuild } from '../helpers/browser.js';
import { iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

const MIN = 60_000;
let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let missedDue: string;

const board = {
  id: 'sla',
  title: 'SLA',
  pages: [{ widgets: [{ type: 'sla-risk', metric: 'tickets.at-risk', x: 0, y: 0, w: 12, h: 8 }] }],
};

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-breach-');
  fs.writeFileSync(path.join(dashDir, 'sla.json'), JSON.stringify(board));
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  const now = Date.now();
  missedDue = iso(now - 60 * MIN);
  await postEvents(url, [
    ticketEvent({
      id: 'late-first',
      createdAt: iso(now - 120 * MIN),
      updatedAt: iso(now - 30 * MIN),
      firstResponseDueAt: missedDue,
      firstResponseAt: iso(now - 30 * MIN),
      resolutionDueAt: iso(now + 120 * MIN),
    }),
    ticketEvent({ id: 'soon', createdAt: iso(now - 5 * MIN), firstResponseDueAt: iso(now + 10 * MIN), resolutionDueAt: iso(now + 240 * MIN) }),
  ]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

const secondsOn = async (page: Page, selector: string): Promise<number> => Number(await page.locator(selector).first().getAttribute('data-seconds'));

/** Both rows on screen first, then both read back to back: a page still loading must not count as a difference. */
async function bothSeconds(a: { page: Page; selector: string }, b: { page: Page; selector: string }): Promise<[number, number]> {
  await a.page.waitForSelector(a.selector, { state: 'attached', timeout: 10_000 });
  await b.page.waitForSelector(b.selector, { state: 'attached', timeout: 10_000 });
  return Promise.all([secondsOn(a.page, a.selector), secondsOn(b.page, b.selector)]);
}

describe('the time to breach of a listed ticket', () => {
  it('is the same on the wall and on the supervisor page, counting up from a missed first response', async () => {
    const wall = await openPage(browser, { width: 1280, height: 720 });
    await wall.page.goto(`${url}/wall/sla?token=${TOKENS.viewer}&lang=en`);
    const sup = await openPage(browser, { width: 1920, height: 1080 });
    await sup.page.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);

    const onWall = (id: string) => ({ page: wall.page, selector: `[data-type="sla-risk"] .row[data-ticket="test:${id}"]` });
    const onSupervisor = (view: string, id: string) => ({
      page: sup.page,
      selector: `[data-panel="sla"] [data-view="${view}"] tr[data-ticket="test:${id}"] td.due`,
    });

    const [wallLate, supLate] = await bothSeconds(onWall('late-first'), onSupervisor('breached', 'late-first'));
    // Breached an hour ago on its first response: late on both, by the same amount (within the
    // second or two between the two reads), not two hours left before its resolution.
    expect(wallLate).toBeLessThan(-3500);
    expect(wallLate).toBeGreaterThan(-3700);
    expect(Math.abs(wallLate - supLate)).toBeLessThanOrEqual(2);

    const [wallSoon, supSoon] = await bothSeconds(onWall('soon'), onSupervisor('at-risk', 'soon'));
    expect(wallSoon).toBeGreaterThan(500);
    expect(wallSoon).toBeLessThanOrEqual(600);
    expect(Math.abs(wallSoon - supSoon)).toBeLessThanOrEqual(2);

    // What the screens count from is the server's own field: the missed first-response target.
    const response = await fetch(`${url}/api/v1/tickets?view=breached`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
    const answer = (await response.json()) as { tickets: { id: string; dueAt: string | null }[] };
    expect(answer.tickets.find((row) => row.id === 'late-first')?.dueAt).toBe(missedDue);
  });
});
