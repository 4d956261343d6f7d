// Local intervals across daylight-saving changes (Europe/Berlin: summer time starts on
// 29 March 2026 at 02:00, a 23-hour day, and ends on 25 October 2026 at 03:00, a 25-hour day).
import { describe, expect, it } from 'vitest';
import { LocalIntervals, localDateOf } from '../../../server/forecast/intervals.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);

describe('local intervals', () => {
  it('gives an ordinary day 48 half-hours from local midnight', () => {
    const intervals = new LocalIntervals(BERLIN, 30).intervalsOf(at('2026-06-10T12:00:00Z'));
    expect(intervals).toHaveLength(48);
    expect(intervals[0]).toEqual({ start: at('2026-06-09T22:00:00Z'), end: at('2026-06-09T22:30:00Z') });
    expect(intervals[47]?.end).toBe(at('2026-06-10T22:00:00Z'));
  });

  it('gives the spring day 23 hours: 46 half-hours, 92 quarter-hours, 23 hours, no 02:00 slot', () => {
    const halfHours = new LocalIntervals(BERLIN, 30);
    const day = halfHours.day(at('2026-03-29T10:00:00Z'));
    expect(day.start).toBe(at('2026-03-28T23:00:00Z'));
    expect(day.end).toBe(at('2026-03-29T22:00:00Z'));
    expect(halfHours.intervalsOf(day.start)).toHaveLength(46);
    // 01:30 CET is followed by 03:00 CEST: slots 4 and 5 (02:00, 02:30) do not exist.
    expect(day.slots.slice(2, 6)).toEqual([2, 3, 6, 7]);
    expect(new LocalIntervals(BERLIN, 15).intervalsOf(day.start)).toHaveLength(92);
    expect(new LocalIntervals(BERLIN, 60).intervalsOf(day.start)).toHaveLength(23);
  });

  it('gives the autumn day 25 hours: 50 half-hours, the 02:00 slots twice', () => {
    const halfHours = new LocalIntervals(BERLIN, 30);
    const day = halfHours.day(at('2026-10-25T10:00:00Z'));
    expect(day.start).toBe(at('2026-10-24T22:00:00Z'));
    expect(day.end).toBe(at('2026-10-25T23:00:00Z'));
    expect(halfHours.intervalsOf(day.start)).toHaveLength(50);
    expect(day.slots.slice(3, 9)).toEqual([3, 4, 5, 4, 5, 6]);
    expect(day.slots[49]).toBe(47);
    expect(new LocalIntervals(BERLIN, 15).intervalsOf(day.start)).toHaveLength(100);
  });

  it('finds the interval containing an instant, in either pass of the repeated hour', () => {
    const halfHours = new LocalIntervals(BERLIN, 30);
    // 02:40 CEST (first pass) and 02:40 CET (second pass) are an hour apart.
    expect(halfHours.intervalOf(at('2026-10-25T00:40:00Z'))).toEqual({ start: at('2026-10-25T00:30:00Z'), end: at('2026-10-25T01:00:00Z') });
    expect(halfHours.intervalOf(at('2026-10-25T01:40:00Z'))).toEqual({ start: at('2026-10-25T01:30:00Z'), end: at('2026-10-25T02:00:00Z') });
    // An interval's start is its own interval.
    expect(halfHours.intervalOf(at('2026-06-10T08:30:00Z')).start).toBe(at('2026-06-10T08:30:00Z'));
    expect(new LocalIntervals(BERLIN, 60).intervalOf(at('2026-06-10T08:59:59.999Z')).start).toBe(at('2026-06-10T08:00:00Z'));
  });

  it('counts days back in dates, so the same weekday stays at local midnight across a change', () => {
    const halfHours = new LocalIntervals(BERLIN, 30);
    const back = halfHours.sameWeekdayBack(at('2026-11-02T09:00:00Z'), 3).map((day) => day.start);
    // Monday 2 November (CET) back to Mondays 26 October (CET) and 19 and 12 October (CEST).
    expect(back).toEqual([at('2026-10-25T23:00:00Z'), at('2026-10-18T22:00:00Z'), at('2026-10-11T22:00:00Z')]);
    expect(halfHours.daysBefore(at('2026-03-30T12:00:00Z'), 1).start).toBe(at('2026-03-28T23:00:00Z'));
  });

  it('refuses an interval length other than 15, 30 or 60 minutes', () => {
    expect(() => new LocalIntervals(BERLIN, 20 as 30)).toThrow(RangeError);
  });

  it('gives the local date and weekday of an instant', () => {
    // 23:30 UTC on Saturday 24 October is already Sunday in Berlin.
    expect(localDateOf(at('2026-10-24T23:30:00Z'), BERLIN)).toEqual({ key: '2026-10-25', weekday: 0 });
    expect(localDateOf(at('2026-10-24T23:30:00Z'), 'UTC')).toEqual({ key: '2026-10-24', weekday: 6 });
  });
});
