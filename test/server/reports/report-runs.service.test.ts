// A weekly report run end to end (docs/contract.md#reports-to-management): a scripted week through
// POST /api/v1/events with the clock stepping over each midnight, then POST /api/v1/reports/weekly/run
// as a supervisor; the run's CSV, HTML and PDF (its text extracted with poppler's pdftotext) must
// carry the numbers computed by hand. Then the API's refusals.
//
// The week of Monday 2026-11-16 (UTC). Day d (0 = Monday … 6 = Sunday):
//   l1: d + 1 tickets created at 09:00 + i min, answered after 600 s (due after 30 min: met), solved after 3,600 s, CSAT 5
//   l2: one ticket created at 10:00, answered after 1,200 s (no due time), solved after 7,200 s, CSAT 2
// The week, all lines: created 28 + 7 = 35, solved 35; first responses 28 × 600 and 7 × 1,200 →
// median (the 18th of 35) 600, p90 (rank ⌈31.5⌉ = 32) 1,200; resolution median 3,600, p90 7,200;
// CSAT 28 good of 35 = 0.8; targets met 28, missed 0 → compliance 1; backlog at each day's end 0.
// One incident declared Wednesday 10:00 and resolved 11:30: 90 minutes.
// Wednesday (d = 2), l1: created 3, solved 3, frt 600/600, resolution 3,600/3,600, CSAT 3 of 3.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_FIGURES, type ReportRun, type ReportsAnswer } from '../../../contract/reports.js';
import { bearer, startTestApp, type TestApp, tempDir } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { declareIncident, patchIncident } from '../../helpers/incidents.js';

