// The one due time a listed ticket carries (`dueAt`), which every screen counts from: the earliest
// missed target once breached, else the earliest target still pending.
import { describe, expect, it } from 'vitest';
import { dueAtMs, parseTicketTimes, timeTicket } from '../../../server/domain/ticket-clock.js';
import { iso, ticketEvent } from '../../helpers/events.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const MIN = 60_000;

function dueOf(fields: Parameters<typeof ticketEvent>[0]): string | null {
  const { ticket } = ticketEvent({ createdAt: iso(NOW - 180 * MIN), ...fields });
  const ms = dueAtMs(timeTicket('test:x', ticket, null, parseTicketTimes(ticket)), NOW);
  return ms === null ? null : iso(ms);
}

describe('a listed ticket’s dueAt', () => {
  it('is the earliest pending target while nothing is missed', () => {
    expect(dueOf({ id: 'a', firstResponseDueAt: iso(NOW + 10 * MIN), resolutionDueAt: iso(NOW + 60 * MIN) })).toBe(iso(NOW + 10 * MIN));
  });

  it('skips a first-response target met in time and counts to the resolution', () => {
    expect(dueOf({ id: 'b', firstResponseDueAt: iso(NOW - 60 * MIN), firstResponseAt: iso(NOW - 90 * MIN), resolutionDueAt: iso(NOW + 60 * MIN) })).toBe(
      iso(NOW + 60 * MIN),
    );
  });

  it('is the missed first-response target when the answer came late, though the resolution is still ahead', () => {
    expect(dueOf({ id: 'c', firstResponseDueAt: iso(NOW - 60 * MIN), firstResponseAt: iso(NOW - 30 * MIN), resolutionDueAt: iso(NOW + 120 * MIN) })).toBe(
      iso(NOW - 60 * MIN),
    );
  });

  it('is the missed target for a ticket still unanswered past its due time', () => {
    expect(dueOf({ id: 'd', firstResponseDueAt: iso(NOW - 5 * MIN), resolutionDueAt: iso(NOW + 120 * MIN) })).toBe(iso(NOW - 5 * MIN));
  });

  it('is the earlier of two missed targets', () => {
    expect(dueOf({ id: 'e', firstResponseDueAt: iso(NOW - 5 * MIN), resolutionDueAt: iso(NOW - 50 * MIN) })).toBe(iso(NOW - 50 * MIN));
  });

  it('is null when no target applies', () => {
    expect(dueOf({ id: 'f', firstResponseAt: iso(NOW - 5 * MIN) })).toBeNull();
  });
});
