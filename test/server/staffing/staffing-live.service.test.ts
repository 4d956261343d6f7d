// The staffing section of the live state end to end through the app: arrivals recorded from the
// ingest path (once per ticket, however old), the roster upload, agents' presence, and an alert
// rule on staffing.<line>.gap (docs/contract.md#forecast-shifts-and-staffing).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import type { StaffingNow } from '../../../contract/staffing.js';
import { bearer, startTestApp, type TestApp, tempDir } from '../../helpers/app.js';
import { agentEvent, ticketEvent } from '../../helpers/events.js';

const NOW = Date.parse('2026-12-03T10:05:00Z');
const HALF_HOUR = 30 * 60_000;
// Workload with AHT = the interval and no occupancy cap: required = ⌈forecast⌉, requiredScheduled = ⌈required ÷ 0.5⌉.
const STAFFING = {
  intervalMinutes: 30,
  lines: { l1: { model: 'workload', ahtSeconds: 1800, shrinkage: 0.5, maxOccupancy: 1 } },
};
const RULES = {
  rules: [{ id: 'l1-short', title: 'L1 short-staffed', metric: 'staffing.l1.gap', op: '<', value: 0, forSec: 0, severity: 'warning' }],
};

let t: TestApp;
let clock = NOW;

async function post(events: unknown[]): Promise<{ accepted: number; stale: number }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
  expect(response.statusCode, response.body).toBe(202);
  return response.json();
}

async function staffingOf(line: string): Promise<StaffingNow | undefined> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/state', headers: bearer('viewer') });
  return (response.json() as LiveState).staffing.find((row) => row.line === line);
}

beforeAll(async () => {
  const dashboards = tempDir('watchfloor-staffing-');
  fs.writeFileSync(path.join(dashboards, 'staffing.json'), JSON.stringify(STAFFING));
  fs.writeFileSync(path.join(dashboards, 'alerts.json'), JSON.stringify(RULES));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboards, TZ: 'UTC' } });
  await t.app.ready();
  // Eight weeks before today, two arrivals every quarter hour (the forecast has history to go on).
  const history = [];
  for (let at = Date.parse('2026-10-08T00:00:00Z'); at < Date.parse('2026-12-03T00:00:00Z'); at += 15 * 60_000) {
    history.push({ key: `h/${at}/0`, line: 'l1', createdAt: at }, { key: `h/${at}/1`, line: 'l1', createdAt: at + 1 });
  }
  await t.app.arrivals.record(history, NOW);
  await t.app.refreshStaffing();
});
afterAll(async () => {
  await t?.close();
});

describe('arrivals from the ingest path', () => {
  it('counts a ticket once however often it is sent, and a ticket solved months ago too (accepted, not stale)', async () => {
    const created = '2026-12-03T10:01:00.000Z';
    await post([ticketEvent({ id: 'A-1', queue: 'l1', createdAt: created, updatedAt: created }, { id: 'ev-a1' })]);
    await post([ticketEvent({ id: 'A-1', queue: 'l1', createdAt: created, updatedAt: '2026-12-03T10:02:00.000Z' }, { id: 'ev-a1-2' })]);
    const old = await post([
      ticketEvent(
        {
          id: 'OLD-1',
          queue: 'l1',
          status: 'solved',
          createdAt: '2026-09-01T08:10:00.000Z',
          updatedAt: '2026-09-02T08:00:00.000Z',
          solvedAt: '2026-09-02T08:00:00.000Z',
          firstResponseAt: '2026-09-01T09:00:00.000Z',
        },
        { id: 'ev-old-1' },
      ),
    ]);
    expect(old).toMatchObject({ accepted: 1, stale: 0 });
    await t.app.flushArrivals();

    const today = await t.app.arrivals.counts('l1', Date.parse('2026-12-03T10:00:00Z'), Date.parse('2026-12-03T10:15:00Z'));
    expect([...today.values()]).toEqual([1]);
    const september = await t.app.arrivals.counts('l1', Date.parse('2026-09-01T08:00:00Z'), Date.parse('2026-09-01T08:15:00Z'));
    expect([...september.values()]).toEqual([1]);
    // The forgotten ticket is not on the live screens.
    expect(t.app.model.ticket('demo', 'OLD-1') ?? t.app.model.ticket('test', 'OLD-1')).toBeNull();
  });

  it('answers the forecast for the line with the arrivals as actuals of the intervals that have ended', async () => {
    clock = NOW + HALF_HOUR; // 10:35: the 10:00 interval has ended
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/forecast?line=l1&from=2026-12-03T09:00:00Z&to=2026-12-03T11:00:00Z',
      headers: bearer('viewer'),
    });
    clock = NOW;
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { intervalMinutes: number; points: { at: string; actual: number | null; p10: number; p90: number }[] };
    expect(body.intervalMinutes).toBe(30);
    expect(body.points.map((p) => p.at)).toEqual([
      '2026-12-03T09:00:00.000Z',
      '2026-12-03T09:30:00.000Z',
      '2026-12-03T10:00:00.000Z',
      '2026-12-03T10:30:00.000Z',
    ]);
    expect(body.points.map((p) => p.actual)).toEqual([0, 0, 1, null]);
    for (const p of body.points) expect(p.p90).toBeGreaterThanOrEqual(p.p10);
  });

  it('refuses a forecast range beyond 7 days ahead, naming the parameter', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/forecast?line=l1&from=-1h&to=%2B30d', headers: bearer('viewer') });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toBe('to: at most 7 days ahead');
    // A bare + in the URL is a space: the answer says how to write it.
    const plus = await t.app.inject({ method: 'GET', url: '/api/v1/forecast?line=l1&from=-1h&to=+2h', headers: bearer('viewer') });
    expect(plus.statusCode).toBe(400);
    expect(plus.json().error.message).toContain('write %2B');
  });
});

