// The daily figures in embedded mode: their own SQLite file under DATA_DIR (daily.sqlite). Each
// ticket's parts sit under (day, ticket); an index of the days each ticket touches lets a changed
// ticket take its old parts out in the same transaction that puts the new ones in.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type DailyStore, type DaySpan, decodeLineDay, encodeLineDay, type TicketParts } from './daily-store.js';
import { decodePart, type DayPart, encodePart } from './day-parts.js';
import type { LineDay } from './figures.js';

export class EmbeddedDailyStore implements DailyStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writeAll: (tickets: readonly TicketParts[]) => void;
  private readonly writeRows: (rows: readonly LineDay[]) => void;

  constructor(options: { dataDir: string }) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'daily.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // Derived from the journal, which is replayed after a crash: no fsync per commit needed.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS day_parts (day TEXT NOT NULL, key TEXT NOT NULL, part TEXT NOT NULL, PRIMARY KEY (day, key)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ticket_days (key TEXT PRIMARY KEY, days TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS line_days (day TEXT NOT NULL, line TEXT NOT NULL, row TEXT NOT NULL, PRIMARY KEY (day, line)) WITHOUT ROWID;
    `);
    this.statements = {
      daysOf: this.db.prepare<[string], { days: string }>('SELECT days FROM ticket_days WHERE key = ?'),
      deletePart: this.db.prepare<[string, string]>('DELETE FROM day_parts WHERE day = ? AND key = ?'),
      putPart: this.db.prepare<[string, string, string]>('INSERT OR REPLACE INTO day_parts (day, key, part) VALUES (?, ?, ?)'),
      putDays: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO ticket_days (key, days) VALUES (?, ?)'),
      deleteDays: this.db.prepare<[string]>('DELETE FROM ticket_days WHERE key = ?'),
      putLineDay: this.db.prepare<[string, string, string]>('INSERT OR REPLACE INTO line_days (day, line, row) VALUES (?, ?, ?)'),
      parts: this.db.prepare<[string, string], { day: string; part: string }>('SELECT day, part FROM day_parts WHERE day >= ? AND day < ?'),
      lineDays: this.db.prepare<[string, string], { row: string }>('SELECT row FROM line_days WHERE day >= ? AND day < ? ORDER BY day, line'),
      pruneParts: this.db.prepare<[string]>('DELETE FROM day_parts WHERE day < ?'),
      pruneLineDays: this.db.prepare<[string]>('DELETE FROM line_days WHERE day < ?'),
      // A ticket's days are comma-joined and sorted: its last day is the end of the string.
      pruneTickets: this.db.prepare<[string]>("DELETE FROM ticket_days WHERE substr(days, -10) < ? OR days = ''"),
    };
    this.writeAll = this.db.transaction((tickets: readonly TicketParts[]) => {
      for (const { key, parts } of tickets) {
        const old = this.statements.daysOf.get(key)?.days;
        if (old !== undefined && old !== '') for (const day of old.split(',')) if (!parts.has(day)) this.statements.deletePart.run(day, key);
        for (const [day, part] of parts) this.statements.putPart.run(day, key, encodePart(part));
        if (parts.size === 0) this.statements.deleteDays.run(key);
        else this.statements.putDays.run(key, [...parts.keys()].sort().join(','));
      }
    });
    this.writeRows = this.db.transaction((rows: readonly LineDay[]) => {
      for (const row of rows) this.statements.putLineDay.run(row.day, row.line, encodeLineDay(row));
    });
  }

  async writeTickets(tickets: readonly TicketParts[]): Promise<void> {
    if (tickets.length > 0) this.writeAll(tickets);
  }

  async writeLineDays(rows: readonly LineDay[]): Promise<void> {
    if (rows.length > 0) this.writeRows(rows);
  }

  async read(fromDay: string, toDay: string): Promise<DaySpan> {
    const parts = new Map<string, DayPart[]>();
    for (const row of this.statements.parts.iterate(fromDay, toDay)) {
      const part = decodePart(row.part);
      if (part === null) continue;
      let list = parts.get(row.day);
      if (list === undefined) {
        list = [];
        parts.set(row.day, list);
      }
      list.push(part);
    }
    return { parts, lineDays: await this.readLineDays(fromDay, toDay) };
  }

  async readLineDays(fromDay: string, toDay: string): Promise<LineDay[]> {
    const lineDays: LineDay[] = [];
    for (const row of this.statements.lineDays.iterate(fromDay, toDay)) {
      const lineDay = decodeLineDay(row.row);
      if (lineDay !== null) lineDays.push(lineDay);
    }
    return lineDays;
  }

  async prune(beforeDay: string): Promise<void> {
    this.statements.pruneParts.run(beforeDay);
    this.statements.pruneLineDays.run(beforeDay);
    this.statements.pruneTickets.run(beforeDay);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
