// The outbox of one process: `DATA_DIR/notifications.sqlite`. better-sqlite3 writes synchronously,
// so an enqueue is on disk (WAL, synchronous FULL) before the emit that made it returns. One
// process sends: the worker itself keeps a queue from being sent twice at once, so `take` holds no lease.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { NotifyEvent } from './notifications-file.js';
import type { Delivery, DeliveryStatus, OutboxStore } from './outbox-store.js';

interface Row {
  id: string;
  target: string;
  event: string;
  incident_id: string | null;
  queue: string;
  body: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
}

const fromRow = (r: Row): Delivery => ({
  id: r.id,
  target: r.target,
  event: r.event as NotifyEvent,
  incidentId: r.incident_id,
  queue: r.queue,
  body: r.body,
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

export class EmbeddedOutboxStore implements OutboxStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(options: { dataDir: string }) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'notifications.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        target TEXT NOT NULL,
        event TEXT NOT NULL,
        incident_id TEXT,
        queue TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS deliveries_queue ON deliveries (queue, status, seq);
      CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
    `);
    // A queue's head: its pending delivery of the lowest seq.
    const head = "SELECT min(seq) FROM deliveries e WHERE e.queue = d.queue AND e.status = 'pending'";
    this.statements = {
      insert: this.db.prepare<[string, string, string, string | null, string, string, number, number, number]>(
        "INSERT OR IGNORE INTO deliveries (id, target, event, incident_id, queue, body, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
      ),
      due: this.db.prepare<[number, number], { queue: string }>(
        `SELECT d.queue FROM deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND d.seq = (${head}) ORDER BY d.next_attempt_at LIMIT ?`,
      ),
      nextDue: this.db.prepare<[], { at: number | null }>(
        `SELECT min(d.next_attempt_at) AS at FROM deliveries d WHERE d.status = 'pending' AND d.seq = (${head})`,
      ),
      head: this.db.prepare<[string], Row>("SELECT * FROM deliveries WHERE queue = ? AND status = 'pending' ORDER BY seq LIMIT 1"),
      settle: this.db.prepare<[string, number, number | null, string | null, number, number | null, string]>(
        'UPDATE deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?, delivered_at = ? WHERE id = ?',
      ),
      listAll: this.db.prepare<[number], Row>('SELECT * FROM deliveries ORDER BY seq DESC LIMIT ?'),
      listBy: this.db.prepare<[string, number], Row>('SELECT * FROM deliveries WHERE status = ? ORDER BY seq DESC LIMIT ?'),
      sweep: this.db.prepare<[number]>("DELETE FROM deliveries WHERE status <> 'pending' AND created_at < ?"),
    };
  }

  async enqueue(deliveries: readonly Delivery[]): Promise<number> {
    let added = 0;
    this.db.transaction(() => {
      for (const d of deliveries) {
        added += this.statements.insert.run(d.id, d.target, d.event, d.incidentId, d.queue, d.body, d.attempts, d.nextAttemptAt, d.createdAt).changes;
      }
    })();
    return added;
  }

  async dueQueues(now: number, limit: number): Promise<string[]> {
    return this.statements.due.all(now, limit).map((r) => r.queue);
  }

  async nextDueAt(): Promise<number | null> {
    return this.statements.nextDue.get()?.at ?? null;
  }

  async take(queue: string, _owner: string, now: number): Promise<Delivery | null> {
    const row = this.statements.head.get(queue);
    return row === undefined || row.next_attempt_at > now ? null : fromRow(row);
  }

  async renew(): Promise<boolean> {
    return true;
  }

  async settle(d: Delivery): Promise<boolean> {
    this.statements.settle.run(d.status, d.attempts, d.lastStatus, d.lastError, d.nextAttemptAt, d.deliveredAt, d.id);
    return true;
  }

  async list(status: DeliveryStatus | null, limit: number): Promise<Delivery[]> {
    return (status === null ? this.statements.listAll.all(limit) : this.statements.listBy.all(status, limit)).map(fromRow);
  }

  async sweep(before: number): Promise<void> {
    this.statements.sweep.run(before);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
