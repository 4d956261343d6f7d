// The status page and the update templates end to end (docs/contract.md#status-page, #templates; issue 16):
// the built web app served by the real server with STATUS_PUBLIC=1, in headless Chromium (Debian's,
// through playwright-core). A commander declares a SEV2 on "Login" from /command, picks a customer
// template in the incident's console, edits it and posts it; /status, opened without a token on a
// phone-sized screen, shows Login degraded and the update, and refreshes by itself. An internal
// update with a unique marker reaches neither the page, nor its JSON, nor its Atom feed.
// Needs `npm run build:web` first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, requireWebBuild, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { baseUrl } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_DASHBOARDS = path.resolve(here, '../../dashboards');
const INTERNAL_MARKER = 'INTERNAL-MARKER-e2e-5c1d';
/** Markup in an update is text on the page and in the feed, never an element. */
const SECOND = 'We rolled the release back; logins recover. <img src=x onerror="window.__pwned=1"> & "so on"';

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let consolePage: WatchedPage;
let incidentId: string;
let posted: string;

async function postUpdate(audience: 'internal' | 'customers', text: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/incidents/${incidentId}/updates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.supervisor}`, 'content-type': 'application/json' },
    body: JSON.stringify({ audience, text }),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-dashboards-');
  for (const file of fs.readdirSync(SHIPPED_DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, file), path.join(dashDir, file));
  }
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir, STATUS_PUBLIC: '1' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  browser = await launchBrowser();
  consolePage = await watchedPage(browser, { width: 1600, height: 1000 });
  await consolePage.page.goto(`${url}/command?token=${TOKENS.commander}&lang=en`);
  await consolePage.page.waitForSelector('[data-empty="active"]', { timeout: 10_000 });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the status page', () => {
  it('takes a customer update written from a template in the console', async () => {
    const { page } = consolePage;
    await page.fill('input[name="title"]', 'Login fails after the 4.2 release');
    await page.check('input[name="severity"][value="SEV2"]');
    await page.fill('input[name="services"]', 'Login');
    await page.click('form[data-form="declare"] button[type="submit"]');
    await page.waitForURL(/\/command\/inc-\d+/, { timeout: 5_000 });
    incidentId = new URL(page.url()).pathname.split('/').pop()!;
    await page.waitForSelector(`[data-incident="${incidentId}"]`);
    await postUpdate('internal', `${INTERNAL_MARKER}: the auth pods restart in a loop`);

    // SEV2 owes customers updates: the form starts on customers, and the picker offers their templates only.
    expect(await page.isChecked('form[data-form="update"] input[value="customers"]')).toBe(true);
    await page.click('form[data-form="update"] [data-action="templates"]');
    await page.waitForSelector('[data-template="customers-investigating"]', { timeout: 5_000 });
    expect(await page.$('[data-template="internal-status-note"]')).toBeNull();
    await page.click('[data-template="customers-investigating"]');
    const filled = await page.inputValue('form[data-form="update"] textarea[name="text"]');
    expect(filled).toMatch(/^We are investigating an issue affecting Login: Login fails after the 4\.2 release\. .* by \d\d:\d\d\.$/);
    expect(await page.$('[data-template="customers-investigating"]')).toBeNull();

    // Editable before posting.
    posted = `${filled} Signing in with SSO still works.`;
    await page.fill('form[data-form="update"] textarea[name="text"]', posted);
    await page.click('form[data-form="update"] button[type="submit"]');
    await page.waitForSelector('[data-panel="updates"] li[data-audience="customers"]', { timeout: 5_000 });
    expect(await page.textContent('[data-panel="updates"] li[data-audience="customers"]')).toContain('Signing in with SSO still works.');

    // An internal update switches the picker to the internal templates.
    await page.check('form[data-form="update"] input[value="internal"]');
    await page.click('form[data-form="update"] [data-action="templates"]');
    await page.waitForSelector('[data-template="internal-status-note"]', { timeout: 5_000 });
    expect(await page.$('[data-template="customers-investigating"]')).toBeNull();
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-template="internal-status-note"]', { state: 'detached', timeout: 3_000 });

    expect(consolePage.problems).toEqual([]);
    expect(await consolePage.violations()).toEqual([]);
  });

  it('shows the service degraded and the update, without a token, on a phone, and refreshes every 30 s', async () => {
    const phone = await watchedPage(browser, { width: 375, height: 812 }, { httpErrors: true });
    const { page } = phone;
    await page.clock.install();
    await page.goto(`${url}/status?lang=en`);
    await page.waitForSelector('[data-service="Login"][data-state="degraded"]', { timeout: 10_000 });
    expect(await page.textContent('[data-overall]')).toContain('Partial outage');
    expect(await page.textContent(`[data-incident] [data-update]`)).toContain(posted);
    expect(await page.textContent('[data-incident]')).toContain('Login fails after the 4.2 release');
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // A new customer update shows by itself at the next refresh.
    await postUpdate('customers', SECOND);
    await page.clock.fastForward(31_000);
    await page.waitForFunction(() => document.querySelectorAll('[data-update]').length === 2, undefined, { timeout: 5_000 });
    expect(await page.textContent('[data-update] .text')).toBe(SECOND);
    expect(await page.evaluate(() => document.querySelector('[data-update] img') === null && !('__pwned' in window))).toBe(true);

    expect(await page.textContent('body')).not.toContain(INTERNAL_MARKER);
    const fromPage = await page.evaluate(async () => {
      const json = await (await fetch('/api/v1/status')).text();
      const feed = await fetch('/status/feed.atom');
      const xml = await feed.text();
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      return {
        json,
        xml,
        type: feed.headers.get('content-type'),
        parseError: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.namespaceURI,
        entries: Array.from(doc.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry')).map((e) => e.getElementsByTagName('content')[0]?.textContent),
      };
    });
    expect(fromPage.parseError).toBeNull();
    expect(fromPage.type).toBe('application/atom+xml; charset=utf-8');
    expect(fromPage.root).toBe('http://www.w3.org/2005/Atom');
    expect(fromPage.entries).toEqual([SECOND, posted]);
    expect(fromPage.json).toContain('"state":"degraded"');
    for (const body of [fromPage.json, fromPage.xml]) expect(body).not.toContain(INTERNAL_MARKER);

    expect(phone.problems).toEqual([]);
    expect(await phone.violations()).toEqual([]);
    await page.context().close();
  });

  it('speaks Russian with ?lang=ru', async () => {
    const desk = await watchedPage(browser, { width: 1280, height: 800 });
    await desk.page.goto(`${url}/status?lang=ru`);
    await desk.page.waitForSelector('[data-service="Login"][data-state="degraded"]', { timeout: 10_000 });
    expect(await desk.page.textContent('[data-overall]')).toContain('Частичный сбой');
    expect(await desk.page.textContent('[data-service="Login"]')).toContain('С перебоями');
    expect(desk.problems).toEqual([]);
    expect(await desk.violations()).toEqual([]);
    await desk.page.context().close();
  });

  it('says it needs a token when the server keeps the status behind one (no STATUS_PUBLIC)', async () => {
    const closed = await startTestApp({ webRoot: requireWebBuild(), env: { DASHBOARDS_DIR: dashDir } });
    try {
      await closed.app.listen({ host: '127.0.0.1', port: 0 });
      const visitor = await watchedPage(browser, { width: 375, height: 812 });
      await visitor.page.goto(`${baseUrl(closed.app)}/status?lang=en`);
      const notice = await visitor.page.waitForSelector('[data-page="status"] .notice', { timeout: 10_000 });
      expect(await notice.textContent()).toBe('This page needs an access token: open it with ?token=…');
      // The browser logs the refused read itself; nothing else went wrong.
      expect(visitor.problems.filter((p) => !p.includes('401'))).toEqual([]);
      expect(await visitor.violations()).toEqual([]);
      await visitor.page.context().close();
    } finally {
      await closed.close();
    }
  });
});
