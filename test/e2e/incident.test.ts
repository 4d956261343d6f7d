// Major incidents end to end (docs/contract.md#major-incidents; issue 5): the built web app served by the real server, the
// command console and three walls in headless Chromium (Debian's, through playwright-core). Two
// walls show `support` (incidentMode "takeover"), one shows `lobby` (a copy with "banner"). Read the
// way docs/contract.md#dashboards-as-code lets machines read a screen: `<body data-dashboard>`, `data-*` on the widgets.
// Needs `npm run build` (or `npx vite build`) first.
//
// The tests share one incident and run in order: declare, a customer update after the cadence ran
// out, a conflicting edit, resolve. "Time passes" by moving the server's clock and the pages' clocks
// forward together (playwright's page.clock), so the countdown can run out without waiting 30 min.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../contract/dashboards.js';
import type { Incident, IncidentListItem } from '../../contract/incidents.js';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport, requireWebBuild } from '../helpers/browser.js';
import { iso, ticketEvent } from '../helpers/events.js';
import { baseUrl, postEvents } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_DASHBOARDS = path.resolve(here, '../../dashboards');

const MINUTE = 60_000;
/** docs/contract.md#major-incidents: every wall switches to incident mode (and back) within 2 s. */
const SWITCH_MS = 2_000;
/** Past SEV1's 30-minute customer-update cadence. */
const CADENCE_RUN_OUT_MS = 31 * MINUTE;

let webRoot: string;
let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
/** Added to the server's clock: time passing, for the cadence. */
let serverOffset = 0;
let walls: Array<{ page: Page; errors: string[] }>;
let lobby: { page: Page; errors: string[] };
let consolePage: Page;
let consoleErrors: string[];
let incidentId: string;

async function listIncidents(status: 'active' | 'all'): Promise<IncidentListItem[]> {
  const response = await fetch(`${url}/api/v1/incidents?status=${status}`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { incidents: IncidentListItem[] }).incidents;
}

async function getIncident(id: string): Promise<Incident> {
  const response = await fetch(`${url}/api/v1/incidents/${id}`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Incident;
}

/** A page whose clock can be moved forward with the server's (the fake clock runs at real speed). */
async function openClocked(pathname: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, { width: 1920, height: 1080 });
  await opened.page.clock.install();
  await opened.page.goto(`${url}${pathname}`);
  return opened;
}

/** Resolves with how long after `since` every page matched `selector`; fails after `timeoutMs`. */
async function allShow(pages: Page[], selector: string, since: number, timeoutMs = SWITCH_MS + 3_000): Promise<number> {
  await Promise.all(pages.map((p) => p.waitForSelector(selector, { state: 'attached', timeout: timeoutMs })));
  return Date.now() - since;
}

