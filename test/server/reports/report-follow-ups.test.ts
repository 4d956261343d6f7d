// The management report's incidents carry their follow-ups (docs/contract.md#follow-ups): title, owner, due time and
// done, taken from the incident's timeline; what was decided against (wontfix) is left out. Pure:
// buildReportData on an incident derived from its entries, with no ticket days.
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../../server/domain/calendar.js';
import { addFollowUp, changeFollowUp, declare, deriveIncident, type StoredIncident } from '../../../server/incidents/incident.js';
import { buildReportData } from '../../../server/reports/report-data.js';
import type { Incident, TimelineEntry } from '../../../contract/incidents.js';
import { DEFINITION } from './report-fixture.js';

const at = (time: string): number => Date.parse(`2026-11-26T${time}:00.000Z`);

function incidentWithFollowUps(): Incident {
  let stored: StoredIncident = {
    id: 'inc-1',
    number: 1,
    entries: declare(
      { title: 'Card payments failing', severity: 'SEV1', summary: '', services: [], match: { tags: [], keywords: [] } },
      { actor: 'anna', at: at('10:00') },
    ),
  };
  const apply = (entries: TimelineEntry[] | null): void => {
    stored = { ...stored, entries: [...stored.entries, ...(entries ?? [])] };
  };
  const now = () => deriveIncident(stored);
  apply(addFollowUp(now(), { title: 'Post-mortem', owner: 'anna', dueAt: '2026-11-28T17:00:00.000Z' }, { actor: 'lee', at: at('10:10') }).entries);
  apply(addFollowUp(now(), { title: 'Migrate the PSP', owner: 'omar', dueAt: '2026-12-20T17:00:00.000Z' }, { actor: 'lee', at: at('10:11') }).entries);
  apply(addFollowUp(now(), { title: 'PSP alert', owner: 'lee', dueAt: '2026-11-27T12:00:00.000Z' }, { actor: 'lee', at: at('10:12') }).entries);
  apply(changeFollowUp(now(), 'f1', { status: 'done' }, { actor: 'anna', at: at('11:00') }));
  apply(changeFollowUp(now(), 'f2', { status: 'wontfix' }, { actor: 'anna', at: at('11:01') }));
  return now();
}

describe('the management report', () => {
  it("lists an incident's open and done follow-ups, without the wontfix ones", () => {
    const data = buildReportData({
      definition: DEFINITION,
      periodStart: '2026-11-23',
      periodEnd: '2026-11-30',
      previousStart: '2026-11-16',
      previousEnd: '2026-11-23',
      span: { parts: new Map(), lineDays: [] },
      incidents: [incidentWithFollowUps()],
      calendar: new Calendar(),
      timeZone: 'UTC',
      now: Date.parse('2026-11-30T06:00:00.000Z'),
    });
    expect(data.incidents.map((i) => i.followUps)).toEqual([
      [
        { title: 'Post-mortem', owner: 'anna', dueAt: '2026-11-28T17:00:00.000Z', done: true },
        { title: 'PSP alert', owner: 'lee', dueAt: '2026-11-27T12:00:00.000Z', done: false },
      ],
    ]);
  });
});
