// The live model's tickets as columns (server/domain/ticket-table.ts): a ticket comes back exactly as
// it was sent, whatever the form of its times and the text of its names and tags; rows and shared
// names are reused and forgotten, so that a model that forgets tickets does not grow.
import { describe, expect, it } from 'vitest';
import { LiveModel } from '../../../server/domain/live-model.js';
import { parseTicketTimes } from '../../../server/domain/ticket-clock.js';
import { TicketCursor, TicketTable } from '../../../server/domain/ticket-table.js';
import type { TicketPayload } from '../../../contract/domain.js';
import { ticketEvent } from '../../helpers/events.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');

function put(table: TicketTable, ticket: TicketPayload): number {
  const found = table.find(ticket.source, ticket.id);
  const row = found >= 0 ? found : table.insert(ticket.source, ticket.id);
  table.write(row, ticket, parseTicketTimes(ticket), null);
  return row;
}

describe('the ticket table', () => {
  it('gives a ticket back exactly as sent: times with offsets, without milliseconds or in lower case stay as they came', () => {
    const table = new TicketTable();
    const { ticket } = ticketEvent({
      id: 'odd',
      source: 'constructor',
      queue: '__proto__',
      assignee: 'toString',
      tags: ['a"]', 'b'],
      createdAt: '2026-12-02T09:00:00+03:00',
      updatedAt: '2026-12-02T10:00:00Z',
      firstResponseAt: '2026-12-02t07:30:00.123Z',
      firstResponseDueAt: '2026-12-02T08:00:00.000Z',
      resolutionDueAt: '2026-12-02T12:00:00.5+00:00',
      csat: 4,
    });
    const row = put(table, ticket);
    expect(table.payload(row)).toEqual(ticket);
    expect(table.key(row)).toBe('constructor:odd');
    expect(table.poolSizes().oddTimes).toBe(4);
  });

  it('tells a one-tag list from a list that spells it in JSON', () => {
    const table = new TicketTable();
    const one = ticketEvent({ id: 'one', tags: ['a"]'] }).ticket;
    const json = ticketEvent({ id: 'json', tags: ['a'] }).ticket;
    const a = put(table, one);
    const b = put(table, json);
    expect(table.payload(a).tags).toEqual(['a"]']);
    expect(table.payload(b).tags).toEqual(['a']);
  });

  it('reads a row into a cursor with the clock’s view: solved at its last update when solvedAt is missing', () => {
    const table = new TicketTable();
    const { ticket } = ticketEvent({ id: 's', status: 'solved', createdAt: '2026-12-02T08:00:00.000Z', updatedAt: '2026-12-02T09:00:00.000Z' });
    const row = put(table, ticket);
    const cursor = table.read(row, new TicketCursor(table));
    expect(cursor.solvedMs).toBe(Date.parse('2026-12-02T09:00:00.000Z'));
    expect(cursor.key).toBe('test:s');
  });

  it('reuses a forgotten row and forgets names no row uses', () => {
    const table = new TicketTable();
    const a = put(table, ticketEvent({ id: 'a', assignee: 'ann', tags: ['x'], queue: 'q1' }).ticket);
    put(table, ticketEvent({ id: 'b', assignee: 'bob', tags: ['y'], queue: 'q1' }).ticket);
    expect(table.poolSizes()).toMatchObject({ assignees: 2, tagSets: 2, queues: 1 });
    table.remove(a);
    expect(table.find('test', 'a')).toBe(-1);
    expect(table.poolSizes()).toMatchObject({ assignees: 1, tagSets: 1, queues: 1 });
    const c = put(table, ticketEvent({ id: 'c', assignee: 'bob', tags: ['y'], queue: 'q2' }).ticket);
    expect(c).toBe(a);
    expect(table.size).toBe(2);
    expect(table.payload(c).queue).toBe('q2');
  });

  it('keeps every field of 150,000 tickets, over three chunks of rows and the first chunk grown from small, with rows freed and reused', () => {
    const table = new TicketTable();
    const base = Date.parse('2026-12-02T08:00:00.000Z');
    const ticketOf = (i: number, round: number): TicketPayload =>
      ticketEvent({
        id: `t-${i}`,
        queue: `q${i % 5}`,
        priority: (['low', 'normal', 'high', 'urgent'] as const)[i % 4],
        assignee: i % 3 === 0 ? null : `agent-${i % 97}`,
        subject: `subject ${i} round ${round}`,
        tags: [`tag-${i % 11}`],
        createdAt: new Date(base + i).toISOString(),
        updatedAt: new Date(base + i + 1_000 + round).toISOString(),
        firstResponseAt: i % 2 === 0 ? new Date(base + i + 500).toISOString() : null,
        csat: i % 7 === 0 ? 1 + (i % 5) : null,
      }).ticket;
    const rows: number[] = [];
    for (let i = 0; i < 150_000; i++) rows.push(put(table, ticketOf(i, 0)));
    // Every tenth forgotten, then new tickets take their rows.
    for (let i = 0; i < 150_000; i += 10) table.remove(rows[i]!);
    for (let i = 0; i < 150_000; i += 10) rows[i] = put(table, ticketOf(i, 1));
    expect(table.size).toBe(150_000);
    for (let i = 0; i < 150_000; i += 7) {
      expect(table.find('test', `t-${i}`)).toBe(rows[i]);
      expect(table.payload(rows[i]!)).toEqual(ticketOf(i, i % 10 === 0 ? 1 : 0));
    }
  });
});

describe('the live model over the table', () => {
  it('holds no name of the tickets it forgot (a source cleared, tags and assignees invented per ticket)', () => {
    const model = new LiveModel({ atRiskMinutes: 15 });
    const iso = (ms: number): string => new Date(ms).toISOString();
    for (let i = 0; i < 500; i++) {
      model.apply(
        ticketEvent({ id: `t${i}`, source: 'demo', assignee: `agent-${i}`, tags: [`tag-${i}`], createdAt: iso(NOW - 60_000), updatedAt: iso(NOW - 60_000) }),
        NOW,
      );
    }
    expect(model.ticketPools()).toMatchObject({ assignees: 500, tagSets: 500, sources: 1 });
    expect(model.forgetSource('demo')).toBe(500);
    expect(model.ticketCount).toBe(0);
    expect(model.ticketPools()).toMatchObject({ assignees: 0, tagSets: 0, sources: 0, queues: 0 });
  });
});
