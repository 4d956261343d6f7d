// Surge detection end to end (docs/contract.md#surge-detection): the built web app served by the real
// server, in headless Chromium. Five tickets on one line whose subjects share words arrive through
// POST /api/v1/events; the "Possible incident" card appears on /command by itself, the support wall
// names it in its alert bar (surge.json says `"wall": true`), and Declare turns it into an incident:
// the console goes to the incident and the open wall switches to incident mode. A second cluster is
// dismissed with a reason from /supervisor and leaves /supervisor and /command alike. Not one console
// error and not one CSP violation on any page.
// Needs `npm run build:web` first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentListItem } from '../../contract/incidents.js';
import type { Suggestion } from '../../contract/suggestions.js';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, overflowReport, requireWebBuild, type WatchedPage, watchedPage } from '../helpers/browser.js';
import { iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_DASHBOARDS = path.resolve(here, '../../dashboards');

const MINUTE = 60_000;
/** The brief's bound for a suggestion to reach the screen; a few seconds are expected. */
const APPEAR_MS = 60_000;
/** docs/contract.md#major-incidents: every wall switches to incident mode within 2 s (plus the page's own round trip). */
const SWITCH_MS = 5_000;
const TICKET_URL = 'https://helpdesk.example/tickets/{id}';

const LOGIN_SUBJECTS = [
  'Cannot log in after update',
  'Login fails after the update',
  "can't login since update",
  'Login broken after update today',
  'After the update login does not work',
];
const INVOICE_SUBJECTS = [
  'Invoice PDF download fails',
  'Cannot download invoice PDF',
  'Invoice PDF download broken',
  'PDF invoice does not download',
  'Download of invoice PDF fails again',
];

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let consolePage: WatchedPage;
let wall: WatchedPage;
const opened: WatchedPage[] = [];

/** A page at 1920×1080 that records console errors, page errors and CSP violation events, at `pathname`. */
async function watched(pathname: string): Promise<WatchedPage> {
  const one = await watchedPage(browser);
  await one.page.goto(`${url}${pathname}`);
  opened.push(one);
  return one;
}

/** Five similar tickets on `queue`, a minute apart and just now, unanswered. */
async function postCluster(prefix: string, queue: string, subjects: readonly string[]): Promise<void> {
  const now = Date.now();
  await postEvents(
    url,
    subjects.map((subject, i) =>
      ticketEvent({
        id: `${prefix}-${i + 1}`,
        queue,
        subject,
        createdAt: iso(now - (subjects.length - i) * MINUTE),
        firstResponseDueAt: iso(now + 4 * 60 * MINUTE),
      }),
    ),
  );
}

async function suggestions(status: 'open' | 'declared' | 'dismissed'): Promise<Suggestion[]> {
  const response = await fetch(`${url}/api/v1/suggestions?status=${status}`, { headers: bearer('viewer') });
  expect(response.status).toBe(200);
  return (await response.json()) as Suggestion[];
}

/** The card of the cluster on `line`, once it is on the page; answers its suggestion id and how long it took. */
async function cardAppears(page: Page, line: string, since: number): Promise<{ id: string; tookMs: number }> {
  const card = await page.waitForSelector(`article[data-suggestion][data-kind="cluster"][data-line="${line}"]`, { timeout: APPEAR_MS });
  return { id: (await card.getAttribute('data-suggestion'))!, tookMs: Date.now() - since };
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-surge-e2e-');
  for (const file of fs.readdirSync(SHIPPED_DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, file), path.join(dashDir, file));
  }
  // Walls show open suggestions in their alert bar (off by default).
  const surgeFile = path.join(dashDir, 'surge.json');
  const surge = fs.existsSync(surgeFile) ? (JSON.parse(fs.readFileSync(surgeFile, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(surgeFile, JSON.stringify({ ...surge, wall: true }));

  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir, TICKET_URLS: `test=${TICKET_URL}` } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);

  browser = await launchBrowser();
  wall = await watched(`/wall/support?token=${TOKENS.viewer}&name=floor-1&lang=en`);
  consolePage = await watched(`/command?token=${TOKENS.commander}&lang=en`);
  await wall.page.waitForSelector('body[data-connection="live"][data-dashboard="support"] .widget', { state: 'attached', timeout: 10_000 });
  await consolePage.page.waitForSelector('body[data-connection="live"] [data-empty="active"]', { timeout: 10_000 });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('a possible incident', () => {
  it(
    'appears on /command and on the wall, and Declare makes it an incident that takes the wall over',
    async () => {
      // Nothing open yet: no card, and the wall's bar is its title.
      expect(await consolePage.page.$('article[data-suggestion]')).toBeNull();
      expect(await wall.page.$('[data-banner="alert"]')).toBeNull();

      const posted = Date.now();
      await postCluster('surge-login', 'l1', LOGIN_SUBJECTS);
      const { id, tookMs } = await cardAppears(consolePage.page, 'l1', posted);
      console.log(`card on /command ${tookMs} ms after the tickets were posted`);

      // The card shows the server's numbers as the server sent them.
      const [open] = (await suggestions('open')).filter((s) => s.id === id);
      expect(open).toBeDefined();
      expect(open!.count).toBe(5);
      expect(open!.tickets).toHaveLength(5);
      const card = consolePage.page.locator(`article[data-suggestion="${id}"]`);
      expect(await card.locator('h2').textContent()).toBe('Possible incident');
      expect(await card.locator('[data-field="title"]').textContent()).toBe(open!.title);
      expect(await card.locator('[data-field="line"]').textContent()).toBe('L1');
      expect(await card.locator('[data-field="count"]').textContent()).toMatch(/^5 tickets in \d+ min$/);
      expect(Number(await card.locator('[data-field="rate"]').getAttribute('data-value'))).toBe(open!.ratePerHour);
      for (const word of open!.keywords) expect(await card.locator(`[data-keyword="${word}"]`).count()).toBe(1);
      // Each ticket listed, linked to its helpdesk by the server's TICKET_URLS, with its subject.
      for (const key of open!.tickets) {
        const ticketId = key.slice(key.indexOf(':') + 1);
        const link = card.locator(`[data-ticket="${key}"] a`);
        await link.waitFor({ timeout: 5_000 });
        expect(await link.getAttribute('href')).toBe(TICKET_URL.replace('{id}', ticketId));
      }
      expect(await card.locator('[data-list="suggestion-tickets"]').textContent()).toContain('Login broken after update today');
      expect(await card.locator('select[name="severity"]').inputValue()).toBe('SEV2');
      expect(await card.locator('[data-field="gate-note"]').count()).toBe(0);

      // The wall names it in its alert bar, above the board, and nothing on the board is cut.
      const bar = await wall.page.waitForSelector(`header[data-banner="alert"][data-suggestions~="${id}"]`, { timeout: 5_000 });
      expect(await bar.textContent()).toContain(`Possible incident: ${open!.title}`);
      expect(await overflowReport(wall.page)).toEqual([]);

      // Declare, at the default SEV2: the console goes to the new incident, the wall into incident mode.
      const clicked = Date.now();
      await card.locator('form[data-form="suggestion-declare"] button[type="submit"]').click();
      await consolePage.page.waitForURL(/\/command\/[^/?]+(\?|$)/, { timeout: 5_000 });
      await wall.page.waitForSelector('body[data-dashboard="incident"] [data-type="incident"] [data-field="title"]', { state: 'attached', timeout: SWITCH_MS });
      console.log(`wall in incident mode ${Date.now() - clicked} ms after Declare`);

      const [declared] = (await suggestions('declared')).filter((s) => s.id === id);
      expect(declared).toMatchObject({ status: 'declared' });
      const incidentId = declared!.incidentId!;
      expect(new URL(consolePage.page.url()).pathname).toBe(`/command/${incidentId}`);
      const incidents = (await (await fetch(`${url}/api/v1/incidents?status=active`, { headers: bearer('viewer') })).json()) as {
        incidents: IncidentListItem[];
      };
      expect(incidents.incidents.map((i) => [i.id, i.severity])).toEqual([[incidentId, 'SEV2']]);
      expect(await wall.page.locator('[data-type="incident"] [data-field="title"]').textContent()).toBe(declared!.title);
      expect((await suggestions('open')).map((s) => s.id)).not.toContain(id);

      // Back on the list, the card is gone; the incident is listed instead.
      await consolePage.page.click('a.brand');
      await consolePage.page.waitForSelector(`tr[data-incident="${incidentId}"]`, { timeout: 5_000 });
      expect(await consolePage.page.$(`article[data-suggestion="${id}"]`)).toBeNull();
      await wall.page.waitForSelector(`[data-suggestions~="${id}"]`, { state: 'detached', timeout: 3_000 });
    },
    APPEAR_MS + 30_000,
  );

  it(
    'is dismissed with a reason from /supervisor and leaves /supervisor and /command',
    async () => {
      const supervisor = await watched(`/supervisor?token=${TOKENS.supervisor}&lang=en`);
      // A supervisor's token on /command sees the card but is told Declare needs a commander.
      const supervisorConsole = await watched(`/command?token=${TOKENS.supervisor}&lang=en`);
      await supervisor.page.waitForSelector('body[data-connection="live"] [data-panel="alerts"]', { timeout: 10_000 });
      expect(await supervisor.page.$('[data-panel="suggestions"]')).toBeNull();

      const posted = Date.now();
      await postCluster('surge-invoice', 'l2', INVOICE_SUBJECTS);
      const { id } = await cardAppears(supervisor.page, 'l2', posted);
      for (const page of [consolePage.page, supervisorConsole.page]) await page.waitForSelector(`article[data-suggestion="${id}"]`, { timeout: 5_000 });
      await supervisorConsole.page.waitForSelector(`article[data-suggestion="${id}"] [data-field="gate-note"]`, { timeout: 5_000 });
      expect(await supervisorConsole.page.textContent(`article[data-suggestion="${id}"] [data-field="gate-note"]`)).toContain('commander');

      // On /supervisor: Dismiss only, and a reason is required before anything is sent.
      const card = supervisor.page.locator(`[data-panel="suggestions"] article[data-suggestion="${id}"]`);
      expect(await card.locator('form[data-form="suggestion-declare"]').count()).toBe(0);
      await card.locator('form[data-form="suggestion-dismiss"] button[type="submit"]').click();
      expect(await card.locator('[data-field="suggestion-error"]').textContent()).toBe('Give a reason to dismiss.');
      expect((await suggestions('open')).map((s) => s.id)).toContain(id);

      await card.locator('input[name="reason"]').fill('Known: the PDF service is in planned maintenance');
      await card.locator('form[data-form="suggestion-dismiss"] button[type="submit"]').click();
      await supervisor.page.waitForSelector('[data-panel="suggestions"]', { state: 'detached', timeout: 5_000 });
      for (const page of [consolePage.page, supervisorConsole.page])
        await page.waitForSelector(`article[data-suggestion="${id}"]`, { state: 'detached', timeout: 5_000 });

      const [dismissed] = (await suggestions('dismissed')).filter((s) => s.id === id);
      expect(dismissed).toMatchObject({ status: 'dismissed', incidentId: null });
      const last = dismissed!.history[dismissed!.history.length - 1]!;
      expect(last).toMatchObject({ action: 'dismissed', by: 'supervisor-user', reason: 'Known: the PDF service is in planned maintenance' });
    },
    APPEAR_MS + 30_000,
  );

  it('left not one console error and not one CSP violation on any page', async () => {
    for (const one of opened) {
      expect(one.problems, one.page.url()).toEqual([]);
      expect(await one.violations(), one.page.url()).toEqual([]);
    }
  });
});
