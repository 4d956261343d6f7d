// Metric history in InfluxDB 1.x (INFLUX_URL=http://host:8086/dbname), the distributed mode's
// store. Schema: one measurement per section of the state (queues, agents, sla, kpis), the
// field named as in the state, queues tagged by `queue`; `queues.l1.waiting` is field
// `waiting` of `queues` where queue='l1'.
//
// Two retention policies: `raw` (35 days, the database's default) takes the 10 s samples;
// a continuous query folds them into `hourly` (kept 2 years) as mean_<field> and
// last_<field>. Short ranges read `raw`; long ranges read `hourly` and the last hours from `raw`.
//
// Writes are buffered and sent in batches: every 2 s or at 5,000 points. While InfluxDB is
// unreachable the buffer holds up to 100,000 points (the oldest go first, counted) and is
// retried with exponential backoff; `write` never throws and never waits, so the live path
// cannot notice.
import { InfluxDB, escape as influxql, type IPoint, type IPoolOptions } from 'influx';
import type { FastifyBaseLogger } from 'fastify';
import { parseNumberMetric } from '../../contract/metrics.js';
import {
  RAW_RETENTION_MS,
  aggregateOf,
  type HistoryHealth,
  type HistoryPoint,
  type HistoryQuery,
  type HistorySeries,
  type HistoryStore,
} from './history-store.js';

export const RAW_RP = 'raw';
export const HOURLY_RP = 'hourly';
export const CONTINUOUS_QUERY = 'watchfloor_hourly';
const HOUR_MS = 60 * 60 * 1000;
/** Kept hourly: two years. */
const HOURLY_RETENTION = '730d';
/**
 * Beyond a week a chart's step is hours anyway (at most ~2,000 points), and the hourly RP
 * answers from ~24 rows a day per series instead of 8,640.
 */
const LONG_RANGE_MS = 7 * 24 * HOUR_MS;
/**
 * The continuous query recomputes the last two hours at each hourly run, so a point that
 * arrives up to an hour late is still folded in; a later one (a flushed outage buffer) is
 * folded by a backfill query after the flush.
 */
const RESAMPLE = 'RESAMPLE EVERY 1h FOR 2h';

export interface InfluxHistoryOptions {
  url: string;
  now?: () => number;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  flushIntervalMs?: number;
  batchSize?: number;
  maxBuffered?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  /** How long `close` may spend flushing what is left. */
  closeTimeoutMs?: number;
}

interface Series {
  measurement: string;
  queue: string | null;
  field: string;
}

/** The database and connection from `http://user:pass@host:8086/dbname`. */
export function parseInfluxUrl(raw: string): {
  host: string;
  port: number;
  protocol: 'http' | 'https';
  database: string;
  username?: string;
  password?: string;
} {
  const url = new URL(raw);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  return {
    host: url.hostname,
    port: url.port === '' ? 8086 : Number(url.port),
    protocol,
    database,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }),
  };
}

/** A 4xx on write means these points can never be written (bad data, outside the retention): retrying would jam the buffer. */
function isPermanent(error: unknown): boolean {
  const status = (error as { res?: { statusCode?: number } }).res?.statusCode;
  return status === 400;
}

function isMissingDatabase(error: unknown): boolean {
  return /database not found/i.test((error as Error).message ?? '');
}

