// Incidents in embedded mode: their own SQLite file under DATA_DIR (incidents.sqlite), one row per
// timeline entry. Writes are rare and precious (a commander's decision), so every commit is synced
// to disk (synchronous = FULL) before the API answers. Triggers make the timeline append-only in
// the database itself: an entry can be inserted, never updated or deleted.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { incidentId, type StoredIncident } from '../incidents/incident.js';
import type { TimelineEntry } from '../../contract/incidents.js';
import { IDEMPOTENCY_WINDOW_MS, type AppendResult, type CreateRequest, type CreateResult, type IncidentStore } from './incident-store.js';

export class EmbeddedIncidentStore implements IncidentStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(options: { dataDir: string }) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'incidents.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS incident_entries (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        seq INTEGER NOT NULL,
        entry TEXT NOT NULL,
        PRIMARY KEY (incident_id, seq)
      ) WITHOUT ROWID;
      CREATE TRIGGER IF NOT EXISTS incident_entries_no_update BEFORE UPDATE ON incident_entries
        BEGIN SELECT RAISE(ABORT, 'the incident timeline is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS incident_entries_no_delete BEFORE DELETE ON incident_entries
        BEGIN SELECT RAISE(ABORT, 'the incident timeline is append-only'); END;
      CREATE TABLE IF NOT EXISTS incident_idempotency (
        key TEXT PRIMARY KEY, incident_id TEXT NOT NULL, fingerprint TEXT NOT NULL, at INTEGER NOT NULL
      );
    `);
    this.statements = {
      all: this.db.prepare<[], { id: string; number: number }>('SELECT id, number FROM incidents ORDER BY number'),
      one: this.db.prepare<[string], { id: string; number: number }>('SELECT id, number FROM incidents WHERE id = ?'),
      entries: this.db.prepare<[string], { entry: string }>('SELECT entry FROM incident_entries WHERE incident_id = ? ORDER BY seq'),
      version: this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM incident_entries WHERE incident_id = ?'),
      lastNumber: this.db.prepare<[], { n: number | null }>('SELECT max(number) AS n FROM incidents'),
      insertIncident: this.db.prepare<[string, number]>('INSERT INTO incidents (id, number) VALUES (?, ?)'),
      insertEntry: this.db.prepare<[string, number, string]>('INSERT INTO incident_entries (incident_id, seq, entry) VALUES (?, ?, ?)'),
      keyGet: this.db.prepare<[string], { incident_id: string; fingerprint: string }>(
        'SELECT incident_id, fingerprint FROM incident_idempotency WHERE key = ?',
      ),
      keyPut: this.db.prepare<[string, string, string, number]>('INSERT INTO incident_idempotency (key, incident_id, fingerprint, at) VALUES (?, ?, ?, ?)'),
      keyExpire: this.db.prepare<[number]>('DELETE FROM incident_idempotency WHERE at < ?'),
    };
  }

  async loadAll(): Promise<StoredIncident[]> {
    return this.statements.all.all().map((row) => this.read(row.id, row.number));
  }

  async load(id: string): Promise<StoredIncident | null> {
    const row = this.statements.one.get(id);
    return row === undefined ? null : this.read(row.id, row.number);
  }

  private read(id: string, number: number): StoredIncident {
    return { id, number, entries: this.statements.entries.all(id).map((row) => JSON.parse(row.entry) as TimelineEntry) };
  }

  async create(request: CreateRequest): Promise<CreateResult> {
    return this.db.transaction((): CreateResult => {
      const { idempotency, now } = request;
      this.statements.keyExpire.run(now - IDEMPOTENCY_WINDOW_MS);
      if (idempotency !== null) {
        const held = this.statements.keyGet.get(idempotency.key);
        if (held !== undefined) return { kind: held.fingerprint === idempotency.fingerprint ? 'existing' : 'key-reused', id: held.incident_id };
      }
      const number = (this.statements.lastNumber.get()?.n ?? 0) + 1;
      const id = incidentId(number);
      this.statements.insertIncident.run(id, number);
      for (const entry of request.entries) this.statements.insertEntry.run(id, entry.seq, JSON.stringify(entry));
      if (idempotency !== null) this.statements.keyPut.run(idempotency.key, id, idempotency.fingerprint, now);
      return { kind: 'created', stored: { id, number, entries: [...request.entries] } };
    })();
  }

  async append(id: string, expectedVersion: number, entries: readonly TimelineEntry[]): Promise<AppendResult> {
    return this.db.transaction((): AppendResult => {
      const row = this.statements.one.get(id);
      if (row === undefined) return { kind: 'missing' };
      const version = this.statements.version.get(id)!.n;
      if (version !== expectedVersion) return { kind: 'stale', stored: this.read(row.id, row.number) };
      for (const entry of entries) this.statements.insertEntry.run(id, entry.seq, JSON.stringify(entry));
      return { kind: 'appended', version: version + entries.length };
    })();
  }

  /** One process: nobody else writes. */
  follow(_onChange: (id: string | null, version: number | null) => void): void {}

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
