// The staffing screens end to end (docs/contract.md#forecast-shifts-and-staffing): the built web
// app served by the real server, with eight weeks of arrivals before now so that the forecast has
// history to go on, opened in headless Chromium. Checked: a roster upload (PUT /api/v1/roster)
// moves the wall's `staffing.l1.scheduled` within 1 s; an agent leaving line l1 moves
// `staffing.l1.staffedNow` and `staffing.l1.gap` within 1 s; the supervisor page draws l1's day
// (band, actual arrivals, required and rostered) as GET /api/v1/staffing answers it, takes a CSV
// roster through its form and says what the server stored, and its calculator shows the server's
// answer for the published Erlang C example. Not one console error or CSP violation on either page.
// Needs `npm run build:web` first.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalculatorAnswer, StaffingInterval, StaffingNow } from '../../contract/staffing.js';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, overflowReport, requireWebBuild, type WatchedPage, watchedPage } from '../helpers/browser.js';
import { agentEvent, iso } from '../helpers/events.js';
import { baseUrl, fetchState, postEvents } from '../helpers/live-client.js';

const QUARTER_HOUR = 15 * 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const LIVE_MS = 1_000;
// Workload with AHT = the interval and no occupancy cap: required = ⌈forecast⌉, and with shrinkage
// 0.5 the roster needs twice that: the chart has two distinct agent lines.
const STAFFING = {
  intervalMinutes: 30,
  lines: { l1: { model: 'workload', ahtSeconds: 1800, shrinkage: 0.5, maxOccupancy: 1 } },
};
const BOARD = {
  id: 'staffing-wall',
  title: 'Staffing',
  pages: [{ widgets: [{ type: 'staffing', metric: 'staffing', x: 0, y: 0, w: 12, h: 6 }] }],
};
/** The published example: 10 Erlangs (100 contacts in 30 min at 180 s each), 80 % within 20 s, no shrinkage. */
const EXAMPLE = { model: 'erlang-c', arrivals: '100', intervalMinutes: '30', ahtSeconds: '180', targetPercent: '80', targetSeconds: '20', shrinkage: '0' };

let dashDir: string;
let t: TestApp;
let url: string;
let browser: Browser;
let wall: WatchedPage;
let sup: WatchedPage;

async function l1(): Promise<StaffingNow> {
  const row = (await fetchState(url)).staffing.find((s) => s.line === 'l1');
  if (row === undefined) throw new Error('the state has no staffing row for l1');
  return row;
}

function shownValue(page: Page, metric: string): Promise<string | null> {
  return page.$eval(`[data-metric="${metric}"]`, (el) => el.getAttribute('data-value')).catch(() => null);
}

/** Waits until every metric shows its value; returns the ms from `since`. */
async function shown(page: Page, wanted: Record<string, string>, since: number): Promise<number> {
  await page.waitForFunction(
    (w) => Object.entries(w).every(([metric, value]) => document.querySelector(`[data-metric="${metric}"]`)?.getAttribute('data-value') === value),
    wanted,
    { timeout: 5_000, polling: 'raf' },
  );
  return Date.now() - since;
}

async function putRoster(body: unknown): Promise<{ stored: number; replaced: number }> {
  const response = await fetch(`${url}/api/v1/roster`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKENS.supervisor}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { stored: number; replaced: number };
}

async function staffingDay(line: string, date: string): Promise<StaffingInterval[]> {
  const response = await fetch(`${url}/api/v1/staffing?line=${line}&date=${date}`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { intervals: StaffingInterval[] }).intervals;
}