beforeAll(async () => {
  webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-dashboards-');
  for (const file of fs.readdirSync(SHIPPED_DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, file), path.join(dashDir, file));
  }
  // The lobby TV: the support board, but incident mode as a bar over it.
  const lobbyBoard = JSON.parse(fs.readFileSync(path.join(dashDir, 'support.json'), 'utf8')) as Dashboard;
  fs.writeFileSync(path.join(dashDir, 'lobby.json'), JSON.stringify({ ...lobbyBoard, id: 'lobby', title: 'Lobby', incidentMode: 'banner' }));

  t = await startTestApp({ webRoot, now: () => Date.now() + serverOffset, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);

  // Tickets for the incident to link: two tagged `payments`, one mentioning "checkout", one not.
  const now = Date.now();
  await postEvents(url, [
    ticketEvent({ id: 'inc-e2e-1', queue: 'l1', tags: ['payments'], createdAt: iso(now - 5 * MINUTE), firstResponseDueAt: iso(now + 4 * 60 * MINUTE) }),
    ticketEvent({ id: 'inc-e2e-2', queue: 'l1', tags: ['payments', 'vip'], createdAt: iso(now - 3 * MINUTE), firstResponseDueAt: iso(now + 4 * 60 * MINUTE) }),
    ticketEvent({
      id: 'inc-e2e-3',
      queue: 'l2',
      subject: 'Checkout page spins forever',
      createdAt: iso(now - 2 * MINUTE),
      firstResponseDueAt: iso(now + 4 * 60 * MINUTE),
    }),
    ticketEvent({ id: 'inc-e2e-4', queue: 'l2', tags: ['login'], createdAt: iso(now - 2 * MINUTE), firstResponseDueAt: iso(now + 4 * 60 * MINUTE) }),
  ]);

  browser = await launchBrowser();
  walls = [await openClocked(`/wall/support?token=${TOKENS.viewer}&name=floor-1`), await openClocked(`/wall/support?token=${TOKENS.viewer}&name=floor-2`)];
  lobby = await openClocked(`/wall/lobby?token=${TOKENS.viewer}&name=lobby`);
  ({ page: consolePage, errors: consoleErrors } = await openClocked(`/command?token=${TOKENS.commander}&lang=en`));
  for (const wall of walls)
    await wall.page.waitForSelector('body[data-connection="live"][data-dashboard="support"] .widget', { state: 'attached', timeout: 10_000 });
  await lobby.page.waitForSelector('body[data-connection="live"][data-dashboard="lobby"] .widget', { state: 'attached', timeout: 10_000 });
  await consolePage.waitForSelector('[data-empty="active"]', { timeout: 10_000 });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('a major incident', () => {
  it('is declared once from the console, and every open wall shows incident mode within 2 s', async () => {
    await consolePage.fill('input[name="title"]', 'Card payments fail at checkout');
    await consolePage.check('input[name="severity"][value="SEV1"]');
    await consolePage.fill('textarea[name="summary"]', 'Most cards are declined at checkout since 09:40.');
    await consolePage.fill('input[name="services"]', 'checkout, payments');
    await consolePage.fill('input[name="tags"]', 'payments');
    await consolePage.fill('input[name="keywords"]', 'checkout');

    const clicked = Date.now();
    // A double-click: the form's one Idempotency-Key (and its disabled button) make it one incident.
    await consolePage.dblclick('form[data-form="declare"] button[type="submit"]');
    await allShow(
      walls.map((w) => w.page),
      'body[data-dashboard="incident"] [data-type="incident"] [data-field="title"]',
      clicked,
    );
    const shownAt = Date.now();

    const active = await listIncidents('all');
    expect(active).toHaveLength(1);
    incidentId = active[0]!.id;
    // The 2 s run from the declaration the server accepted: the browser's own click and form before
    // it took up to ~0.5 s more on a loaded 2-core CI machine, which is not the walls' doing.
    const declaredAt = Date.parse((await getIncident(incidentId)).declaredAt) - serverOffset;
    expect(shownAt - declaredAt, 'ms from the declaration to incident mode on both walls').toBeLessThanOrEqual(SWITCH_MS);
    expect(active[0]).toMatchObject({ severity: 'SEV1', status: 'investigating', services: ['checkout', 'payments'] });

    // The console went on to the incident's own page.
    await consolePage.waitForURL(`**/command/${incidentId}`, { timeout: 5_000 });
    await consolePage.waitForSelector(`[data-incident="${incidentId}"][data-status="investigating"]`);

    for (const { page } of walls) {
      const widget = page.locator('[data-type="incident"]');
      expect(await widget.getAttribute('data-value')).toBe('1');
      expect(await widget.getAttribute('data-color')).toBe('red');
      expect(await widget.locator('[data-field="title"]').textContent()).toBe('Card payments fail at checkout');
      expect(await widget.locator('.large').getAttribute('data-severity')).toBe('SEV1');
      expect(await widget.locator('[data-field="commander"]').getAttribute('data-value')).toBe('commander-user');
      // The linked tickets: two tagged `payments` and one mentioning "checkout".
      await page.waitForSelector('[data-field="linked"][data-value="3"]', { state: 'attached', timeout: 5_000 });
      expect(await widget.locator('[data-field="next-update"]').getAttribute('data-overdue')).toBe('false');
      // The key queue numbers of dashboards/incident.json are there too.
      expect(await page.$('[data-metric="queues.l1.waiting"]')).not.toBeNull();
      expect(await overflowReport(page)).toEqual([]);
    }

    // A 4K wall, in Russian (longer words), switches straight into incident mode and fits too.
    const { page: big, errors: bigErrors } = await openPage(browser, { width: 3840, height: 2160 });
    await big.goto(`${url}/wall/support?token=${TOKENS.viewer}&lang=ru`);
    await big.waitForSelector('body[data-connection="live"][data-dashboard="incident"] [data-type="incident"] [data-field="title"]', {
      state: 'attached',
      timeout: 10_000,
    });
    expect(await overflowReport(big)).toEqual([]);
    expect(await big.textContent('[data-type="incident"]')).toContain('Следующее сообщение клиентам');
    expect(bigErrors).toEqual([]);
    await big.context().close();

    // The banner wall keeps its board and names the incident above it.
    const bar = await lobby.page.waitForSelector(`[data-banner="incident"][data-incident="${incidentId}"]`, { timeout: SWITCH_MS });
    expect(await bar.textContent()).toContain('Card payments fail at checkout');
    expect(await lobby.page.getAttribute('body', 'data-dashboard')).toBe('lobby');
    expect(await overflowReport(lobby.page)).toEqual([]);
  });

  it('shows the countdown overdue once the cadence runs out, and reset by a customer update from the console', async () => {
    // 31 minutes pass without a customer update, on the server and on every screen alike.
    serverOffset += CADENCE_RUN_OUT_MS;
    for (const p of [...walls.map((w) => w.page), lobby.page, consolePage]) await p.clock.setSystemTime(Date.now() + serverOffset);
    await allShow(
      walls.map((w) => w.page),
      '[data-type="incident"] [data-field="next-update"][data-overdue="true"]',
      Date.now(),
    );
    await consolePage.waitForSelector('[data-field="next-update"] [data-countdown][data-overdue="true"]', { state: 'attached', timeout: 3_000 });
    await lobby.page.waitForSelector('[data-banner="incident"] [data-countdown][data-overdue="true"]', { state: 'attached', timeout: 3_000 });

    const text = 'We found the cause and are rolling back a configuration change. Next update by 11:00.';
    // SEV1: the update form offers customers first.
    expect(await consolePage.isChecked('form[data-form="update"] input[value="customers"]')).toBe(true);
    await consolePage.fill('form[data-form="update"] textarea[name="text"]', text);
    const posted = Date.now();
    await consolePage.click('form[data-form="update"] button[type="submit"]');

    const tookMs = await allShow(
      walls.map((w) => w.page),
      '[data-type="incident"] [data-field="next-update"][data-overdue="false"]',
      posted,
    );
    expect(tookMs).toBeLessThanOrEqual(SWITCH_MS);
    for (const { page } of walls) {
      const latest = page.locator('[data-type="incident"] [data-field="latest-update"]');
      expect(await latest.textContent()).toContain(text);
      expect(await latest.locator('[data-audience="customers"]').count()).toBe(1);
      // Reset to the full 30 minutes (less the second or two of the test).
      const seconds = Number(await page.getAttribute('[data-type="incident"] [data-field="next-update"]', 'data-seconds'));
      expect(seconds).toBeGreaterThan(29 * 60);
      expect(seconds).toBeLessThanOrEqual(30 * 60);
    }
    await consolePage.waitForSelector('[data-field="next-update"] [data-countdown][data-overdue="false"]', { state: 'attached', timeout: 3_000 });
    expect(await consolePage.textContent('[data-panel="updates"] li[data-audience="customers"]')).toContain(text);
    expect(await consolePage.inputValue('form[data-form="update"] textarea[name="text"]')).toBe('');
  });

  it('says who changed what meanwhile when a write is stale, instead of overwriting', async () => {
    await consolePage.click('[data-action="edit-details"]');
    await consolePage.fill('form[data-form="details"] textarea[name="summary"]', 'My summary, typed on the old version.');
    const before = await getIncident(incidentId);

    // Meanwhile another commander (the admin token, named admin-user) changes the summary.
    const theirs = 'Declined cards at checkout for all card brands; PayPal works.';
    const response = await fetch(`${url}/api/v1/incidents/${incidentId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json', 'if-match': String(before.version) },
      body: JSON.stringify({ summary: theirs }),
    });
    expect(response.status).toBe(200);
    // The page follows the live event while the editor stays open on the draft.
    await consolePage.waitForSelector(`[data-incident="${incidentId}"][data-version="${before.version + 1}"]`, { state: 'attached', timeout: 3_000 });

    await consolePage.click('form[data-form="details"] button[type="submit"]');
    const notice = await consolePage.waitForSelector('[data-conflict]', { timeout: 3_000 });
    const said = (await notice.textContent()) ?? '';
    expect(said).toContain('admin-user');
    expect(said).toContain('summary');
    expect(said).toContain('Declined cards at checkout');
    // Nothing was overwritten: the server and the page keep their summary.
    expect((await getIncident(incidentId)).summary).toBe(theirs);
    expect(await consolePage.textContent('[data-field="summary"]')).toBe(theirs);

    // The person may still apply their change, now knowingly, to the current version.
    await consolePage.click('[data-conflict] button.primary');
    await consolePage.waitForSelector('[data-conflict]', { state: 'detached', timeout: 3_000 });
    expect((await getIncident(incidentId)).summary).toBe('My summary, typed on the old version.');
  });

  it('runs status, roles and tasks from the console, each change in the timeline', async () => {
    await consolePage.click('[data-action="status"][data-to="identified"]');
    await consolePage.waitForSelector(`[data-incident="${incidentId}"][data-status="identified"]`, { timeout: 3_000 });
    // A back-step is allowed while unresolved.
    await consolePage.click('[data-action="status"][data-to="investigating"]');
    await consolePage.waitForSelector(`[data-incident="${incidentId}"][data-status="investigating"]`, { timeout: 3_000 });

    await consolePage.fill('input[name="holder-communications"]', 'Maria K.');
    await consolePage.click('[data-role="communications"] button[type="submit"]');
    await consolePage.waitForSelector('[data-role="communications"][data-holder="Maria K."]', { timeout: 3_000 });

    await consolePage.fill('form[data-form="task"] input[name="task"]', 'Roll back gateway config 4.12');
    await consolePage.fill('form[data-form="task"] input[name="owner"]', 'L3 on call');
    await consolePage.click('form[data-form="task"] button[type="submit"]');
    const task = await consolePage.waitForSelector('[data-panel="tasks"] li[data-done="false"]', { timeout: 3_000 });
    await (await task.$('input[type="checkbox"]'))!.check();
    await consolePage.waitForSelector('[data-panel="tasks"] li[data-done="true"]', { timeout: 3_000 });

    const incident = await getIncident(incidentId);
    expect(incident.roles.communications).toBe('Maria K.');
    expect(incident.tasks).toEqual([expect.objectContaining({ title: 'Roll back gateway config 4.12', owner: 'L3 on call', done: true })]);
    const kinds = incident.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['declared', 'status', 'role', 'update', 'field', 'task-added', 'task-changed']));
    // The console's timeline shows every entry, newest first.
    await consolePage.waitForFunction((n) => document.querySelectorAll('[data-panel="timeline"] li').length === n, incident.timeline.length, {
      timeout: 3_000,
    });
    const seqs = await consolePage.$$eval('[data-panel="timeline"] li', (els) => els.map((el) => Number(el.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    for (const { page } of walls) {
      await page.waitForSelector('[data-type="incident"] [data-field="tasks"][data-value="1/1"]', { state: 'attached', timeout: 3_000 });
    }
  });

  it('offers each token only what its role may do (GET /api/v1/me), and says why', async () => {
    const open = async (pathname: string, role: keyof typeof TOKENS): Promise<Page> => {
      const { page } = await openPage(browser, { width: 1600, height: 1000 });
      await page.goto(`${url}${pathname}?token=${TOKENS[role]}&lang=en`);
      return page;
    };
    // A supervisor: updates and tasks yes; status, severity, roles and details no.
    const sup = await open(`/command/${incidentId}`, 'supervisor');
    await sup.waitForSelector('fieldset[data-gate="commander"][disabled] [data-field="gate-note"]', { timeout: 5_000 });
    expect(await sup.textContent('fieldset[data-gate="commander"] [data-field="gate-note"]')).toBe('Needs a commander token; this one is supervisor.');
    expect(await sup.isDisabled('[data-action="status"][data-to="identified"]')).toBe(true);
    expect(await sup.isDisabled('[data-action="edit-details"]')).toBe(true);
    expect(await sup.getAttribute('fieldset[data-gate="supervisor"]', 'disabled')).toBeNull();
    expect(await sup.isEditable('form[data-form="task"] input[name="task"]')).toBe(true);
    // A viewer: nothing to press.
    const viewer = await open(`/command/${incidentId}`, 'viewer');
    await viewer.waitForSelector('fieldset[data-gate="supervisor"][disabled] [data-field="gate-note"]', { timeout: 5_000 });
    expect(await viewer.isEditable('form[data-form="task"] input[name="task"]')).toBe(false);
    // Declaring is the commander's too.
    const list = await open('/command', 'supervisor');
    await list.waitForSelector('form[data-form="declare"][inert]', { state: 'attached', timeout: 5_000 });
    // The commander's own console offers everything.
    expect(await consolePage.getAttribute('fieldset[data-gate="commander"]', 'disabled')).toBeNull();
    expect(await consolePage.isEnabled('[data-action="status"][data-to="identified"]')).toBe(true);
    for (const page of [sup, viewer, list]) await page.context().close();
  });

  it('is resolved from the console, and the walls return to their own dashboards within 2 s', async () => {
    await consolePage.click('[data-action="resolve"]');
    const confirmed = Date.now();
    await consolePage.click('[data-action="confirm-resolve"]');
    await allShow(
      walls.map((w) => w.page),
      'body[data-dashboard="support"] [data-type="queue-table"]',
      confirmed,
    );
    const shownAt = Date.now();
    // As for the declaration: 2 s from the resolve the server accepted.
    const resolvedAt = Date.parse((await getIncident(incidentId)).resolvedAt!) - serverOffset;
    expect(shownAt - resolvedAt, 'ms from the resolve to the walls back on their own dashboards').toBeLessThanOrEqual(SWITCH_MS);
    await lobby.page.waitForSelector('[data-banner="incident"]', { state: 'detached', timeout: SWITCH_MS });
    await consolePage.waitForSelector(`[data-incident="${incidentId}"][data-status="resolved"]`, { timeout: 3_000 });
    expect(await consolePage.$('[data-action="reopen"]')).not.toBeNull();
    expect(await listIncidents('active')).toEqual([]);

    // The report link answers Markdown.
    const href = (await consolePage.getAttribute('a.report', 'href'))!;
    const report = await fetch(new URL(href, url));
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/markdown');

    // The list shows it among the recently resolved.
    await consolePage.click('a.back');
    await consolePage.waitForSelector(`[data-list="resolved"] tr[data-incident="${incidentId}"]`, { timeout: 3_000 });
    expect(await consolePage.$('[data-empty="active"]')).not.toBeNull();

    for (const { errors } of [...walls, lobby]) expect(errors).toEqual([]);
    // The one expected failure: the stale write's 409, which Chromium logs like any failed request.
    expect(consoleErrors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });

  it('speaks Russian when asked', async () => {
    const { page } = await openPage(browser, { width: 1280, height: 900 });
    await page.goto(`${url}/command/${incidentId}?token=${TOKENS.commander}&lang=ru`);
    await page.waitForSelector('[data-panel="timeline"] li', { timeout: 5_000 });
    const text = (await page.textContent('main, body')) ?? '';
    expect(text).toContain('Хронология');
    expect(text).toContain('Решён');
    await page.context().close();
  });
});
