// The Freshdesk connector's pure halves: the shared-secret check, our automation body (display
// labels, case-insensitively; no version, so the known one is kept), the REST ticket and agent
// shapes, and where the poller's next request starts.
import { describe, expect, it } from 'vitest';
import { mapFreshdeskAgent } from '../../../../server/connectors/freshdesk/map-agent.js';
import { RESPONDER_EMAIL, mapFreshdeskTicket } from '../../../../server/connectors/freshdesk/map-ticket.js';
import { RETRY_HORIZON_MS, dueTime, parseTags } from '../../../../server/connectors/freshdesk/map-webhook.js';
import { nextCursor } from '../../../../server/connectors/freshdesk/poller.js';
import { verifyFreshdeskSecret } from '../../../../server/connectors/freshdesk/verify.js';
import { mapFreshdeskWebhook } from '../../../../server/connectors/freshdesk/webhook.js';
import { MappingError } from '../../../../server/connectors/types.js';
import type { AgentEvent, TicketEvent, TicketPayload } from '../../../../contract/domain.js';
import { fixture, mapContext } from '../vendor-fixtures.js';

const NOW = Date.parse('2026-06-18T10:00:00Z');
const context = (tickets: TicketPayload[] = []) => mapContext('freshdesk', { now: NOW, tickets, queues: { 'L2 Support': 'l2', '84000293343': 'l2' } });
const ticketOf = (result: { events: unknown[] }): TicketPayload => (result.events[0] as TicketEvent).ticket;

describe('Freshdesk secret', () => {
  it('accepts the shared secret in X-Webhook-Secret, and refuses a wrong or missing one with a reason', () => {
    expect(verifyFreshdeskSecret({ 'x-webhook-secret': 's3cret' }, 's3cret')).toEqual({ ok: true });
    expect(verifyFreshdeskSecret({ 'x-webhook-secret': 's3cret-not' }, 's3cret')).toEqual({ ok: false, reason: 'X-Webhook-Secret does not match' });
    expect(verifyFreshdeskSecret({ 'x-webhook-secret': '' }, 's3cret')).toEqual({ ok: false, reason: 'missing X-Webhook-Secret header' });
    expect(verifyFreshdeskSecret({}, 's3cret')).toEqual({ ok: false, reason: 'missing X-Webhook-Secret header' });
  });
});

