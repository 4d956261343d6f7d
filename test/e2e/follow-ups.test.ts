// Follow-ups end to end (docs/contract.md#follow-ups): the built web app served by the real server, the incident
// console and the supervisor page in headless Chromium (Debian's, through playwright-core). A
// follow-up added on the console shows on /supervisor with its owner and due time, one past its due
// time in red on both; marked done on the console, it leaves the supervisor's list by itself (the
// live state's `followUps` counts move, and the page reads the list again). The incident is
// resolved first: follow-ups are what outlives it. Needs `npm run build:web` first.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../contract/domain.js';
import type { Incident } from '../../contract/incidents.js';
import { startTestApp, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, requireWebBuild } from '../helpers/browser.js';
import { baseUrl } from '../helpers/live-client.js';

const HOUR = 3600_000;
const RED = 'rgb(255, 95, 95)';

let t: TestApp;
let url: string;
let browser: Browser;
let consolePage: Page;
let consoleErrors: string[];
let supervisorPage: Page;
let supervisorErrors: string[];

async function api<T>(method: 'GET' | 'POST' | 'PATCH', path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The `datetime-local` value of `ms` in the page's zone, as a person would type it. */
function localInput(page: Page, ms: number): Promise<string> {
  return page.evaluate((at) => {
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, ms);
}

async function addOnConsole(title: string, owner: string, dueMs: number): Promise<void> {
  const form = consolePage.locator('form[data-form="follow-up"]');
  await form.locator('input[name="follow-up"]').fill(title);
  await form.locator('input[name="owner"]').fill(owner);
  await form.locator('input[name="due"]').fill(await localInput(consolePage, dueMs));
  await form.locator('button[type="submit"]').click();
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  t = await startTestApp({ webRoot });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  await api<Incident>('POST', '/api/v1/incidents', TOKENS.commander, { title: 'Card payments fail at checkout', severity: 'SEV2' });
  await api<Incident>('PATCH', '/api/v1/incidents/inc-1', TOKENS.commander, { status: 'resolved' });

  browser = await launchBrowser();
  ({ page: consolePage, errors: consoleErrors } = await openPage(browser, { width: 1920, height: 1080 }));
  await consolePage.goto(`${url}/command/inc-1?token=${TOKENS.supervisor}&lang=en`);
  await consolePage.waitForSelector('[data-incident="inc-1"][data-status="resolved"] [data-panel="follow-ups"]', { timeout: 10_000 });
  ({ page: supervisorPage, errors: supervisorErrors } = await openPage(browser, { width: 1920, height: 1080 }));
  await supervisorPage.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
  await supervisorPage.waitForSelector('body[data-connection="live"] [data-panel="follow-ups"] [data-empty="follow-ups"]', {
    state: 'attached',
    timeout: 10_000,
  });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('follow-ups', () => {
  it('are added on the console of a resolved incident and show on /supervisor with owner and due time, the overdue in red', async () => {
    await addOnConsole('Write the post-mortem', 'anna', Date.now() + 48 * HOUR);
    await consolePage.waitForSelector('[data-panel="follow-ups"] li[data-follow-up="f1"][data-status="open"][data-overdue="false"]', { timeout: 5_000 });
    // One whose due time has passed already (agreed last week, written down late).
    await addOnConsole('Add a PSP timeout alert', 'omar', Date.now() - 2 * HOUR);
    const late = await consolePage.waitForSelector('[data-panel="follow-ups"] li[data-follow-up="f2"][data-overdue="true"]', { timeout: 5_000 });
    expect(await late.$eval('[data-field="status"]', (el) => [el.textContent, getComputedStyle(el).color])).toEqual(['overdue', RED]);
    expect(await consolePage.getAttribute('[data-panel="follow-ups"] .counts', 'data-overdue')).toBe('1');
    // Open ones, the overdue first; the timeline tells who added them.
    expect(await consolePage.$$eval('[data-panel="follow-ups"] li', (items) => items.map((li) => li.getAttribute('data-follow-up')))).toEqual(['f2', 'f1']);
    await consolePage.waitForSelector('[data-panel="timeline"] li[data-kind="follow-up-added"]', { state: 'attached' });
    expect(await consolePage.textContent('[data-panel="timeline"]')).toContain('follow-up added: Add a PSP timeout alert (omar, due ');

    const incident = await api<Incident>('GET', '/api/v1/incidents/inc-1', TOKENS.viewer);
    expect(incident.followUps.map((f) => [f.id, f.title, f.owner, f.status, f.createdBy])).toEqual([
      ['f1', 'Write the post-mortem', 'anna', 'open', 'supervisor-user'],
      ['f2', 'Add a PSP timeout alert', 'omar', 'open', 'supervisor-user'],
    ]);

    // The supervisor page follows without a reload: soonest due first, the overdue one red.
    const rows = supervisorPage.locator('[data-panel="follow-ups"] tr[data-follow-up]');
    await supervisorPage.waitForSelector('[data-panel="follow-ups"] tr[data-follow-up="inc-1/f2"][data-overdue="true"]', { timeout: 5_000 });
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-follow-up')))).toEqual(['inc-1/f2', 'inc-1/f1']);
    const overdueRow = supervisorPage.locator('tr[data-follow-up="inc-1/f2"]');
    expect(await overdueRow.locator('td.due').evaluate((el) => getComputedStyle(el).color)).toBe(RED);
    expect(await overdueRow.textContent()).toContain('omar');
    expect(await overdueRow.textContent()).toContain('Add a PSP timeout alert');
    expect(await overdueRow.locator('a.incident-link').getAttribute('href')).toBe(`/command/inc-1?token=${TOKENS.supervisor}&lang=en`);
    const onTime = supervisorPage.locator('tr[data-follow-up="inc-1/f1"]');
    expect(await onTime.locator('td.due').evaluate((el) => getComputedStyle(el).color)).not.toBe(RED);
    expect((await onTime.locator('td.due').textContent())?.trim()).toBe(
      await consolePage.evaluate((ms) => {
        const d = new Date(ms);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
      }, Date.parse(incident.followUps[0]!.dueAt)),
    );
    // The console scrolls as a document; nothing in the panel spills sideways.
    expect(await consolePage.$eval('[data-panel="follow-ups"]', (el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await supervisorPage.$eval('[data-panel="follow-ups"]', (el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  });

  it('marked done on the console, leaves the supervisor list and the overdue count', async () => {
    await consolePage.click('[data-panel="follow-ups"] li[data-follow-up="f2"] button[data-action="done"]');
    await consolePage.waitForSelector('[data-panel="follow-ups"] li[data-follow-up="f2"][data-status="done"]', { timeout: 5_000 });
    await supervisorPage.waitForSelector('[data-panel="follow-ups"] tr[data-follow-up="inc-1/f2"]', { state: 'detached', timeout: 5_000 });
    expect(await supervisorPage.$$eval('[data-panel="follow-ups"] tr[data-follow-up]', (trs) => trs.map((tr) => tr.getAttribute('data-follow-up')))).toEqual([
      'inc-1/f1',
    ]);
    const state = await api<LiveState>('GET', '/api/v1/state', TOKENS.viewer);
    expect(state.followUps).toEqual({ open: 1, overdue: 0 });
    // Done, it offers to reopen; the incident is still resolved.
    expect(await consolePage.$('[data-panel="follow-ups"] li[data-follow-up="f2"] button[data-action="reopen"]')).not.toBeNull();
    expect(await consolePage.getAttribute('[data-incident="inc-1"]', 'data-status')).toBe('resolved');
    expect(consoleErrors).toEqual([]);
    expect(supervisorErrors).toEqual([]);
  });
});