const silent = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export class InfluxHistoryStore implements HistoryStore {
  readonly kind = 'influx' as const;
  readonly database: string;
  private readonly influx: InfluxDB;
  private readonly now: () => number;
  private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly closeTimeoutMs: number;
  private readonly timer: NodeJS.Timeout;
  private readonly seriesCache = new Map<string, Series | null>();
  private buffer: HistoryPoint[] = [];
  private inFlight = 0;
  private flushing: Promise<void> | null = null;
  private schemaReady = false;
  private ok = false;
  private failures = 0;
  private retryAt = 0;
  private dropped = 0;
  private droppedLogged = false;
  /** The oldest point written too late for the continuous query, to backfill once the buffer drains. */
  private backfillFrom: number | null = null;
  private closed = false;

  constructor(options: InfluxHistoryOptions) {
    const { database, ...connection } = parseInfluxUrl(options.url);
    this.database = database;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silent;
    this.batchSize = options.batchSize ?? 5_000;
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.retryMinMs = options.retryMinMs ?? 1_000;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 3_000;
    // The client's own retries and host backoff would hide failures from ours and keep a
    // recovered server "disabled" for up to 10 s: one attempt per call, our backoff decides.
    const noBackoff: NonNullable<IPoolOptions['backoff']> = {
      getDelay: () => 0,
      next() {
        return this;
      },
      reset() {
        return this;
      },
    };
    this.influx = new InfluxDB({
      ...connection,
      database,
      pool: { maxRetries: 0, requestTimeout: options.requestTimeoutMs ?? 5_000, backoff: noBackoff },
    });
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 2_000);
    this.timer.unref();
    // Create the database and policies now if InfluxDB is up; if not, the first flush retries.
    this.ensureSchema().catch((error: unknown) => this.failed(error));
  }

  private seriesOf(metric: string): Series | null {
    let series = this.seriesCache.get(metric);
    if (series === undefined) {
      const parsed = parseNumberMetric(metric);
      series = 'error' in parsed ? null : { measurement: parsed.section, queue: 'queue' in parsed ? parsed.queue : null, field: parsed.field };
      // Queue names come from the helpdesk; the cache must not grow with a misbehaving source.
      if (this.seriesCache.size > 10_000) this.seriesCache.clear();
      this.seriesCache.set(metric, series);
    }
    return series;
  }

  write(points: readonly HistoryPoint[]): void {
    if (this.closed || points.length === 0) return;
    for (const point of points) this.buffer.push(point);
    this.trim();
    if (this.buffer.length >= this.batchSize && Date.now() >= this.retryAt) void this.flush();
  }

  /** Keeps the buffer bounded: the oldest points go first, counted. */
  private trim(): void {
    const excess = this.buffer.length - this.maxBuffered;
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.dropped += excess;
    if (!this.droppedLogged) {
      this.droppedLogged = true;
      this.log.warn({ maxBuffered: this.maxBuffered }, 'history buffer full while InfluxDB is unreachable: dropping the oldest points');
    }
  }

  /** Writes what is buffered, batch by batch, unless a retry is not due yet. Never rejects. */
  flush(): Promise<void> {
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushLoop(): Promise<void> {
    while (this.buffer.length > 0 && Date.now() >= this.retryAt) {
      const batch = this.buffer.splice(0, this.batchSize);
      this.inFlight = batch.length;
      try {
        if (!this.schemaReady) await this.ensureSchema();
      } catch (error) {
        this.requeue(batch, error);
        break;
      }
      try {
        await this.influx.writePoints(this.toInflux(batch), { database: this.database, retentionPolicy: RAW_RP, precision: 's' });
        this.inFlight = 0;
        this.succeeded();
        this.noteLate(batch);
      } catch (error) {
        if (isPermanent(error)) {
          // Counted whole: a "partial write" names how many of its lines InfluxDB refused, not which.
          this.inFlight = 0;
          this.dropped += batch.length;
          this.log.warn({ err: error, points: batch.length }, 'InfluxDB refused history points; dropped');
          continue;
        }
        if (isMissingDatabase(error)) this.schemaReady = false;
        this.requeue(batch, error);
      }
    }
    if (this.buffer.length === 0 && this.backfillFrom !== null && Date.now() >= this.retryAt) await this.backfill();
  }

  /** A batch that failed goes back to the front, in order, then the bound again: new points may have come meanwhile. */
  private requeue(batch: HistoryPoint[], error: unknown): void {
    this.buffer = batch.concat(this.buffer);
    this.inFlight = 0;
    this.trim();
    this.failed(error);
  }

  /** Groups a batch into lines: one per measurement, queue and second, with all its fields. */
  private toInflux(batch: readonly HistoryPoint[]): IPoint[] {
    const lines = new Map<string, IPoint & { fields: Record<string, number> }>();
    for (const point of batch) {
      const series = this.seriesOf(point.metric);
      if (series === null || !Number.isFinite(point.v)) {
        this.dropped++;
        continue;
      }
      const second = Math.floor(point.t / 1000);
      const key = `${series.measurement}\u0000${series.queue ?? ''}\u0000${second}`;
      let line = lines.get(key);
      if (line === undefined) {
        line = { measurement: series.measurement, fields: {}, timestamp: second, ...(series.queue === null ? {} : { tags: { queue: series.queue } }) };
        lines.set(key, line);
      }
      line.fields[series.field] = point.v;
    }
    return [...lines.values()];
  }

  private succeeded(): void {
    if (!this.ok && this.failures > 0) {
      this.log.info({ buffered: this.buffer.length, dropped: this.dropped }, 'InfluxDB reachable again: writing the buffered history');
    }
    this.ok = true;
    this.failures = 0;
    this.retryAt = 0;
    this.droppedLogged = false;
  }

  private failed(error: unknown): void {
    if (this.ok || this.failures === 0) {
      this.log.warn({ err: error, buffered: this.buffer.length }, 'InfluxDB unreachable: buffering history points and retrying');
    }
    this.ok = false;
    this.failures++;
    const delay = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** (this.failures - 1));
    // Jitter, so that instances that lost InfluxDB together do not come back in lockstep.
    this.retryAt = Date.now() + delay * (0.8 + Math.random() * 0.4);
  }

  private noteLate(batch: readonly HistoryPoint[]): void {
    const lateBefore = Math.floor(this.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
    for (const point of batch) {
      if (point.t < lateBefore && (this.backfillFrom === null || point.t < this.backfillFrom)) this.backfillFrom = point.t;
    }
  }

  /** Folds late points into `hourly`: the continuous query's own SELECT over the hours it already did. */
  private async backfill(): Promise<void> {
    const from = Math.floor(this.backfillFrom! / HOUR_MS) * HOUR_MS;
    const to = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
    try {
      await this.influx.queryRaw(`${this.downsampleSelect()} WHERE time >= ${from}ms AND time < ${to}ms GROUP BY time(1h), *`, {
        database: this.database,
        method: 'POST',
      });
      this.backfillFrom = null;
    } catch (error) {
      this.failed(error);
    }
  }

  private downsampleSelect(): string {
    const db = influxql.quoted(this.database);
    return `SELECT mean(*), last(*) INTO ${db}.${influxql.quoted(HOURLY_RP)}.:MEASUREMENT FROM ${db}.${influxql.quoted(RAW_RP)}./.*/`;
  }

  /** The database, both retention policies and the continuous query, each created when missing. */
  private async ensureSchema(): Promise<void> {
    const db = this.database;
    await this.influx.createDatabase(db);
    const policies = await this.influx.showRetentionPolicies(db);
    const wanted = [
      { name: RAW_RP, duration: `${RAW_RETENTION_MS / HOUR_MS / 24}d`, isDefault: true },
      { name: HOURLY_RP, duration: HOURLY_RETENTION, isDefault: false },
    ];
    for (const policy of wanted) {
      const existing = policies.find((p) => p.name === policy.name);
      // An existing policy is left as it is: an operator may have tuned its duration.
      if (existing === undefined)
        await this.influx.createRetentionPolicy(policy.name, { database: db, duration: policy.duration, replication: 1, isDefault: policy.isDefault });
    }
    const queries = await this.influx.showContinousQueries(db);
    if (!queries.some((q) => q.name === CONTINUOUS_QUERY)) {
      try {
        await this.influx.createContinuousQuery(CONTINUOUS_QUERY, `${this.downsampleSelect()} GROUP BY time(1h), *`, db, RESAMPLE);
      } catch (error) {
        // Another instance created it between our SHOW and CREATE.
        if (!/already exists/i.test((error as Error).message)) throw error;
      }
    }
    this.schemaReady = true;
    this.succeeded();
  }

  async query(query: HistoryQuery): Promise<HistorySeries> {
    const aggregate = aggregateOf(query.metric);
    const series = this.seriesOf(query.metric);
    const long = query.to - query.from > LONG_RANGE_MS || query.from < this.now() - RAW_RETENTION_MS;
    // The hourly RP holds one row per hour: a shorter step would show gaps between them.
    const step = long ? Math.ceil(query.stepSec / 3600) * 3600 : query.stepSec;
    if (series === null) return { metric: query.metric, step, aggregate, points: [] };

    const stepMs = step * 1000;
    const statements: string[] = [];
    const from = query.from;
    const to = query.to;
    if (!long) {
      statements.push(this.select(series, aggregate, RAW_RP, series.field, `time >= ${from}ms AND time <= ${to}ms`, step));
    } else {
      // Hours the continuous query has not folded yet come from `raw`; the split sits on a step
      // boundary so that no step is answered half from each.
      const split = Math.floor((this.now() - 2 * HOUR_MS) / stepMs) * stepMs;
      if (from < split) {
        const end = Math.min(split - 1, to);
        statements.push(this.select(series, aggregate, HOURLY_RP, `${aggregate}_${series.field}`, `time >= ${from}ms AND time <= ${end}ms`, step));
      }
      if (to >= split) {
        statements.push(this.select(series, aggregate, RAW_RP, series.field, `time >= ${Math.max(from, split)}ms AND time <= ${to}ms`, step));
      }
    }
    const response = (await this.influx.queryRaw(statements.join('; '), { database: this.database, precision: 'ms' })) as {
      results?: { error?: string; series?: { values?: [number, number | null][] }[] }[];
    };
    const points: { t: number; v: number }[] = [];
    for (const result of response.results ?? []) {
      if (result.error !== undefined) throw new Error(`InfluxDB: ${result.error}`);
      for (const [t, v] of result.series?.[0]?.values ?? []) if (v !== null) points.push({ t, v });
    }
    return { metric: query.metric, step, aggregate, points };
  }

  private select(series: Series, aggregate: string, rp: string, field: string, time: string, step: number): string {
    const db = influxql.quoted(this.database);
    const tag = series.queue === null ? '' : `"queue" = ${influxql.stringLit(series.queue)} AND `;
    return `SELECT ${aggregate}(${influxql.quoted(field)}) AS v FROM ${db}.${influxql.quoted(rp)}.${influxql.quoted(series.measurement)} WHERE ${tag}${time} GROUP BY time(${step}s) fill(none)`;
  }

  async healthy(): Promise<HistoryHealth> {
    return { kind: this.kind, ok: this.ok, bufferedPoints: this.buffer.length + this.inFlight, droppedPoints: this.dropped };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.closeTimeoutMs).unref());
    // A last try whatever the backoff says: the process is about to go.
    this.retryAt = 0;
    await Promise.race([(this.flushing ?? Promise.resolve()).then(() => this.flush()), deadline]);
    const left = this.buffer.length + this.inFlight;
    if (left > 0) this.log.warn({ points: left }, 'history points not written to InfluxDB before stopping');
  }
}
