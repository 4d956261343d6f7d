// What the wall shows, decided without a browser: the board (its own or the incident one), the
// incident and alerts on its bar, the page of the rotation, and above all the bar itself, which
// must never show a calm title while the wall is not live (docs/contract.md#screens-and-who-uses-them).
import { describe, expect, it } from 'vitest';
import type { ActiveAlert } from '../../../../contract/alerts.js';
import type { Dashboard } from '../../../../contract/dashboards.js';
import type { IncidentSummary } from '../../../../contract/domain.js';
import { barKindOf, connectionHintOf, noticeOf, pageAt, shownBoard, wallAlertsOf, type BarInput } from '../../../../web/src/lib/wall/wall-view.js';

const board = (id: string, extra: Partial<Dashboard> = {}): Dashboard => ({ id, title: id, pages: [{ widgets: [] }], ...extra });

const incident = (
  id: string,
  severity: IncidentSummary['severity'],
  declaredAt: string,
  status: IncidentSummary['status'] = 'investigating',
  // The server's word from the scale in force; SEV1/SEV2 are major by default.
  major = severity === 'SEV1' || severity === 'SEV2',
): IncidentSummary => ({
  id,
  number: Number(id.replace(/\D/g, '')),
  title: `Incident ${id}`,
  severity,
  major,
  status,
  declaredAt,
  commander: null,
  latestUpdate: null,
  nextUpdateDueAt: null,
  linkedTickets: 0,
  linkedRatePerHour: 0,
  tasksDone: 0,
  tasksTotal: 0,
  version: 1,
});

const alert = (id: string, wall: boolean, severity: ActiveAlert['severity'] = 'warning'): ActiveAlert => ({
  id,
  title: id,
  severity,
  wall,
  state: 'firing',
  instance: 1,
  firedAt: '2026-12-02T10:00:00Z',
  value: 3,
  metric: 'sla.atRisk',
  acknowledged: null,
});

describe('the board a wall shows', () => {
  const incidentBoard = board('incident');
  const sev3 = incident('i3', 'SEV3', '2026-12-02T09:00:00Z');
  const sev2 = incident('i2', 'SEV2', '2026-12-02T08:00:00Z');
  const sev1 = incident('i1', 'SEV1', '2026-12-02T09:30:00Z');

  it('is its own, without a bar, while no SEV1/SEV2 is active', () => {
    const own = board('support', { incidentMode: 'takeover' });
    expect(shownBoard(own, incidentBoard, [sev3])).toEqual({ mode: 'normal', takeover: false, barIncident: null, dashboard: own });
    expect(shownBoard(own, incidentBoard, [incident('i9', 'SEV1', '2026-12-02T09:00:00Z', 'resolved')]).mode).toBe('normal');
  });

  it('is the incident board in takeover mode, with no bar, once that board was read', () => {
    const own = board('support', { incidentMode: 'takeover' });
    expect(shownBoard(own, incidentBoard, [sev2])).toEqual({ mode: 'takeover', takeover: true, barIncident: null, dashboard: incidentBoard });
  });

  it('stays its own with the incident bar in takeover mode while the incident board is missing', () => {
    const own = board('support', { incidentMode: 'takeover' });
    expect(shownBoard(own, null, [sev2])).toEqual({ mode: 'takeover', takeover: false, barIncident: sev2, dashboard: own });
  });

  it("names the first major incident in the state's order (the server's: most severe on its scale first)", () => {
    const own = board('support');
    const older = incident('i4', 'SEV1', '2026-12-02T07:00:00Z');
    expect(shownBoard(own, incidentBoard, [sev1, sev2, sev3]).barIncident).toBe(sev1);
    expect(shownBoard(own, incidentBoard, [older, sev1, sev2]).barIncident).toBe(older);
    expect(shownBoard(own, incidentBoard, [sev3, sev2]).barIncident).toBe(sev2);
    expect(shownBoard(own, incidentBoard, [sev1]).mode).toBe('banner');
  });

  it('goes by what the state says is major, whatever the severity is called', () => {
    const own = board('support', { incidentMode: 'takeover' });
    const p1 = incident('i5', 'P1', '2026-12-02T09:00:00Z', 'investigating', true);
    const p2 = incident('i6', 'P2', '2026-12-02T09:00:00Z', 'investigating', false);
    expect(shownBoard(own, incidentBoard, [p1]).takeover).toBe(true);
    expect(shownBoard(own, incidentBoard, [p2]).mode).toBe('normal');
    // SEV1 no longer on the scale (or not major there): the server says false, and the wall believes it.
    expect(shownBoard(own, incidentBoard, [incident('i7', 'SEV1', '2026-12-02T09:00:00Z', 'investigating', false)]).mode).toBe('normal');
  });

  it('is nothing before the wall knows its dashboard', () => {
    expect(shownBoard(null, incidentBoard, [sev1])).toEqual({ mode: 'normal', takeover: false, barIncident: null, dashboard: null });
  });
});