const DAY = 86_400_000;
const MONDAY = Date.parse('2026-11-16T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

let t: TestApp;
let clock = MONDAY;

function dayTickets(d: number): ReturnType<typeof ticketEvent>[] {
  const events = [];
  for (let i = 0; i <= d; i++) {
    const created = MONDAY + d * DAY + 9 * 3_600_000 + i * 60_000;
    events.push(
      ticketEvent({
        id: `l1-${d}-${i}`,
        queue: 'l1',
        status: 'solved',
        createdAt: iso(created),
        updatedAt: iso(created + 3_600_000),
        firstResponseAt: iso(created + 600_000),
        firstResponseDueAt: iso(created + 1_800_000),
        solvedAt: iso(created + 3_600_000),
        csat: 5,
      }),
    );
  }
  const created = MONDAY + d * DAY + 10 * 3_600_000;
  events.push(
    ticketEvent({
      id: `l2-${d}`,
      queue: 'l2',
      status: 'solved',
      createdAt: iso(created),
      updatedAt: iso(created + 7_200_000),
      firstResponseAt: iso(created + 1_200_000),
      solvedAt: iso(created + 7_200_000),
      csat: 2,
    }),
  );
  return events;
}

async function run(periodStart: string, role: 'supervisor' | 'viewer' = 'supervisor', id = 'weekly') {
  return t.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/run`, headers: bearer(role), payload: { periodStart } });
}

async function file(runId: string, kind: string) {
  return t.app.inject({ method: 'GET', url: `/api/v1/reports/runs/${runId}.${kind}`, headers: bearer('viewer') });
}

let weekly: ReportRun;

beforeAll(async () => {
  // Only the shipped weekly definition: no staffing.json, so forecast and hours stay empty.
  const dashboards = tempDir('watchfloor-reports-');
  fs.mkdirSync(path.join(dashboards, 'reports'));
  fs.copyFileSync(path.resolve('dashboards/reports/weekly.json'), path.join(dashboards, 'reports/weekly.json'));
  t = await startTestApp({ now: () => clock, env: { TZ: 'UTC', DASHBOARDS_DIR: dashboards } });
  await t.app.ready();
  for (let d = 0; d < 7; d++) {
    clock = MONDAY + d * DAY + 23 * 3_600_000;
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: dayTickets(d) });
    expect(response.statusCode, response.body).toBe(202);
    if (d === 2) {
      clock = MONDAY + 2 * DAY + 10 * 3_600_000;
      const incident = await declareIncident(t.app, { title: 'Login broken after release', severity: 'SEV2' });
      clock = MONDAY + 2 * DAY + 11.5 * 3_600_000;
      await patchIncident(t.app, incident.id, { status: 'resolved' });
      clock = MONDAY + d * DAY + 23 * 3_600_000;
    }
    clock = MONDAY + (d + 1) * DAY + 1_000;
    await t.app.daily.beat();
  }
  clock = Date.parse('2026-11-23T08:00:00Z');
  const response = await run('2026-11-16');
  expect(response.statusCode, response.body).toBe(201);
  weekly = response.json() as ReportRun;
});
afterAll(async () => {
  await t?.close();
});

function csvRows(text: string): Map<string, Map<string, string>> {
  const [header, ...lines] = text.trim().split('\r\n');
  const names = header!.split(',');
  const rows = new Map<string, Map<string, string>>();
  for (const line of lines) {
    const cells = line.split(',');
    rows.set(`${cells[0]} ${cells[1]}`, new Map(names.map((name, i) => [name, cells[i] ?? ''])));
  }
  return rows;
}

describe('a weekly run', () => {
  it('is listed, done, for the week asked', async () => {
    expect(weekly).toMatchObject({
      reportId: 'weekly',
      period: 'week',
      periodStart: '2026-11-16',
      periodEnd: '2026-11-23',
      trigger: 'manual',
      requestedBy: 'supervisor-user',
      status: 'done',
    });
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/reports/runs', headers: bearer('viewer') });
    expect((listed.json() as { runs: ReportRun[] }).runs.map((r) => r.runId)).toContain(weekly.runId);
  });

  it('its CSV has a row per day × line with every figure, as computed by hand', async () => {
    const response = await file(weekly.runId, 'csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = csvRows(response.body);
    expect(response.body.split('\r\n')[0]).toBe(['date', 'line', ...DAILY_FIGURES].join(','));
    // 7 days × (l1, l2, all).
    expect(rows.size).toBe(21);
    const wednesday = rows.get('2026-11-18 l1')!;
    expect(Object.fromEntries(wednesday)).toMatchObject({
      created: '3',
      solved: '3',
      backlog: '0',
      targetsMet: '3',
      targetsMissed: '0',
      compliance: '1',
      frtMedianSec: '600',
      resolutionMedianSec: '3600',
      csatGood: '3',
      csatRated: '3',
      // Nothing moved between lines or opened again that day.
      reopened: '0',
      escalated: '0',
      incidents: '',
    });
    expect(Object.fromEntries(rows.get('2026-11-18 all')!)).toMatchObject({ created: '4', solved: '4', incidents: '1', incidentMinutes: '90' });
    expect(Object.fromEntries(rows.get('2026-11-22 all')!)).toMatchObject({ created: '8', frtMedianSec: '600', frtP90Sec: '1200' });
  });

  it('its HTML carries the week’s totals and the incident', async () => {
    const response = await file(weekly.runId, 'html');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    // A document, not a page of the app: no script may run in it.
    expect(response.headers['content-security-policy']).toContain('sandbox');
    const html = response.body;
    expect(html).toContain('Login broken after release');
    expect(html).not.toContain('<script');
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const expected of ['35', '80.0', '10 min', '1 h 00 min', '1 h 30 min']) expect(text).toContain(expected);
  });

  it('its PDF is a real PDF whose text carries the same numbers', async () => {
    const response = await file(weekly.runId, 'pdf');
    expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfFile = path.join(tempDir('watchfloor-pdf-'), 'weekly.pdf');
    fs.writeFileSync(pdfFile, pdf);
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const expected of ['35', '80.0', '10 min', '1 h 30 min', 'Login broken after release']) expect(text).toContain(expected);
    // Printed once, then kept.
    const again = await file(weekly.runId, 'pdf');
    expect(again.rawPayload.equals(pdf)).toBe(true);
  });
});

describe('the API refuses', () => {
  it('a date that does not start a week, a period not yet begun, an unknown report, a viewer', async () => {
    const tuesday = await run('2026-11-17');
    expect(tuesday.statusCode).toBe(400);
    expect(tuesday.json().error.message).toContain('starts on 2026-11-16');
    const future = await run('2026-11-30');
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toContain('has not begun');
    const notADate = await run('2026-02-30');
    expect(notADate.statusCode).toBe(400);
    const unknown = await run('2026-11-16', 'supervisor', 'nope');
    expect(unknown.statusCode).toBe(404);
    const viewer = await run('2026-11-16', 'viewer');
    expect(viewer.statusCode).toBe(403);
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports/weekly/run',
      headers: bearer('supervisor'),
      payload: { periodStart: '2026-11-16', x: 1 },
    });
    expect(extra.statusCode).toBe(400);
  });

  it('a file name that is not a run’s, and a run that does not exist', async () => {
    expect((await file('..%2F..%2Fetc%2Fpasswd', 'html')).statusCode).toBe(400);
    expect((await file('r-20261123080000-00000000', 'html')).statusCode).toBe(404);
    expect((await file(weekly.runId, 'exe')).statusCode).toBe(400);
  });

  it('lists the definitions with PDF available', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers: bearer('viewer') });
    const body = response.json() as ReportsAnswer;
    expect(body.reports.map((r) => r.id)).toEqual(['weekly']);
    expect(body.problems).toEqual([]);
    expect(body.pdf).toBe(true);
  });
});

describe('without a Chromium', () => {
  it('answers the PDF with a 501 that says how to install one, and HTML and CSV still work', async () => {
    const dashboards = tempDir('watchfloor-reports-nopdf-');
    fs.mkdirSync(path.join(dashboards, 'reports'));
    fs.copyFileSync(path.resolve('dashboards/reports/weekly.json'), path.join(dashboards, 'reports/weekly.json'));
    const plain = await startTestApp({
      now: () => Date.parse('2026-11-23T08:00:00Z'),
      env: { TZ: 'UTC', DASHBOARDS_DIR: dashboards, CHROMIUM_PATH: '/nonexistent/chromium' },
    });
    try {
      await plain.app.ready();
      const listed = await plain.app.inject({ method: 'GET', url: '/api/v1/reports', headers: bearer('viewer') });
      expect((listed.json() as ReportsAnswer).pdf).toBe(false);
      const ran = await plain.app.inject({
        method: 'POST',
        url: '/api/v1/reports/weekly/run',
        headers: bearer('supervisor'),
        payload: { periodStart: '2026-11-16' },
      });
      expect(ran.statusCode).toBe(201);
      const { runId } = ran.json() as ReportRun;
      const get = (kind: string) => plain.app.inject({ method: 'GET', url: `/api/v1/reports/runs/${runId}.${kind}`, headers: bearer('viewer') });
      const pdf = await get('pdf');
      expect(pdf.statusCode).toBe(501);
      expect(pdf.json().error.message).toContain('apt-get install chromium');
      expect((await get('html')).statusCode).toBe(200);
      expect((await get('csv')).statusCode).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
