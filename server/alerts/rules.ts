// Alert rules (issue 6): what `dashboards/alerts.json` may say, and its validation. Pure: no I/O.
// Every problem carries its JSON path and the reason, like the dashboards (docs/contract.md#dashboards-as-code), so that whoever
// edits the file can fix it from one log line.
//
//   {"rules": [
//     {"id": "l1-waiting", "title": "L1 waiting ≥ 20", "metric": "queues.l1.waiting", "op": ">=",
//      "value": 20, "forSec": 120, "clearValue": 15, "clearForSec": 30, "severity": "critical", "wall": true},
//     {"id": "silence", "kind": "no-events", "title": "No events for 5 min", "forSec": 300, "severity": "critical"}
//   ]}
import { parseNumberMetric } from '../../contract/metrics.js';
import type { DashboardProblem } from '../../contract/dashboards.js';
import { jsonErrorMessage } from '../dashboards/validate-dashboard.js';
import { describeValue, isObject } from '../domain/validation.js';
import { ALERT_SEVERITIES, type AlertSeverity } from '../../contract/alerts.js';

export const ALERT_OPS = ['>=', '<=', '>', '<'] as const;
export type AlertOp = (typeof ALERT_OPS)[number];
export const ALERT_KINDS = ['threshold', 'no-events'] as const;

export const ALERT_RULE_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const MAX_RULES = 200;
const MAX_TITLE = 200;
/** A day: a longer hold is a typo. */
const MAX_SECONDS = 86_400;

interface RuleBase {
  id: string;
  title: string;
  severity: AlertSeverity;
  /** Shown on the walls too (where the dashboard says so), not only on the supervisor page. */
  wall: boolean;
  /** How long the condition must hold before the alert fires. */
  forSec: number;
  /** How long the clear condition must hold before a firing alert clears. */
  clearForSec: number;
}

/** "metric op value, held forSec": fires when it held that long, clears once back past clearValue. */
export interface ThresholdRule extends RuleBase {
  kind: 'threshold';
  metric: string;
  op: AlertOp;
  value: number;
  /** Hysteresis: the value the metric must get back past to clear; equals `value` when not given. */
  clearValue: number;
}

/**
 * "No events from a source for forSec": fires as soon as the silence reached forSec (the silence
 * itself is the hold), clears on the next event from it. `source` null: from any source.
 */
export interface NoEventsRule extends RuleBase {
  kind: 'no-events';
  source: string | null;
}

export type AlertRule = ThresholdRule | NoEventsRule;

export type AlertRulesValidation = { ok: true; rules: AlertRule[] } | { ok: false; problems: DashboardProblem[] };

