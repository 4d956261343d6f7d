// Validation of `dashboards/templates.json` (docs/contract.md#templates). Pure: every problem with
// its JSON path, like the dashboards, so whoever edits the file fixes it from one log line. A
// placeholder the server cannot fill is a problem, not a `{typo}` that would reach customers.
import { AUDIENCES, type Audience, SEVERITY_ID_PATTERN, type Severity } from '../../contract/incidents.js';
import { type MessageTemplate, TEMPLATE_PLACEHOLDERS } from '../../contract/status.js';
import type { DashboardProblem } from '../../contract/dashboards.js';
import { TEXT_LIMITS } from '../domain/text-rules.js';
import { describeValue, isObject } from '../domain/validation.js';
import { placeholdersOf } from './templates.js';

export const TEMPLATES_FILE = 'templates.json';

export type TemplatesValidation = { ok: true; config: MessageTemplate[] } | { ok: false; problems: DashboardProblem[] };

const FILE_KEYS = ['templates'] as const;
const TEMPLATE_KEYS = ['id', 'title', 'severities', 'audience', 'text'] as const;
/** More than a console's picker can usefully offer. */
export const MAX_TEMPLATES = 100;
const MAX_TITLE = 200;
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
// Severities are ids of severities.json, checked for their shape only: the scale may change after the
// templates (a template for a level the scale no longer has is never offered).
const SEVERITY_ID = new RegExp(SEVERITY_ID_PATTERN);
// Control characters other than line breaks and tabs have no place in a message.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, report: (path: string, message: string) => void): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(path === '' ? key : `${path}.${key}`, `unknown key "${key}"; allowed here: ${allowed.join(', ')}`);
  }
}

export function validateTemplatesFile(value: unknown): TemplatesValidation {
  const problems: DashboardProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(value)) return { ok: false, problems: [{ path: '', message: `must be a JSON object {"templates": [...]}, got ${describeValue(value)}` }] };
  unknownKeys(value, FILE_KEYS, '', report);
  const list = value.templates;
  if (!Array.isArray(list))
    return { ok: false, problems: [...problems, { path: 'templates', message: `must be an array of templates, got ${describeValue(list)}` }] };
  if (list.length > MAX_TEMPLATES) report('templates', `at most ${MAX_TEMPLATES} templates, got ${list.length}`);

  const templates: MessageTemplate[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of (list as unknown[]).slice(0, MAX_TEMPLATES).entries()) {
    const at = `templates[${index}]`;
    if (!isObject(raw)) {
      report(at, `must be an object {id, title, severities, audience, text}, got ${describeValue(raw)}`);
      continue;
    }
    unknownKeys(raw, TEMPLATE_KEYS, at, report);
    const before = problems.length;

    const id = raw.id;
    if (typeof id !== 'string' || !ID.test(id)) report(`${at}.id`, `must be lower-case letters, digits and dashes (up to 64), got ${describeValue(id)}`);
    else if (ids.has(id)) report(`${at}.id`, `"${id}" is used twice`);
    else ids.add(id);

    const title = raw.title;
    if (typeof title !== 'string' || title.trim() === '' || title.length > MAX_TITLE || CONTROL_BUT_LINES.test(title) || /[\n\r]/.test(title))
      report(`${at}.title`, `must be one line of 1 to ${MAX_TITLE} characters, got ${describeValue(title)}`);

    const severities: Severity[] = [];
    if (!Array.isArray(raw.severities) || raw.severities.length === 0) {
      report(`${at}.severities`, `must be a non-empty array of severity ids (severities.json), got ${describeValue(raw.severities)}`);
    } else {
      for (const [i, s] of (raw.severities as unknown[]).entries()) {
        if (typeof s !== 'string' || !SEVERITY_ID.test(s))
          report(`${at}.severities[${i}]`, `must be a severity id (a letter or digit then up to 15 letters, digits, "_" or "-"), got ${describeValue(s)}`);
        else if (severities.includes(s as Severity)) report(`${at}.severities[${i}]`, `${s} is listed twice`);
        else severities.push(s as Severity);
      }
    }

    const audience = raw.audience;
    if (typeof audience !== 'string' || !(AUDIENCES as readonly string[]).includes(audience))
      report(`${at}.audience`, `must be one of ${AUDIENCES.join(', ')}, got ${describeValue(audience)}`);

    const text = raw.text;
    if (typeof text !== 'string' || text.trim() === '') report(`${at}.text`, `must be a non-empty string, got ${describeValue(text)}`);
    else if (text.length > TEXT_LIMITS.freeText) report(`${at}.text`, `at most ${TEXT_LIMITS.freeText} characters, got ${text.length}`);
    else if (CONTROL_BUT_LINES.test(text)) report(`${at}.text`, 'must not contain control characters (line breaks and tabs are fine)');
    else {
      const unknown = placeholdersOf(text).filter((name) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name));
      for (const name of new Set(unknown))
        report(`${at}.text`, `unknown placeholder {${name}}; known: ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
    }

    if (problems.length === before) {
      templates.push({ id: id as string, title: (title as string).trim(), severities, audience: audience as Audience, text: text as string });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: templates };
}