beforeAll(async () => {
  const webRoot = requireWebBuild();
  dashDir = tempDir('watchfloor-staffing-e2e-');
  fs.writeFileSync(path.join(dashDir, 'staffing.json'), JSON.stringify(STAFFING));
  fs.writeFileSync(path.join(dashDir, `${BOARD.id}.json`), JSON.stringify(BOARD));
  // Every wall reads the incident board up front (for incident mode).
  fs.writeFileSync(path.join(dashDir, 'incident.json'), JSON.stringify({ ...BOARD, id: 'incident', title: 'Incident' }));
  // The real clock, the machine's zone for server and browser alike.
  t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);

  // Eight weeks up to now, two arrivals every quarter hour, more in working hours: the day chart
  // has a shape, and today's intervals so far have actuals.
  const now = Date.now();
  const history = [];
  for (let at = Math.floor((now - 56 * DAY) / QUARTER_HOUR) * QUARTER_HOUR; at < now - 60_000; at += QUARTER_HOUR) {
    const perQuarter = new Date(at).getHours() >= 8 && new Date(at).getHours() < 18 ? 4 : 2;
    for (let k = 0; k < perQuarter; k++) history.push({ key: `h/${at}/${k}`, line: 'l1', createdAt: at + k });
  }
  await t.app.arrivals.record(history, now);
  await t.app.refreshStaffing();

  const ago = iso(now - 5 * 60_000);
  await postEvents(url, [
    agentEvent({ id: 'st-a1', name: 'Alice Example', team: 'l1', status: 'available' }, ago),
    agentEvent({ id: 'st-a2', name: 'Bob Example', team: 'l1', status: 'busy' }, ago),
  ]);

  browser = await launchBrowser();
  wall = await watchedPage(browser, { width: 1280, height: 720 }, { httpErrors: true });
  await wall.page.goto(`${url}/wall/${BOARD.id}?token=${TOKENS.viewer}&lang=en`);
  await wall.page.waitForSelector(`body[data-connection="live"][data-dashboard="${BOARD.id}"] [data-metric="staffing.l1.scheduled"]`, {
    state: 'attached',
    timeout: 10_000,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dashDir) fs.rmSync(dashDir, { recursive: true, force: true });
});

describe('the wall’s staffing widget', () => {
  it('shows the state’s staffing row for l1, with someone required', async () => {
    const row = await l1();
    // Eight weeks of arrivals: something is forecast, so someone is required.
    expect(row.required).toBeGreaterThanOrEqual(1);
    expect(row.staffedNow).toBe(2);
    await shown(
      wall.page,
      {
        'staffing.l1.staffedNow': '2',
        'staffing.l1.required': String(row.required),
        'staffing.l1.gap': String(2 - row.required),
        'staffing.l1.scheduled': String(row.scheduled),
      },
      Date.now(),
    );
    expect(row.scheduled).toBe(0);
    // Nothing the widget shows is cut or sticks out of its box.
    expect(await overflowReport(wall.page)).toEqual([]);
  });

  it('moves staffing.l1.scheduled within 1 s of a roster upload', async () => {
    const row = await l1();
    const start = Date.parse(row.intervalStart) - HOUR;
    const end = Date.parse(row.intervalEnd) + 2 * HOUR;
    const shifts = ['R-1', 'R-2', 'R-3'].map((agent) => ({ agent, line: 'l1', start: iso(start), end: iso(end), breaks: [] }));
    const sent = Date.now();
    expect(await putRoster({ shifts })).toMatchObject({ stored: 3 });
    const took = await shown(wall.page, { 'staffing.l1.scheduled': '3' }, sent);
    expect(took, 'ms from the upload to the wall').toBeLessThanOrEqual(LIVE_MS);
    expect((await l1()).scheduled).toBe(3);
  });

  it('moves staffing.l1.staffedNow and staffing.l1.gap within 1 s of an agent leaving the line', async () => {
    const { required } = await l1();
    expect(await shownValue(wall.page, 'staffing.l1.staffedNow')).toBe('2');
    const sent = Date.now();
    await postEvents(url, [agentEvent({ id: 'st-a2', name: 'Bob Example', team: 'l1', status: 'offline' }, iso(sent))]);
    const took = await shown(wall.page, { 'staffing.l1.staffedNow': '1', 'staffing.l1.gap': String(1 - required) }, sent);
    expect(took, 'ms from the event to the wall').toBeLessThanOrEqual(LIVE_MS);
    const after = await l1();
    expect(after.staffedNow).toBe(1);
    expect(after.gap).toBe(1 - after.required);
  });

  it('had no console error and no CSP violation', async () => {
    expect(wall.problems).toEqual([]);
    expect(await wall.violations()).toEqual([]);
  });
});

