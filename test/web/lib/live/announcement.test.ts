// A wall's announcement lasts as long as the supervisor asked, measured on the server's clock, so a
// TV whose own clock is wrong still takes the banner down on time.
import { describe, expect, it } from 'vitest';
import { announcementLeftMs, announcementOf } from '../../../../web/src/lib/live/announcement.js';

describe('an announcement', () => {
  it('lasts until - at, laid on the client clock whatever the client clock says', () => {
    // The server says 90 s; this client's clock is 7 h behind the server's.
    const message = { text: 'Fire drill at 15:00', at: '2026-12-02T14:00:00.000Z', until: '2026-12-02T14:01:30.000Z' };
    const clientNow = Date.parse('2026-12-02T07:00:00.000Z');
    const banner = announcementOf(message, clientNow);
    expect(banner).toEqual({ text: 'Fire drill at 15:00', untilMs: clientNow + 90_000 });
    if (banner === null) return;
    expect(announcementLeftMs(banner, clientNow + 30_000)).toBe(60_000);
    expect(announcementLeftMs(banner, clientNow + 90_000)).toBe(0);
    expect(announcementLeftMs(banner, clientNow + 95_000)).toBe(0);
  });

  it('is over at once when until is not after at, and ignored when a time is unreadable', () => {
    expect(announcementOf({ text: 't', at: '2026-12-02T14:00:10Z', until: '2026-12-02T14:00:00Z' }, 500)).toEqual({ text: 't', untilMs: 500 });
    expect(announcementOf({ text: 't', at: 'soon', until: '2026-12-02T14:00:00Z' }, 500)).toBeNull();
  });
});
