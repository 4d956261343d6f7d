// Keeps the daily figures (docs/contract.md#reports-to-management) as the live model moves:
//  - each ticket whose contribution, line or priority changed is written as its day parts within a
//    second (`flush`), so a late or backfilled ticket lands in its own days however old;
//  - at the end of each local day (`closeDay`, on the first beat of the next one) each line's
//    backlog is counted from the live queues, and its forecast error and agent-hours from the
//    staffing service; today's row is also written on shutdown, so a restart keeps it;
//  - days the server was down over (`backfill`) get each line's backlog rebuilt from the tickets'
//    times, marked as rebuilt, and their forecast and hours as for any day.
import type { Calendar } from '../domain/calendar.js';
import type { LiveModel } from '../domain/live-model.js';
import { isOpen } from '../domain/ticket-clock.js';
import type { StaffingService } from '../staffing/staffing-service.js';
import { type DailyStore, daysBetween, type TicketParts } from './daily-store.js';
import { dayPartsOf } from './day-parts.js';
import type { LineDay } from './figures.js';

/** Tickets waiting for the store; beyond this (a store unreachable for long) the oldest changes are dropped and counted. */
const MAX_PENDING = 200_000;
/** A restart looks this far back for days whose end nobody counted. */
const BACKFILL_DAYS = 35;
/** Lines remembered for the end-of-day rows; more queue names than any department has. */
const MAX_LINES = 1_000;

export interface LedgerLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface DailyLedgerOptions {
  store: DailyStore;
  model: LiveModel;
  calendar: Calendar;
  /** Null when staffing is not set up: forecast and hours stay empty. */
  staffing: StaffingService | null;
  log: LedgerLog;
}

export class DailyLedger {
  private pending = new Map<string, TicketParts>();
  /** Changes dropped because MAX_PENDING were waiting. */
  dropped = 0;
  private writing: Promise<void> | null = null;
  /** The lines tickets were seen on: each gets its end-of-day row, open tickets or not (backlog 0 is a figure). */
  private readonly lines = new Set<string>();

  constructor(private readonly options: DailyLedgerOptions) {}

  /** Takes what the model collected; the latest change of a ticket wins. */
  collect(): void {
    for (const { key, line, priority, contribution, flow } of this.options.model.takeTicketDays()) {
      if (this.lines.size < MAX_LINES) this.lines.add(line);
      if (!this.pending.has(key) && this.pending.size >= MAX_PENDING) {
        this.dropped++;
        continue;
      }
      this.pending.set(key, { key, parts: dayPartsOf(contribution, line, priority, flow) });
    }
  }

  /** Writes what was collected; what the store refused waits for the next flush. One write at a time. */
  async flush(): Promise<void> {
    while (this.writing !== null) await this.writing;
    this.collect();
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.options.store
      .writeTickets([...batch.values()])
      .catch((error: unknown) => {
        // Newer changes of the same tickets (collected meanwhile) win over the batch's.
        for (const [key, parts] of batch) if (!this.pending.has(key)) this.pending.set(key, parts);
        this.options.log.warn({ err: error, waiting: this.pending.size }, 'daily figures not stored; kept for the next try');
      })
      .finally(() => {
        this.writing = null;
      });
    await this.writing;
  }

  /**
   * Counts each line's end of `day`: its backlog from the live queues now (call on the first beat
   * after the day ends), or as given (a history brought in from elsewhere, the demo's), with the
   * forecast's error and the agent-hours of the staffing lines.
   */
  async closeDay(day: string, now: number, backlog?: ReadonlyMap<string, number>): Promise<void> {
    let counted = backlog;
    if (counted === undefined) {
      const open = new Map<string, number>();
      for (const queue of this.options.model.state(now).queues) open.set(queue.id, queue.open);
      counted = open;
    }
    await this.writeDay(day, counted, false, now);
  }

  /**
   * Rebuilds the days that ended while the server was down: each day since the last one counted
   * (at most BACKFILL_DAYS back) up to yesterday. A ticket counts as open at a day's end when it
   * was created before it and not solved by it; tickets closed without a solved time, and closed
   * tickets already forgotten (past retention), cannot be counted: the report says so.
   */
  async backfill(now: number): Promise<string[]> {
    const { calendar } = this.options;
    const today = calendar.dayKey(now);
    const from = calendar.dayKeyBefore(now, BACKFILL_DAYS);
    const counted = new Set((await this.options.store.readLineDays(from, today)).map((row) => row.day));
    if (counted.size === 0) return [];
    const latest = [...counted].sort().at(-1)!;
    const missing = daysBetween(latest, today).filter((day) => !counted.has(day));
    for (const day of missing) {
      const end = calendar.endOf(day);
      const backlog = new Map<string, number>();
      this.options.model.scanTickets((t) => {
        const solvedBefore = t.solvedMs !== null && t.solvedMs < end;
        if (t.createdMs >= end || solvedBefore || (!isOpen(t) && t.solvedMs === null)) return;
        backlog.set(t.queue, (backlog.get(t.queue) ?? 0) + 1);
      });
      await this.writeDay(day, backlog, true, now);
    }
    if (missing.length > 0) this.options.log.info({ days: missing }, 'daily figures: backlog rebuilt from the tickets for days the server was down');
    return missing;
  }

  private async writeDay(day: string, backlog: ReadonlyMap<string, number>, reconstructed: boolean, now: number): Promise<void> {
    const rows = new Map<string, LineDay>();
    const row = (line: string): LineDay => {
      let found = rows.get(line);
      if (found === undefined) {
        found = { day, line, backlog: 0, forecastAbsError: null, forecastActual: null, scheduledAgentHours: null, requiredAgentHours: null, reconstructed };
        rows.set(line, found);
      }
      return found;
    };
    for (const line of this.lines) row(line);
    for (const [line, open] of backlog) row(line).backlog = open;
    const staffing = this.options.staffing;
    if (staffing !== null) {
      const dayStart = this.options.calendar.startOf(day);
      for (const line of staffing.lines()) {
        try {
          const plan = await staffing.day(line, dayStart, now);
          if (plan === null) continue;
          const target = row(line);
          const hours = plan.intervalMinutes / 60;
          let absError = 0;
          let actual = 0;
          let any = false;
          for (const interval of plan.intervals) {
            if (interval.actual === null) continue;
            any = true;
            absError += Math.abs(interval.actual - interval.forecast);
            actual += interval.actual;
          }
          target.forecastAbsError = any ? round2(absError) : null;
          target.forecastActual = any ? actual : null;
          target.scheduledAgentHours = round2(plan.intervals.reduce((sum, i) => sum + i.scheduled * hours, 0));
          target.requiredAgentHours = round2(plan.intervals.reduce((sum, i) => sum + i.requiredScheduled * hours, 0));
        } catch (error) {
          this.options.log.warn({ err: error, line, day }, 'daily figures: the forecast and hours of a line could not be read');
        }
      }
    }
    await this.options.store.writeLineDays([...rows.values()]);
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
