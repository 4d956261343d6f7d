// The incident screens' pure logic, without a browser: when a wall goes into incident mode and
// which mode, the countdown, and what a 409 says changed meanwhile. incident.test.ts shows the same
// on real screens; these pin the edges.
import { describe, expect, it } from 'vitest';
import type { Incident, TimelineEntry } from '../../../../contract/incidents.js';
import { countdownTo, entriesAfter, isMajor, lastSeq, nextStatus, splitList, updatesOf, wallModeOf } from '../../../../web/src/lib/incidents/present.js';
import { byRank } from '../../../../web/src/lib/incidents/severity-scale.js';

const summary = (severity: string, status = 'investigating', declaredAt = '2026-11-26T10:00:00Z', id = severity) => ({
  id,
  number: 1,
  severity,
  // What the server says from the scale in force: SEV1 and SEV2 are major by default.
  major: severity === 'SEV1' || severity === 'SEV2',
  status,
  declaredAt,
});

describe('incident mode', () => {
  it('starts with an unresolved incident the state says is major (SEV1 or SEV2 by default) only', () => {
    expect(isMajor({ ...summary('P1'), major: true })).toBe(true);
    expect(isMajor({ ...summary('SEV1'), major: false })).toBe(false);
    expect(isMajor({ status: 'investigating' })).toBe(false);
    expect(isMajor(summary('SEV1'))).toBe(true);
    expect(isMajor(summary('SEV2', 'monitoring'))).toBe(true);
    expect(isMajor(summary('SEV2', 'resolved'))).toBe(false);
    expect(isMajor(summary('SEV3'))).toBe(false);
    expect(isMajor(summary('SEV4'))).toBe(false);
  });

  it('takes over, shows a bar, or leaves the wall alone, as its dashboard says', () => {
    const sev1 = [summary('SEV1')];
    expect(wallModeOf({ id: 'support', incidentMode: 'takeover' }, sev1)).toBe('takeover');
    expect(wallModeOf({ id: 'lobby', incidentMode: 'banner' }, sev1)).toBe('banner');
    // A dashboard that says nothing still tells people: a bar takes nothing away from it.
    expect(wallModeOf({ id: 'team' }, sev1)).toBe('banner');
    // The incident dashboard is never taken over by itself.
    expect(wallModeOf({ id: 'incident', incidentMode: 'takeover' }, sev1)).toBe('normal');
    expect(wallModeOf({ id: 'support', incidentMode: 'takeover' }, [summary('SEV3')])).toBe('normal');
    expect(wallModeOf({ id: 'support', incidentMode: 'takeover' }, [summary('SEV1', 'resolved')])).toBe('normal');
    expect(wallModeOf({ id: 'support', incidentMode: 'takeover' }, [])).toBe('normal');
    // Before the first state or the dashboard, nothing is known: the wall stays as it is.
    expect(wallModeOf(null, sev1)).toBe('normal');
    expect(wallModeOf({ id: 'support', incidentMode: 'takeover' }, null)).toBe('normal');
  });

  it('shows the most severe incident first on the scale in force, then the oldest', () => {
    const levels = [
      { id: 'P1', label: 'Outage', description: '', major: true, customerUpdateMinutes: 15 },
      { id: 'P2', label: 'Degraded', description: '', major: false, customerUpdateMinutes: null },
      { id: 'P3', label: 'Minor', description: '', major: false, customerUpdateMinutes: null },
    ];
    const list = [
      summary('P3', 'investigating', '2026-11-26T09:00:00Z', 'a'),
      summary('P2', 'investigating', '2026-11-26T11:00:00Z', 'b'),
      summary('P2', 'investigating', '2026-11-26T10:00:00Z', 'c'),
      summary('GONE', 'investigating', '2026-11-26T08:00:00Z', 'd'),
      summary('P1', 'investigating', '2026-11-26T12:00:00Z', 'e'),
    ];
    // A severity the scale no longer has goes last.
    expect([...list].sort(byRank(levels)).map((i) => i.id)).toEqual(['e', 'c', 'b', 'a', 'd']);
  });
});

describe('the next-update countdown', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  it('counts down to the due time and goes negative (overdue) after it', () => {
    expect(countdownTo('2026-11-26T10:30:00Z', now)).toEqual({ seconds: 1800, overdue: false });
    expect(countdownTo('2026-11-26T10:00:00Z', now)).toEqual({ seconds: 0, overdue: false });
    expect(countdownTo('2026-11-26T09:58:59.500Z', now)).toEqual({ seconds: -61, overdue: true });
  });

  it('is absent where nothing is due', () => {
    expect(countdownTo(null, now)).toBeNull();
    expect(countdownTo('not a time', now)).toBeNull();
  });
});

describe('what changed meanwhile', () => {
  const entry = (seq: number, kind: TimelineEntry['kind'], actor: string): TimelineEntry => ({ seq, at: `2026-11-26T10:00:0${seq}Z`, kind, actor });
  const incident = { timeline: [entry(1, 'declared', 'ana'), entry(2, 'role', 'ana'), entry(3, 'severity', 'boris'), entry(4, 'update', 'carla')] } as Pick<
    Incident,
    'timeline'
  >;

  it('is every entry after the version the person decided on, oldest first', () => {
    expect(lastSeq({ timeline: incident.timeline.slice(0, 2) })).toBe(2);
    expect(entriesAfter(incident, 2).map((e) => e.actor)).toEqual(['boris', 'carla']);
    expect(entriesAfter(incident, 4)).toEqual([]);
  });
});

describe('forms and lists', () => {
  it('reads comma-separated lists without empties or repeats', () => {
    expect(splitList(' checkout, payments ,, checkout ,')).toEqual(['checkout', 'payments']);
    expect(splitList('')).toEqual([]);
  });

  it('steps the status forward to resolved and no further', () => {
    expect(nextStatus('investigating')).toBe('identified');
    expect(nextStatus('monitoring')).toBe('resolved');
    expect(nextStatus('resolved')).toBeNull();
  });

  it('lists updates newest first', () => {
    const updates = [
      { seq: 3, at: '', actor: 'a', audience: 'internal' as const, text: 'one' },
      { seq: 7, at: '', actor: 'b', audience: 'customers' as const, text: 'two' },
    ];
    expect(updatesOf({ updates }).map((u) => u.text)).toEqual(['two', 'one']);
  });
});
