// The alerts (issue 6): the rules file `alerts.json` in DASHBOARDS_DIR, re-read on every
// evaluation (a few hundred bytes, every 5 s) so that an edit applies without a restart; a file
// that does not validate is refused with its JSON paths and reasons in the log, and the last good
// rules stay in force.
//
// The engine's state and history live in the store (alert-store.ts) and survive a restart. One
// instance evaluates: the store's leader (always, embedded). It saves after every change; the
// other instances keep what it saved as their view, so that every instance answers the same. An
// acknowledgement taken on another instance shows there at once and is sent to the leader, which
// applies it and saves it like any change.
//
// Everything that changes the engine runs one at a time (`serial`): an evaluation, an
// acknowledgement, a change heard from the leader. Each may wait on the store, and two of them
// interleaved could save a state that mixes both.
import fs from 'node:fs';
import path from 'node:path';
import type { DashboardProblem } from '../../contract/dashboards.js';
import { formatProblem } from '../dashboards/validate-dashboard.js';
import type { ActiveAlert, AlertHistoryEntry } from '../../contract/alerts.js';
import type { LiveState } from '../../contract/domain.js';
import type { AckRequest, AlertChange, AlertStore } from './alert-store.js';
import { AlertEngine, entriesAfter, HISTORY_LIMIT, type AckResult, type AlertEngineSnapshot, type AlertTransition, type SourceTimes } from './engine.js';
import { parseAlertRulesFile } from './rules.js';

export const ALERTS_FILE = 'alerts.json';
/** How often app.ts evaluates the rules; the Redis lease (15 s) outlives two missed turns. */
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
  /** Where the state and history are kept, and who evaluates. */
  store: AlertStore;
  /** Called with what changed after an evaluation (on the leader) that changed something. */
  onChange?: (transitions: AlertTransition[]) => void;
  /**
   * Called whenever this instance's view of the active alerts changed: after an evaluation, an
   * acknowledgement, or a change saved by the leader.
   */
  onActiveChange?: (active: ActiveAlert[]) => void;
}

