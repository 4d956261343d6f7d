// Arrivals: how many tickets each line (queue) received per 15 minutes, counted by `createdAt`, so
// that past tickets sent through POST /api/v1/events (a backfill) build the history the forecast
// reads (docs/contract.md#forecast-shifts-and-staffing). 15 minutes is the finest staffing interval, and every real time
// zone's offset is a multiple of it, so 15-minute buckets of UTC add up exactly to any zone's local
// 15-, 30- and 60-minute intervals.

export const BUCKET_MS = 15 * 60_000;
/** Kept this long (a year and a month: last year's same week, and a month's report of it). */
export const RETENTION_DAYS = 400;
export const RETENTION_MS = RETENTION_DAYS * 86_400_000;

import type { Arrival } from '../domain/arrival.js';

export type { Arrival } from '../domain/arrival.js';

export interface ArrivalsStore {
  readonly kind: 'embedded' | 'redis';
  /** Counts the tickets not counted before; resolves when stored. Arrivals older than the retention are ignored. */
  record(arrivals: readonly Arrival[], now: number): Promise<void>;
  /** Counts per bucket start in `[from, to)`, buckets with no arrival left out. */
  counts(line: string, from: number, to: number): Promise<Map<number, number>>;
  /** The first bucket holding an arrival of the line (where its history starts), or null. */
  historyStart(line: string): Promise<number | null>;
  /** Forgets what is older than the retention. */
  sweep(now: number): Promise<void>;
  /**
   * Whether the process before stopped right after storing every arrival it had seen (see
   * `markAllStored`): then a restart need not count the tickets it puts back again. Forgets it at
   * once, so that a crash of this process is never taken for such a stop.
   */
  takeAllStored(): Promise<boolean>;
  /** Says every arrival this process saw is stored: its last step before closing. */
  markAllStored(): Promise<void>;
  close(): Promise<void>;
}

export function bucketOf(at: number): number {
  return Math.floor(at / BUCKET_MS) * BUCKET_MS;
}
