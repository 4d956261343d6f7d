// The event of POST /api/v1/events as JSON Schema, for the API reference. The route does not
// validate with it: server/domain/validate-event.ts does, by hand, for speed and for messages that
// name the field. test/server/http/openapi.service.test.ts holds the two to the same verdict on a corpus. What a
// schema cannot say is left to the validator: whether a time is plausible against the server's
// clock, a reply before the ticket's creation, and subjects being cut rather than refused.
import { AGENT_STATUSES, EVENT_TYPES, PRIORITIES, TICKET_STATUSES } from '../../../contract/domain.js';
import { TEXT_LIMITS } from '../../domain/text-rules.js';

/** Enumerations are matched case-insensitively ("Open" is open): a pattern per allowed word. */
function caseInsensitive(words: readonly string[]): { type: 'string'; pattern: string; description: string } {
  const alternatives = words.map((word) => [...word].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join(''));
  return { type: 'string', pattern: `^(?:${alternatives.join('|')})$`, description: `One of ${words.join(', ')} (any case).` };
}

const CONTROL = '\\u0000-\\u001f\\u007f-\\u009f';
const BIDI = '\\u202a-\\u202e\\u2066-\\u2069';

/** An id or a name: a non-empty string without control characters, or a whole number. */
function nameSchema(description: string, shown = true): Record<string, unknown> {
  // Shown names lose their bidi controls, so one of only those is as empty as "".
  const pattern = shown ? `^[^${CONTROL}]*[^${CONTROL}${BIDI}][^${CONTROL}]*$` : `^[^${CONTROL}]+$`;
  return {
    description,
    anyOf: [
      { type: 'string', minLength: 1, maxLength: TEXT_LIMITS.name, pattern },
      { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
    ],
  };
}

/** Strict ISO-8601 with a zone; impossible dates (2026-02-30) are the validator's to refuse. */
const TIME = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:[Zz]|[+-]\\d{2}:?\\d{2})$',
  description: 'ISO-8601 with a zone, like 2026-11-26T10:02:00Z',
} as const;
const OPTIONAL_TIME = { anyOf: [TIME, { type: 'null' }] } as const;

export const TICKET_SCHEMA = {
  type: 'object',
  required: ['id', 'queue', 'priority', 'status', 'createdAt', 'updatedAt'],
  properties: {
    id: nameSchema('The helpdesk ticket id.'),
    source: nameSchema('Which helpdesk (default "api").'),
    queue: nameSchema('Queue (group) name.'),
    priority: caseInsensitive(PRIORITIES),
    status: caseInsensitive(TICKET_STATUSES),
    assignee: { anyOf: [nameSchema('Agent id.'), { type: 'null' }] },
    subject: { type: ['string', 'null'], description: `Cut to ${TEXT_LIMITS.subject} characters.` },
    tags: {
      anyOf: [
        { type: 'array', maxItems: TEXT_LIMITS.tags, items: { type: 'string', maxLength: TEXT_LIMITS.tag, pattern: `^[^${CONTROL}]*$` } },
        { type: 'null' },
      ],
    },
    createdAt: TIME,
    updatedAt: TIME,
    firstResponseAt: OPTIONAL_TIME,
    solvedAt: OPTIONAL_TIME,
    firstResponseDueAt: OPTIONAL_TIME,
    resolutionDueAt: OPTIONAL_TIME,
    csat: { anyOf: [{ type: 'integer', minimum: 1, maximum: 5 }, { type: 'null' }] },
  },
} as const;

export const AGENT_SCHEMA = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: nameSchema('The agent id.'),
    // "" or null: the id stands in for the name.
    name: { anyOf: [nameSchema('Shown name (the id when empty).'), { type: 'null' }, { const: '' }] },
    team: { anyOf: [nameSchema('Team.'), { type: 'null' }] },
    status: caseInsensitive(AGENT_STATUSES),
  },
} as const;

const [TICKET_TYPE, AGENT_TYPE] = EVENT_TYPES;

/** One event: a ticket's new state or an agent's. Unknown fields are ignored, not refused. */
export const EVENT_SCHEMA = {
  description: 'One event: a ticket snapshot or an agent status.',
  oneOf: [
    {
      title: 'Ticket event',
      type: 'object',
      required: ['id', 'type', 'at', 'ticket'],
      properties: { id: nameSchema('Event id, for deduplication.', false), type: caseInsensitive([TICKET_TYPE]), at: TIME, ticket: TICKET_SCHEMA },
    },
    {
      title: 'Agent event',
      type: 'object',
      required: ['id', 'type', 'at', 'agent'],
      properties: { id: nameSchema('Event id, for deduplication.', false), type: caseInsensitive([AGENT_TYPE]), at: TIME, agent: AGENT_SCHEMA },
    },
  ],
} as const;

/** The body: a JSON array of events, or NDJSON (one event per line), up to 10,000 events and 5 MB. */
export const EVENT_BATCH_SCHEMA = {
  type: 'array',
  maxItems: 10_000,
  items: EVENT_SCHEMA,
  description: 'A JSON array of events (application/json), or the same events one per line (application/x-ndjson).',
} as const;
