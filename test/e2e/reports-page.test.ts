// The reports page end to end (docs/contract.md#reports-to-management, issue 15): the built web app
// served by the real server with the shipped report definitions (weekly, monthly) and one broken
// file beside them, opened in headless Chromium. Checked: /reports?token=<supervisor> lists weekly
// and monthly as GET /api/v1/reports has them (period, cron and its words, language) and the
// broken file in the warning box; "Run now" for the weekly with a past Monday posts that Monday,
// and the run the server answers shows in the runs table with its period, trigger and who asked,
// and links whose HTML answers 200 text/html (and CSV, and PDF or, without Chromium, the note);
// a viewer token sees the same lists with the button disabled and why (the server answers 403);
// the supervisor page links here; a run the server refuses (the definition changed meanwhile) shows
// the server's message. Not one console error or CSP violation on any page but that expected 400.
// Needs `npm run build:web` first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRun, ReportsAnswer } from '../../contract/reports.js';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, requireWebBuild, type WatchedPage, watchedPage } from '../helpers/browser.js';
import { baseUrl } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_DASHBOARDS = path.resolve(here, '../../dashboards');
const DAY_MS = 86_400_000;
/** A report run renders HTML and CSV (and prints a PDF) before the POST answers. */
const RUN_MS = 30_000;

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let sup: WatchedPage;
let viewer: WatchedPage;

async function watched(pathname: string): Promise<WatchedPage> {
  const one = await watchedPage(browser, { width: 1920, height: 1080 }, { httpErrors: true });
  await one.page.goto(`${url}${pathname}`);
  return one;
}

async function reportsAnswer(): Promise<ReportsAnswer> {
  const response = await fetch(`${url}/api/v1/reports`, { headers: bearer('viewer') });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as ReportsAnswer;
}

/** The browser's local date, YYYY-MM-DD: the page's "today". */
function browserToday(page: Page): Promise<string> {
  return page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
}

