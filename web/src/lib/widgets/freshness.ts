// Per-widget freshness ("the wall never lies"): a number the server has not confirmed for a while,
// or any number while the connection is down, carries its age, so nobody takes an old number for a
// live one.
//
// Every message on the live channel confirms every section, not only the ones it carries: a delta
// is the server's diff against its whole current state, so a section it leaves out is unchanged as
// of that message. A number's age is therefore the time since the last message, not since its
// section last changed (an agent board that has not moved for ten minutes is not stale, and
// marking it so would teach people to ignore the mark). While anything waits, the SLA clock moves
// `oldestWaitingSec` every second, so a live wall hears from the server every second or so.
import type { StateSection } from '../../../../contract/domain.js';

/** While live, a minute without any message from the server shows the age. */
export const STALE_AFTER_MS = 60_000;

export interface Freshness {
  /** Client time the value was last confirmed, or null before any. */
  at: number | null;
  stale: boolean;
}

export function freshness(options: {
  /** Whether the live connection is up (`data-connection="live"`). */
  live: boolean;
  /** Client time of the last message from the server (null before any). */
  confirmedAt: number | null;
  /** The state section the widget shows; null for widgets that show no live number. */
  section: StateSection | null;
  /** Another source's time (an HTTP poll); the older of the two counts. */
  extraAt?: number | null;
  now: number;
}): Freshness {
  const { live, confirmedAt, section, extraAt, now } = options;
  let at: number | null = section !== null ? confirmedAt : null;
  if (extraAt !== undefined) at = at === null ? extraAt : extraAt === null ? at : Math.min(at, extraAt);
  if (at === null) return { at, stale: false };
  return { at, stale: !live || now - at > STALE_AFTER_MS };
}
