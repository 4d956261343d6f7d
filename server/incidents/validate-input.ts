// The bodies of the incident API (docs/contract.md#major-incidents), checked by hand rather than by JSON Schema so that a
// refusal names the field, what it must be and what was sent ("severity: must be one of SEV1,
// SEV2, SEV3, SEV4, got "SEV5""), the way the event validator does. Pure: the severities allowed are
// the ids of the scale in force, passed in.
import { parseIsoTime } from '../domain/iso-time.js';
import { TEXT_LIMITS, withoutBidi } from '../domain/text-rules.js';
import { CONTROL, Invalid, fail, isObject } from '../domain/validation.js';
import {
  AUDIENCES,
  FOLLOW_UP_STATUSES,
  INCIDENT_ROLES,
  INCIDENT_STATUSES,
  type DeclareInput,
  type FollowUpInput,
  type FollowUpPatch,
  type IncidentMatch,
  type IncidentPatch,
  type IncidentRoles,
  type TaskInput,
  type TaskPatch,
  type UpdateInput,
} from '../../contract/incidents.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const LIMITS = {
  title: 200,
  summary: TEXT_LIMITS.freeText,
  updateText: TEXT_LIMITS.freeText,
  taskTitle: 300,
  followUpTitle: 300,
  name: 100,
  listItems: 50,
  listItem: 100,
  /** A keyword shorter than this would link half the queue. */
  keywordMin: 3,
} as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function body(value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (!isObject(value)) fail('body', `must be a JSON object with ${allowed.join(', ')}`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(key, `unknown field; allowed: ${allowed.join(', ')}`);
  }
  return value;
}

/** A one-line text: trimmed, non-empty, no control characters, bidi controls removed (it is shown). */
function line(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string') fail(path, `must be a string${value === undefined ? ' (required)' : `, got ${shown(value)}`}`);
  const trimmed = withoutBidi(value).trim();
  if (trimmed.length === 0) fail(path, 'must not be empty');
  if (trimmed.length > max) fail(path, `at most ${max} characters, got ${trimmed.length}`);
  if (CONTROL.test(trimmed)) fail(path, 'must be one line without control characters');
  return trimmed;
}

/** A text that may span lines, bidi controls removed; `allowEmpty` for a summary that is being cleared. */
function prose(value: unknown, path: string, max: number, allowEmpty: boolean): string {
  if (typeof value !== 'string') fail(path, `must be a string${value === undefined ? ' (required)' : `, got ${shown(value)}`}`);
  const trimmed = withoutBidi(value).trim();
  if (!allowEmpty && trimmed.length === 0) fail(path, 'must not be empty');
  if (trimmed.length > max) fail(path, `at most ${max} characters, got ${trimmed.length}`);
  if (CONTROL_EXCEPT_NEWLINES.test(trimmed)) fail(path, 'must not contain control characters other than newlines and tabs');
  return trimmed;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  for (const candidate of allowed) if (candidate === value) return candidate;
  if (typeof value === 'string') {
    // "sev1" and "Resolved" mean what they say.
    const lower = value.trim().toLowerCase();
    for (const candidate of allowed) if (candidate.toLowerCase() === lower) return candidate;
  }
  return fail(path, `must be one of ${allowed.join(', ')}${value === undefined ? ' (required)' : `, got ${shown(value)}`}`);
}

/** A list of short names, trimmed, without duplicates (case-insensitive), order kept. */
function names(value: unknown, path: string, minLength = 1): string[] {
  if (!Array.isArray(value)) fail(path, `must be an array of strings, got ${shown(value)}`);
  if (value.length > LIMITS.listItems) fail(path, `at most ${LIMITS.listItems} items, got ${value.length}`);
  const out: string[] = [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const name = line(item, `${path}[${i}]`, LIMITS.listItem);
    if (name.length < minLength) fail(`${path}[${i}]`, `at least ${minLength} characters, got ${shown(name)}`);
    const key = name.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(name);
  });
  return out;
}

function match(value: unknown, path: string): IncidentMatch {
  if (!isObject(value)) fail(path, `must be an object {tags?: string[], keywords?: string[]}, got ${shown(value)}`);
  for (const key of Object.keys(value)) if (key !== 'tags' && key !== 'keywords') fail(`${path}.${key}`, 'unknown field; allowed: tags, keywords');
  return {
    tags: value.tags === undefined ? [] : names(value.tags, `${path}.tags`),
    keywords: value.keywords === undefined ? [] : names(value.keywords, `${path}.keywords`, LIMITS.keywordMin),
  };
}

/** A person's name for a role or a task owner; null (or "") clears it. */
function person(value: unknown, path: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return line(value, path, LIMITS.name);
}

/** An ISO-8601 time with its zone (`2026-12-10T17:00:00Z`, `…+03:00`), as UTC. */
function instant(value: unknown, path: string): string {
  const example = 'e.g. 2026-12-10T17:00:00Z';
  if (typeof value !== 'string') fail(path, `must be an ISO-8601 time with a zone, ${example}${value === undefined ? ' (required)' : `, got ${shown(value)}`}`);
  const ms = parseIsoTime(value.trim());
  if (Number.isNaN(ms)) fail(path, `must be an ISO-8601 time with a zone, ${example}, got ${shown(value)}`);
  const year = new Date(ms).getUTCFullYear();
  if (year < 2000 || year > 2999) fail(path, `must be a time between the years 2000 and 2999, got ${shown(value)}`);
  return new Date(ms).toISOString();
}