const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The Monday of the week before `today`'s week (getUTCDay: 0 Sunday … 6 Saturday). */
function lastWeeksMonday(today: string): string {
  const ms = dayMs(today);
  const sinceMonday = (new Date(ms).getUTCDay() + 6) % 7;
  return dateOf(ms - (sinceMonday + 7) * DAY_MS);
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-reports-e2e-');
  for (const file of fs.readdirSync(SHIPPED_DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, file), path.join(dashDir, file));
  }
  const reportsDir = path.join(dashDir, 'reports');
  fs.mkdirSync(reportsDir);
  for (const id of ['weekly', 'monthly']) fs.copyFileSync(path.join(SHIPPED_DASHBOARDS, 'reports', `${id}.json`), path.join(reportsDir, `${id}.json`));
  // A period that is none: refused, listed among the problems.
  fs.writeFileSync(
    path.join(reportsDir, 'broken.json'),
    JSON.stringify({ id: 'broken', title: 'Broken', period: 'fortnight', schedule: '0 7 * * 1', lang: 'en', sections: [{ type: 'incidents' }] }),
  );

  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  browser = await launchBrowser();
  sup = await watched(`/reports?token=${TOKENS.supervisor}&lang=en`);
  await sup.page.waitForSelector('article[data-report="weekly"] button[data-action="run"]', { timeout: 10_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the reports page, as a supervisor', () => {
  it('lists weekly and monthly as the server has them, with their schedules in words', async () => {
    const answer = await reportsAnswer();
    expect(answer.reports.map((r) => r.id).sort()).toEqual(['monthly', 'weekly']);
    const weekly = sup.page.locator('article[data-report="weekly"]');
    const monthly = sup.page.locator('article[data-report="monthly"]');
    expect(await weekly.locator('h3').textContent()).toContain('Support — weekly report');
    expect(await weekly.locator('[data-field="period"]').textContent()).toBe('Weekly: Monday to Sunday');
    expect(await weekly.locator('[data-field="schedule-words"]').textContent()).toBe('every Monday at 07:00');
    expect(await weekly.locator('[data-field="schedule"] code').textContent()).toBe('0 7 * * 1');
    expect(await weekly.locator('[data-field="lang"]').textContent()).toBe('English');
    expect(await monthly.locator('h3').textContent()).toContain('Поддержка — отчёт за месяц');
    expect(await monthly.locator('[data-field="period"]').textContent()).toBe('Monthly: the calendar month');
    expect(await monthly.locator('[data-field="schedule-words"]').textContent()).toBe('on the 1st of each month at 07:00');
    expect(await monthly.locator('[data-field="schedule"] code').textContent()).toBe('0 7 1 * *');
    expect(await monthly.locator('[data-field="lang"]').textContent()).toBe('Russian');
    expect(await sup.page.locator('[data-field="run-hint"]').count()).toBe(0);
    expect(await weekly.locator('button[data-action="run"]').isEnabled()).toBe(true);
  });

  it('shows the refused definition file in the warning box', async () => {
    const answer = await reportsAnswer();
    const broken = answer.problems.filter((p) => p.file.endsWith('broken.json'));
    expect(broken.length).toBeGreaterThan(0);
    const box = sup.page.locator('[data-panel="report-problems"]');
    await box.waitFor({ timeout: 5_000 });
    const items = await box.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-file')));
    expect(items).toEqual(answer.problems.map((p) => p.file));
    expect(await box.locator('li').first().textContent()).toContain(broken[0]!.message);
  });

  it('offers last week’s Monday first, and runs the weekly for the Monday before it', async () => {
    const today = await browserToday(sup.page);
    const monday = lastWeeksMonday(today);
    const before = dateOf(dayMs(monday) - 7 * DAY_MS);
    const weekly = sup.page.locator('article[data-report="weekly"]');
    const select = weekly.locator('select[name="periodStart"]');
    expect(await select.inputValue()).toBe(monday);
    const offered = await select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    // The week in progress first (the server runs it on the figures so far), then the complete ones.
    expect(offered.slice(0, 4)).toEqual([dateOf(dayMs(monday) + 7 * DAY_MS), monday, before, dateOf(dayMs(monday) - 14 * DAY_MS)]);
    expect((await select.locator('option').first().textContent())?.trim()).toMatch(/\(in progress\)$/);
    // Every one a Monday (getUTCDay 1).
    expect(offered.every((d) => new Date(dayMs(d)).getUTCDay() === 1)).toBe(true);

    await select.selectOption(before);
    const [response] = await Promise.all([
      sup.page.waitForResponse((r) => r.url().endsWith('/api/v1/reports/weekly/run') && r.request().method() === 'POST', { timeout: RUN_MS }),
      weekly.locator('button[data-action="run"]').click(),
    ]);
    expect(response.request().postDataJSON()).toEqual({ periodStart: before });
    expect(response.status(), await response.text()).toBe(201);
    const run = (await response.json()) as ReportRun;
    expect(run).toMatchObject({
      reportId: 'weekly',
      period: 'week',
      periodStart: before,
      periodEnd: monday,
      trigger: 'manual',
      requestedBy: 'supervisor-user',
      status: 'done',
    });

    await weekly.locator('[data-field="run-result"][data-ok="true"]').waitFor({ timeout: 5_000 });
    const row = sup.page.locator(`table[data-list="runs"] tr[data-run="${run.runId}"]`);
    await row.waitFor({ timeout: 5_000 });
    expect(await row.getAttribute('data-status')).toBe('done');
    expect(await row.getAttribute('data-trigger')).toBe('manual');
    expect(await row.getAttribute('data-fresh')).toBe('true');
    expect(await row.locator('[data-field="trigger"]').textContent()).toBe('manual');
    expect(await row.textContent()).toContain('supervisor-user');
    const period = row.locator('[data-field="period"]');
    expect([await period.getAttribute('data-start'), await period.getAttribute('data-end')]).toEqual([before, monday]);
    // The seven days, Monday to Sunday, in words: "Nov 16 – 22, 2026" (or across a month or year).
    expect((await period.textContent())?.replace(/\s+/g, ' ')).toMatch(/^[A-Z][a-z]{2} \d{1,2}(, \d{4})? – ([A-Z][a-z]{2} )?\d{1,2}, \d{4}$/);

    // Newest first, as the server lists them (scheduled runs of the last periods may be there too).
    const listed = await sup.page.locator('table[data-list="runs"] tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.run ?? ''));
    expect(listed).toContain(run.runId);
    const fromServer = await fetch(`${url}/api/v1/reports/runs?limit=50`, { headers: bearer('viewer') });
    const runs = ((await fromServer.json()) as { runs: ReportRun[] }).runs;
    expect(runs.map((r) => r.runId)).toContain(run.runId);
    const starts = runs.map((r) => Date.parse(r.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  }, 60_000);

  it('links the run’s files with the token: HTML answers 200 text/html, CSV text/csv, PDF as the server can', async () => {
    const answer = await reportsAnswer();
    const row = sup.page.locator('table[data-list="runs"] tr[data-fresh="true"]');
    const href = async (file: string): Promise<string | null> => row.locator(`a[data-file="${file}"]`).getAttribute('href');

    const html = await href('html');
    expect(html).toMatch(new RegExp(`^/api/v1/reports/runs/r-\\d{14}-[0-9a-f]{8}\\.html\\?token=${TOKENS.supervisor}$`));
    const htmlAnswer = await fetch(`${url}${html}`);
    expect(htmlAnswer.status).toBe(200);
    expect(htmlAnswer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await htmlAnswer.text()).toContain('Support — weekly report');

    const csv = await href('csv');
    expect(csv).toMatch(/\.csv\?token=/);
    const csvAnswer = await fetch(`${url}${csv}`);
    expect(csvAnswer.status).toBe(200);
    expect(csvAnswer.headers.get('content-type')).toMatch(/^text\/csv/);

    if (answer.pdf) {
      const pdf = await href('pdf');
      expect(pdf).toMatch(/\.pdf\?token=/);
      const pdfAnswer = await fetch(`${url}${pdf}`);
      expect(pdfAnswer.status).toBe(200);
      expect(pdfAnswer.headers.get('content-type')).toMatch(/^application\/pdf/);
    } else {
      // No Chromium on the server: the note instead of a link that answers 501.
      expect(await row.locator('a[data-file="pdf"]').count()).toBe(0);
      expect(await row.locator('[data-file="pdf"]').textContent()).toBe('no PDF');
      expect(await sup.page.locator('[data-field="no-pdf"]').textContent()).toContain('no headless Chromium');
    }
  });

  it('had no console error and no CSP violation', async () => {
    expect(sup.problems).toEqual([]);
    expect(await sup.violations()).toEqual([]);
  });
});

describe('the reports page, as a viewer', () => {
  beforeAll(async () => {
    viewer = await watched(`/reports?token=${TOKENS.viewer}&lang=ru`);
    await viewer.page.waitForSelector('table[data-list="runs"] tr[data-status="done"]', { timeout: 10_000 });
  });

  it('lists the same reports and runs, in Russian, with the button disabled and why', async () => {
    const weekly = viewer.page.locator('article[data-report="weekly"]');
    await weekly.locator('button[data-action="run"][disabled]').waitFor({ timeout: 5_000 });
    expect(await viewer.page.locator('[data-field="run-hint"]').textContent()).toBe(
      'Запуск отчёта требует роли супервайзера; с этим токеном можно смотреть и скачивать запуски.',
    );
    expect(await weekly.locator('[data-field="schedule-words"]').textContent()).toBe('каждый понедельник в 07:00');
    expect(await viewer.page.locator('article[data-report="monthly"] [data-field="schedule-words"]').textContent()).toBe('1-го числа каждого месяца в 07:00');
    // The viewer's links carry the viewer's token, and work.
    const html = await viewer.page.locator('table[data-list="runs"] tr[data-status="done"] a[data-file="html"]').first().getAttribute('href');
    expect(html).toMatch(new RegExp(`\\.html\\?token=${TOKENS.viewer}$`));
    expect((await fetch(`${url}${html}`)).status).toBe(200);
  });

  it('is refused by the server too (403)', async () => {
    const today = await browserToday(viewer.page);
    const response = await fetch(`${url}/api/v1/reports/weekly/run`, {
      method: 'POST',
      headers: { ...bearer('viewer'), 'content-type': 'application/json' },
      body: JSON.stringify({ periodStart: lastWeeksMonday(today) }),
    });
    expect(response.status).toBe(403);
  });

  it('had no console error and no CSP violation', async () => {
    expect(viewer.problems).toEqual([]);
    expect(await viewer.violations()).toEqual([]);
  });
});

describe('the supervisor page', () => {
  it('links to /reports from its header, keeping the token', async () => {
    const page = await watched(`/supervisor?token=${TOKENS.supervisor}&lang=en`);
    const link = page.page.locator('header a[data-link="reports"]');
    expect(await link.textContent()).toBe('Reports');
    await link.click();
    await page.page.waitForSelector('article[data-report="weekly"]', { timeout: 10_000 });
    expect(new URL(page.page.url()).pathname).toBe('/reports');
    expect(await page.violations()).toEqual([]);
  });
});

describe('a refusal', () => {
  it('shows the server’s message when the definition changed meanwhile', async () => {
    // The page still has monthly as a month; the server, once it reads the file again, as a week:
    // the 1st of a month that is no Monday is refused (1 November 2026 is a Sunday).
    const file = path.join(dashDir, 'reports', 'monthly.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), period: 'week' }));
    const deadline = Date.now() + 10_000;
    while ((await reportsAnswer()).reports.find((r) => r.id === 'monthly')?.period !== 'week') {
      if (Date.now() > deadline) throw new Error('the server still has monthly as a month 10 s after its file changed');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const monthly = sup.page.locator('article[data-report="monthly"]');
    const select = monthly.locator('select[name="periodStart"]');
    const offered = await select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    const notMonday = offered.slice(1).find((d) => new Date(dayMs(d)).getUTCDay() !== 1);
    if (notMonday === undefined) throw new Error(`every month offered starts on a Monday: ${offered.join(', ')}`);
    await select.selectOption(notMonday);
    const [response] = await Promise.all([
      sup.page.waitForResponse((r) => r.url().endsWith('/api/v1/reports/monthly/run'), { timeout: RUN_MS }),
      monthly.locator('button[data-action="run"]').click(),
    ]);
    expect(response.status()).toBe(400);
    expect(response.request().postDataJSON()).toEqual({ periodStart: notMonday });
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain(notMonday);
    const result = monthly.locator('[data-field="run-result"][data-ok="false"]');
    await result.waitFor({ timeout: 5_000 });
    expect(await result.textContent()).toBe(`Not run: ${error.message}`);
    expect(await result.getAttribute('role')).toBe('alert');
    // This 400 is the answer the page expects; the browser logs the failed request itself.
    const expected = (p: string): boolean => p === 'http: 400 /api/v1/reports/monthly/run' || /^console: Failed to load resource: .* status of 400/.test(p);
    expect(sup.problems.filter((p) => !expected(p))).toEqual([]);
    expect(sup.problems.length).toBeGreaterThan(0);
    expect(await sup.violations()).toEqual([]);
  });
});
