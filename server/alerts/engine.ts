// The alert engine (issue 6): rules evaluated against the live numbers, with hold times and
// hysteresis. Pure: no I/O, no timers; the caller passes the state, the time and the last event
// time per source.
//
// One alert per rule; its id is the rule's id. States: cleared → pending (the condition holds,
// not yet for forSec) → firing → clearing (back past clearValue, not yet for clearForSec) →
// cleared. A pending condition that stops holding goes back to cleared without firing (a blip);
// a clearing alert whose metric crosses clearValue again goes back to firing (same instance,
// same acknowledgement). Each firing is a new instance: an acknowledgement stays with it.
//
// `snapshot()` / `restore()` turn the whole state into plain JSON and back, so that a store can
// keep it across restarts and hand it from one instance to the next (alert-store.ts).
import { type NumericState, numberMetricValue } from '../../contract/metrics.js';
import { compare, type AlertRule } from './rules.js';
import type { Acknowledgement, ActiveAlert, AlertHistoryEntry, AlertSeverity } from '../../contract/alerts.js';

export type AlertState = 'cleared' | 'pending' | 'firing' | 'clearing';

export interface AlertTransition {
  alertId: string;
  from: AlertState;
  to: AlertState;
  at: number;
  value: number | null;
}

/** When the last event arrived, in all and per `ticket.source` (ms); null: none since start. */
export interface SourceTimes {
  any: number | null;
  bySource: ReadonlyMap<string, number>;
}

export type AckResult = { ok: true; alert: ActiveAlert } | { ok: false; reason: 'unknown' | 'not-firing' };

export const HISTORY_LIMIT = 1_000;

/** One alert's state, as plain JSON; title and severity say what it was should its rule be gone. */
export interface AlertSlotSnapshot {
  title: string;
  severity: AlertSeverity;
  state: AlertState;
  /** When the condition (pending) or the clear condition (clearing) started to hold. */
  since: number;
  firedAt: number;
  instance: number;
  value: number | null;
  ack: Acknowledgement | null;
}

/** Everything but the history: what a store keeps as "the latest state" (alert-store.ts). */
export interface AlertEngineState {
  /** Per rule id. */
  slots: Record<string, AlertSlotSnapshot>;
  /** The latest event times seen, so that a no-events rule's silence outlives a restart. */
  lastEvents: { any: number | null; bySource: Record<string, number> };
  /**
   * How many history entries were ever recorded (not only the kept ones): entry number n is the
   * n-th. Tells a store which entries it has not seen yet (`entriesAfter`).
   */
  recorded: number;
}

export interface AlertEngineSnapshot extends AlertEngineState {
  /** The kept entries, oldest first; the last one is number `recorded`. */
  history: AlertHistoryEntry[];
}

/** The entries of `snapshot` numbered after `recorded` (all it keeps when more are newer). */
export function entriesAfter(snapshot: AlertEngineSnapshot, recorded: number): AlertHistoryEntry[] {
  const fresh = snapshot.recorded - recorded;
  if (fresh <= 0) return [];
  return snapshot.history.slice(Math.max(0, snapshot.history.length - fresh));
}

/** An alert as the engine holds it: its snapshot's state beside the rule itself. */
interface Slot extends Omit<AlertSlotSnapshot, 'title' | 'severity'> {
  rule: AlertRule;
}

type StateNumbers = NumericState;

/** What a history entry tells of its alert. */
interface AlertAbout {
  id: string;
  title: string;
  severity: AlertSeverity;
  instance: number;
  value: number | null;
}

const about = (slot: Slot): AlertAbout => ({
  id: slot.rule.id,
  title: slot.rule.title,
  severity: slot.rule.severity,
  instance: slot.instance,
  value: slot.value,
});

const clearedSlot = (rule: AlertRule, now: number): Slot => ({ rule, state: 'cleared', since: now, firedAt: 0, instance: 0, value: null, ack: null });

const iso = (ms: number): string => new Date(ms).toISOString();

/** How long the condition must hold in pending; a no-events rule's silence already was its hold. */
const holdMs = (rule: AlertRule): number => (rule.kind === 'no-events' ? 0 : rule.forSec * 1000);

