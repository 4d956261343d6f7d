// Validation of `dashboards/flow.json` (docs/contract.md#the-flow-between-lines): the lines in order,
// lowest first. Pure: every problem with its JSON path, like the other settings files.
import type { DashboardProblem } from '../../contract/dashboards.js';
import { cleanName } from '../domain/text-rules.js';
import { describeValue, isObject } from '../domain/validation.js';

export interface FlowConfig {
  lines: string[];
}

export type FlowValidation = { ok: true; config: FlowConfig } | { ok: false; problems: DashboardProblem[] };

/** More lines than a support department has: the state's flow section stays small. */
export const MAX_FLOW_LINES = 20;

export function validateFlowFile(value: unknown): FlowValidation {
  if (!isObject(value)) return { ok: false, problems: [{ path: '', message: `must be a JSON object, got ${describeValue(value)}` }] };
  const problems: DashboardProblem[] = [];
  for (const key of Object.keys(value)) {
    if (key !== 'lines') problems.push({ path: key, message: `unknown key "${key}"; allowed here: lines` });
  }
  const lines: string[] = [];
  const raw = value.lines;
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > MAX_FLOW_LINES) {
    problems.push({
      path: 'lines',
      message: `required, the queue ids of the lines lowest first, 2 to ${MAX_FLOW_LINES} (["l1", "l2", "l3"]), got ${Array.isArray(raw) ? `${raw.length}` : describeValue(raw)}`,
    });
  } else {
    for (const [i, line] of (raw as unknown[]).entries()) {
      const path = `lines[${i}]`;
      if (typeof line !== 'string' || line.trim() === '') {
        problems.push({ path, message: `must be a queue id, got ${describeValue(line)}` });
        continue;
      }
      const cleaned = cleanName(line);
      if (!cleaned.ok) problems.push({ path, message: cleaned.reason });
      else if (lines.includes(cleaned.text)) problems.push({ path, message: `"${cleaned.text}" is listed twice` });
      else lines.push(cleaned.text);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: { lines } };
}
