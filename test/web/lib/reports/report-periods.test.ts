// The reports page's pure parts (web/src/lib/reports/report-periods.ts): which periods "Run now"
// offers (hand-checked against the 2026 calendar: 3 December is a Thursday, 5 January a Monday),
// how periods and times are written in both languages, and cron schedules in words.
import { describe, expect, it } from 'vitest';
import {
  completePeriodStarts,
  dateTime,
  dayOrdinal,
  isPeriodStart,
  lastCompleteStart,
  periodDates,
  periodEnd,
  periodLabel,
  periodStartOf,
  scheduleShape,
} from '../../../../web/src/lib/reports/report-periods.js';

/** Intl puts thin and no-break spaces around dashes; the words are what is checked. */
const plain = (text: string): string => text.replace(/\s+/g, ' ');

describe('the periods "Run now" offers', () => {
  it('defaults to the last complete period: yesterday, last week’s Monday, last month’s 1st', () => {
    expect(lastCompleteStart('day', '2026-12-03')).toBe('2026-12-02');
    expect(lastCompleteStart('week', '2026-12-03')).toBe('2026-11-23');
    expect(lastCompleteStart('month', '2026-12-03')).toBe('2026-11-01');
  });

  it('counts a Monday’s own week as not complete, and crosses the year', () => {
    expect(lastCompleteStart('week', '2026-11-30')).toBe('2026-11-23');
    expect(lastCompleteStart('week', '2026-11-29')).toBe('2026-11-16');
    expect(lastCompleteStart('week', '2026-01-05')).toBe('2025-12-29');
    expect(lastCompleteStart('month', '2026-01-05')).toBe('2025-12-01');
    expect(lastCompleteStart('day', '2026-01-01')).toBe('2025-12-31');
  });

  it('lists complete periods newest first', () => {
    expect(completePeriodStarts('month', '2026-03-15', 3)).toEqual(['2026-02-01', '2026-01-01', '2025-12-01']);
    expect(completePeriodStarts('week', '2026-12-03', 3)).toEqual(['2026-11-23', '2026-11-16', '2026-11-09']);
    expect(completePeriodStarts('day', '2026-03-01', 2)).toEqual(['2026-02-28', '2026-02-27']);
  });

  it('knows which dates start a period and where a period ends', () => {
    expect(isPeriodStart('week', '2026-11-23')).toBe(true);
    expect(isPeriodStart('week', '2026-11-24')).toBe(false);
    expect(isPeriodStart('month', '2026-11-01')).toBe(true);
    expect(isPeriodStart('month', '2026-11-02')).toBe(false);
    expect(isPeriodStart('day', '2026-11-24')).toBe(true);
    expect(isPeriodStart('week', 'Monday')).toBe(false);
    expect(periodStartOf('week', '2026-11-29')).toBe('2026-11-23');
    expect(periodEnd('week', '2026-11-23')).toBe('2026-11-30');
    expect(periodEnd('month', '2026-12-01')).toBe('2027-01-01');
    expect(periodEnd('month', '2026-02-01')).toBe('2026-03-01');
    expect(periodEnd('day', '2026-02-28')).toBe('2026-03-01');
  });
});

describe('periods and times in words', () => {
  it('writes a period’s days, the end being the first day after it', () => {
    expect(plain(periodDates('2026-11-23', '2026-11-30', 'en'))).toBe('Nov 23 – 29, 2026');
    expect(plain(periodDates('2026-12-28', '2027-01-04', 'en'))).toBe('Dec 28, 2026 – Jan 3, 2027');
    expect(plain(periodDates('2026-12-02', '2026-12-03', 'en'))).toBe('Dec 2, 2026');
    expect(plain(periodDates('2026-11-23', '2026-11-30', 'ru'))).toBe('23–29 нояб. 2026 г.');
  });

  it('names a month by its name in the picker', () => {
    expect(periodLabel('month', '2026-11-01', 'en')).toBe('November 2026');
    expect(plain(periodLabel('week', '2026-11-23', 'en'))).toBe('Nov 23 – 29, 2026');
  });

  it('writes a run’s start in the browser’s zone (UTC in tests), 24-hour', () => {
    expect(dateTime('2026-12-01T07:00:03.120Z', 'en')).toBe('Dec 1, 07:00:03');
    expect(dateTime('2026-12-01T19:05:00Z', 'ru')).toBe('1 дек., 19:05:00');
  });
});

describe('a cron schedule in words', () => {
  it('reads the shipped shapes', () => {
    expect(scheduleShape('0 7 * * 1')).toEqual({ kind: 'weekly', weekday: 1, time: '07:00' });
    expect(scheduleShape('0 7 1 * *')).toEqual({ kind: 'monthly', day: 1, time: '07:00' });
    expect(scheduleShape('30 6 * * *')).toEqual({ kind: 'daily', time: '06:30' });
    expect(scheduleShape(' 5 23  * * 7 ')).toEqual({ kind: 'weekly', weekday: 0, time: '23:05' });
  });

  it('leaves every other shape to the cron expression', () => {
    for (const cron of ['*/5 * * * *', '0 7 * * 1-5', '0 7 * * MON', '0 7 1 1 *', '0 7 1 * 1', '0 7 * *', '60 7 * * *', '0 24 * * *', '0 7 32 * *']) {
      expect(scheduleShape(cron), cron).toBeNull();
    }
  });

  it('says the day of the month as each language does', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 28, 31].map((d) => dayOrdinal(d, 'en'))).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '28th',
      '31st',
    ]);
    expect(dayOrdinal(1, 'ru')).toBe('1-го');
  });
});