describe('Freshdesk automation body', () => {
  it('maps the rendered body: display labels, group name → queue, tags, due time', () => {
    const result = mapFreshdeskWebhook(fixture('freshdesk', 'automation-created.json'), null, context());
    expect(result.ignored).toEqual([]);
    expect(ticketOf(result)).toEqual({
      id: '374',
      source: 'freshdesk',
      queue: 'l2',
      priority: 'urgent',
      status: 'open',
      assignee: null,
      subject: 'Printer on floor 3 prints blank pages',
      tags: ['printer', 'floor-3'],
      // First heard of here: created now, versioned below any REST snapshot of the same change.
      createdAt: '2026-06-18T10:00:00.000Z',
      updatedAt: new Date(NOW - RETRY_HORIZON_MS).toISOString(),
      firstResponseAt: null,
      solvedAt: null,
      firstResponseDueAt: null,
      resolutionDueAt: '2026-06-18T12:06:12.000Z',
      csat: null,
    });
    expect(result.events[0]).toMatchObject({ type: 'ticket', at: '2026-06-18T10:00:00.000Z' });
  });

  it('reads statuses and priorities case-insensitively, custom "Waiting on Customer" included', () => {
    const status = (s: string, p: string) =>
      ticketOf(mapFreshdeskWebhook({ ...fixture<Record<string, unknown>>('freshdesk', 'automation-created.json'), status: s, priority: p }, null, context()));
    expect(status('PENDING', 'low')).toMatchObject({ status: 'pending', priority: 'low' });
    expect(status('waiting on customer', 'MEDIUM')).toMatchObject({ status: 'pending', priority: 'normal' });
    expect(status('Resolved', 'High')).toMatchObject({ status: 'solved', priority: 'high', solvedAt: '2026-06-18T10:00:00.000Z' });
    expect(status('closed', 'Urgent')).toMatchObject({ status: 'closed', priority: 'urgent' });
  });

  it('keeps the known version and the fields the body does not carry (first response due, first response)', () => {
    const known = mapFreshdeskTicket(fixture('freshdesk', 'rest-ticket.json'), context(), []);
    const result = mapFreshdeskWebhook(fixture('freshdesk', 'automation-updated.json'), null, context([{ ...known, status: 'open' }]));
    expect(ticketOf(result)).toMatchObject({
      status: 'pending',
      assignee: 'mia.lopez@acme.example',
      updatedAt: '2026-06-18T09:56:29.000Z',
      createdAt: '2026-06-18T08:06:12.000Z',
      firstResponseDueAt: '2026-06-18T09:06:12.000Z',
      firstResponseAt: '2026-06-18T09:20:00.000Z',
    });
  });

  it('names the event after the ticket, its known version and the body: a repeated body is the same event until the version moves', () => {
    const body = fixture('freshdesk', 'automation-updated.json');
    const first = mapFreshdeskWebhook(body, null, context()).events[0]!.id;
    expect(mapFreshdeskWebhook(structuredClone(body), null, context()).events[0]!.id).toBe(first);
    expect(mapFreshdeskWebhook({ ...body, status: 'Open' }, null, context()).events[0]!.id).not.toBe(first);
    const known = mapFreshdeskTicket(fixture('freshdesk', 'rest-ticket.json'), context(), []);
    expect(mapFreshdeskWebhook(body, null, context([known])).events[0]!.id).not.toBe(first);
    expect(first).toMatch(/^freshdesk:374:/);
  });

  it('takes a due time only when it names its zone; unrendered placeholders and empty values say nothing', () => {
    expect(dueTime('2026-06-18T12:06:12Z')).toBe('2026-06-18T12:06:12.000Z');
    expect(dueTime('Thu, 18 Jun 2026 17:36:12 +0530')).toBe('2026-06-18T12:06:12.000Z');
    expect(dueTime('Thu, 18 Jun 2026 at 12:06 PM')).toBeNull();
    expect(dueTime('{{ticket.due_by_time}}')).toBeUndefined();
    expect(dueTime('')).toBeUndefined();
    expect(parseTags('a, b ,,c')).toEqual(['a', 'b', 'c']);
    expect(parseTags('')).toEqual([]);
    expect(parseTags(['x', ' y '])).toEqual(['x', 'y']);
  });

  it('says what it did not use, and refuses a body without our marker or without a ticket id', () => {
    const result = mapFreshdeskWebhook(
      { ...fixture<Record<string, unknown>>('freshdesk', 'automation-created.json'), due_by: 'Thu, 18 Jun 2026 at 12:06 PM', extra: 1 },
      null,
      context(),
    );
    expect(result.ignored).toEqual([expect.stringMatching(/names no time zone/), 'field "extra" is not used']);
    expect(() => mapFreshdeskWebhook({ ticket_id: '1' }, null, context())).toThrow(MappingError);
    expect(() => mapFreshdeskWebhook({ source: 'Freshdesk', ticket_id: '{{ticket.id}}' }, null, context())).toThrow(/ticket_id/);
  });
});

