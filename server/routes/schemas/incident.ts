// The incident API's bodies and answers as JSON Schema, for the API reference. The bodies are
// checked by server/incidents/validate-input.ts (it names the field and what was sent); these
// describe the same rules. Enumerations are also accepted in any case ("sev1", "Resolved").
import { AUDIENCES, FOLLOW_UP_STATUSES, INCIDENT_ROLES, INCIDENT_STATUSES, SEVERITY_ID_PATTERN } from '../../../contract/incidents.js';
import { LIMITS } from '../../incidents/validate-input.js';
import { ERROR_SCHEMA } from './common.js';

const line = (max: number, description: string) =>
  ({ type: 'string', minLength: 1, maxLength: max, description: `${description} One line; trimmed.` }) as const;
const names = (minLength = 1) =>
  ({
    type: 'array',
    maxItems: LIMITS.listItems,
    items: { type: 'string', minLength, maxLength: LIMITS.listItem },
    description: 'Duplicates (any case) are dropped.',
  }) as const;
const MATCH = {
  type: 'object',
  description: 'Which tickets belong to the incident: by tag, or by a keyword in the subject.',
  properties: { tags: names(), keywords: names(LIMITS.keywordMin) },
  additionalProperties: false,
} as const;
const SUMMARY = { type: ['string', 'null'], maxLength: LIMITS.summary, description: 'May span lines; null or "" clears it.' } as const;
const PERSON = { type: ['string', 'null'], maxLength: LIMITS.name, description: 'A name; null or "" clears it.' } as const;

export const DECLARE_BODY = {
  type: 'object',
  required: ['title', 'severity'],
  properties: {
    title: line(LIMITS.title, 'What is broken, for people.'),
    severity: {
      type: 'string',
      pattern: SEVERITY_ID_PATTERN,
      description:
        'An id of the severity scale in force (`GET /api/v1/severities`, any case); by default SEV1 and SEV2 are major: walls switch to incident mode.',
    },
    summary: SUMMARY,
    services: names(),
    match: MATCH,
  },
  additionalProperties: false,
} as const;

export const PATCH_BODY = {
  type: 'object',
  minProperties: 1,
  properties: {
    title: line(LIMITS.title, 'What is broken.'),
    status: { type: 'string', enum: [...INCIDENT_STATUSES] },
    severity: { type: 'string', pattern: SEVERITY_ID_PATTERN, description: 'An id of the severity scale in force (`GET /api/v1/severities`).' },
    summary: SUMMARY,
    services: names(),
    match: MATCH,
    roles: {
      type: 'object',
      minProperties: 1,
      properties: Object.fromEntries(INCIDENT_ROLES.map((role) => [role, PERSON])),
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const UPDATE_BODY = {
  type: 'object',
  required: ['audience', 'text'],
  properties: {
    audience: { type: 'string', enum: [...AUDIENCES] },
    text: { type: 'string', minLength: 1, maxLength: LIMITS.updateText, description: 'May span lines.' },
  },
  additionalProperties: false,
} as const;

export const TASK_BODY = {
  type: 'object',
  required: ['title'],
  properties: { title: line(LIMITS.taskTitle, 'What to do.'), owner: PERSON },
  additionalProperties: false,
} as const;

export const TASK_PATCH_BODY = {
  type: 'object',
  minProperties: 1,
  properties: { done: { type: 'boolean' }, owner: PERSON },
  additionalProperties: false,
} as const;

const OWNER = { type: 'string', minLength: 1, maxLength: LIMITS.name, description: 'Who answers for it: a name. One line; trimmed.' } as const;
const DUE_AT = {
  type: 'string',
  format: 'date-time',
  description: 'ISO-8601 with a zone (2026-12-10T17:00:00Z); answered in UTC. Open after it, the follow-up is overdue.',
} as const;

export const FOLLOW_UP_BODY = {
  type: 'object',
  required: ['title', 'owner', 'dueAt'],
  properties: { title: line(LIMITS.followUpTitle, 'What must be done after the incident.'), owner: OWNER, dueAt: DUE_AT },
  additionalProperties: false,
} as const;

export const FOLLOW_UP_PATCH_BODY = {
  type: 'object',
  minProperties: 1,
  properties: { status: { type: 'string', enum: [...FOLLOW_UP_STATUSES] }, owner: OWNER, dueAt: DUE_AT },
  additionalProperties: false,
} as const;

/** A row of `GET /api/v1/follow-ups`. */
export const FOLLOW_UP_ROW = {
  type: 'object',
  required: ['incidentId', 'incidentNumber', 'incidentTitle', 'id', 'title', 'owner', 'dueAt', 'status', 'createdAt', 'createdBy', 'doneAt', 'overdue'],
  properties: {
    incidentId: { type: 'string' },
    incidentNumber: { type: 'integer' },
    incidentTitle: { type: 'string' },
    id: { type: 'string', description: '`f1`, `f2`… within its incident.' },
    title: { type: 'string' },
    owner: { type: 'string' },
    dueAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: [...FOLLOW_UP_STATUSES] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    doneAt: { type: ['string', 'null'], format: 'date-time', description: 'When it was marked done; null otherwise.' },
    overdue: { type: 'boolean', description: 'Open and past its due time, as of the answer.' },
  },
  additionalProperties: false,
} as const;

/** An incident; it carries more than listed (timeline, updates, tasks, roles, links). */
export const INCIDENT = {
  type: 'object',
  required: ['id', 'number', 'version', 'title', 'severity', 'status'],
  properties: {
    id: { type: 'string' },
    number: { type: 'integer' },
    version: { type: 'integer', description: 'Raised by every change; the ETag and `If-Match` value.' },
    title: { type: 'string' },
    severity: { type: 'string', description: 'An id of the severity scale (`GET /api/v1/severities`); kept when the scale drops it.' },
    status: { type: 'string', enum: [...INCIDENT_STATUSES] },
  },
  additionalProperties: true,
} as const;

export const VERSION_CONFLICT = {
  description: '`If-Match` named an older version: the error, and the incident as it is now.',
  type: 'object',
  required: ['error', 'incident'],
  properties: { error: ERROR_SCHEMA.properties.error, incident: INCIDENT },
  additionalProperties: true,
} as const;

export const INCIDENT_WRITE_HEADERS = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'The incident\'s version (7, "7" or W/"7"); `*` or none: no check.' } },
} as const;
