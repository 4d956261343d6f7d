// Freshdesk automation-rule webhooks → canonical events. Pure. Our automation body (the README's)
// is the usual shape; a REST ticket posted as it is (a "Trigger API" action, or a script) is
// accepted too and maps exactly as the poller's records do.
import { ticketEventOf, recordEventId, type Ignored } from '../merge.js';
import { MappingError, type MapContext, type MapResult } from '../types.js';
import { isAutomationBody, mapFreshdeskBody } from './map-webhook.js';
import { isRestTicket, mapFreshdeskTicket } from './map-ticket.js';

export function mapFreshdeskWebhook(payload: unknown, _deliveryId: string | null, context: MapContext): MapResult {
  const ignored: Ignored = [];
  if (isAutomationBody(payload)) {
    const { ticket, eventId } = mapFreshdeskBody(payload, context, ignored);
    // `at`: when we heard of it; the body says nothing of when it happened.
    return { events: [ticketEventOf(eventId, new Date(context.now).toISOString(), ticket)], ignored };
  }
  if (isRestTicket(payload)) {
    const ticket = mapFreshdeskTicket(payload, context, ignored);
    return { events: [ticketEventOf(recordEventId('freshdesk', ticket.id, ticket.updatedAt), ticket.updatedAt, ticket)], ignored };
  }
  throw new MappingError('not a Freshdesk delivery: expected the automation body with "source":"freshdesk" (see the README), or a REST ticket');
}
