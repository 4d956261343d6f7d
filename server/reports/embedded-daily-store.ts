// The daily figures in embedded mode: their own SQLite file under DATA_DIR (daily.sqlite). Each
// ticket's parts sit under (day, ticket); an index of the days each ticket touches lets a changed
// ticket take its old parts out in the same transaction that puts the new ones in.
//
// The ledger writes a few thousand tickets a second under sustained ingest, on the request
// thread: one statement per row cost ~15 µs a ticket (a tenth of ingest), most of it the
// statements' own overhead, so rows are read and written many to a statement (MultiRow), and a
// ticket's index of days is written only when its days changed.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type DailyStore, type DaySpan, decodeLineDay, encodeLineDay, type TicketParts } from './daily-store.js';
import { decodePart, type DayPart, encodePart } from './day-parts.js';
import type { LineDay } from './figures.js';

/** Rows per multi-row statement at most (3 parameters each: far below SQLite's limit of 32,766). */
const MAX_ROWS = 128;

/**
 * Multi-row statements of one kind, prepared once per size. Sizes are powers of two, so that a
 * few statements (8 at most) serve any number of rows: 300 rows run as 128 + 128 + 32 + 8 + 4.
 */
class MultiRow {
  private readonly bySize = new Map<number, Database.Statement<unknown[]>>();

  constructor(
    private readonly db: Database.Database,
    /** Parameters per row. */
    private readonly width: number,
    private readonly sql: (placeholders: string) => string,
    /** The placeholders of `rows` rows: `(?, ?), (?, ?)` for an INSERT, `?, ?` for an IN list. */
    private readonly placeholders: (rows: number) => string,
  ) {}

  /** Runs `values` (`width` per row), MAX_ROWS rows or fewer at a time; `each` gets what a read answers. */
  run(values: readonly string[], each?: (row: unknown) => void): void {
    let at = 0;
    for (let size = MAX_ROWS; at < values.length; size >>= 1) {
      const length = size * this.width;
      for (; values.length - at >= length; at += length) {
        const statement = this.statement(size);
        const slice = values.slice(at, at + length);
        if (each === undefined) statement.run(slice);
        else for (const row of statement.iterate(slice)) each(row);
      }
    }
  }

  private statement(size: number): Database.Statement<unknown[]> {
    let statement = this.bySize.get(size);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[]>(this.sql(this.placeholders(size)));
      this.bySize.set(size, statement);
    }
    return statement;
  }
}

const byKey = (a: TicketParts, b: TicketParts): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

interface DaysRow {
  key: string;
  days: string;
}

const list = (size: number): string => new Array(size).fill('?').join(', ');
const tuples =
  (width: number) =>
  (size: number): string =>
    new Array(size).fill(`(${list(width)})`).join(', ');

export class EmbeddedDailyStore implements DailyStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly daysOf: MultiRow;
  private readonly putParts: MultiRow;
  private readonly putDays: MultiRow;
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
      deletePart: this.db.prepare<[string, string]>('DELETE FROM day_parts WHERE day = ? AND key = ?'),
      deleteDays: this.db.prepare<[string]>('DELETE FROM ticket_days WHERE key = ?'),
      putLineDay: this.db.prepare<[string, string, string]>('INSERT OR REPLACE INTO line_days (day, line, row) VALUES (?, ?, ?)'),
      parts: this.db.prepare<[string, string], { day: string; part: string }>('SELECT day, part FROM day_parts WHERE day >= ? AND day < ?'),
      lineDays: this.db.prepare<[string, string], { row: string }>('SELECT row FROM line_days WHERE day >= ? AND day < ? ORDER BY day, line'),
      pruneParts: this.db.prepare<[string]>('DELETE FROM day_parts WHERE day < ?'),
      pruneLineDays: this.db.prepare<[string]>('DELETE FROM line_days WHERE day < ?'),
      // A ticket's days are comma-joined and sorted: its last day is the end of the string.
      pruneTickets: this.db.prepare<[string]>("DELETE FROM ticket_days WHERE substr(days, -10) < ? OR days = ''"),
    };
    this.daysOf = new MultiRow(this.db, 1, (keys) => `SELECT key, days FROM ticket_days WHERE key IN (${keys})`, list);
    this.putParts = new MultiRow(this.db, 3, (rows) => `INSERT OR REPLACE INTO day_parts (day, key, part) VALUES ${rows}`, tuples(3));
    this.putDays = new MultiRow(this.db, 2, (rows) => `INSERT OR REPLACE INTO ticket_days (key, days) VALUES ${rows}`, tuples(2));
    this.writeAll = this.db.transaction((tickets: readonly TicketParts[]) => {
      for (let start = 0; start < tickets.length; start += MAX_ROWS) this.writeSlice(tickets.slice(start, start + MAX_ROWS));
    });
    this.writeRows = this.db.transaction((rows: readonly LineDay[]) => {
      for (const row of rows) this.statements.putLineDay.run(row.day, row.line, encodeLineDay(row));
    });
  }

  async writeTickets(tickets: readonly TicketParts[]): Promise<void> {
    if (tickets.length === 0) return;
    // In key order, neighbouring rows share B-tree pages. A key given twice: the later one wins,
    // as it would written one after the other (a stable sort keeps them in order).
    const sorted = [...tickets].sort(byKey).filter((t, i, all) => i + 1 === all.length || all[i + 1]!.key !== t.key);
    this.writeAll(sorted);
  }

  /** Replaces the parts of tickets of distinct keys: one read of their days, then the changed rows, MAX_ROWS at a time. */
  private writeSlice(tickets: readonly TicketParts[]): void {
    const old = new Map<string, string>();
    this.daysOf.run(
      tickets.map((t) => t.key),
      (row) => old.set((row as DaysRow).key, (row as DaysRow).days),
    );
    const partRows: string[] = [];
    const dayRows: string[] = [];
    for (const { key, parts } of tickets) {
      const before = old.get(key);
      if (before !== undefined && before !== '') for (const day of before.split(',')) if (!parts.has(day)) this.statements.deletePart.run(day, key);
      for (const [day, part] of parts) partRows.push(day, key, encodePart(part));
      if (parts.size === 0) {
        if (before !== undefined) this.statements.deleteDays.run(key);
        continue;
      }
      // Most changes move a part within the days the ticket already touches: its index stays.
      const days = [...parts.keys()].sort().join(',');
      if (days !== before) dayRows.push(key, days);
    }
    this.putParts.run(partRows);
    this.putDays.run(dayRows);
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