describe('the alerts on the wall', () => {
  it('are the wall alerts in the server order, unless its own board opts out', () => {
    const list = [alert('down', true, 'critical'), alert('quiet', false), alert('slow', true)];
    expect(wallAlertsOf(board('support'), list).map((a) => a.id)).toEqual(['down', 'slow']);
    expect(wallAlertsOf(board('support', { alerts: false }), list)).toEqual([]);
    expect(wallAlertsOf(null, list).map((a) => a.id)).toEqual(['down', 'slow']);
    expect(wallAlertsOf(board('support'), null)).toEqual([]);
  });
});

describe('the page of the rotation', () => {
  it('wraps around the pages and is null without pages', () => {
    const pages = [{ widgets: [] }, { title: 'two', widgets: [] }, { widgets: [] }];
    expect(pageAt(pages, 0)).toEqual({ page: pages[0], index: 0 });
    expect(pageAt(pages, 4)).toEqual({ page: pages[1], index: 1 });
    expect(pageAt([], 3)).toBeNull();
  });
});

describe('the top bar', () => {
  const live: BarInput = { status: 'live', storeOk: true, hasIncident: false, alertCount: 0, hasLastGood: true };

  it('is the title while live and calm', () => {
    expect(barKindOf(live)).toBe('title');
    expect(barKindOf({ ...live, storeOk: null })).toBe('title');
  });

  it('is, live, the storage banner before an incident, an incident before an alert', () => {
    expect(barKindOf({ ...live, storeOk: false, hasIncident: true, alertCount: 2 })).toBe('store-down');
    expect(barKindOf({ ...live, hasIncident: true, alertCount: 2 })).toBe('incident');
    expect(barKindOf({ ...live, alertCount: 1 })).toBe('alert');
  });

  it('is the connection banner whenever the wall is not live after having been, whatever else is going on', () => {
    for (const status of ['reconnecting', 'offline'] as const) {
      expect(barKindOf({ ...live, status })).toBe('connection');
      expect(barKindOf({ status, storeOk: false, hasIncident: true, alertCount: 3, hasLastGood: true })).toBe('connection');
    }
  });

  it('is a quiet title before the first connection, and the banner once offline even then', () => {
    expect(barKindOf({ ...live, status: 'reconnecting', hasLastGood: false })).toBe('title');
    expect(barKindOf({ ...live, status: 'offline', hasLastGood: false })).toBe('connection');
  });

  it('says why: no token, a refused token, or that the numbers may be old', () => {
    expect(connectionHintOf(null, null, true)).toBe('wall.noToken');
    expect(connectionHintOf('t', 'unauthorized: unknown token', true)).toBe('conn.refused');
    expect(connectionHintOf('t', 'forbidden', false)).toBe('conn.refused');
    expect(connectionHintOf('t', 'xhr poll error', true)).toBe('conn.stale');
    expect(connectionHintOf('t', 'xhr poll error', false)).toBeNull();
  });
});

describe('the notice without widgets', () => {
  const none = { hasPage: false, dashboardError: null, token: 't', status: 'live' as const };
  it('says what is missing, the most telling reason first', () => {
    expect(noticeOf({ ...none, hasPage: true, dashboardError: 'x' })).toBe('empty');
    expect(noticeOf({ ...none, dashboardError: 'unknown dashboard "nope"', token: null })).toBe('unknown');
    expect(noticeOf({ ...none, token: null })).toBe('noToken');
    expect(noticeOf(none)).toBe('loading');
    expect(noticeOf({ ...none, status: 'reconnecting' })).toBe('connecting');
  });
});
