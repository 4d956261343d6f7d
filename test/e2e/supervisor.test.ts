// The supervisor page end to end (issue 6): the built web app served by the real server, opened in
// headless Chromium with a supervisor token. An agent's state change shows within 1 s with its time
// in state restarting; an alert rule fires on the page and the Acknowledge button records the
// supervisor; a viewer token is told it may not acknowledge (403).
// Needs `npm run build` (or `npx vite build`) first.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, requireWebBuild } from '../helpers/browser.js';
import { agentEvent, iso } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let sup: { page: Page; errors: string[] };

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-supervisor-');
  // A rule that holds at once: it fires on the first evaluations.
  fs.writeFileSync(
    path.join(dashDir, 'alerts.json'),
    JSON.stringify({ rules: [{ id: 'always', title: 'Always firing (test)', metric: 'agents.available', op: '>=', value: 0, forSec: 0, severity: 'warning' }] }),
  );
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  await postEvents(url, [agentEvent({ id: 'sup-a1', name: 'Alice Example', team: 'l1', status: 'available' }, iso(Date.now() - 10 * 60_000))]);

  browser = await launchBrowser();
  sup = await openPage(browser, { width: 1920, height: 1080 });
  await sup.page.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
  await sup.page.waitForSelector('body[data-connection="live"] tr[data-agent="sup-a1"][data-status="available"]', { state: 'attached', timeout: 10_000 });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the supervisor page', () => {
  it('shows an agent state change within 1 s, its time in state restarting', async () => {
    const row = sup.page.locator('tr[data-agent="sup-a1"]');
    const before = Number(await row.locator('[data-field="since"]').getAttribute('data-seconds'));
    expect(before).toBeGreaterThanOrEqual(590);
    // Past the page's 2 s throttle of agent reads (its last read was on the state's arrival), so
    // this change is read at once.
    await new Promise((resolve) => setTimeout(resolve, 4_500));

    const sent = Date.now();
    await postEvents(url, [agentEvent({ id: 'sup-a1', name: 'Alice Example', team: 'l1', status: 'busy' }, iso(sent))]);
    await sup.page.waitForSelector('tr[data-agent="sup-a1"][data-status="busy"]', { state: 'attached', timeout: 3_000 });
    const took = Date.now() - sent;
    expect(took, 'ms from the event to the page').toBeLessThanOrEqual(1_000);
    const after = Number(await row.locator('[data-field="since"]').getAttribute('data-seconds'));
    expect(after).toBeLessThanOrEqual(2);
    expect(await row.locator('.status').textContent()).toBe('Busy');
  });

  it('shows a firing alert, and Acknowledge records the supervisor', async () => {
    t.app.watch.alerts.evaluate();
    t.app.watch.alerts.evaluate();
    const item = sup.page.locator('li[data-alert="always"]');
    // Alerts are polled every 5 s.
    await item.waitFor({ state: 'attached', timeout: 7_000 });
    expect(await item.getAttribute('data-acknowledged')).toBe('false');
    await item.locator('button', { hasText: 'Acknowledge' }).click();
    await sup.page.waitForSelector('li[data-alert="always"][data-acknowledged="true"] [data-field="ack"]', { timeout: 3_000 });

    const response = await fetch(`${url}/api/v1/alerts`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
    const { active } = (await response.json()) as { active: Array<{ id: string; acknowledged: { by: string; at: string } | null }> };
    const by = active.find((a) => a.id === 'always')?.acknowledged?.by;
    expect(by).toBeTruthy();
    expect(await item.locator('[data-field="ack"]').textContent()).toContain(`Acknowledged by ${by}`);
    expect(sup.errors).toEqual([]);
  });

  it('tells a viewer token it may not acknowledge (403)', async () => {
    // A second firing instance needs no ack yet: clear the rule and fire it again.
    fs.writeFileSync(
      path.join(dashDir, 'alerts.json'),
      JSON.stringify({ rules: [{ id: 'again', title: 'Fires again (test)', metric: 'agents.available', op: '>=', value: 0, forSec: 0, severity: 'critical' }] }),
    );
    t.app.watch.alerts.evaluate();
    t.app.watch.alerts.evaluate();

    const viewer = await openPage(browser, { width: 1600, height: 1000 });
    await viewer.page.goto(`${url}/supervisor?token=${TOKENS.viewer}&lang=en`);
    const item = viewer.page.locator('li[data-alert="again"]');
    await item.waitFor({ state: 'attached', timeout: 7_000 });
    await item.locator('button', { hasText: 'Acknowledge' }).click();
    const message = await viewer.page.waitForSelector('li[data-alert="again"] [data-field="ack-error"]', { timeout: 3_000 });
    expect(await message.textContent()).toContain('needs a supervisor token');
    expect(await item.getAttribute('data-acknowledged')).toBe('false');
  });
});
