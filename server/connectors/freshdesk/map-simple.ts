// Freshdesk's own webhook content, the one an admin gets by ticking fields ("Simple" content, the
// default of a "Trigger Webhook" action) or by pasting the body integrations publish (Zulip's
// Freshdesk integration, for one): `{"freshdesk_webhook": {"ticket_id": …, "ticket_status": …}}`,
// each key the placeholder's path with `_` for `.` (`{{ticket.group.name}}` → `ticket_group_name`),
// values rendered as display labels. Turned into our automation body's fields and mapped by the
// same code (map-webhook.ts), so both shapes mean exactly the same. Pure.
import { isObject } from '../../domain/validation.js';
import { BODY_MARKER } from './map-webhook.js';

export const SIMPLE_ENVELOPE = 'freshdesk_webhook';

/** Freshdesk's key → our automation body's key. */
const RENAMED = new Map([
  ['ticket_id', 'ticket_id'],
  ['ticket_subject', 'subject'],
  ['ticket_status', 'status'],
  ['ticket_priority', 'priority'],
  ['ticket_group_name', 'group'],
  ['ticket_agent_email', 'agent_email'],
  ['ticket_due_by_time', 'due_by'],
  ['ticket_tags', 'tags'],
  ['triggered_event', 'event'],
]);

/**
 * Sent by the simple content but of no use to the live numbers (who asked, the text, links,
 * custom fields): dropped without a note, unlike an unknown key.
 */
const UNUSED =
  /^(ticket_(url|portal_url|public_url|type|description|source|cf_\w+|contact_\w+|requester_\w+|latest_\w+|satisfaction_survey|agent_name|company_name)|requester_\w+|helpdesk_name)$/;

export function isSimpleBody(value: unknown): value is { freshdesk_webhook: Record<string, unknown> } {
  return isObject(value) && isObject(value[SIMPLE_ENVELOPE]);
}

/** The simple body as our automation body (`source: "freshdesk"` and our keys), with the keys it had no use for. */
export function fromSimpleBody(body: { freshdesk_webhook: Record<string, unknown> }): { body: Record<string, unknown>; unknown: string[] } {
  const out: Record<string, unknown> = Object.create(null);
  out.source = BODY_MARKER;
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body[SIMPLE_ENVELOPE])) {
    const ours = RENAMED.get(key);
    if (ours !== undefined) out[ours] = value;
    else if (!UNUSED.test(key)) unknown.push(key);
  }
  return { body: out, unknown };
}
