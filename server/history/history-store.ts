// Metric history (docs/contract.md#configuration, #the-numbers): the live numbers sampled every 10 s, kept as time series and
// read back aggregated per step. Two implementations fill this contract: SQLite under DATA_DIR
// (embedded) and InfluxDB 1.x (INFLUX_URL). Metric names are the wall's number paths
// (contract/metrics.ts), so a widget asks for exactly the number it shows.

/** One sampled value. `t` is epoch milliseconds; the stores keep whole seconds. */
export interface HistoryPoint {
  metric: string;
  t: number;
  v: number;
}

export interface HistoryQuery {
  metric: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, inclusive. */
  to: number;
  stepSec: number;
}

/** How the samples inside one step become its value. */
export type Aggregate = 'mean' | 'last';

export interface HistorySeries {
  metric: string;
  /** The step actually used, in seconds (a long InfluxDB range rounds it up to whole hours). */
  step: number;
  aggregate: Aggregate;
  /**
   * One point per step that holds samples, oldest first; `t` is the start of the step, aligned
   * to the Unix epoch (so daily steps are UTC days). Steps without samples are left out: a gap,
   * not a zero.
   */
  points: { t: number; v: number }[];
}

export interface HistoryHealth {
  kind: 'embedded' | 'influx';
  ok: boolean;
  /** Points waiting to be written (InfluxDB unreachable or a batch in flight). */
  bufferedPoints: number;
  /** Points given up since start: the oldest beyond the buffer bound, or refused by the store. */
  droppedPoints: number;
}

export interface HistoryStore {
  readonly kind: 'embedded' | 'influx';
  /** Never throws and never waits: a store that cannot write now buffers or counts the loss. */
  write(points: readonly HistoryPoint[]): void;
  query(query: HistoryQuery): Promise<HistorySeries>;
  /** Whether the last contact with the store worked, and what is waiting. For /healthz. */
  healthy(): Promise<HistoryHealth>;
  /** Flushes what it can (bounded in time) and releases the store. */
  close(): Promise<void>;
}

/**
 * The daily counters only ever grow until local midnight, then start again: their mean would
 * understate the day and blur the reset, so a step shows the last sample. Every other number is
 * a level (how many wait now, the compliance so far) and a step shows the mean of its samples.
 */
const LAST_METRICS: ReadonlySet<string> = new Set(['sla.breachedToday', 'kpis.createdToday', 'kpis.solvedToday']);

export function aggregateOf(metric: string): Aggregate {
  return LAST_METRICS.has(metric) ? 'last' : 'mean';
}

/** How long raw samples are kept (both stores). */
export const RAW_RETENTION_MS = 35 * 24 * 60 * 60 * 1000;
