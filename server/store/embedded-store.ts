// The embedded store: SQLite (better-sqlite3, WAL) under DATA_DIR. Each accepted batch is one
// journal row holding the raw body, written before the 202, so ingest pays one insert per
// batch rather than one per event; a checkpoint every few seconds folds the changed tickets
// and agents into their tables and empties the journal. A restart loads the tables and
// replays the journal, which the stale rule makes safe to replay.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ModelChanges, StoredAgent, StoredTicket } from '../domain/live-model.js';
import { DEDUP_WINDOW_MS, type AcceptedBatch, type JournalEntry, type LiveStore, type LoadedState } from './live-store.js';

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** SQLite `synchronous`: NORMAL survives a process crash; FULL also a power cut, slower. */
  synchronous?: 'NORMAL' | 'FULL';
}

export class EmbeddedStore implements LiveStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  /** Seen event ids → when first seen; Map order is insertion order, so expiry walks the front. */
  private readonly seen = new Map<string, number>();
  /** Ids seen since the last checkpoint, not yet in the `seen` table. */
  private unsavedIds: { id: string; at: number }[] = [];
  private readonly statements;

  constructor(options: EmbeddedStoreOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'watchfloor.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, format TEXT NOT NULL, raw TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tickets (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS agents (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
    `);
    this.statements = {
      journalAppend: this.db.prepare<[string, string]>('INSERT INTO journal (format, raw) VALUES (?, ?)'),
      journalAll: this.db.prepare<[], { seq: number; format: string; raw: string }>('SELECT seq, format, raw FROM journal ORDER BY seq'),
      journalTrim: this.db.prepare<[number]>('DELETE FROM journal WHERE seq <= ?'),
      journalLast: this.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM journal'),
      ticketPut: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO tickets (key, data) VALUES (?, ?)'),
      ticketDelete: this.db.prepare<[string]>('DELETE FROM tickets WHERE key = ?'),
      ticketAll: this.db.prepare<[], { data: string }>('SELECT data FROM tickets'),
      agentPut: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO agents (id, data) VALUES (?, ?)'),
      agentAll: this.db.prepare<[], { data: string }>('SELECT data FROM agents'),
      seenPut: this.db.prepare<[string, number]>('INSERT OR IGNORE INTO seen (id, at) VALUES (?, ?)'),
      seenSince: this.db.prepare<[number], { id: string; at: number }>('SELECT id, at FROM seen WHERE at >= ? ORDER BY at'),
      seenExpire: this.db.prepare<[number]>('DELETE FROM seen WHERE at < ?'),
    };
  }

  async load(now: number): Promise<LoadedState> {
    for (const { id, at } of this.statements.seenSince.iterate(now - DEDUP_WINDOW_MS)) this.seen.set(id, at);
    const tickets = this.statements.ticketAll.all().map((row) => JSON.parse(row.data) as StoredTicket);
    const agents = this.statements.agentAll.all().map((row) => JSON.parse(row.data) as StoredAgent);
    const journal: JournalEntry[] = this.statements.journalAll
      .all()
      .map((row) => ({ raw: row.raw, format: row.format === 'ndjson' ? 'ndjson' : 'json' }));
    return { tickets, agents, journal };
  }

  async claim(ids: readonly string[], now: number): Promise<boolean[]> {
    this.expireSeen(now);
    return ids.map((id) => {
      if (this.seen.has(id)) return false;
      this.seen.set(id, now);
      this.unsavedIds.push({ id, at: now });
      return true;
    });
  }

  /**
   * As `claim`, synchronous, for a journal replayed at start: the batch's duplicates were
   * ignored when it arrived and must be ignored again.
   */
  remember(ids: readonly string[], now: number): boolean[] {
    return ids.map((id) => {
      if (this.seen.has(id)) return false;
      this.seen.set(id, now);
      this.unsavedIds.push({ id, at: now });
      return true;
    });
  }

  async release(ids: readonly string[]): Promise<void> {
    const released = new Set(ids);
    for (const id of ids) this.seen.delete(id);
    this.unsavedIds = this.unsavedIds.filter(({ id }) => !released.has(id));
  }

  async commit(batch: AcceptedBatch): Promise<void> {
    // Synchronous on purpose: the caller applies the batch to the model in the same turn of the
    // event loop, so a checkpoint (a timer) never sees a journal row whose events the model
    // has not applied yet.
    this.statements.journalAppend.run(batch.format, batch.raw);
  }

  async checkpoint(changes: ModelChanges, now: number): Promise<void> {
    const ids = this.unsavedIds;
    this.unsavedIds = [];
    this.db.transaction(() => {
      const last = this.statements.journalLast.get()?.seq ?? null;
      for (const stored of changes.tickets) this.statements.ticketPut.run(stored.key, JSON.stringify(stored));
      for (const key of changes.removedTickets) this.statements.ticketDelete.run(key);
      for (const stored of changes.agents) this.statements.agentPut.run(stored.agent.id, JSON.stringify(stored));
      for (const { id, at } of ids) this.statements.seenPut.run(id, at);
      this.statements.seenExpire.run(now - DEDUP_WINDOW_MS);
      if (last !== null) this.statements.journalTrim.run(last);
    })();
  }

  private expireSeen(now: number): void {
    const cutoff = now - DEDUP_WINDOW_MS;
    for (const [id, at] of this.seen) {
      if (at >= cutoff) break;
      this.seen.delete(id);
    }
  }

  async healthy(): Promise<boolean> {
    return this.db.open;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
