// Arrivals in embedded mode: their own SQLite file under DATA_DIR (planning.sqlite). A table of the
// ticket keys already counted makes recording idempotent: the journal replayed after a crash, or
// a backfill sent twice, counts nothing twice.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Arrival, type ArrivalsStore, bucketOf, RETENTION_MS } from './arrivals-store.js';

export class EmbeddedArrivalsStore implements ArrivalsStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly recordAll: (arrivals: readonly Arrival[], now: number) => void;

  constructor(options: { dataDir: string }) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'planning.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // The journal holds every accepted event and is replayed after a crash; these counts are
    // derived from it, so NORMAL (no fsync per commit) loses nothing that cannot be rebuilt.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS arrivals_seen (key TEXT PRIMARY KEY, bucket INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS arrivals_seen_bucket ON arrivals_seen (bucket);
      CREATE TABLE IF NOT EXISTS arrivals (line TEXT NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (line, bucket)) WITHOUT ROWID;
      -- One row while the process that wrote it is gone and had stored every arrival it saw (takeAllStored).
      CREATE TABLE IF NOT EXISTS arrivals_all_stored (one INTEGER PRIMARY KEY CHECK (one = 1));
    `);
    this.statements = {
      seen: this.db.prepare<[string, number]>('INSERT OR IGNORE INTO arrivals_seen (key, bucket) VALUES (?, ?)'),
      count: this.db.prepare<[string, number]>(
        'INSERT INTO arrivals (line, bucket, count) VALUES (?, ?, 1) ON CONFLICT (line, bucket) DO UPDATE SET count = count + 1',
      ),
      range: this.db.prepare<[string, number, number], { bucket: number; count: number }>(
        'SELECT bucket, count FROM arrivals WHERE line = ? AND bucket >= ? AND bucket < ? ORDER BY bucket',
      ),
      first: this.db.prepare<[string], { bucket: number | null }>('SELECT min(bucket) AS bucket FROM arrivals WHERE line = ?'),
      sweepSeen: this.db.prepare<[number]>('DELETE FROM arrivals_seen WHERE bucket < ?'),
      sweepCounts: this.db.prepare<[number]>('DELETE FROM arrivals WHERE bucket < ?'),
      allStoredTake: this.db.prepare<[]>('DELETE FROM arrivals_all_stored'),
      allStoredMark: this.db.prepare<[]>('INSERT OR IGNORE INTO arrivals_all_stored (one) VALUES (1)'),
    };
    this.recordAll = this.db.transaction((arrivals: readonly Arrival[], now: number) => {
      const oldest = now - RETENTION_MS;
      for (const arrival of arrivals) {
        if (arrival.createdAt < oldest) continue;
        const bucket = bucketOf(arrival.createdAt);
        if (this.statements.seen.run(arrival.key, bucket).changes === 1) this.statements.count.run(arrival.line, bucket);
      }
    });
  }

  async record(arrivals: readonly Arrival[], now: number): Promise<void> {
    if (arrivals.length > 0) this.recordAll(arrivals, now);
  }

  async counts(line: string, from: number, to: number): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const row of this.statements.range.all(line, bucketOf(from), to)) counts.set(row.bucket, row.count);
    return counts;
  }

  async historyStart(line: string): Promise<number | null> {
    return this.statements.first.get(line)?.bucket ?? null;
  }

  async sweep(now: number): Promise<void> {
    const before = bucketOf(now - RETENTION_MS);
    this.statements.sweepSeen.run(before);
    this.statements.sweepCounts.run(before);
  }

  async takeAllStored(): Promise<boolean> {
    return this.statements.allStoredTake.run().changes === 1;
  }

  async markAllStored(): Promise<void> {
    this.statements.allStoredMark.run();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
