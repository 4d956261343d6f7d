// Follow-ups in the incident domain (docs/contract.md#follow-ups), pure: the timeline entries the commands append,
// the follow-ups the fold derives from them, overdue at a given time, the counts of the state's
// section, the rows of the list, and the bodies' validation.
import { describe, expect, it } from 'vitest';
import type { Incident, TimelineEntry } from '../../../contract/incidents.js';
import { followUpCounts, followUpRows, isOverdue } from '../../../server/incidents/follow-ups.js';
import { addFollowUp, changeFollowUp, declare, deriveIncident, patch, type StoredIncident } from '../../../server/incidents/incident.js';
import { parseFollowUp, parseFollowUpPatch } from '../../../server/incidents/validate-input.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const min = (m: number): number => T0 + m * 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** An incident driven command by command, as the service does it. */
class Run {
  private stored: StoredIncident;

  constructor(number = 1, title = 'Checkout failing') {
    const entries = declare({ title, severity: 'SEV2', summary: '', services: [], match: { tags: [], keywords: [] } }, { actor: 'anna', at: T0 });
    this.stored = { id: `inc-${number}`, number, entries };
  }

  get incident(): Incident {
    return deriveIncident(this.stored);
  }

  apply(entries: TimelineEntry[] | null): TimelineEntry[] {
    if (entries === null) throw new Error('the command found no target');
    this.stored = { ...this.stored, entries: [...this.stored.entries, ...entries] };
    return entries;
  }

  add(title: string, owner: string, dueMin: number, at = min(5)): TimelineEntry[] {
    return this.apply(addFollowUp(this.incident, { title, owner, dueAt: iso(min(dueMin)) }, { actor: 'lee', at }).entries);
  }
}

describe('the timeline → the follow-ups', () => {
  it('adds f1, f2… open, with who and when, from one entry each', () => {
    const run = new Run();
    const [entry] = run.add('Write the post-mortem', 'anna', 60 * 48);
    expect(entry).toEqual({
      seq: 3,
      at: iso(min(5)),
      kind: 'follow-up-added',
      actor: 'lee',
      text: `follow-up f1: Write the post-mortem (owner anna, due ${iso(min(60 * 48))})`,
      change: { field: 'followUps.f1', from: null, to: { title: 'Write the post-mortem', owner: 'anna', dueAt: iso(min(60 * 48)) } },
    });
    run.add('Add a PSP alert', 'omar', 60);
    expect(run.incident.followUps).toEqual([
      {
        id: 'f1',
        title: 'Write the post-mortem',
        owner: 'anna',
        dueAt: iso(min(2880)),
        status: 'open',
        createdAt: iso(min(5)),
        createdBy: 'lee',
        doneAt: null,
      },
      { id: 'f2', title: 'Add a PSP alert', owner: 'omar', dueAt: iso(min(60)), status: 'open', createdAt: iso(min(5)), createdBy: 'lee', doneAt: null },
    ]);
  });

  it('changes status, owner and due time with one entry per field that moves, and nothing for what stays', () => {
    const run = new Run();
    run.add('Write the post-mortem', 'anna', 60);
    const entries = run.apply(changeFollowUp(run.incident, 'f1', { status: 'open', owner: 'boris', dueAt: iso(min(120)) }, { actor: 'sam', at: min(10) }));
    expect(entries.map((e) => [e.seq, e.kind, e.change?.field, e.change?.from, e.change?.to, e.text])).toEqual([
      [4, 'follow-up-changed', 'followUps.f1.owner', 'anna', 'boris', 'follow-up f1 owner: boris'],
      [5, 'follow-up-changed', 'followUps.f1.dueAt', iso(min(60)), iso(min(120)), `follow-up f1 due ${iso(min(120))}`],
    ]);
    expect(changeFollowUp(run.incident, 'f1', { owner: 'boris' }, { actor: 'sam', at: min(11) })).toEqual([]);
    expect(changeFollowUp(run.incident, 'f2', { status: 'done' }, { actor: 'sam', at: min(11) })).toBeNull();

    run.apply(changeFollowUp(run.incident, 'f1', { status: 'done' }, { actor: 'sam', at: min(30) }));
    expect(run.incident.followUps[0]).toMatchObject({ owner: 'boris', dueAt: iso(min(120)), status: 'done', doneAt: iso(min(30)) });
    const [reopen] = run.apply(changeFollowUp(run.incident, 'f1', { status: 'open' }, { actor: 'sam', at: min(40) }));
    expect(reopen?.text).toBe('follow-up f1 reopened: Write the post-mortem');
    expect(run.incident.followUps[0]).toMatchObject({ status: 'open', doneAt: null });
    run.apply(changeFollowUp(run.incident, 'f1', { status: 'wontfix' }, { actor: 'sam', at: min(50) }));
    expect(run.incident.followUps[0]).toMatchObject({ status: 'wontfix', doneAt: null });
  });

  it('go on after the incident is resolved, which stays resolved', () => {
    const run = new Run();
    run.apply(patch(run.incident, { status: 'resolved' }, { actor: 'anna', at: min(20) }));
    run.add('Write the post-mortem', 'anna', 60, min(30));
    run.apply(changeFollowUp(run.incident, 'f1', { status: 'done' }, { actor: 'anna', at: min(90) }));
    expect(run.incident).toMatchObject({ status: 'resolved', resolvedAt: iso(min(20)), followUps: [{ id: 'f1', status: 'done', doneAt: iso(min(90)) }] });
  });
});

