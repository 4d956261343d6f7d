// The embedded metric history: its own SQLite file under DATA_DIR (history.sqlite), so that
// the live store's checkpoints and the history never wait on each other's locks.
// One row per (metric, second); metric names live once in their own table, which halves the
// file: 35 days of 40 metrics every 10 s is ~12 M rows, ~20 bytes each.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  RAW_RETENTION_MS,
  aggregateOf,
  type HistoryHealth,
  type HistoryPoint,
  type HistoryQuery,
  type HistorySeries,
  type HistoryStore,
} from './history-store.js';

/** Pruning deletes one hour of rows per metric: a few thousand rows, a millisecond or two. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface SqliteHistoryOptions {
  dataDir: string;
  now: () => number;
  retentionMs?: number;
  /** Where write failures (a full disk) are reported; they never reach the sampler. */
  onError?: (error: unknown) => void;
}

export class SqliteHistoryStore implements HistoryStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly retentionMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly metricIds = new Map<string, number>();
  private readonly statements;
  private readonly writeMany: (points: readonly HistoryPoint[]) => void;
  private readonly pruneTimer: NodeJS.Timeout;
  private dropped = 0;
  private lastWriteOk = true;

  constructor(options: SqliteHistoryOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.now = options.now;
    this.retentionMs = options.retentionMs ?? RAW_RETENTION_MS;
    this.onError = options.onError ?? (() => {});
    this.db = new Database(path.join(options.dataDir, 'history.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // A crash may lose the last second of samples; the history is not worth an fsync per sample.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS metrics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      -- The primary key is the index every query and every prune walks: one metric, a time range.
      CREATE TABLE IF NOT EXISTS points (
        metric INTEGER NOT NULL,
        t INTEGER NOT NULL,
        v REAL NOT NULL,
        PRIMARY KEY (metric, t)
      ) WITHOUT ROWID;
    `);
    this.statements = {
      metricAll: this.db.prepare<[], { id: number; name: string }>('SELECT id, name FROM metrics'),
      metricAdd: this.db.prepare<[string]>('INSERT INTO metrics (name) VALUES (?)'),
      // OR REPLACE: a second sample in the same second (two instances, a test) is the newer value.
      pointPut: this.db.prepare<[number, number, number]>('INSERT OR REPLACE INTO points (metric, t, v) VALUES (?, ?, ?)'),
      prune: this.db.prepare<[number, number]>('DELETE FROM points WHERE metric = ? AND t < ?'),
      // t - t % step, not (t / step) * step: better-sqlite3 binds JS numbers as REAL, and `/` would
      // then divide in floating point and put every sample in a step of its own; `%` is integer-only.
      mean: this.db.prepare<{ step: number; metric: number; from: number; to: number }, { b: number; v: number }>(
        'SELECT t - t % $step AS b, avg(v) AS v FROM points WHERE metric = $metric AND t >= $from AND t <= $to GROUP BY b ORDER BY b',
      ),
      // SQLite takes a bare column (v) from the row that max() picked: the last sample of each step.
      last: this.db.prepare<{ step: number; metric: number; from: number; to: number }, { b: number; v: number; lt: number }>(
        'SELECT t - t % $step AS b, v, max(t) AS lt FROM points WHERE metric = $metric AND t >= $from AND t <= $to GROUP BY b ORDER BY b',
      ),
    };
    for (const { id, name } of this.statements.metricAll.all()) this.metricIds.set(name, id);
    this.writeMany = this.db.transaction((points: readonly HistoryPoint[]) => {
      for (const point of points) {
        this.statements.pointPut.run(this.metricId(point.metric), Math.floor(point.t / 1000), point.v);
      }
    });
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  private metricId(name: string): number {
    let id = this.metricIds.get(name);
    if (id === undefined) {
      id = Number(this.statements.metricAdd.run(name).lastInsertRowid);
      this.metricIds.set(name, id);
    }
    return id;
  }

  write(points: readonly HistoryPoint[]): void {
    if (points.length === 0 || !this.db.open) return;
    try {
      this.writeMany(points);
      this.lastWriteOk = true;
    } catch (error) {
      this.dropped += points.length;
      this.lastWriteOk = false;
      this.onError(error);
    }
  }

  async query(query: HistoryQuery): Promise<HistorySeries> {
    const aggregate = aggregateOf(query.metric);
    const id = this.metricIds.get(query.metric);
    if (id === undefined) return { metric: query.metric, step: query.stepSec, aggregate, points: [] };
    const params = { step: query.stepSec, metric: id, from: Math.ceil(query.from / 1000), to: Math.floor(query.to / 1000) };
    const rows = aggregate === 'last' ? this.statements.last.all(params) : this.statements.mean.all(params);
    return { metric: query.metric, step: query.stepSec, aggregate, points: rows.map((row) => ({ t: row.b * 1000, v: row.v })) };
  }

  /** Deletes samples older than the retention; hourly on its own, public for tests. */
  prune(now: number = this.now()): number {
    if (!this.db.open) return 0;
    const cutoff = Math.floor((now - this.retentionMs) / 1000);
    let removed = 0;
    try {
      // Per metric, so each delete walks the primary key instead of the whole table.
      this.db.transaction(() => {
        for (const id of this.metricIds.values()) removed += this.statements.prune.run(id, cutoff).changes;
      })();
    } catch (error) {
      this.onError(error);
    }
    return removed;
  }

  async healthy(): Promise<HistoryHealth> {
    return { kind: this.kind, ok: this.db.open && this.lastWriteOk, bufferedPoints: 0, droppedPoints: this.dropped };
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    if (this.db.open) this.db.close();
  }
}
