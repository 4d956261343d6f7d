// The pages under the Content-Security-Policy (docs/contract.md#security-and-durability), in Chromium: the wall (every shipped
// widget, then incident mode), the command console (declaring an incident: forms, fetch with the
// Authorization header) and the supervisor page load and work with not one CSP violation, counted three ways: the
// document's `securitypolicyviolation` events, console messages and page errors. And framing:
// a page of another origin that frames /command is refused under the default FRAME_ANCESTORS, and
// allowed once FRAME_ANCESTORS names that origin (so the refusal is the policy's doing).
// Needs `npm run build` (or `npx vite build`) first.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, requireWebBuild, type WatchedPage, watchedPage } from '../helpers/browser.js';
import { agentEvent, iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_DASHBOARDS = path.resolve(here, '../../dashboards');

let webRoot: string;
let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let framer: http.Server;
/** The wall of the first test, kept open: incident mode must render under the CSP too. */
let wall: WatchedPage;
/** Another origin: the same host on another port. */
let framerUrl: string;

beforeAll(async () => {
  webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-csp-');
  for (const file of fs.readdirSync(SHIPPED_DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, file), path.join(dashDir, file));
  }
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  const ago = iso(Date.now() - 20 * 60_000);
  await postEvents(url, [
    agentEvent({ id: 'csp-a1', name: 'Alice Example', team: 'l1', status: 'available' }, ago),
    agentEvent({ id: 'csp-a2', name: 'Bob Example', team: 'l2', status: 'busy' }, ago),
    ticketEvent({ id: 'csp-1', queue: 'l1', subject: 'Cannot log in', createdAt: ago, updatedAt: ago, firstResponseDueAt: iso(Date.now() - 60_000) }),
    ticketEvent({ id: 'csp-2', queue: 'l2', subject: 'Checkout fails', createdAt: ago, updatedAt: ago, firstResponseDueAt: iso(Date.now() + 10 * 60_000) }),
  ]);
  browser = await launchBrowser();
  framer = http.createServer((request, response) => {
    const target = new URL(request.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><title>framer</title><iframe id="f" src="${target.replace(/"/g, '&quot;')}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
  framerUrl = `http://127.0.0.1:${(framer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await new Promise<void>((resolve) => (framer ? framer.close(() => resolve()) : resolve()));
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the pages under the CSP', () => {
  it('serve the policy that the test holds the pages to', async () => {
    const response = await fetch(`${url}/wall/support`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'self'");
  });

  it('the wall shows live numbers in every widget with no CSP violation', async () => {
    const w = await watchedPage(browser);
    wall = w;
    await w.page.goto(`${url}/wall/support?token=${TOKENS.viewer}&name=csp&lang=en`);
    await w.page.waitForSelector('body[data-connection="live"][data-dashboard="support"] .widget', { state: 'attached', timeout: 10_000 });
    await w.page.waitForSelector('[data-metric="sla.breachedOpen"][data-value="1"]', { state: 'attached', timeout: 5_000 });
    // A live change arrives over the socket (websocket or polling, both `connect-src 'self'`).
    await postEvents(url, [ticketEvent({ id: 'csp-3', queue: 'l1', createdAt: iso(Date.now() - 60_000), firstResponseDueAt: iso(Date.now() - 1_000) })]);
    await w.page.waitForSelector('[data-metric="sla.breachedOpen"][data-value="2"]', { state: 'attached', timeout: 5_000 });
    expect(await w.page.locator('.widget').count()).toBeGreaterThan(3);
    expect(await w.violations()).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  it('the command console declares an incident and opens its page with no CSP violation', async () => {
    const w = await watchedPage(browser);
    await w.page.goto(`${url}/command?token=${TOKENS.commander}&lang=en`);
    await w.page.waitForSelector('[data-empty="active"]', { timeout: 10_000 });
    await w.page.fill('input[name="title"]', 'CSP check');
    await w.page.check('input[name="severity"][value="SEV2"]');
    await w.page.click('form[data-form="declare"] button[type="submit"]');
    await w.page.waitForURL('**/command/*', { timeout: 5_000 });
    await w.page.waitForSelector('[data-incident][data-status="investigating"]', { timeout: 5_000 });
    expect(await w.violations()).toEqual([]);
    expect(w.problems).toEqual([]);
    // The open wall went to incident mode (the incident widget, its sparkline) under the CSP.
    await wall.page.waitForSelector('body[data-dashboard="incident"] [data-type="incident"] [data-field="title"]', { state: 'attached', timeout: 5_000 });
    expect(await wall.page.locator('[data-type="incident"] [data-field="title"]').textContent()).toBe('CSP check');
    expect(await wall.violations()).toEqual([]);
    expect(wall.problems).toEqual([]);
  });

  it('the supervisor page lists agents live with no CSP violation', async () => {
    const w = await watchedPage(browser);
    await w.page.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
    await w.page.waitForSelector('body[data-connection="live"] tr[data-agent="csp-a1"][data-status="available"]', { state: 'attached', timeout: 10_000 });
    await postEvents(url, [agentEvent({ id: 'csp-a1', status: 'busy' }, iso(Date.now()))]);
    await w.page.waitForSelector('tr[data-agent="csp-a1"][data-status="busy"]', { state: 'attached', timeout: 5_000 });
    expect(await w.violations()).toEqual([]);
    expect(w.problems).toEqual([]);
  });
});

/** Opens the framing page and tells whether /command came up inside its frame. */
async function framed(serverUrl: string): Promise<{ loaded: boolean; problems: string[] }> {
  const w = await watchedPage(browser);
  const target = `${serverUrl}/command?token=${TOKENS.commander}&lang=en`;
  await w.page.goto(`${framerUrl}/?src=${encodeURIComponent(target)}`);
  const frame = await (await w.page.waitForSelector('#f')).contentFrame();
  let loaded = false;
  try {
    await frame!.waitForSelector('[data-empty="active"]', { timeout: 5_000 });
    loaded = true;
  } catch {
    loaded = false;
  }
  return { loaded, problems: w.problems };
}

describe('framing', () => {
  it('refuses a page of another origin that frames /command', async () => {
    const { loaded, problems } = await framed(url);
    expect(loaded).toBe(false);
    expect(problems.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/);
  });

  it('lets the origins named in FRAME_ANCESTORS frame the pages', async () => {
    const other = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir, FRAME_ANCESTORS: `'self' ${framerUrl}` } });
    try {
      await other.app.listen({ host: '127.0.0.1', port: 0 });
      const { loaded } = await framed(baseUrl(other.app));
      expect(loaded).toBe(true);
    } finally {
      await other.close();
    }
  });
});
