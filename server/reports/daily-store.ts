// Where the daily figures live for 400 days and more (docs/contract.md#reports-to-management): each
// ticket's parts of its days, and each line's end-of-day counts. Embedded: SQLite under DATA_DIR;
// distributed: the Redis every instance shares. Both answer a span of days as parts and line-days;
// server/reports/figures.ts turns them into figures.
import type { DayPart } from './day-parts.js';
import type { LineDay } from './figures.js';

/** Kept this long: a year and a month, so a month's report can show the same month last year. */
export const DAILY_RETENTION_DAYS = 430;

/** A ticket's parts as they now stand: they replace whatever the store held for it. */
export interface TicketParts {
  key: string;
  parts: ReadonlyMap<string, DayPart>;
}

export interface DaySpan {
  /** Day → the parts of its tickets. */
  parts: Map<string, DayPart[]>;
  lineDays: LineDay[];
}

export interface DailyStore {
  readonly kind: 'embedded' | 'redis';
  /** Replaces each ticket's parts; resolves when stored. */
  writeTickets(tickets: readonly TicketParts[]): Promise<void>;
  /** Writes line-days, replacing the same day and line. */
  writeLineDays(rows: readonly LineDay[]): Promise<void>;
  /** The days in [fromDay, toDay) (YYYY-MM-DD, local): their tickets' parts and their line-days. */
  read(fromDay: string, toDay: string): Promise<DaySpan>;
  /** The line-days alone, for the same span. */
  readLineDays(fromDay: string, toDay: string): Promise<LineDay[]>;
  /** Forgets the days before `beforeDay`. */
  prune(beforeDay: string): Promise<void>;
  close(): Promise<void>;
}

/** The day after `day` (YYYY-MM-DD): calendar arithmetic on the date alone. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The local days from `fromDay` up to, not including, `toDay`. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  // Calendar arithmetic on the date alone (noon UTC): no zone or DST can skip or repeat a day.
  for (let t = Date.parse(`${fromDay}T12:00:00Z`); ; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (day >= toDay) break;
    days.push(day);
  }
  return days;
}

/** A line-day as stored: JSON of its fields (line names are data, inside the value). */
export function encodeLineDay(row: LineDay): string {
  return JSON.stringify(row);
}

export function decodeLineDay(text: string): LineDay | null {
  try {
    const value = JSON.parse(text) as Partial<LineDay> | null;
    if (value === null || typeof value !== 'object' || typeof value.day !== 'string' || typeof value.line !== 'string') return null;
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return {
      day: value.day,
      line: value.line,
      backlog: num(value.backlog),
      forecastAbsError: num(value.forecastAbsError),
      forecastActual: num(value.forecastActual),
      scheduledAgentHours: num(value.scheduledAgentHours),
      requiredAgentHours: num(value.requiredAgentHours),
      reconstructed: value.reconstructed === true,
    };
  } catch {
    return null;
  }
}
