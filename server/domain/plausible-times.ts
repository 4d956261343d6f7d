// Which times a helpdesk can mean. A time of year 1 makes the oldest wait sixty billion seconds, a
// time of year 9999 makes every later real update "stale", so both are refused (the event
// validator) or dropped and said (the connectors). Relative to the server's clock, passed in.

/** 2000-01-01T00:00:00Z: no helpdesk ticket in use today is older. */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);
/** How far ahead of the server's clock an event time may be: clocks drift, a day is more than any drift. */
export const MAX_AHEAD_MS = 24 * 3600_000;
/** Due times are set ahead on purpose (a resolution target weeks away), but not years. */
export const MAX_DUE_AHEAD_MS = 400 * 24 * 3600_000;

export type TimeKind = 'event' | 'due';

/** Why a time is implausible, or null when it is fine. */
export function timeProblem(ms: number, now: number, kind: TimeKind): string | null {
  if (ms < EARLIEST_MS) return 'before 2000-01-01';
  if (kind === 'event' ? ms > now + MAX_AHEAD_MS : ms > now + MAX_DUE_AHEAD_MS) {
    return kind === 'event' ? "more than 24 h ahead of the server's clock" : "more than 400 days ahead of the server's clock";
  }
  return null;
}
