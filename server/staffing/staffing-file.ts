// Validation of `dashboards/staffing.json` (docs/contract.md#forecast-shifts-and-staffing). Pure: every problem with its
// JSON path, like the dashboards, so whoever edits the file fixes it from one log line.
import { INTERVAL_MINUTES, STAFFING_MODELS, type IntervalMinutes, type StaffingConfig, type StaffingLine } from '../../contract/staffing.js';
import type { DashboardProblem } from '../../contract/dashboards.js';
import { cleanName } from '../domain/text-rules.js';
import { describeValue, isObject } from '../domain/validation.js';

export type StaffingValidation = { ok: true; config: StaffingConfig } | { ok: false; problems: DashboardProblem[] };

const FILE_KEYS = ['intervalMinutes', 'lines'] as const;
const LINE_KEYS = ['model', 'ahtSeconds', 'target', 'shrinkage', 'maxOccupancy', 'patienceSeconds'] as const;
/** More lines than a support department has; keeps the state section and the wall bounded. */
export const MAX_LINES = 50;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function validateStaffingFile(value: unknown): StaffingValidation {
  const problems: DashboardProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const unknownKeys = (object: Record<string, unknown>, path: string, allowed: readonly string[]) => {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) report(path === '' ? key : `${path}.${key}`, `unknown key "${key}"; allowed here: ${allowed.join(', ')}`);
    }
  };
  const numberIn = (v: unknown, path: string, min: number, max: number, what: string): number | undefined => {
    if (!isNumber(v) || v < min || v > max) {
      report(path, `must be ${what} from ${min} to ${max}, got ${describeValue(v)}`);
      return undefined;
    }
    return v;
  };

  if (!isObject(value)) return { ok: false, problems: [{ path: '', message: `must be a JSON object, got ${describeValue(value)}` }] };
  unknownKeys(value, '', FILE_KEYS);
  const intervalMinutes = INTERVAL_MINUTES.find((m) => m === value.intervalMinutes);
  if (intervalMinutes === undefined) report('intervalMinutes', `must be one of ${INTERVAL_MINUTES.join(', ')}, got ${describeValue(value.intervalMinutes)}`);

  const lines = new Map<string, StaffingLine>();
  if (!isObject(value.lines) || Object.keys(value.lines).length === 0) {
    report('lines', 'required, an object of lines by queue id ({"l1": {"model": "erlang-c", …}})');
  } else if (Object.keys(value.lines).length > MAX_LINES) {
    report('lines', `at most ${MAX_LINES} lines, got ${Object.keys(value.lines).length}`);
  } else {
    // Object.entries sees own keys only, so "__proto__" written in the file is a line like any other.
    for (const [name, raw] of Object.entries(value.lines)) {
      const path = `lines.${name}`;
      const cleaned = cleanName(name);
      if (!cleaned.ok || name.trim() === '') {
        report(path, `a line is named by its queue id: ${cleaned.ok ? 'not empty' : cleaned.reason}`);
        continue;
      }
      if (!isObject(raw)) {
        report(path, `must be an object, got ${describeValue(raw)}`);
        continue;
      }
      const before = problems.length;
      unknownKeys(raw, path, LINE_KEYS);
      const model = STAFFING_MODELS.find((m) => m === raw.model);
      if (model === undefined) report(`${path}.model`, `must be one of ${STAFFING_MODELS.join(', ')}, got ${describeValue(raw.model)}`);
      const ahtSeconds = numberIn(raw.ahtSeconds, `${path}.ahtSeconds`, 1, 86_400, 'seconds');
      const shrinkage = numberIn(raw.shrinkage, `${path}.shrinkage`, 0, 0.95, 'a share');
      const maxOccupancy = raw.maxOccupancy === undefined ? undefined : numberIn(raw.maxOccupancy, `${path}.maxOccupancy`, 0.1, 1, 'a share');
      let target: StaffingLine['target'];
      if (model === 'erlang-c' || model === 'erlang-a') {
        if (!isObject(raw.target)) report(`${path}.target`, `required for ${model}: {"percent": 80, "seconds": 1200}`);
        else {
          unknownKeys(raw.target, `${path}.target`, ['percent', 'seconds']);
          const percent = numberIn(raw.target.percent, `${path}.target.percent`, 1, 99.9, 'a percentage');
          const seconds = numberIn(raw.target.seconds, `${path}.target.seconds`, 0, 604_800, 'seconds');
          if (percent !== undefined && seconds !== undefined) target = { percent, seconds };
        }
      } else if (model === 'workload') {
        if (raw.target !== undefined) report(`${path}.target`, 'the workload model has no service-level target; remove it');
        if (raw.maxOccupancy === undefined) report(`${path}.maxOccupancy`, 'required for the workload model (the share of time agents can work tickets)');
      }
      let patienceSeconds: number | undefined;
      if (model === 'erlang-a') patienceSeconds = numberIn(raw.patienceSeconds, `${path}.patienceSeconds`, 1, 604_800, 'seconds');
      else if (raw.patienceSeconds !== undefined) report(`${path}.patienceSeconds`, 'only the erlang-a model has patience');
      if (problems.length > before || model === undefined || ahtSeconds === undefined || shrinkage === undefined) continue;
      lines.set(cleaned.text, {
        model,
        ahtSeconds,
        shrinkage,
        ...(target === undefined ? {} : { target }),
        ...(maxOccupancy === undefined ? {} : { maxOccupancy }),
        ...(patienceSeconds === undefined ? {} : { patienceSeconds }),
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { intervalMinutes: intervalMinutes as IntervalMinutes, lines } };
}