export class AlertEngine {
  private readonly slots = new Map<string, Slot>();
  private entries: AlertHistoryEntry[] = [];
  private recorded = 0;
  /** Silence is counted from here when a source has sent nothing ever (not even before a restore). */
  private readonly startedAt: number;
  private readonly historyLimit: number;
  /** The newest event times seen by `evaluate` or restored: the caller's own start at null again after a restart. */
  private lastAny: number | null = null;
  private readonly lastBySource = new Map<string, number>();

  constructor(rules: readonly AlertRule[], options: { now: number; historyLimit?: number }) {
    this.startedAt = options.now;
    this.historyLimit = options.historyLimit ?? HISTORY_LIMIT;
    this.setRules(rules, options.now);
  }

  /**
   * Replaces the rules (a changed file). A rule that keeps its id keeps its alert's state; an
   * active alert whose rule is gone is cleared in the history.
   */
  setRules(rules: readonly AlertRule[], now: number): void {
    const ids = new Set(rules.map((rule) => rule.id));
    for (const [id, slot] of this.slots) {
      if (ids.has(id)) continue;
      if (slot.state === 'firing' || slot.state === 'clearing') this.record('clear', about(slot), now, { reason: 'the rule was removed' });
      this.slots.delete(id);
    }
    for (const rule of rules) {
      const slot = this.slots.get(rule.id);
      if (slot === undefined) this.slots.set(rule.id, clearedSlot(rule, now));
      else slot.rule = rule;
    }
  }

  rules(): AlertRule[] {
    return [...this.slots.values()].map((slot) => slot.rule);
  }

  /** Moves every alert on by the numbers at `now`; returns what changed, in rule order. */
  evaluate(state: StateNumbers, now: number, sources: SourceTimes): AlertTransition[] {
    this.noteSources(sources);
    const transitions: AlertTransition[] = [];
    for (const slot of this.slots.values()) {
      const { value, holds, clears } = this.check(slot.rule, state, now);
      slot.value = value;
      const move = (to: AlertState): void => {
        transitions.push({ alertId: slot.rule.id, from: slot.state, to, at: now, value });
        slot.state = to;
        slot.since = now;
      };
      // A zero hold fires (or clears) in the same evaluation: hence the fall-through checks.
      if (slot.state === 'cleared' && holds) move('pending');
      if (slot.state === 'pending') {
        if (!holds) move('cleared');
        else if (now - slot.since >= holdMs(slot.rule)) {
          move('firing');
          slot.instance++;
          slot.firedAt = now;
          slot.ack = null;
          this.record('fire', about(slot), now);
        }
      } else if (slot.state === 'firing') {
        if (clears) move('clearing');
      } else if (slot.state === 'clearing' && !clears) {
        move('firing');
      }
      if (slot.state === 'clearing' && clears && now - slot.since >= slot.rule.clearForSec * 1000) {
        move('cleared');
        this.record('clear', about(slot), now);
      }
    }
    return transitions;
  }

  /** Acknowledges the firing instance of an alert; a later firing needs a new acknowledgement. */
  acknowledge(alertId: string, by: string, now: number): AckResult {
    const slot = this.slots.get(alertId);
    if (slot === undefined) return { ok: false, reason: 'unknown' };
    if (slot.state !== 'firing' && slot.state !== 'clearing') return { ok: false, reason: 'not-firing' };
    // Acknowledging twice keeps the first: the history says who took it first.
    if (slot.ack === null) {
      slot.ack = { by, at: iso(now) };
      this.record('ack', about(slot), now, { by });
    }
    return { ok: true, alert: this.view(slot) };
  }

  /** Firing and clearing alerts, critical first, then the oldest firing first. */
  active(): ActiveAlert[] {
    return [...this.slots.values()]
      .filter((slot) => slot.state === 'firing' || slot.state === 'clearing')
      .sort((a, b) => (a.rule.severity === b.rule.severity ? a.firedAt - b.firedAt : a.rule.severity === 'critical' ? -1 : 1))
      .map((slot) => this.view(slot));
  }

  /** The state of one alert (any state), or undefined for an unknown id. */
  stateOf(alertId: string): AlertState | undefined {
    return this.slots.get(alertId)?.state;
  }

  /** The last fire/clear/ack entries, oldest first; at most the history limit. */
  history(): AlertHistoryEntry[] {
    return [...this.entries];
  }

