// Validation of `dashboards/severities.json` (docs/contract.md#severities): the severity scale,
// most severe first. Pure: every problem with its JSON path, like the dashboards, so whoever edits
// the file fixes it from one log line.
import type { DashboardProblem } from '../../contract/dashboards.js';
import { SEVERITY_ID_PATTERN, type SeverityLevel, type SeverityScale } from '../../contract/incidents.js';
import { describeValue, isObject } from '../domain/validation.js';

export const SEVERITIES_FILE = 'severities.json';

export type SeveritiesValidation = { ok: true; config: SeverityScale } | { ok: false; problems: DashboardProblem[] };

const FILE_KEYS = ['levels'] as const;
const LEVEL_KEYS = ['id', 'label', 'description', 'major', 'customerUpdateMinutes'] as const;
/** More levels than anyone can tell apart under pressure. */
export const MAX_LEVELS = 10;
const MAX_LABEL = 40;
const MAX_DESCRIPTION = 300;
const MIN_CADENCE = 5;
const MAX_CADENCE = 1440;
const ID = new RegExp(SEVERITY_ID_PATTERN);
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, report: (path: string, message: string) => void): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(path === '' ? key : `${path}.${key}`, `unknown key "${key}"; allowed here: ${allowed.join(', ')}`);
  }
}

export function validateSeveritiesFile(value: unknown): SeveritiesValidation {
  const problems: DashboardProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(value)) return { ok: false, problems: [{ path: '', message: `must be a JSON object {"levels": [...]}, got ${describeValue(value)}` }] };
  unknownKeys(value, FILE_KEYS, '', report);
  const list = value.levels;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_LEVELS) {
    const got = Array.isArray(list) ? `${list.length} levels` : describeValue(list);
    return { ok: false, problems: [...problems, { path: 'levels', message: `must be an array of 1 to ${MAX_LEVELS} levels, most severe first, got ${got}` }] };
  }

  const levels: SeverityLevel[] = [];
  // Ids are told apart case-insensitively: "sev1" next to "SEV1" is a typo, not a new level.
  const ids = new Map<string, string>();
  for (const [index, raw] of (list as unknown[]).entries()) {
    const at = `levels[${index}]`;
    if (!isObject(raw)) {
      report(at, `must be an object {id, label, description, major, customerUpdateMinutes}, got ${describeValue(raw)}`);
      continue;
    }
    const before = problems.length;
    unknownKeys(raw, LEVEL_KEYS, at, report);

    const id = raw.id;
    if (typeof id !== 'string' || !ID.test(id))
      report(`${at}.id`, `must be a letter or digit then up to 15 letters, digits, "_" or "-", got ${describeValue(id)}`);
    else {
      const seen = ids.get(id.toLowerCase());
      if (seen !== undefined) report(`${at}.id`, `"${id}" is used twice (as "${seen}" before; ids are compared ignoring case)`);
      else ids.set(id.toLowerCase(), id);
    }

    const label = raw.label;
    if (typeof label !== 'string' || label.trim() === '' || label.length > MAX_LABEL || CONTROL.test(label))
      report(`${at}.label`, `must be one line of 1 to ${MAX_LABEL} characters, got ${describeValue(label)}`);

    const description = raw.description;
    if (typeof description !== 'string' || description.length > MAX_DESCRIPTION || CONTROL.test(description))
      report(
        `${at}.description`,
        `must be one line of at most ${MAX_DESCRIPTION} characters, got ${typeof description === 'string' ? `${description.length} characters` : describeValue(description)}`,
      );

    if (typeof raw.major !== 'boolean') report(`${at}.major`, `must be true (walls switch to incident mode) or false, got ${describeValue(raw.major)}`);

    const cadence = raw.customerUpdateMinutes;
    if (cadence !== null && (typeof cadence !== 'number' || !Number.isInteger(cadence) || cadence < MIN_CADENCE || cadence > MAX_CADENCE))
      report(`${at}.customerUpdateMinutes`, `must be null (no cadence) or whole minutes from ${MIN_CADENCE} to ${MAX_CADENCE}, got ${describeValue(cadence)}`);

    if (problems.length === before) {
      levels.push({
        id: id as string,
        label: (label as string).trim(),
        description: description as string,
        major: raw.major as boolean,
        customerUpdateMinutes: cadence as number | null,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { levels } };
}