export class AlertService {
  readonly file: string;
  /** What is wrong with the file as it is now; empty when its rules are in force. */
  problems: DashboardProblem[] = [];
  /** The text last read (null: none yet, or the file is missing). */
  private text: string | null = null;
  /** The truth on the leader; elsewhere the view of what the leader saved (plus acks in flight). */
  private readonly engine: AlertEngine;
  private readonly store: AlertStore;
  private leading = false;
  /** The latest state known to be in the store (saved here or heard from the leader), and its JSON without history. */
  private confirmed: AlertEngineSnapshot | null = null;
  private confirmedJson = '';
  private lastActive = '[]';
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: AlertServiceOptions) {
    this.file = path.join(options.dir, ALERTS_FILE);
    this.store = options.store;
    this.engine = new AlertEngine([], { now: options.now() });
    this.reload();
    const ids = this.ruleIds();
    options.log.info({ file: this.file, rules: ids }, `alert rules loaded from ${this.file}: ${ids.join(', ') || 'none'}`);
  }

  /** Loads the saved state and starts hearing the leader's changes. */
  async start(): Promise<void> {
    const background = (what: string) => (error: unknown) => this.options.log.warn({ err: error }, `alerts: ${what} failed`);
    this.store.follow({
      saved: (change) => void this.serial(() => this.heard(change)).catch(background('applying the leader’s change')),
      ackRequested: (request) => void this.serial(() => this.applyRequest(request)).catch(background('applying an acknowledgement from another instance')),
      missed: () => void this.serial(() => this.resync()).catch(background('reading the alerts again')),
    });
    await this.serial(async () => {
      this.leading = await this.tryLead();
      await this.loadFromStore();
      // What was firing before the restart is news to the screens of this instance.
      this.notifyActive();
    });
  }

  /** Whether this instance evaluates the rules (a single process always does). */
  get isLeading(): boolean {
    return this.leading;
  }

  /** Firing and clearing alerts, critical first, then the oldest firing first. */
  active(): ActiveAlert[] {
    return this.engine.active();
  }

  /** The newest `limit` fire/clear/ack entries (all that are kept when left out), oldest first. */
  history(limit = HISTORY_LIMIT): AlertHistoryEntry[] {
    const entries = this.engine.history();
    return entries.slice(Math.max(0, entries.length - limit));
  }

  ruleIds(): string[] {
    return this.engine.rules().map((rule) => rule.id);
  }

  /**
   * Acknowledges the firing instance of an alert. On an instance that does not lead, "unknown" and
   * "not firing" are decided on its view, and the answer is optimistic: the leader applies it.
   * Throws when the store cannot take it (the caller answers 503).
   */
  acknowledge(alertId: string, by: string): Promise<AckResult> {
    return this.serial(async () => {
      const at = this.options.now();
      const result = this.engine.acknowledge(alertId, by, at);
      if (!result.ok) return result;
      if (!(this.leading && (await this.persist()))) {
        try {
          await this.store.requestAck({ alertId, by, at });
        } catch (error) {
          // Nobody will apply it: the view must not claim it.
          this.restoreConfirmed();
          throw error;
        }
      }
      this.notifyActive();
      return result;
    });
  }

  /** Re-reads the rules; on the leader, evaluates them on the current state and saves what changed. */
  evaluate(): Promise<AlertTransition[]> {
    return this.serial(async () => {
      if (this.closed) return [];
      const leading = await this.tryLead();
      if (leading && !this.leading) {
        // Taking over: the last save is the truth, not this view of it. Should it not load, the
        // next evaluation tries again; evaluating on the view could save an old state over it.
        await this.loadFromStore();
        this.leading = true;
        this.options.log.info({}, 'this instance now evaluates the alerts');
      } else if (!leading && this.leading) {
        this.leading = false;
        this.options.log.warn({}, 'this instance no longer evaluates the alerts (another instance holds the lease, or the store is away)');
        // Unsaved changes of this engine must not stay in the view; the next save heard replaces it anyway.
        await this.loadFromStore().catch(() => undefined);
      }
      this.reload();
      if (!leading) {
        this.notifyActive();
        return [];
      }
      const transitions = this.engine.evaluate(this.options.state(), this.options.now(), this.options.sources());
      for (const t of transitions) {
        if (t.to === 'firing' && t.from === 'pending') this.options.log.warn({ alert: t.alertId, value: t.value }, `alert ${t.alertId} fired`);
        else if (t.to === 'cleared' && t.from === 'clearing') this.options.log.info({ alert: t.alertId, value: t.value }, `alert ${t.alertId} cleared`);
      }
      await this.persist();
      if (transitions.length > 0) this.options.onChange?.(transitions);
      this.notifyActive();
      return transitions;
    });
  }

  /** Waits for what is under way, then closes the store (handing the lead to another instance). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.store.close();
  }

  /** Re-reads the rules file when it changed; a bad or missing file keeps the rules in force. */
  private reload(): void {
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

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A store that cannot answer (Redis down) means not leading: nothing could be saved anyway. */
  private async tryLead(): Promise<boolean> {
    try {
      return await this.store.lead();
    } catch (error) {
      if (this.leading) this.options.log.warn({ err: error }, 'alerts: the store cannot be reached; evaluation pauses until it can');
      return false;
    }
  }

  /**
   * Saves the engine when it differs from what is stored; false when this instance lost the lead.
   * The values and the event times move with the numbers: in a busy department that is a save
   * (a few kB) per evaluation, which keeps what another instance or a restart takes over current.
   */
  private async persist(): Promise<boolean> {
    const snapshot = this.engine.snapshot();
    const { history: _history, ...state } = snapshot;
    const json = JSON.stringify(state);
    if (this.confirmed !== null && json === this.confirmedJson) return true;
    const appended = entriesAfter(snapshot, this.confirmed?.recorded ?? 0);
    if (!(await this.store.save({ state, appended }))) {
      // Another instance took the lease (this one was paused or cut off): its saves are the truth.
      this.leading = false;
      this.options.log.warn({}, 'this instance no longer evaluates the alerts (another instance holds the lease)');
      return false;
    }
    this.confirmed = snapshot;
    this.confirmedJson = json;
    return true;
  }

  private async loadFromStore(): Promise<void> {
    const stored = await this.store.load(HISTORY_LIMIT);
    if (stored === null) return;
    this.confirm(stored);
  }

  /** Takes a stored state as this engine's. */
  private confirm(stored: AlertEngineSnapshot): void {
    const { history: _history, ...state } = stored;
    this.confirmed = stored;
    this.confirmedJson = JSON.stringify(state);
    this.engine.restore(stored, this.options.now());
  }

  private restoreConfirmed(): void {
    if (this.confirmed !== null) this.engine.restore(this.confirmed, this.options.now());
  }

  /**
   * The leader saved a change. Only the lease holder can save, so on an instance that holds the
   * lease it can only be a late message from its predecessor: ignored.
   */
  private async heard(change: AlertChange): Promise<void> {
    if (this.closed || this.leading) return;
    const held = this.confirmed;
    const { recorded } = change.state;
    const first = recorded - change.appended.length + 1;
    if (held !== null && recorded < held.recorded) return; // older than what was read meanwhile
    if (held === null || first > held.recorded + 1) {
      // A gap (messages lost, or no state yet): the store has it all.
      await this.loadFromStore();
    } else {
      const fresh = change.appended.slice(held.recorded + 1 - first);
      this.confirm({ ...change.state, history: [...held.history, ...fresh].slice(-HISTORY_LIMIT) });
    }
    this.notifyActive();
  }

  /** Another instance took an acknowledgement: applied here if this instance leads, else lost (see the Redis store). */
  private async applyRequest(request: AckRequest): Promise<void> {
    if (this.closed || !this.leading) return;
    const result = this.engine.acknowledge(request.alertId, request.by, request.at);
    if (!result.ok) return;
    await this.persist();
    this.notifyActive();
  }

  private async resync(): Promise<void> {
    if (this.closed || this.leading) return;
    await this.loadFromStore();
    this.notifyActive();
  }

  private notifyActive(): void {
    const active = this.engine.active();
    const json = JSON.stringify(active);
    if (json === this.lastActive) return;
    this.lastActive = json;
    this.options.onActiveChange?.(active);
  }
}
