// Freshdesk's own webhook content, as an admin gets it by following Freshdesk's defaults: a "Trigger
// Webhook" action with Content "Simple" (fields ticked) posts `{"freshdesk_webhook": {...}}`, each
// key the placeholder's path with underscores (`{{ticket.group.name}}` → `ticket_group_name`), the
// values display labels. The fixtures follow that shape as published by integrations that receive it:
// Zulip's Freshdesk integration documents the same envelope and keys (zulip/zulip,
// zerver/webhooks/freshdesk/doc.md and fixtures/status_changed.json), and Keep's Freshdesk provider
// reads `freshdesk_webhook.ticket_subject|ticket_status|ticket_priority` (keephq/keep). Also: what a
// refused body is told, in the words of Freshdesk's admin screens.
import { describe, expect, it } from 'vitest';
import type { TicketEvent, TicketPayload } from '../../../../contract/domain.js';
import { RETRY_HORIZON_MS } from '../../../../server/connectors/freshdesk/map-webhook.js';
import { mapFreshdeskWebhook, refusal } from '../../../../server/connectors/freshdesk/webhook.js';
import { MappingError } from '../../../../server/connectors/types.js';
import { fixture, mapContext } from '../vendor-fixtures.js';

const NOW = Date.parse('2026-06-18T10:00:00Z');
const context = (tickets: TicketPayload[] = []) => mapContext('freshdesk', { now: NOW, tickets, queues: { 'L2 Support': 'l2' } });
const ticketOf = (result: { events: unknown[] }): TicketPayload => (result.events[0] as TicketEvent).ticket;

describe('Freshdesk "Simple" webhook content', () => {
  it('maps every field it carries as the automation body would: labels, group → queue, agent, tags', () => {
    const result = mapFreshdeskWebhook(fixture('freshdesk', 'simple-status-changed.json'), null, context());
    expect(ticketOf(result)).toEqual({
      id: '512',
      source: 'freshdesk',
      queue: 'l2',
      priority: 'high',
      status: 'pending',
      assignee: 'dana.agent@acme.example',
      subject: 'VPN drops every ten minutes',
      tags: ['vpn', 'network'],
      createdAt: '2026-06-18T10:00:00.000Z',
      updatedAt: new Date(NOW - RETRY_HORIZON_MS).toISOString(),
      firstResponseAt: null,
      solvedAt: null,
      firstResponseDueAt: null,
      resolutionDueAt: null,
      csat: null,
    });
    // The description, links, requester and type are of no use to the wall: dropped without a note.
    expect(result.ignored).toEqual([]);
  });

  it('takes a body with fewer fields ticked: what is missing keeps the known ticket’s value; a custom field is noted', () => {
    const known = ticketOf(mapFreshdeskWebhook(fixture('freshdesk', 'simple-status-changed.json'), null, context()));
    const minimal = fixture<{ freshdesk_webhook: Record<string, unknown> }>('freshdesk', 'simple-created-minimal.json');
    minimal.freshdesk_webhook.ticket_id = '512';
    const result = mapFreshdeskWebhook(minimal, null, context([known]));
    // No group, agent or tags in the body: the ticket keeps them.
    expect(ticketOf(result)).toMatchObject({
      id: '512',
      queue: 'l2',
      assignee: 'dana.agent@acme.example',
      tags: ['vpn', 'network'],
      status: 'open',
      priority: 'low',
    });
    expect(result.ignored).toEqual([]);
    const withUnknown = { freshdesk_webhook: { ...minimal.freshdesk_webhook, ticket_sentiment: 'negative' } };
    expect(mapFreshdeskWebhook(withUnknown, null, context([known])).ignored).toEqual(['freshdesk_webhook.ticket_sentiment is not used']);
  });

  it('names the same event for the same body, so Freshdesk’s retry is a duplicate', () => {
    const body = fixture('freshdesk', 'simple-status-changed.json');
    const first = mapFreshdeskWebhook(body, null, context()).events[0]!;
    const retry = mapFreshdeskWebhook(structuredClone(body), null, context()).events[0]!;
    expect(retry.id).toBe(first.id);
  });

  it('without the ticket’s ID says which box to tick', () => {
    const body = { freshdesk_webhook: { ticket_subject: 'x', ticket_status: 'Open' } };
    expect(() => mapFreshdeskWebhook(body, null, context())).toThrow(MappingError);
    expect(() => mapFreshdeskWebhook(body, null, context())).toThrow('tick "Ticket ID"');
  });
});

describe('a refused body is told what it looks like and what to change', () => {
  it.each([
    [[{ ticket_id: 1 }], 'a JSON array'],
    [{ webhookEvent: 'jira:issue_updated', issue: {} }, 'point that webhook at /api/v1/connectors/jira'],
    [{ type: 'zen:event-type:ticket.status_changed', detail: {} }, 'point that webhook at /api/v1/connectors/zendesk'],
    [{ ticket_id: '5', status: 'Open' }, 'without "source":"freshdesk"'],
    [{ hello: 'world' }, 'not a Freshdesk delivery (keys: "hello")'],
  ])('%j → %s', (body, words) => {
    expect(refusal(body)).toContain(words);
    expect(() => mapFreshdeskWebhook(body, null, context())).toThrow(words);
  });

  it('keeps a hostile body’s keys short in the message', () => {
    const message = refusal({ ['k'.repeat(5000)]: 1 });
    expect(message.length).toBeLessThan(600);
  });
});
