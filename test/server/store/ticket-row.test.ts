// The embedded checkpoint's ticket rows (server/store/ticket-row.ts): a compact row comes back as
// the very StoredTicket written, every field of it; a row in the object format of checkpoints
// written before still reads; a row of an unknown format is refused with the ticket named.
import { describe, expect, it } from 'vitest';
import type { StoredTicket } from '../../../server/domain/live-model.js';
import { decodeTicketRow, encodeTicketRow } from '../../../server/store/ticket-row.js';

const full: StoredTicket = {
  key: 'zendesk:4711',
  ticket: {
    id: '4711',
    source: 'zendesk',
    queue: 'l2',
    priority: 'urgent',
    status: 'solved',
    assignee: 'agent-7',
    subject: 'Login "fails" after update ← ünïcödé, \\ and \n',
    tags: ['vip', 'product-3'],
    createdAt: '2026-11-26T08:00:00.000Z',
    updatedAt: '2026-11-26T09:50:00.000Z',
    firstResponseAt: '2026-11-26T08:10:00.000Z',
    solvedAt: '2026-11-26T09:40:00.000Z',
    firstResponseDueAt: '2026-11-26T08:30:00.000Z',
    resolutionDueAt: '2026-11-26T12:00:00.000Z',
    csat: 5,
  },
  csatAt: '2026-11-26T09:50:00.000Z',
  history: [
    [Date.parse('2026-11-26T08:00:00Z'), 'l1', 'new'],
    [Date.parse('2026-11-26T09:00:00Z'), 'l2', 'open'],
  ],
};

describe('a ticket row', () => {
  it('comes back as written, every key of the ticket and of its payload', () => {
    const row = encodeTicketRow(full);
    expect(row.startsWith('[1,')).toBe(true);
    // The history flat, each time the step from the one before.
    expect(row.endsWith(`[${Date.parse('2026-11-26T08:00:00Z')},"l1","new",3600000,"l2","open"]]`)).toBe(true);
    const back = decodeTicketRow(full.key, row);
    expect(back).toEqual(full);
    expect(Object.keys(back.ticket).sort()).toEqual(Object.keys(full.ticket).sort());
  });

  it('keeps null fields and a ticket without history', () => {
    const { history: _history, ...withoutHistory } = full;
    const sparse: StoredTicket = {
      ...withoutHistory,
      ticket: { ...full.ticket, assignee: null, firstResponseAt: null, solvedAt: null, firstResponseDueAt: null, resolutionDueAt: null, csat: null, tags: [] },
      csatAt: null,
    };
    const back = decodeTicketRow(sparse.key, encodeTicketRow(sparse));
    expect(back).toEqual(sparse);
    expect('history' in back).toBe(false);
  });

  it('is smaller than the object it replaces', () => {
    expect(encodeTicketRow(full).length).toBeLessThan(JSON.stringify(full).length * 0.75);
  });

  it('reads a row in the object format written before', () => {
    expect(decodeTicketRow(full.key, JSON.stringify(full))).toEqual(full);
  });

  it('refuses a row of an unknown format, naming the ticket', () => {
    expect(() => decodeTicketRow('zendesk:1', '[2,"1"]')).toThrow(/ticket zendesk:1: checkpoint row in an unknown format \(2, 2 fields\)/);
  });
});
