// When reports run and which period each covers: period maths on local days, and the schedule on a
// fake clock across Europe/Berlin's daylight saving changes of 2026 (clocks forward 02:00 → 03:00
// on 29 March, back 03:00 → 02:00 on 25 October), and the catch-up after a restart.
import { describe, expect, it } from 'vitest';
import type { ReportPeriod } from '../../../contract/reports.js';
import { addDays, dueRuns, isPeriodStart, localDate, nextFireAfter, periodOf, previousPeriod } from '../../../server/reports/schedule.js';

const BERLIN = 'Europe/Berlin';
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A scheduler on a fake clock: every `stepMinutes` from `from` to `to` it asks for due runs and
 * "claims" each (its last scheduled time becomes the tick's time). Answers what ran.
 */
function simulate(period: ReportPeriod, schedule: string, from: string, to: string, stepMinutes = 5): string[] {
  const ran: string[] = [];
  let last: number | null = t(from);
  for (let now = t(from); now <= t(to); now += stepMinutes * 60_000) {
    for (const due of dueRuns({ period, schedule }, last, now, BERLIN)) {
      ran.push(`${iso(due.firedAt)} ${due.period.start}..${due.period.end}`);
      last = now;
    }
  }
  return ran;
}

describe('periods', () => {
  it('a day, a week from Monday, a calendar month; end is the first day after', () => {
    expect(periodOf('day', '2026-11-24')).toEqual({ start: '2026-11-24', end: '2026-11-25' });
    // 2026-11-23 is a Monday; the 24th is the Tuesday of that week.
    expect(periodOf('week', '2026-11-24')).toEqual({ start: '2026-11-23', end: '2026-11-30' });
    expect(periodOf('week', '2026-11-23')).toEqual({ start: '2026-11-23', end: '2026-11-30' });
    expect(periodOf('week', '2026-11-29')).toEqual({ start: '2026-11-23', end: '2026-11-30' });
    expect(periodOf('month', '2026-11-24')).toEqual({ start: '2026-11-01', end: '2026-12-01' });
    // Across the year: 1 January 2027 is a Friday.
    expect(periodOf('week', '2027-01-01')).toEqual({ start: '2026-12-28', end: '2027-01-04' });
    expect(periodOf('month', '2026-12-31')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(periodOf('day', '2026-12-31')).toEqual({ start: '2026-12-31', end: '2027-01-01' });
  });

  it('period starts: any day, a Monday, the 1st', () => {
    expect(isPeriodStart('week', '2026-11-23')).toBe(true);
    expect(isPeriodStart('week', '2026-11-24')).toBe(false);
    expect(isPeriodStart('month', '2026-11-01')).toBe(true);
    expect(isPeriodStart('month', '2026-11-02')).toBe(false);
    expect(isPeriodStart('day', '2026-11-24')).toBe(true);
    // Not dates at all.
    expect(isPeriodStart('day', '2026-02-30')).toBe(false);
    expect(isPeriodStart('day', '2026-11-24T00:00')).toBe(false);
    expect(isPeriodStart('month', '../../etc')).toBe(false);
  });

  it('the previous period', () => {
    expect(previousPeriod('week', '2026-11-23')).toEqual({ start: '2026-11-16', end: '2026-11-23' });
    expect(previousPeriod('month', '2026-03-01')).toEqual({ start: '2026-02-01', end: '2026-03-01' });
    expect(previousPeriod('month', '2027-01-01')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(previousPeriod('day', '2028-03-01')).toEqual({ start: '2028-02-29', end: '2028-03-01' });
    expect(() => previousPeriod('week', '2026-11-24')).toThrow('"2026-11-24" does not start a week');
  });

  it('local days in the time zone', () => {
    expect(localDate(t('2026-11-29T23:30:00Z'), BERLIN)).toBe('2026-11-30');
    expect(localDate(t('2026-11-29T23:30:00Z'), 'UTC')).toBe('2026-11-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('a daily report at 02:30 across the DST changes', () => {
  it('29 March (02:00 → 03:00): the missing 02:30 fires once, at 03:00 CEST', () => {
    expect(simulate('day', '30 2 * * *', '2026-03-27T12:00:00Z', '2026-03-31T12:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z 2026-03-27..2026-03-28', // 02:30 CET
      '2026-03-29T01:00:00.000Z 2026-03-28..2026-03-29', // 03:00 CEST, the first time after the gap
      '2026-03-30T00:30:00.000Z 2026-03-29..2026-03-30', // 02:30 CEST
      '2026-03-31T00:30:00.000Z 2026-03-30..2026-03-31',
    ]);
  });

  it('25 October (03:00 → 02:00): 02:30 happens twice and fires once, the first time', () => {
    expect(simulate('day', '30 2 * * *', '2026-10-23T12:00:00Z', '2026-10-27T12:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z 2026-10-23..2026-10-24', // 02:30 CEST
      '2026-10-25T00:30:00.000Z 2026-10-24..2026-10-25', // the first 02:30 (CEST); not again at 01:30Z (CET)
      '2026-10-26T01:30:00.000Z 2026-10-25..2026-10-26', // 02:30 CET
      '2026-10-27T01:30:00.000Z 2026-10-26..2026-10-27',
    ]);
  });
});

describe('a weekly report, 0 7 * * 1', () => {
  it('fires at 07:00 local every Monday through both changes, for the week that ended on Sunday', () => {
    expect(simulate('week', '0 7 * * 1', '2026-03-20T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-03-23T06:00:00.000Z 2026-03-16..2026-03-23', // 07:00 CET
      '2026-03-30T05:00:00.000Z 2026-03-23..2026-03-30', // 07:00 CEST
    ]);
    expect(simulate('week', '0 7 * * 1', '2026-10-16T00:00:00Z', '2026-10-28T00:00:00Z')).toEqual([
      '2026-10-19T05:00:00.000Z 2026-10-12..2026-10-19', // 07:00 CEST
      '2026-10-26T06:00:00.000Z 2026-10-19..2026-10-26', // 07:00 CET
    ]);
  });

  it('a monthly report on the 1st covers the month before', () => {
    expect(simulate('month', '0 7 1 * *', '2026-11-28T00:00:00Z', '2026-12-02T00:00:00Z')).toEqual(['2026-12-01T06:00:00.000Z 2026-11-01..2026-12-01']);
  });
});

describe('due runs', () => {
  const weekly = { period: 'week', schedule: '0 7 * * 1' } as const;

  it('after a restart with three weeks missed, runs once: the latest', () => {
    // Last ran Monday 9 November 07:00 CET; the server was down for the 16th, 23rd and 30th.
    const due = dueRuns(weekly, t('2026-11-09T06:00:05Z'), t('2026-12-03T09:30:00Z'), BERLIN);
    expect(due).toEqual([{ firedAt: t('2026-11-30T06:00:00Z'), period: { start: '2026-11-23', end: '2026-11-30' } }]);
  });

  it('counts a fire at `now` exactly, and not one at or before the last scheduled run', () => {
    const fire = t('2026-11-30T06:00:00Z');
    expect(dueRuns(weekly, t('2026-11-23T06:00:00Z'), fire, BERLIN).map((d) => iso(d.firedAt))).toEqual(['2026-11-30T06:00:00.000Z']);
    expect(dueRuns(weekly, t('2026-11-23T06:00:00Z'), fire - 1, BERLIN)).toEqual([]);
    expect(dueRuns(weekly, fire, fire + 60_000, BERLIN)).toEqual([]);
    // Claimed a few seconds after the fire, then restarted within the minute: nothing again.
    expect(dueRuns(weekly, fire + 4_000, fire + 30_000, BERLIN)).toEqual([]);
  });

  it('a report that never ran runs once for its last finished period', () => {
    expect(dueRuns(weekly, null, t('2026-12-03T09:30:00Z'), BERLIN)).toEqual([
      { firedAt: t('2026-11-30T06:00:00Z'), period: { start: '2026-11-23', end: '2026-11-30' } },
    ]);
  });

  it('the next fire time, for the scheduler to wait for', () => {
    expect(iso(nextFireAfter('0 7 * * 1', t('2026-12-03T09:30:00Z'), BERLIN)!)).toBe('2026-12-07T06:00:00.000Z');
    expect(iso(nextFireAfter('0 7 * * 1', t('2026-12-07T06:00:00Z'), BERLIN)!)).toBe('2026-12-14T06:00:00.000Z');
  });
});