describe('Freshdesk REST ticket', () => {
  it('maps the research example: numeric codes, group id → queue, both due times, stats', () => {
    const ticket = mapFreshdeskTicket(fixture('freshdesk', 'rest-ticket.json'), context(), []);
    expect(ticket).toEqual({
      id: '374',
      source: 'freshdesk',
      queue: 'l2',
      priority: 'high',
      status: 'closed',
      assignee: '84054016729',
      subject: 'Printer on floor 3 prints blank pages',
      tags: ['auto_assigned_client'],
      createdAt: '2026-06-18T08:06:12.000Z',
      updatedAt: '2026-06-18T09:56:29.000Z',
      firstResponseAt: '2026-06-18T09:20:00.000Z',
      solvedAt: '2026-06-18T09:50:00.000Z',
      firstResponseDueAt: '2026-06-18T09:06:12.000Z',
      resolutionDueAt: '2026-06-18T12:06:12.000Z',
      csat: null,
    });
  });

  it('names the assignee by e-mail when the poller found it in the agent list; status 2..5 and priority 1..4', () => {
    const rest = { ...fixture('freshdesk', 'rest-ticket.json'), [RESPONDER_EMAIL]: 'Mia.Lopez@acme.example' };
    expect(mapFreshdeskTicket(rest, context(), []).assignee).toBe('mia.lopez@acme.example');
    const codes = [2, 3, 4, 5].map((status, i) => mapFreshdeskTicket({ ...rest, status, priority: i + 1 }, context(), []));
    expect(codes.map((t) => [t.status, t.priority])).toEqual([
      ['open', 'low'],
      ['pending', 'normal'],
      ['solved', 'high'],
      ['closed', 'urgent'],
    ]);
  });

  it('is accepted by the webhook mapping as well, versioned by its own updated_at', () => {
    const result = mapFreshdeskWebhook(fixture('freshdesk', 'rest-ticket.json'), null, context());
    expect(result.events[0]).toMatchObject({ id: 'freshdesk:374:2026-06-18T09:56:29.000Z', at: '2026-06-18T09:56:29.000Z' });
  });
});

describe('Freshdesk agents', () => {
  it('maps available true/false to available/away, named by e-mail; an unchanged agent is no event', () => {
    const [mia, tom] = fixture<Record<string, unknown>[]>('freshdesk', 'agents.json');
    const miaEvent = mapFreshdeskAgent(mia!, context()).events[0] as AgentEvent;
    expect(miaEvent).toMatchObject({
      at: '2026-06-18T07:55:00.000Z',
      agent: { id: 'mia.lopez@acme.example', name: 'Mia Lopez', status: 'available', team: 'l1' },
    });
    expect((mapFreshdeskAgent(tom!, context()).events[0] as AgentEvent).agent.status).toBe('away');
    const again = mapContext('freshdesk', { agents: [miaEvent.agent] });
    expect(mapFreshdeskAgent(mia!, again).events).toEqual([]);
  });
});

describe('Freshdesk poll cursor', () => {
  const since = '2026-06-18T08:00:00Z';
  const page = (count: number, from: number, step: number) =>
    Array.from({ length: count }, (_, i) => ({ updated_at: new Date(from + i * step).toISOString() }));

  it('re-anchors updated_since on the last updated_at of a full page', () => {
    const from = Date.parse(since);
    expect(nextCursor({ v: 1, since, page: 1 }, page(100, from, 1000))).toEqual({ cursor: { v: 1, since: '2026-06-18T08:01:39Z', page: 1 }, more: true });
  });

  it('asks for page N+1 only when a whole page shares one second, and moves on a second at the 300-page cap', () => {
    const from = Date.parse(since);
    expect(nextCursor({ v: 1, since, page: 1 }, page(100, from, 0))).toEqual({ cursor: { v: 1, since, page: 2 }, more: true });
    expect(nextCursor({ v: 1, since, page: 300 }, page(100, from, 0))).toEqual({ cursor: { v: 1, since: '2026-06-18T08:00:01Z', page: 1 }, more: true });
  });

  it('ends the pass on a short page, anchored on the newest seen', () => {
    const from = Date.parse(since);
    expect(nextCursor({ v: 1, since, page: 3 }, page(5, from, 60_000))).toEqual({ cursor: { v: 1, since: '2026-06-18T08:04:00Z', page: 1 }, more: false });
    expect(nextCursor({ v: 1, since, page: 1 }, [])).toEqual({ cursor: { v: 1, since, page: 1 }, more: false });
  });
});
