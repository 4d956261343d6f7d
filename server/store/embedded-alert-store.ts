// Alerts in embedded mode: their own SQLite file under DATA_DIR (alerts.sqlite). One row holds the
// engine's latest state; the history is one row per entry, numbered as the engine numbers them, so
// that saving an entry twice keeps one. An acknowledgement is a supervisor's decision: every commit
// is synced (synchronous = FULL) before the API answers. Triggers keep the history append-only in
// the database itself: no entry can be changed, and only entries beyond the newest
// STORED_HISTORY_LIMIT can be deleted.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AlertHistoryEntry } from '../../contract/alerts.js';
import { parseAlertState, STORED_HISTORY_LIMIT, type AlertChange, type AlertStore, type AlertStoreLog } from '../alerts/alert-store.js';
import type { AlertEngineSnapshot } from '../alerts/engine.js';

export const ALERTS_DB_FILE = 'alerts.sqlite';

export class EmbeddedAlertStore implements AlertStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(private readonly options: { dataDir: string; log: AlertStoreLog; keep?: number }) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, ALERTS_DB_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // A whole number: it is written into the trigger's SQL.
    const keep = Math.max(1, Math.floor(options.keep ?? STORED_HISTORY_LIMIT));
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS alert_state (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS alert_history (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL);
      CREATE TRIGGER IF NOT EXISTS alert_history_no_update BEFORE UPDATE ON alert_history
        BEGIN SELECT RAISE(ABORT, 'the alert history is append-only'); END;
    `);
    // The bound is part of the trigger: dropped and made again, so that a changed limit applies.
    this.db.exec(`
      DROP TRIGGER IF EXISTS alert_history_keep_newest;
      CREATE TRIGGER alert_history_keep_newest BEFORE DELETE ON alert_history
        WHEN old.seq > (SELECT max(seq) FROM alert_history) - ${keep}
        BEGIN SELECT RAISE(ABORT, 'the newest alert history entries are kept'); END;
    `);
    this.statements = {
      state: this.db.prepare<[], { state: string }>('SELECT state FROM alert_state WHERE id = 1'),
      putState: this.db.prepare<[string]>('INSERT INTO alert_state (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state'),
      newest: this.db.prepare<[number], { entry: string }>('SELECT entry FROM alert_history ORDER BY seq DESC LIMIT ?'),
      append: this.db.prepare<[number, string]>('INSERT OR IGNORE INTO alert_history (seq, entry) VALUES (?, ?)'),
      trim: this.db.prepare<[number]>('DELETE FROM alert_history WHERE seq <= (SELECT max(seq) FROM alert_history) - ?'),
      keep,
    };
  }

  async load(historyLimit: number): Promise<AlertEngineSnapshot | null> {
    const row = this.statements.state.get();
    if (row === undefined) return null;
    const state = parseAlertState(row.state);
    if (state === null) {
      this.options.log.warn({ file: ALERTS_DB_FILE }, 'the saved alert state cannot be read; alerts start clean (the history stays)');
      return null;
    }
    const history = this.statements.newest
      .all(historyLimit)
      .reverse()
      .map((r) => JSON.parse(r.entry) as AlertHistoryEntry);
    return { ...state, history };
  }

  /** One process: it always evaluates. */
  async lead(): Promise<boolean> {
    return true;
  }

  async save(change: AlertChange): Promise<boolean> {
    const { state, appended } = change;
    this.db.transaction(() => {
      const first = state.recorded - appended.length + 1;
      appended.forEach((entry, i) => {
        this.statements.append.run(first + i, JSON.stringify(entry));
      });
      this.statements.trim.run(this.statements.keep);
      this.statements.putState.run(JSON.stringify(state));
    })();
    return true;
  }

  /** Never called: the one process evaluates, so it applies its acknowledgements itself. */
  async requestAck(): Promise<void> {}

  /** One process: nobody else writes. */
  follow(): void {}

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