describe('the staffing section', () => {
  it('has scheduled from the roster, staffedNow from the agents on the line, and gap = staffedNow − required', async () => {
    const roster = {
      shifts: [
        { agent: 'A-1', line: 'l1', start: '2026-12-03T09:00:00Z', end: '2026-12-03T12:00:00Z', breaks: [] },
        {
          agent: 'A-2',
          line: 'l1',
          start: '2026-12-03T10:00:00Z',
          end: '2026-12-03T12:00:00Z',
          breaks: [{ start: '2026-12-03T10:00:00Z', end: '2026-12-03T10:30:00Z' }],
        },
      ],
    };
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/roster', headers: bearer('supervisor'), payload: roster });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ stored: 2 });

    const at = '2026-12-03T10:04:00.000Z';
    await post([
      agentEvent({ id: 'A-1', team: 'l1', status: 'available' }, at, 'ag-1'),
      agentEvent({ id: 'A-2', team: 'l1', status: 'busy' }, at, 'ag-2'),
      agentEvent({ id: 'A-3', team: 'l1', status: 'away' }, at, 'ag-3'),
      agentEvent({ id: 'B-1', team: 'l2', status: 'available' }, at, 'ag-4'),
    ]);
    const row = await staffingOf('l1');
    expect(row).toBeDefined();
    if (row === undefined) return;
    expect(row.intervalStart).toBe('2026-12-03T10:00:00.000Z');
    expect(row.intervalEnd).toBe('2026-12-03T10:30:00.000Z');
    // A-1 the whole interval; A-2 is on its break all of it.
    expect(row.scheduled).toBe(1);
    expect(row.required).toBe(Math.ceil(row.forecast - 1e-9));
    expect(row.requiredScheduled).toBe(Math.ceil(row.required / 0.5 - 1e-9));
    expect(row.actual).toBe(1);
    expect(row.staffedNow).toBe(2);
    expect(row.gap).toBe(2 - row.required);
    expect(row.next.map((n) => n.start)).toEqual([
      '2026-12-03T10:30:00.000Z',
      '2026-12-03T11:00:00.000Z',
      '2026-12-03T11:30:00.000Z',
      '2026-12-03T12:00:00.000Z',
    ]);
    expect(row.next.map((n) => n.scheduled)).toEqual([2, 2, 2, 0]);
    expect(await staffingOf('l2')).toBeUndefined();
  });

  it('moves staffedNow and gap with presence, and a roster upload moves scheduled at once', async () => {
    await post([agentEvent({ id: 'A-2', team: 'l1', status: 'offline' }, '2026-12-03T10:04:30.000Z', 'ag-5')]);
    const after = await staffingOf('l1');
    expect(after?.staffedNow).toBe(1);
    expect(after?.gap).toBe(1 - (after?.required ?? 0));

    const csv = 'agent,line,start,end\nA-1,l1,2026-12-03T09:00:00Z,2026-12-03T12:00:00Z\nA-3,l1,2026-12-03T10:00:00Z,2026-12-03T11:00:00Z\n';
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/roster', headers: { ...bearer('supervisor'), 'content-type': 'text/csv' }, payload: csv });
    expect(put.statusCode, put.body).toBe(200);
    expect((await staffingOf('l1'))?.scheduled).toBe(2);
  });

  it('counts a new ticket of the interval in actual at once, before the next plan', async () => {
    const before = (await staffingOf('l1'))?.actual ?? -1;
    const created = '2026-12-03T10:04:50.000Z';
    await post([ticketEvent({ id: 'A-2', queue: 'l1', createdAt: created, updatedAt: created }, { id: 'ev-a2' })]);
    expect((await staffingOf('l1'))?.actual).toBe(before + 1);
    // Sent again, it is not new: actual stays.
    await post([ticketEvent({ id: 'A-2', queue: 'l1', createdAt: created, updatedAt: '2026-12-03T10:04:55.000Z' }, { id: 'ev-a2-2' })]);
    expect((await staffingOf('l1'))?.actual).toBe(before + 1);
    // The next plan reads it from the store: still counted once.
    await t.app.refreshStaffing();
    expect((await staffingOf('l1'))?.actual).toBe(before + 1);
  });

  it('refuses overlapping shifts of one agent naming both rows, and changes nothing', async () => {
    const csv = 'agent,line,start,end\nA-1,l1,2026-12-03T09:00:00Z,2026-12-03T12:00:00Z\nA-1,l1,2026-12-03T11:00:00Z,2026-12-03T13:00:00Z\n';
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/roster', headers: { ...bearer('supervisor'), 'content-type': 'text/csv' }, payload: csv });
    expect(put.statusCode).toBe(409);
    // CSV rows are the file's line numbers, as a spreadsheet shows them (the header is line 1).
    expect(JSON.stringify(put.json().error)).toContain('row 2 and row 3 overlap');
    expect((await staffingOf('l1'))?.scheduled).toBe(2);
  });

  it('lets an alert rule watch staffing.l1.gap', async () => {
    // Everyone leaves the line: the gap is −required, short whenever anything is forecast.
    await post([agentEvent({ id: 'A-1', team: 'l1', status: 'offline' }, '2026-12-03T10:04:40.000Z', 'ag-6')]);
    const row = await staffingOf('l1');
    expect(row?.staffedNow).toBe(0);
    // Eight weeks of two arrivals every quarter hour: something is forecast, so someone is required.
    expect(row?.required).toBeGreaterThanOrEqual(1);
    expect(row?.gap).toBe(-(row?.required ?? 0));
    await t.app.alerts.evaluate();
    expect(t.app.alerts.active().map((alert) => alert.id)).toContain('l1-short');
  });
});
