// Validation of `dashboards/surge.json` (docs/contract.md#surge-detection). Pure: every problem with
// its JSON path, like the dashboards, so whoever edits the file fixes it from one log line. Every key
// is optional; an absent file is the defaults.
import type { DashboardProblem } from '../../contract/dashboards.js';
import { cleanName } from '../domain/text-rules.js';
import { describeValue, isObject } from '../domain/validation.js';

export interface SurgeConfig {
  /** Similar tickets within the window that raise a suggestion. */
  minTickets: number;
  windowMinutes: number;
  /** How alike two tickets must be to be grouped, 0–1. */
  similarity: number;
  /** Whether open suggestions show on the walls' alert bar. */
  wall: boolean;
  /** The lines watched (queue ids); null: every line. */
  lines: string[] | null;
}

export const SURGE_DEFAULTS: SurgeConfig = { minTickets: 5, windowMinutes: 15, similarity: 0.5, wall: false, lines: null };

export type SurgeValidation = { ok: true; config: SurgeConfig } | { ok: false; problems: DashboardProblem[] };

const FILE_KEYS = ['minTickets', 'windowMinutes', 'similarity', 'wall', 'lines'] as const;
/** More lines than a support department has, as in staffing.json. */
export const MAX_LINES = 50;
// Fewer than 2 is not a cluster; beyond these, "similar tickets in a window" stops meaning a surge.
const MIN_TICKETS = { min: 2, max: 10_000 };
const WINDOW_MINUTES = { min: 1, max: 240 };

export function validateSurgeFile(value: unknown): SurgeValidation {
  const problems: DashboardProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const wholeIn = (v: unknown, path: string, { min, max }: { min: number; max: number }, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      report(path, `must be a whole number from ${min} to ${max}, got ${describeValue(v)}`);
    return typeof v === 'number' ? v : fallback;
  };

  if (!isObject(value)) return { ok: false, problems: [{ path: '', message: `must be a JSON object, got ${describeValue(value)}` }] };
  for (const key of Object.keys(value)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) report(key, `unknown key "${key}"; allowed here: ${FILE_KEYS.join(', ')}`);
  }
  const minTickets = wholeIn(value.minTickets, 'minTickets', MIN_TICKETS, SURGE_DEFAULTS.minTickets);
  const windowMinutes = wholeIn(value.windowMinutes, 'windowMinutes', WINDOW_MINUTES, SURGE_DEFAULTS.windowMinutes);

  let similarity = SURGE_DEFAULTS.similarity;
  if (value.similarity !== undefined) {
    if (typeof value.similarity !== 'number' || !Number.isFinite(value.similarity) || value.similarity < 0 || value.similarity > 1)
      report('similarity', `must be a number from 0 to 1, got ${describeValue(value.similarity)}`);
    else similarity = value.similarity;
  }

  let wall = SURGE_DEFAULTS.wall;
  if (value.wall !== undefined) {
    if (typeof value.wall !== 'boolean') report('wall', `must be true or false, got ${describeValue(value.wall)}`);
    else wall = value.wall;
  }

  let lines: string[] | null = null;
  if (value.lines !== undefined) {
    if (!Array.isArray(value.lines)) report('lines', `must be an array of queue ids (["l1", "l2"]), got ${describeValue(value.lines)}`);
    else if (value.lines.length === 0) report('lines', 'leave it out to watch every line; an empty list would watch none');
    else if (value.lines.length > MAX_LINES) report('lines', `at most ${MAX_LINES} lines, got ${value.lines.length}`);
    else {
      const names: string[] = [];
      for (const [index, raw] of (value.lines as unknown[]).entries()) {
        const path = `lines[${index}]`;
        const cleaned = typeof raw === 'string' ? cleanName(raw) : null;
        if (cleaned === null) report(path, `must be a queue id (a string), got ${describeValue(raw)}`);
        else if (!cleaned.ok || (raw as string).trim() === '') report(path, `a line is named by its queue id: ${cleaned.ok ? 'not empty' : cleaned.reason}`);
        else if (names.includes(cleaned.text)) report(path, `"${cleaned.text}" is listed twice`);
        else names.push(cleaned.text);
      }
      lines = names;
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { minTickets, windowMinutes, similarity, wall, lines } };
}
