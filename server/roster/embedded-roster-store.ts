// The roster in embedded mode, in planning.sqlite beside the arrivals: one row per shift, breaks as JSON.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { rangeOf, type Shift, type UploadedShift } from './roster.js';
import { NEIGHBOURHOOD_MS, planReplace, type RosterStore, type RosterWrite } from './roster-store.js';

interface Row {
  agent: string;
  line: string;
  start: number;
  end: number;
  breaks: string;
}

const shiftOf = (row: Row): Shift => ({ agent: row.agent, line: row.line, start: row.start, end: row.end, breaks: JSON.parse(row.breaks) as Shift['breaks'] });

export class EmbeddedRosterStore implements RosterStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(options: { dataDir: string }) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'planning.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // A supervisor's upload is not in the journal: it is synced before the API answers.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS roster (agent TEXT NOT NULL, line TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, breaks TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS roster_start ON roster (start);
    `);
    this.statements = {
      range: this.db.prepare<[number, number], Row>(
        'SELECT agent, line, start, "end", breaks FROM roster WHERE start >= ? AND start < ? ORDER BY start, agent',
      ),
      delete: this.db.prepare<[number, number]>('DELETE FROM roster WHERE start >= ? AND start < ?'),
      insert: this.db.prepare<[string, string, number, number, string]>('INSERT INTO roster (agent, line, start, "end", breaks) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  async shifts(from: number, to: number): Promise<Shift[]> {
    return this.statements.range
      .all(from - NEIGHBOURHOOD_MS, to)
      .map(shiftOf)
      .filter((s) => s.end > from);
  }

  async replace(upload: readonly UploadedShift[]): Promise<RosterWrite> {
    return this.db.transaction((): RosterWrite => {
      const { from, to } = rangeOf(upload);
      const neighbourhood = this.statements.range.all(from - NEIGHBOURHOOD_MS, to + NEIGHBOURHOOD_MS).map(shiftOf);
      const plan = planReplace(neighbourhood, upload);
      if (!plan.ok) return plan;
      this.statements.delete.run(plan.from, plan.to);
      for (const s of plan.write) this.statements.insert.run(s.agent, s.line, s.start, s.end, JSON.stringify(s.breaks));
      return { ok: true, stored: upload.length, replaced: plan.replaced };
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