function guard<T>(parse: () => T): Parsed<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}

const DECLARE_FIELDS = ['title', 'severity', 'summary', 'services', 'match'] as const;
const PATCH_FIELDS = ['title', 'status', 'severity', 'summary', 'services', 'match', 'roles'] as const;

/** A severity alone (declaring a suggestion): one of `severities`, the ids of the scale in force, any case. */
export function parseSeverity(value: unknown, severities: readonly string[]): Parsed<string> {
  return guard(() => oneOf(value, 'severity', severities));
}

/** `severities`: the ids of the scale in force (docs/contract.md#severities). */
export function parseDeclare(value: unknown, severities: readonly string[]): Parsed<DeclareInput> {
  return guard(() => {
    const b = body(value, DECLARE_FIELDS);
    return {
      title: line(b.title, 'title', LIMITS.title),
      severity: oneOf(b.severity, 'severity', severities),
      summary: b.summary === undefined || b.summary === null ? '' : prose(b.summary, 'summary', LIMITS.summary, true),
      services: b.services === undefined ? [] : names(b.services, 'services'),
      match: b.match === undefined ? { tags: [], keywords: [] } : match(b.match, 'match'),
    };
  });
}

/** `severities`: the ids of the scale in force (docs/contract.md#severities). */
export function parsePatch(value: unknown, severities: readonly string[]): Parsed<IncidentPatch> {
  return guard(() => {
    const b = body(value, PATCH_FIELDS);
    if (PATCH_FIELDS.every((f) => b[f] === undefined)) fail('body', `send at least one of ${PATCH_FIELDS.join(', ')}`);
    const patch: IncidentPatch = {};
    if (b.title !== undefined) patch.title = line(b.title, 'title', LIMITS.title);
    if (b.status !== undefined) patch.status = oneOf(b.status, 'status', INCIDENT_STATUSES);
    if (b.severity !== undefined) patch.severity = oneOf(b.severity, 'severity', severities);
    if (b.summary !== undefined) patch.summary = b.summary === null ? '' : prose(b.summary, 'summary', LIMITS.summary, true);
    if (b.services !== undefined) patch.services = names(b.services, 'services');
    if (b.match !== undefined) patch.match = match(b.match, 'match');
    if (b.roles !== undefined) {
      if (!isObject(b.roles)) fail('roles', `must be an object with any of ${INCIDENT_ROLES.join(', ')}, got ${shown(b.roles)}`);
      const roles: Partial<IncidentRoles> = {};
      for (const [key, holder] of Object.entries(b.roles)) {
        const role = INCIDENT_ROLES.find((r) => r === key);
        if (role === undefined) fail(`roles.${key}`, `unknown role; roles are ${INCIDENT_ROLES.join(', ')}`);
        roles[role] = person(holder, `roles.${key}`);
      }
      if (Object.keys(roles).length === 0) fail('roles', `must name at least one of ${INCIDENT_ROLES.join(', ')}`);
      patch.roles = roles;
    }
    return patch;
  });
}

export function parseUpdate(value: unknown): Parsed<UpdateInput> {
  return guard(() => {
    const b = body(value, ['audience', 'text']);
    return { audience: oneOf(b.audience, 'audience', AUDIENCES), text: prose(b.text, 'text', LIMITS.updateText, false) };
  });
}

export function parseTask(value: unknown): Parsed<TaskInput> {
  return guard(() => {
    const b = body(value, ['title', 'owner']);
    return { title: line(b.title, 'title', LIMITS.taskTitle), owner: b.owner === undefined ? null : person(b.owner, 'owner') };
  });
}

export function parseTaskPatch(value: unknown): Parsed<TaskPatch> {
  return guard(() => {
    const b = body(value, ['done', 'owner']);
    if (b.done === undefined && b.owner === undefined) fail('body', 'send at least one of done, owner');
    const patch: TaskPatch = {};
    if (b.done !== undefined) {
      if (typeof b.done !== 'boolean') fail('done', `must be true or false, got ${shown(b.done)}`);
      patch.done = b.done;
    }
    if (b.owner !== undefined) patch.owner = person(b.owner, 'owner');
    return patch;
  });
}

export function parseFollowUp(value: unknown): Parsed<FollowUpInput> {
  return guard(() => {
    const b = body(value, ['title', 'owner', 'dueAt']);
    return { title: line(b.title, 'title', LIMITS.followUpTitle), owner: line(b.owner, 'owner', LIMITS.name), dueAt: instant(b.dueAt, 'dueAt') };
  });
}

export function parseFollowUpPatch(value: unknown): Parsed<FollowUpPatch> {
  return guard(() => {
    const b = body(value, ['status', 'owner', 'dueAt']);
    if (b.status === undefined && b.owner === undefined && b.dueAt === undefined) fail('body', 'send at least one of status, owner, dueAt');
    const patch: FollowUpPatch = {};
    if (b.status !== undefined) patch.status = oneOf(b.status, 'status', FOLLOW_UP_STATUSES);
    // A follow-up always has someone to answer for it: the owner changes hands, it is never cleared.
    if (b.owner !== undefined) patch.owner = line(b.owner, 'owner', LIMITS.name);
    if (b.dueAt !== undefined) patch.dueAt = instant(b.dueAt, 'dueAt');
    return patch;
  });
}
