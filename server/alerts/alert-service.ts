// The alerts of one instance (issue 6): the rules file `alerts.json` in DASHBOARDS_DIR, re-read on
// every evaluation (a few hundred bytes, every 5 s) so that an edit applies without a restart; a
// file that does not validate is refused with its JSON paths and reasons in the log, and the last
// good rules stay in force. The engine's state and history live in memory: per instance, and lost
// on restart (a condition that still holds fires again after its hold time).
import fs from 'node:fs';
import path from 'node:path';
import type { DashboardProblem } from '../dashboards/types.js';
import { formatProblem } from '../dashboards/validate-dashboard.js';
import type { LiveState } from '../domain/types.js';
import { AlertEngine, type AlertTransition, type SourceTimes } from './engine.js';
import { parseAlertRulesFile } from './rules.js';

export const ALERTS_FILE = 'alerts.json';
/** How often app.ts evaluates the rules. */
export const ALERT_EVALUATE_MS = 5_000;

export interface AlertLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface AlertServiceOptions {
  dir: string;
  log: AlertLogger;
  now: () => number;
  state: () => LiveState;
  sources: () => SourceTimes;
  /** Called with what changed after an evaluation that changed something. */
  onChange?: (transitions: AlertTransition[]) => void;
}

export class AlertService {
  readonly engine: AlertEngine;
  readonly file: string;
  /** What is wrong with the file as it is now; empty when its rules are in force. */
  problems: DashboardProblem[] = [];
  /** The text last read (null: none yet, or the file is missing). */
  private text: string | null = null;

  constructor(private readonly options: AlertServiceOptions) {
    this.file = path.join(options.dir, ALERTS_FILE);
    this.engine = new AlertEngine([], { now: options.now() });
    this.reload();
    const ids = this.engine.rules().map((rule) => rule.id);
    options.log.info({ file: this.file, rules: ids }, `alert rules loaded from ${this.file}: ${ids.join(', ') || 'none'}`);
  }

  /** Re-reads the rules file when it changed; a bad or missing file keeps the rules in force. */
  reload(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (this.text === `error:${code}`) return;
      this.text = `error:${code}`;
      this.problems = [{ path: '', message: code === 'ENOENT' ? 'the file is missing; the rules in force stay' : `cannot be read (${code})` }];
      this.options.log.warn({ file: this.file }, formatProblem(this.file, this.problems[0]!));
      return;
    }
    if (text === this.text) return;
    this.text = text;
    const result = parseAlertRulesFile(text);
    if (!result.ok) {
      this.problems = result.problems;
      this.options.log.warn(
        { file: this.file, problems: result.problems },
        `alert rules ${this.file} refused (the last good rules stay in force): ${result.problems.map((p) => formatProblem(ALERTS_FILE, p)).join('; ')}`,
      );
      return;
    }
    const hadRules = this.engine.rules().length > 0;
    this.problems = [];
    this.engine.setRules(result.rules, this.options.now());
    if (hadRules) this.options.log.info({ file: this.file }, `alert rules ${this.file} changed: ${result.rules.map((r) => r.id).join(', ')}`);
  }

  /** Re-reads the rules, then evaluates them on the current state. */
  evaluate(): AlertTransition[] {
    this.reload();
    const transitions = this.engine.evaluate(this.options.state(), this.options.now(), this.options.sources());
    for (const t of transitions) {
      if (t.to === 'firing' && t.from === 'pending') this.options.log.warn({ alert: t.alertId, value: t.value }, `alert ${t.alertId} fired`);
      else if (t.to === 'cleared' && t.from === 'clearing') this.options.log.info({ alert: t.alertId, value: t.value }, `alert ${t.alertId} cleared`);
    }
    if (transitions.length > 0) this.options.onChange?.(transitions);
    return transitions;
  }
}