/** Whether `value op threshold` holds. */
export function compare(value: number, op: AlertOp, threshold: number): boolean {
  switch (op) {
    case '>=':
      return value >= threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '<':
      return value < threshold;
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SECONDS;

const THRESHOLD_KEYS = ['id', 'kind', 'title', 'metric', 'op', 'value', 'forSec', 'clearValue', 'clearForSec', 'severity', 'wall'];
const NO_EVENTS_KEYS = ['id', 'kind', 'title', 'source', 'forSec', 'clearForSec', 'severity', 'wall'];

/** Validates a parsed alerts file; the rules returned hold only known keys, defaults filled in. */
export function validateAlertRules(value: unknown): AlertRulesValidation {
  const problems: DashboardProblem[] = [];
  const report = (path: string, message: string): void => void problems.push({ path, message });
  if (!isObject(value)) {
    report('', `must be a JSON object ({"rules": [...]}), got ${describeValue(value)}`);
    return { ok: false, problems };
  }
  for (const key of Object.keys(value)) if (key !== 'rules') report(key, `unknown key "${key}"; allowed here: rules`);
  if (!Array.isArray(value.rules)) {
    report('rules', `required, an array of rules, got ${describeValue(value.rules)}`);
    return { ok: false, problems };
  }
  if (value.rules.length > MAX_RULES) report('rules', `at most ${MAX_RULES} rules, got ${value.rules.length}`);
  const rules: AlertRule[] = [];
  const seen = new Set<string>();
  value.rules.forEach((raw, index) => {
    const base = `rules[${index}]`;
    const at = (key: string): string => `${base}.${key}`;
    if (!isObject(raw)) {
      report(base, `must be an object (a rule), got ${describeValue(raw)}`);
      return;
    }
    const before = problems.length;
    const kind = raw.kind ?? 'threshold';
    if (!(ALERT_KINDS as readonly unknown[]).includes(kind)) {
      report(at('kind'), `must be one of ${ALERT_KINDS.join(', ')} (threshold when left out), got ${describeValue(raw.kind)}`);
      return;
    }
    const allowed = kind === 'threshold' ? THRESHOLD_KEYS : NO_EVENTS_KEYS;
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) report(at(key), `unknown key "${key}" on a ${kind} rule; allowed here: ${allowed.join(', ')}`);
    }
    if (typeof raw.id !== 'string' || !ALERT_RULE_ID.test(raw.id)) {
      report(at('id'), 'required, a string of a-z, 0-9 and - (at most 64 characters), e.g. "l1-waiting"');
    } else if (seen.has(raw.id)) {
      report(at('id'), `duplicate id "${raw.id}"; every rule needs its own`);
    } else seen.add(raw.id);
    if (typeof raw.title !== 'string' || raw.title.trim() === '') report(at('title'), 'required, a non-empty string');
    else if (raw.title.length > MAX_TITLE) report(at('title'), `must be at most ${MAX_TITLE} characters, got ${raw.title.length}`);
    if (!(ALERT_SEVERITIES as readonly unknown[]).includes(raw.severity)) {
      report(at('severity'), `required, one of ${ALERT_SEVERITIES.join(', ')}, got ${describeValue(raw.severity)}`);
    }
    if (raw.wall !== undefined && typeof raw.wall !== 'boolean') report(at('wall'), `must be true or false, got ${describeValue(raw.wall)}`);
    if (!isSeconds(raw.forSec)) report(at('forSec'), `required, a whole number of seconds from 0 to ${MAX_SECONDS}, got ${describeValue(raw.forSec)}`);
    if (raw.clearForSec !== undefined && !isSeconds(raw.clearForSec)) {
      report(at('clearForSec'), `must be a whole number of seconds from 0 to ${MAX_SECONDS}, got ${describeValue(raw.clearForSec)}`);
    }
    if (kind === 'threshold') {
      if (typeof raw.metric !== 'string') {
        report(at('metric'), 'required, a number of the live state (queues.<queue>.<field>, agents.<status>, sla.<field> or kpis.<field>)');
      } else {
        const parsed = parseNumberMetric(raw.metric);
        if ('error' in parsed) report(at('metric'), parsed.error);
      }
      if (!(ALERT_OPS as readonly unknown[]).includes(raw.op)) report(at('op'), `required, one of ${ALERT_OPS.join(' ')}, got ${describeValue(raw.op)}`);
      if (!isNumber(raw.value)) report(at('value'), `required, a number, got ${describeValue(raw.value)}`);
      if (raw.clearValue !== undefined) {
        if (!isNumber(raw.clearValue)) report(at('clearValue'), `must be a number, got ${describeValue(raw.clearValue)}`);
        else if (isNumber(raw.value) && (raw.op === '>=' || raw.op === '>') && raw.clearValue > raw.value) {
          report(at('clearValue'), `must be at most value (${raw.value}) for op ${raw.op}: the alert clears once the metric falls back below it`);
        } else if (isNumber(raw.value) && (raw.op === '<=' || raw.op === '<') && raw.clearValue < raw.value) {
          report(at('clearValue'), `must be at least value (${raw.value}) for op ${raw.op}: the alert clears once the metric climbs back above it`);
        }
      }
    } else if (raw.source !== undefined && (typeof raw.source !== 'string' || raw.source.trim() === '')) {
      report(at('source'), `must be a non-empty string (an event's ticket.source), got ${describeValue(raw.source)}`);
    }
    if (problems.length > before) return;
    const common = {
      id: raw.id as string,
      title: raw.title as string,
      severity: raw.severity as AlertSeverity,
      wall: raw.wall === true,
      forSec: raw.forSec as number,
      clearForSec: (raw.clearForSec as number | undefined) ?? 0,
    };
    if (kind === 'threshold') {
      rules.push({
        kind,
        ...common,
        metric: raw.metric as string,
        op: raw.op as AlertOp,
        value: raw.value as number,
        clearValue: (raw.clearValue as number | undefined) ?? (raw.value as number),
      });
    } else {
      rules.push({ kind: 'no-events', ...common, source: (raw.source as string | undefined) ?? null });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

/** Parses and validates the text of an alerts file; a JSON syntax error is one problem with its line and column. */
export function parseAlertRulesFile(text: string): AlertRulesValidation {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: jsonErrorMessage(source, error) }] };
  }
  return validateAlertRules(value);
}