  /** The whole state as plain JSON (copies: later changes to the engine do not show in it). */
  snapshot(): AlertEngineSnapshot {
    // Keyed by rule id: no prototype, so that every id is a plain own key of the JSON.
    const slots = Object.create(null) as Record<string, AlertSlotSnapshot>;
    for (const [id, slot] of this.slots) {
      const { rule, state, since, firedAt, instance, value, ack } = slot;
      slots[id] = { title: rule.title, severity: rule.severity, state, since, firedAt, instance, value, ack: ack === null ? null : { ...ack } };
    }
    return {
      slots,
      lastEvents: { any: this.lastAny, bySource: Object.fromEntries(this.lastBySource) },
      recorded: this.recorded,
      history: this.history(),
    };
  }

  /**
   * Takes over a snapshot (a restart, another instance's state). The rules stay the engine's own
   * (the file): a rule not in the snapshot starts cleared, and an active alert of a rule that is
   * gone is cleared in the history, as `setRules` does.
   */
  restore(snapshot: AlertEngineSnapshot, now: number): void {
    this.entries = snapshot.history.slice(-this.historyLimit).map((entry) => ({ ...entry }));
    this.recorded = Math.max(snapshot.recorded, this.entries.length);
    this.lastAny = snapshot.lastEvents.any;
    this.lastBySource.clear();
    for (const [source, at] of Object.entries(snapshot.lastEvents.bySource)) this.lastBySource.set(source, at);
    for (const [id, slot] of this.slots) {
      // Own keys only: a snapshot without rule "constructor" must not find Object's constructor.
      const saved = Object.hasOwn(snapshot.slots, id) ? snapshot.slots[id] : undefined;
      if (saved === undefined) {
        this.slots.set(id, clearedSlot(slot.rule, now));
        continue;
      }
      const { state, since, firedAt, instance, value, ack } = saved;
      this.slots.set(id, { rule: slot.rule, state, since, firedAt, instance, value, ack: ack === null ? null : { ...ack } });
    }
    for (const [id, saved] of Object.entries(snapshot.slots)) {
      if (this.slots.has(id) || (saved.state !== 'firing' && saved.state !== 'clearing')) continue;
      // The rule went while the state was away: its alert needs its clear, told with what it was.
      this.record('clear', { id, ...saved }, now, { reason: 'the rule was removed' });
    }
  }

  /** Keeps the newest event times: after a restart a silence counts from the last event before it, not from the restart. */
  private noteSources(sources: SourceTimes): void {
    if (sources.any !== null && (this.lastAny === null || sources.any > this.lastAny)) this.lastAny = sources.any;
    for (const [source, at] of sources.bySource) {
      const known = this.lastBySource.get(source);
      if (known === undefined || at > known) this.lastBySource.set(source, at);
    }
  }

  private check(rule: AlertRule, state: StateNumbers, now: number): { value: number | null; holds: boolean; clears: boolean } {
    if (rule.kind === 'no-events') {
      const last = rule.source === null ? this.lastAny : (this.lastBySource.get(rule.source) ?? null);
      const silentSec = Math.max(0, Math.floor((now - (last ?? this.startedAt)) / 1000));
      // The silence is the hold: the condition holds once it reached forSec, and fires at once (holdMs).
      const holds = silentSec >= rule.forSec;
      return { value: silentSec, holds, clears: !holds };
    }
    const value = numberMetricValue(state, rule.metric);
    // No value (e.g. compliance before any target came due): nothing to alert on, and a firing alert clears.
    if (value === null) return { value, holds: false, clears: true };
    return { value, holds: compare(value, rule.op, rule.value), clears: !compare(value, rule.op, rule.clearValue) };
  }

  private view(slot: Slot): ActiveAlert {
    return {
      id: slot.rule.id,
      title: slot.rule.title,
      severity: slot.rule.severity,
      wall: slot.rule.wall,
      state: slot.state as 'firing' | 'clearing',
      instance: slot.instance,
      firedAt: iso(slot.firedAt),
      value: slot.value,
      metric: slot.rule.kind === 'threshold' ? slot.rule.metric : null,
      acknowledged: slot.ack,
    };
  }

  private record(type: AlertHistoryEntry['type'], alert: AlertAbout, now: number, extra: { by?: string; reason?: string } = {}): void {
    this.recorded++;
    this.entries.push({
      type,
      alertId: alert.id,
      title: alert.title,
      severity: alert.severity,
      instance: alert.instance,
      at: iso(now),
      value: alert.value,
      ...extra,
    });
    if (this.entries.length > this.historyLimit) this.entries.splice(0, this.entries.length - this.historyLimit);
  }
}
