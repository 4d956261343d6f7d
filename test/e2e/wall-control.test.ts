// Wall control (docs/contract.md#wall-control; issue 6) in a real browser: a supervisor switches the wall named `lobby`
// and it shows the other dashboard within 2 s while a wall of another name stays; an announcement
// appears on an open wall and goes away by itself after its seconds. Needs `npx vite build` first.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, requireWebBuild } from '../helpers/browser.js';
import { baseUrl, sleep } from '../helpers/live-client.js';

/** docs/contract.md#wall-control / issue 6: a switched wall changes dashboards within this. */
const SWITCH_MS = 2_000;

let t: TestApp;
let url: string;
let dashDir: string;
let browser: Browser;
const pageErrors: string[] = [];

function board(id: string, title: string): Record<string, unknown> {
  return { id, title, pages: [{ widgets: [{ type: 'stat', metric: 'sla.breachedOpen', x: 0, y: 0, w: 4, h: 3 }] }] };
}

async function openWall(dashboard: string, name: string): Promise<Page> {
  const { page, errors } = await openPage(browser, { width: 1920, height: 1080 });
  page.on('close', () => pageErrors.push(...errors));
  await page.goto(`${url}/wall/${dashboard}?token=${TOKENS.viewer}&name=${name}`);
  await page.waitForSelector(`body[data-connection="live"][data-dashboard="${dashboard}"]`, { state: 'attached', timeout: 10_000 });
  return page;
}

async function post(pathname: string, body: unknown): Promise<Response> {
  return fetch(url + pathname, { method: 'POST', headers: { ...bearer('supervisor'), 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-dashboards-');
  fs.writeFileSync(path.join(dashDir, 'support.json'), JSON.stringify(board('support', 'Support')));
  fs.writeFileSync(path.join(dashDir, 'overview.json'), JSON.stringify(board('overview', 'Overview')));
  // Every wall reads the incident dashboard at start (incident takeover); without it, a 404 in the console.
  fs.writeFileSync(path.join(dashDir, 'incident.json'), JSON.stringify(board('incident', 'Incident')));
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('wall control', () => {
  it('switches the wall named lobby to another dashboard within 2 s; a wall of another name stays', async () => {
    const lobby = await openWall('support', 'lobby');
    const other = await openWall('support', 'kitchen');

    const listed = (await (await fetch(`${url}/api/v1/walls`, { headers: bearer('viewer') })).json()) as { walls: Array<{ name: string; dashboard: string }> };
    expect(listed.walls.map((w) => [w.name, w.dashboard]).sort()).toEqual([
      ['kitchen', 'support'],
      ['lobby', 'support'],
    ]);

    const t0 = Date.now();
    const response = await post('/api/v1/walls/lobby/show', { dashboard: 'overview' });
    expect(response.status).toBe(200);
    await lobby.waitForSelector('body[data-dashboard="overview"]', { state: 'attached', timeout: SWITCH_MS });
    expect(Date.now() - t0).toBeLessThanOrEqual(SWITCH_MS);
    expect(await lobby.textContent('.wall .bar .name')).toBe('Overview');

    await sleep(500);
    expect(await other.getAttribute('body', 'data-dashboard')).toBe('support');
    const after = (await (await fetch(`${url}/api/v1/walls`, { headers: bearer('viewer') })).json()) as { walls: Array<{ name: string; dashboard: string }> };
    expect(after.walls.find((w) => w.name === 'lobby')?.dashboard).toBe('overview');

    // A reload returns the wall to its URL's dashboard (the documented lifetime of a switch).
    await lobby.reload();
    await lobby.waitForSelector('body[data-dashboard="support"]', { state: 'attached', timeout: 10_000 });
    await lobby.context().close();
    await other.context().close();
  });

  it('shows an announcement on an open wall, big, and takes it down by itself after its seconds', async () => {
    const wall = await openWall('support', 'hall');
    const text = 'Fire drill at 15:00 — please leave by the east stairs';
    const t0 = Date.now();
    const response = await post('/api/v1/walls/announce', { text, seconds: 8 });
    expect(response.status).toBe(200);
    await wall.waitForSelector('[data-announcement]', { timeout: 2_000 });
    expect(await wall.textContent('[data-announcement]')).toContain(text);
    const fontPx = await wall.$eval('.announcement-text', (el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx, 'readable from across the room').toBeGreaterThanOrEqual(50);

    // A wall opened while it lasts gets it on connect (8 s: time for a page load on a busy machine).
    const late = await openWall('overview', 'late');
    await late.waitForSelector('[data-announcement]', { timeout: 4_000 });

    await wall.waitForSelector('[data-announcement]', { state: 'detached', timeout: 11_000 });
    const gone = Date.now() - t0;
    expect(gone).toBeGreaterThanOrEqual(7_500);
    expect(gone).toBeLessThanOrEqual(10_000);
    await late.waitForSelector('[data-announcement]', { state: 'detached', timeout: 3_000 });
    await wall.context().close();
    await late.context().close();
    expect(pageErrors).toEqual([]);
  });
});