describe('the supervisor’s staffing panel', () => {
  let date: string;

  beforeAll(async () => {
    sup = await watchedPage(browser, { width: 1920, height: 1080 }, { httpErrors: true });
    await sup.page.goto(`${url}/supervisor?token=${TOKENS.supervisor}&lang=en`);
    await sup.page.waitForSelector('body[data-connection="live"] figure.day[data-line="l1"] rect.scheduled', { state: 'attached', timeout: 10_000 });
    date = (await sup.page.locator('figure.day[data-line="l1"]').getAttribute('data-date')) ?? '';
  });

  it('draws l1’s day as the server answers it: the band, actual arrivals, required and rostered', async () => {
    const now = Date.now();
    const intervals = await staffingDay('l1', date);
    const figure = sup.page.locator('figure.day[data-line="l1"]');
    expect(Number(await figure.getAttribute('data-intervals'))).toBe(intervals.length);
    expect(intervals.length).toBeGreaterThanOrEqual(46); // a whole day of 30-minute intervals (46–50 on a DST change)

    for (const series of ['band', 'forecast', 'required', 'requiredScheduled']) {
      expect(await figure.locator(`path[data-series="${series}"]`).getAttribute('d'), series).toMatch(/^M[\d.]+,[\d.]+/);
    }
    // The band spans P10–P90: somewhere it has height.
    expect(intervals.some((i) => i.p90 > i.p10)).toBe(true);

    const actual = await figure.locator('rect.actual').evaluateAll((rects) => rects.map((r) => [r.getAttribute('data-start'), r.getAttribute('data-value')]));
    const begun = intervals.filter((i) => i.actual !== null && Date.parse(i.start) <= now);
    expect(begun.length).toBeGreaterThan(0);
    expect(actual).toEqual(begun.map((i) => [i.start, String(i.actual)]));

    const scheduled = await figure
      .locator('rect.scheduled')
      .evaluateAll((rects) => rects.map((r) => [r.getAttribute('data-start'), r.getAttribute('data-value'), r.getAttribute('data-short')]));
    expect(scheduled).toEqual(intervals.map((i) => [i.start, String(i.scheduled), i.scheduled < i.requiredScheduled ? 'true' : null]));
    // The roster uploaded above shows: three agents in the current interval.
    const current = intervals.find((i) => Date.parse(i.start) <= now && now < Date.parse(i.end));
    expect(current?.scheduled).toBe(3);
    expect(await figure.locator('line.now').count()).toBe(1);
    // Every mark is in the legend, and both axes say what they count.
    const keys = await figure.locator('.legend .key').evaluateAll((spans) => spans.map((k) => k.getAttribute('class')?.replace(/\s*svelte-\w+/g, '')));
    expect(keys).toEqual(['key band', 'key forecast', 'key actual', 'key scheduled', 'key scheduled short', 'key required-scheduled', 'key required']);
    expect(await figure.locator('text[data-axis="arrivals"]').textContent()).toBe('arrivals per interval');
    expect(await figure.locator('text[data-axis="agents"]').textContent()).toBe('agents');
  });

  it('uploads a CSV roster through the form, says what the server stored, and redraws the day', async () => {
    const row = await l1();
    const start = iso(Date.parse(row.intervalStart) - HOUR);
    const end = iso(Date.parse(row.intervalEnd) + 3 * HOUR);
    const csv = `agent,line,start,end\nU-1,l1,${start},${end}\nU-2,l1,${start},${end}\n`;
    await sup.page.setInputFiles('form[data-form="roster"] input[type="file"]', { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const [response] = await Promise.all([
      sup.page.waitForResponse((r) => r.url().endsWith('/api/v1/roster') && r.request().method() === 'PUT'),
      sup.page.click('form[data-form="roster"] button[type="submit"]'),
    ]);
    expect(response.status()).toBe(200);
    expect(response.request().headers()['content-type']).toBe('text/csv');
    const answer = (await response.json()) as { stored: number; replaced: number };
    expect(answer.stored).toBe(2);
    // The earlier upload's three shifts start inside this one's time: replaced.
    expect(answer.replaced).toBe(3);
    await sup.page.waitForSelector(`[data-field="roster-result"]:has-text("Stored 2, replaced 3")`, { timeout: 3_000 });

    // The chart reads the day again after the upload: the current interval now holds two.
    const intervals = await staffingDay('l1', date);
    const current = intervals.find((i) => i.start === row.intervalStart);
    expect(current?.scheduled).toBe(2);
    await sup.page.waitForSelector(`figure.day[data-line="l1"] rect.scheduled[data-start="${row.intervalStart}"][data-value="2"]`, {
      state: 'attached',
      timeout: 3_000,
    });
    // And the wall, still open, follows.
    await shown(wall.page, { 'staffing.l1.scheduled': '2' }, Date.now());
  });

  it('names the bad rows of a refused roster', async () => {
    const csv = 'agent,line,start,end\nU-9,l1,not-a-time,2026-12-03T10:00:00Z\n';
    await sup.page.setInputFiles('form[data-form="roster"] input[type="file"]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await sup.page.click('form[data-form="roster"] button[type="submit"]');
    const item = sup.page.locator('[data-list="roster-errors"] li').first();
    await item.waitFor({ timeout: 3_000 });
    expect(await item.textContent()).toMatch(/row 2/);
    // This 400 is the answer the form expects; the browser logs the failed request itself.
    const expected = (p: string): boolean => p === 'http: 400 /api/v1/roster' || /^console: Failed to load resource: .* status of 400/.test(p);
    sup.problems.splice(0, sup.problems.length, ...sup.problems.filter((p) => !expected(p)));
  });

  it('calculates the published Erlang C example and shows exactly the server’s answer', async () => {
    const query = new URLSearchParams(EXAMPLE).toString();
    const direct = await fetch(`${url}/api/v1/staffing/calculate?${query}`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
    expect(direct.status).toBe(200);
    const expected = (await direct.json()) as CalculatorAnswer;
    // Erlang C at 10 Erlangs, 80 % in 20 s: 13 agents answer 79.6 % in time, 14 answer 88.8 %.
    expect(expected.agents).toBe(14);
    expect(expected.requiredScheduled).toBe(14);

    const form = sup.page.locator('form[data-form="calculator"]');
    await form.locator('select[name="model"]').selectOption('erlang-c');
    await form.locator('input[name="arrivals"]').fill(EXAMPLE.arrivals);
    await form.locator('select[name="intervalMinutes"]').selectOption(EXAMPLE.intervalMinutes);
    await form.locator('input[name="ahtSeconds"]').fill(EXAMPLE.ahtSeconds);
    await form.locator('input[name="targetPercent"]').fill(EXAMPLE.targetPercent);
    await form.locator('input[name="targetSeconds"]').fill(EXAMPLE.targetSeconds);
    await form.locator('input[name="shrinkage"]').fill(EXAMPLE.shrinkage);
    await form.locator('input[name="maxOccupancy"]').fill('');
    const [response] = await Promise.all([
      sup.page.waitForResponse((r) => r.url().includes('/api/v1/staffing/calculate')),
      form.locator('button[type="submit"]').click(),
    ]);
    expect(response.status()).toBe(200);
    expect(new URL(response.url()).searchParams.get('maxOccupancy')).toBeNull();
    expect(await response.json()).toEqual(expected);

    await form.locator('[data-field="calc-answer"]').waitFor({ timeout: 3_000 });
    const shownAnswer = await form
      .locator('[data-answer]')
      .evaluateAll((items) => items.map((el) => [el.getAttribute('data-answer'), el.getAttribute('data-value'), el.querySelector('dd')?.textContent]));
    const byKey = new Map(shownAnswer.map(([key, value, text]) => [key, { value, text }]));
    for (const key of ['agents', 'requiredScheduled', 'serviceLevel', 'occupancy', 'waitProbability', 'asaSeconds'] as const) {
      expect(byKey.get(key)?.value, key).toBe(String(expected[key]));
    }
    expect(byKey.get('agents')?.text).toBe('14');
    expect(byKey.get('requiredScheduled')?.text).toBe('14');
    expect(byKey.get('serviceLevel')?.text).toBe(`${Math.round((expected.serviceLevel ?? 0) * 100)}%`);
    expect(byKey.get('occupancy')?.text).toBe(`${Math.round(expected.occupancy * 100)}%`);
  });

  it('had no console error and no CSP violation', async () => {
    expect(sup.problems).toEqual([]);
    expect(await sup.violations()).toEqual([]);
  });
});
