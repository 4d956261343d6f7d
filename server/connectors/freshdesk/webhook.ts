// Freshdesk automation-rule webhooks → canonical events. Pure. Three shapes: our automation body
// (the README's), Freshdesk's own `{"freshdesk_webhook": {…}}` (the "Simple" content, the action's
// default), and a REST ticket posted as it is (a "Trigger API" action, or a script), which maps
// exactly as the poller's records do. Anything else is refused with what it looks like and what to
// change, in the words of Freshdesk's admin screens.
import { ticketEventOf, recordEventId, type Ignored } from '../merge.js';
import { MappingError, type MapContext, type MapResult } from '../types.js';
import { isObject } from '../../domain/validation.js';
import { fromSimpleBody, isSimpleBody } from './map-simple.js';
import { isAutomationBody, mapFreshdeskBody } from './map-webhook.js';
import { isRestTicket, mapFreshdeskTicket } from './map-ticket.js';

export function mapFreshdeskWebhook(payload: unknown, _deliveryId: string | null, context: MapContext): MapResult {
  const ignored: Ignored = [];
  if (isAutomationBody(payload)) {
    const { ticket, eventId } = mapFreshdeskBody(payload, context, ignored);
    // `at`: when we heard of it; the body says nothing of when it happened.
    return { events: [ticketEventOf(eventId, new Date(context.now).toISOString(), ticket)], ignored };
  }
  if (isSimpleBody(payload)) {
    const { body, unknown } = fromSimpleBody(payload);
    if (body.ticket_id === undefined) throw new MappingError(SIMPLE_WITHOUT_ID);
    const { ticket, eventId } = mapFreshdeskBody(body, context, ignored);
    for (const key of unknown) ignored.push(`freshdesk_webhook.${key} is not used`);
    return { events: [ticketEventOf(eventId, new Date(context.now).toISOString(), ticket)], ignored };
  }
  if (isRestTicket(payload)) {
    const ticket = mapFreshdeskTicket(payload, context, ignored);
    return { events: [ticketEventOf(recordEventId('freshdesk', ticket.id, ticket.updatedAt), ticket.updatedAt, ticket)], ignored };
  }
  throw new MappingError(refusal(payload));
}

const SIMPLE_WITHOUT_ID =
  'this is Freshdesk\'s "Simple" webhook content without the ticket\'s ID: in the rule\'s "Trigger Webhook" action, tick "Ticket ID" (and Status, Priority, Group, Agent email, Tags, Subject, Due by time) under Content';
const HOW =
  'in the Freshdesk automation rule\'s "Trigger Webhook" action set Encoding to JSON and Content to Simple with "Ticket ID", Status, Priority, Group, Tags and Subject ticked, or Advanced with the body in docs/connectors.md';

/** What a refused body looks like and what the admin should change (docs/connectors.md#freshdesk). */
export function refusal(payload: unknown): string {
  if (typeof payload === 'string') {
    return `the body is text, not JSON (${payload.includes('=') ? 'form-encoded, it seems' : 'or XML'}): ${HOW}`;
  }
  if (!isObject(payload)) return `the body is ${Array.isArray(payload) ? 'a JSON array' : 'not a JSON object'}: ${HOW}`;
  if (typeof payload.webhookEvent === 'string' || isObject(payload.issue)) {
    return 'this looks like a Jira delivery (webhookEvent or issue): point that webhook at /api/v1/connectors/jira instead';
  }
  if (isObject(payload.detail) || (typeof payload.type === 'string' && payload.type.startsWith('zen:'))) {
    return 'this looks like a Zendesk delivery: point that webhook at /api/v1/connectors/zendesk instead';
  }
  if ('ticket_id' in payload || 'status' in payload) {
    return `this looks like an Advanced body without "source":"freshdesk": add it (the body in docs/connectors.md starts {"source":"freshdesk", …}), or switch the action's Content to Simple`;
  }
  const keys = Object.keys(payload)
    .slice(0, 8)
    .map((key) => JSON.stringify(key.slice(0, 40)));
  return `not a Freshdesk delivery (keys: ${keys.join(', ') || 'none'}): ${HOW}`;
}
