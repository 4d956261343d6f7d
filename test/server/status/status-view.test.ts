// The status page's content (docs/contract.md#status-page), pure: which incidents and services show,
// each service's state, the overall line, and customer updates only, newest first.
import { describe, expect, it } from 'vitest';
import { statusView } from '../../../server/status/status-view.js';
import { DAY, incident, MINUTE, min, T0 } from './incidents.js';

describe('services and their state', () => {
  it('is an outage under an active SEV1, degraded under any other active incident, operational once resolved', () => {
    const now = min(120);
    const view = statusView(
      [
        incident(1, { severity: 'SEV1', services: ['Payments', 'Checkout'] }, min(0)),
        incident(2, { severity: 'SEV3', services: ['Login', 'checkout'] }, min(10)),
        incident(3, { severity: 'SEV4', services: ['Search'] }, min(20), [{ at: min(30), patch: { status: 'resolved' } }]),
      ],
      now,
    );
    expect(view.services).toEqual([
      // "checkout" of #2 and "Checkout" of #1 are one service, spelled as the newest incident (#2) does.
      { name: 'checkout', state: 'outage', incidents: [2, 1] },
      { name: 'Login', state: 'degraded', incidents: [2] },
      { name: 'Payments', state: 'outage', incidents: [1] },
      { name: 'Search', state: 'operational', incidents: [] },
    ]);
    expect(view.state).toBe('major-outage');
    expect(view.generatedAt).toBe('2026-11-26T12:00:00.000Z');
  });

  it('says "partial outage" for active SEV2–SEV4 and "operational" with none active', () => {
    expect(statusView([incident(1, { severity: 'SEV4', services: [] }, min(0))], min(5)).state).toBe('partial-outage');
    expect(statusView([incident(1, { severity: 'SEV2', services: ['Login'] }, min(0))], min(5)).state).toBe('partial-outage');
    const resolved = incident(1, { severity: 'SEV1', services: ['Login'] }, min(0), [{ at: min(30), patch: { status: 'resolved' } }]);
    expect(statusView([resolved], min(60)).state).toBe('operational');
    expect(statusView([], min(60))).toEqual({ generatedAt: '2026-11-26T11:00:00.000Z', state: 'operational', services: [], incidents: [], updates: [] });
  });

  it('keeps a resolved incident for 7 days after its resolution, not a moment longer', () => {
    const resolved = incident(4, { services: ['Reports'] }, min(0), [{ at: min(60), patch: { status: 'resolved' } }]);
    const resolvedAt = min(60);
    expect(statusView([resolved], resolvedAt + 7 * DAY).incidents.map((i) => i.number)).toEqual([4]);
    expect(statusView([resolved], resolvedAt + 7 * DAY).services).toEqual([{ name: 'Reports', state: 'operational', incidents: [] }]);
    expect(statusView([resolved], resolvedAt + 7 * DAY + 1)).toMatchObject({ incidents: [], services: [], updates: [] });
  });

  it('counts a reopened incident as active again', () => {
    const reopened = incident(5, { severity: 'SEV1', services: ['Login'] }, min(0), [
      { at: min(10), patch: { status: 'resolved' } },
      { at: min(20), patch: { status: 'investigating' } },
    ]);
    const view = statusView([reopened], min(30));
    expect(view.services).toEqual([{ name: 'Login', state: 'outage', incidents: [5] }]);
    expect(view.incidents).toEqual([
      { number: 5, title: 'Incident 5', status: 'investigating', services: ['Login'], declaredAt: '2026-11-26T10:00:00.000Z', resolvedAt: null },
    ]);
  });
});

describe('incidents and updates', () => {
  it('lists active incidents first (newest first), then resolved ones by resolution, newest first', () => {
    const view = statusView(
      [
        incident(1, {}, min(0), [{ at: min(50), patch: { status: 'resolved' } }]),
        incident(2, {}, min(10), [{ at: min(40), patch: { status: 'resolved' } }]),
        incident(3, {}, min(20)),
        incident(4, {}, min(30)),
      ],
      min(60),
    );
    expect(view.incidents.map((i) => [i.number, i.status, i.resolvedAt])).toEqual([
      [4, 'investigating', null],
      [3, 'investigating', null],
      [1, 'resolved', '2026-11-26T10:50:00.000Z'],
      [2, 'resolved', '2026-11-26T10:40:00.000Z'],
    ]);
  });

  it('shows customer updates only, newest first across incidents, with the status each was posted under', () => {
    const login = incident(7, { title: 'Login fails', severity: 'SEV2', services: ['Login'] }, min(0), [
      { at: min(5), update: { audience: 'customers', text: 'We are looking into login failures.' } },
      { at: min(6), update: { audience: 'internal', text: 'INTERNAL-ONLY the auth pods restart in a loop' } },
      { at: min(15), patch: { status: 'identified' } },
      { at: min(20), update: { audience: 'customers', text: 'We found the cause.' } },
    ]);
    const search = incident(8, { title: 'Search slow', severity: 'SEV3', services: ['Search'] }, min(8), [
      { at: min(12), update: { audience: 'customers', text: 'Search is slow.' } },
    ]);
    const view = statusView([login, search], min(30));
    // A declaration is seqs 1 and 2 (the declarer takes command); login's updates are seqs 3 and 6.
    expect(view.updates).toEqual([
      {
        number: 7,
        title: 'Login fails',
        status: 'identified',
        statusThen: 'identified',
        seq: 6,
        at: '2026-11-26T10:20:00.000Z',
        text: 'We found the cause.',
        declaredAt: '2026-11-26T10:00:00.000Z',
        resolvedAt: null,
      },
      {
        number: 8,
        title: 'Search slow',
        status: 'investigating',
        statusThen: 'investigating',
        seq: 3,
        at: '2026-11-26T10:12:00.000Z',
        text: 'Search is slow.',
        declaredAt: '2026-11-26T10:08:00.000Z',
        resolvedAt: null,
      },
      {
        number: 7,
        title: 'Login fails',
        status: 'identified',
        statusThen: 'investigating',
        seq: 3,
        at: '2026-11-26T10:05:00.000Z',
        text: 'We are looking into login failures.',
        declaredAt: '2026-11-26T10:00:00.000Z',
        resolvedAt: null,
      },
    ]);
    expect(JSON.stringify(view)).not.toContain('INTERNAL-ONLY');
  });

  it('carries nothing customers should not see: no severity, summary, people or roles', () => {
    const secretive = incident(9, { severity: 'SEV1', summary: 'SUMMARY-SECRET', services: ['API'] }, T0, [
      { at: T0 + MINUTE, update: { audience: 'customers', text: 'API errors.' } },
    ]);
    const text = JSON.stringify(statusView([secretive], T0 + 2 * MINUTE));
    for (const hidden of ['SUMMARY-SECRET', 'anna', 'omar', 'SEV1', 'commander', 'severity', 'summary', 'actor']) expect(text).not.toContain(hidden);
  });
});