describe('overdue at a time', () => {
  it('is open and strictly past the due time', () => {
    const due = iso(min(60));
    expect(isOverdue({ status: 'open', dueAt: due }, min(59))).toBe(false);
    expect(isOverdue({ status: 'open', dueAt: due }, min(60))).toBe(false);
    expect(isOverdue({ status: 'open', dueAt: due }, min(60) + 1)).toBe(true);
    expect(isOverdue({ status: 'done', dueAt: due }, min(120))).toBe(false);
    expect(isOverdue({ status: 'wontfix', dueAt: due }, min(120))).toBe(false);
  });

  it('counts open and overdue over every incident, resolved ones too; lists rows by due time', () => {
    const payments = new Run(1, 'Card payments failing');
    payments.add('Post-mortem', 'anna', 120); // f1, due 12:00
    payments.add('PSP alert', 'lee', 30); // f2, due 10:30
    const search = new Run(2, 'Slow search');
    search.add('Reindex', 'omar', 30); // f1, due 10:30, same as payments f2
    search.add('Runbook', 'sam', 10); // f2, due 10:10
    search.apply(changeFollowUp(search.incident, 'f2', { status: 'done' }, { actor: 'sam', at: min(8) }));
    search.apply(patch(search.incident, { status: 'resolved' }, { actor: 'anna', at: min(9) }));
    const incidents = [payments.incident, search.incident];

    expect(followUpCounts(incidents, min(0))).toEqual({ open: 3, overdue: 0 });
    expect(followUpCounts(incidents, min(31))).toEqual({ open: 3, overdue: 2 });
    expect(followUpCounts(incidents, min(121))).toEqual({ open: 3, overdue: 3 });

    const key = (rows: ReturnType<typeof followUpRows>) => rows.map((r) => `${r.incidentNumber}/${r.id}${r.overdue ? '!' : ''}`);
    // Equal due times: the lower incident number first.
    expect(key(followUpRows(incidents, 'open', min(31)))).toEqual(['1/f2!', '2/f1!', '1/f1']);
    expect(key(followUpRows(incidents, 'overdue', min(31)))).toEqual(['1/f2!', '2/f1!']);
    expect(key(followUpRows(incidents, 'all', min(31)))).toEqual(['2/f2', '1/f2!', '2/f1!', '1/f1']);
    expect(followUpRows(incidents, 'all', min(31))[0]).toMatchObject({
      incidentId: 'inc-2',
      incidentTitle: 'Slow search',
      status: 'done',
      doneAt: iso(min(8)),
    });
  });
});

describe('the bodies', () => {
  it('take a title, an owner and a zoned ISO time, normalized to UTC', () => {
    expect(parseFollowUp({ title: ' Post-mortem ', owner: ' anna ', dueAt: '2026-11-27T12:00:00+03:00' })).toEqual({
      ok: true,
      value: { title: 'Post-mortem', owner: 'anna', dueAt: '2026-11-27T09:00:00.000Z' },
    });
    expect(parseFollowUp({ title: 'x', owner: 'anna', dueAt: '1999-12-31T23:00:00Z' })).toEqual({
      ok: false,
      error: 'dueAt: must be a time between the years 2000 and 2999, got "1999-12-31T23:00:00Z"',
    });
    expect(parseFollowUp({ title: 'x'.repeat(301), owner: 'anna', dueAt: '2026-11-27T12:00:00Z' })).toEqual({
      ok: false,
      error: 'title: at most 300 characters, got 301',
    });
    expect(parseFollowUp({ title: 'x', owner: 'a\nb', dueAt: '2026-11-27T12:00:00Z' })).toEqual({
      ok: false,
      error: 'owner: must be one line without control characters',
    });
  });

  it('change status (any case), owner or due time; at least one', () => {
    expect(parseFollowUpPatch({ status: 'Done' })).toEqual({ ok: true, value: { status: 'done' } });
    expect(parseFollowUpPatch({ status: 'wontfix', owner: 'boris', dueAt: '2026-11-27T12:00:00Z' })).toEqual({
      ok: true,
      value: { status: 'wontfix', owner: 'boris', dueAt: '2026-11-27T12:00:00.000Z' },
    });
    expect(parseFollowUpPatch({})).toEqual({ ok: false, error: 'body: send at least one of status, owner, dueAt' });
    expect(parseFollowUpPatch({ owner: '' })).toEqual({ ok: false, error: 'owner: must not be empty' });
    expect(parseFollowUpPatch({ done: true })).toEqual({ ok: false, error: 'done: unknown field; allowed: status, owner, dueAt' });
  });
});
