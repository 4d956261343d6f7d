// A wall's announcement banner (docs/contract.md#wall-control), pure: how long it stays is measured
// on the server's clock (`until - at`), then laid on this client's, so a TV with a wrong clock keeps
// it as long as the supervisor asked.
import type { AnnounceMessage } from '../../../../contract/live-events.js';

/** A banner on the wall: its text and when it goes away, on this client's clock (ms). */
export interface Announcement {
  text: string;
  untilMs: number;
}

/** The banner of an `announce` message received at `nowMs` (client clock), or null for a malformed one. */
export function announcementOf(message: AnnounceMessage, nowMs: number): Announcement | null {
  const left = Date.parse(message.until) - Date.parse(message.at);
  if (!Number.isFinite(left)) return null;
  return { text: message.text, untilMs: nowMs + Math.max(0, left) };
}

/** How long until the banner is over at `nowMs`: 0 once it is. */
export function announcementLeftMs(announcement: Announcement, nowMs: number): number {
  return Math.max(0, announcement.untilMs - nowMs);
}
