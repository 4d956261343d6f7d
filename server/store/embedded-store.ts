// The embedded store under DATA_DIR: each accepted batch is one record of the journal file
// (its raw body), written and synced before the 202, so ingest pays one write per batch rather
// than one per event (and one fdatasync per group of concurrent batches); a checkpoint every few
// seconds folds the changed tickets and agents, and the batches' event ids, into SQLite
// (better-sqlite3, WAL; a ticket as a compact row, see ticket-row.ts) and drops the journal up to
// there. A restart loads the tables (the tickets a slice at a time) and replays the journal; what it cannot replay is kept aside under journal/damaged/ and reported
// (log, /healthz) until an admin acknowledges it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ModelChanges, StoredAgent, StoredTicket } from '../domain/live-model.js';
import { crc32 } from './journal-record.js';
import { decodeTicketRows, encodeTicketRow } from './ticket-row.js';
import { JournalFile, segmentNumber, type DamagedSegment, type JournalStats, type JournalSyncMode } from './journal-file.js';
import { SeenIds } from './seen-ids.js';
import {
  DEDUP_WINDOW_MS,
  RESTORE_SLICE,
  StoreOutcomeUnknownError,
  type AcceptedBatch,
  type JournalDamage,
  type LiveStore,
  type LoadedState,
  type LogFollower,
} from './live-store.js';

/**
 * Changed tickets written per SQLite transaction in a checkpoint, with a turn of the event loop
 * between slices: a few ms of JSON and SQLite each, so a checkpoint of 100,000 tickets (~0.5 s)
 * never holds the SLA clock and the live channel for all of it.
 */
const CHECKPOINT_SLICE = 2_000;

/**
 * The most text a restore reads in one statement. V8 puts a string over 128 KB straight into its
 * old generation, where a restore's million tickets in 2,000-row texts (~600 KB each) forced a
 * full collection every few slices: at 1M tickets, reading and decoding took 6.6 s of CPU in parts
 * of 2,000 rows and 3.0 s in parts of ~250 (~64 KB), which die young.
 */
const RESTORE_TEXT_CHARS = 64 * 1024;
/** Rows in a restore's first part, before the rows read say how long they are (~300 characters each). */
const RESTORE_FIRST_PART = 128;

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** SQLite `synchronous`: NORMAL survives a process crash; FULL also a power cut, slower. */
  synchronous?: 'NORMAL' | 'FULL';
  /** JOURNAL_SYNC: `always` (default) syncs before each answer; `interval` at most once a second. */
  journalSync?: JournalSyncMode;
  /** How the journal syncs a file; fdatasync unless given (tests observe it here). */
  syncFd?: (fd: number) => Promise<void>;
  /** Where damaged journal segments are reported; silent without. */
  log?: { warn(details: object, message: string): void };
}

export class EmbeddedStore implements LiveStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly journal: JournalFile;
  /** Event ids seen within the deduplication window. */
  private readonly seen = new SeenIds();
  /** Ids of batches committed since the last checkpoint, one newline-joined string per batch. */
  private unsavedIds: string[] = [];
  /** The checkpoint being written: the next waits for it, so an older snapshot never lands last. */
  private checkpointing: Promise<void> = Promise.resolve();
  private readonly statements;
  private readonly journalDir: string;
  /** Batches appended but not yet covered by a sync: their ids are forgotten if the sync fails. */
  private unsynced: { seq: number; ids: string[] }[] = [];
  /** Segment numbers found damaged at start: a checkpoint drops them only once kept aside. */
  private readonly damagedSegments = new Set<number>();
  private closing: Promise<void> | null = null;

  constructor(private readonly options: EmbeddedStoreOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.journalDir = path.join(options.dataDir, 'journal');
    this.journal = new JournalFile(this.journalDir, { sync: options.journalSync ?? 'always', ...(options.syncFd ? { syncFd: options.syncFd } : {}) });
    this.db = new Database(path.join(options.dataDir, 'watchfloor.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS tickets (key TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS agents (id TEXT PRIMARY KEY, data TEXT NOT NULL);
      -- Event ids for deduplication, one row per checkpoint (newline-separated): a row per
      -- event cost more than the rest of ingest together.
      CREATE TABLE IF NOT EXISTS seen_ids (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, ids TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS seen_ids_at ON seen_ids (at);
      -- Journal segments that could not be wholly replayed, kept aside; shown until acknowledged.
      CREATE TABLE IF NOT EXISTS journal_damage (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, aside TEXT NOT NULL, segment TEXT NOT NULL, fingerprint TEXT NOT NULL,
        records INTEGER NOT NULL, events INTEGER NOT NULL, bytes INTEGER NOT NULL,
        found_at INTEGER NOT NULL, acknowledged_at INTEGER
      );
    `);
    this.statements = {
      // An upsert rewrites the row in place; INSERT OR REPLACE deleted and inserted it again
      // (its row and its key's index entry), at about twice the cost for a ticket seen before.
      ticketPut: this.db.prepare<[string, string]>('INSERT INTO tickets (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data'),
      ticketDelete: this.db.prepare<[string]>('DELETE FROM tickets WHERE key = ?'),
      ticketCount: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tickets'),
      // In rowid order, the table's own: each slice a read of neighbouring pages, handed over as
      // one JSON text `[key, row, …]` (see decodeTicketRows); `last` is where the next one starts.
      ticketSlice: this.db.prepare<[number, number], { last: number | null; rows: string | null }>(
        `SELECT max(rowid) AS last, '[' || group_concat(json_quote(key) || ',' || data, ',') || ']' AS rows
         FROM (SELECT rowid, key, data FROM tickets WHERE rowid > ? ORDER BY rowid LIMIT ?)`,
      ),
      agentPut: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO agents (id, data) VALUES (?, ?)'),
      agentAll: this.db.prepare<[], { data: string }>('SELECT data FROM agents'),
      seenPut: this.db.prepare<[number, string]>('INSERT INTO seen_ids (at, ids) VALUES (?, ?)'),
      seenSince: this.db.prepare<[number], { ids: string; at: number }>('SELECT ids, at FROM seen_ids WHERE at >= ? ORDER BY seq'),
      seenExpire: this.db.prepare<[number]>('DELETE FROM seen_ids WHERE at < ?'),
      damageFind: this.db.prepare<[string, string], { aside: string }>('SELECT aside FROM journal_damage WHERE segment = ? AND fingerprint = ?'),
      damagePut: this.db.prepare<[string, string, string, number, number, number, number]>(
        'INSERT INTO journal_damage (aside, segment, fingerprint, records, events, bytes, found_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      damageMoved: this.db.prepare<[string, string, string]>('UPDATE journal_damage SET aside = ? WHERE segment = ? AND fingerprint = ?'),
      damageOpen: this.db.prepare<[], { records: number | null; events: number | null; files: number }>(
        'SELECT sum(records) AS records, sum(events) AS events, count(*) AS files FROM journal_damage WHERE acknowledged_at IS NULL',
      ),
      damageAck: this.db.prepare<[number]>('UPDATE journal_damage SET acknowledged_at = ? WHERE acknowledged_at IS NULL'),
    };
  }

  async load(now: number): Promise<LoadedState> {
    for (const { ids, at } of this.statements.seenSince.iterate(now - DEDUP_WINDOW_MS)) {
      for (const id of ids.split('\n')) this.seen.add(id, at);
    }
    const agents = this.statements.agentAll.all().map((row) => JSON.parse(row.data) as StoredAgent);
    // Ids of journal batches are not in seen_ids yet: the replay marks them in order, so that a
    // duplicate inside the journal is dropped again and its original is not.
    const scan = this.journal.scan();
    for (const damaged of scan.damaged) this.keepAside(damaged, now);
    const ticketCount = this.statements.ticketCount.get()!.n;
    return { tickets: this.ticketSlices(), ticketCount, agents, journal: scan.entries };
  }

  /**
   * The tickets table a slice at a time. Each slice is a statement of its own, not one iterator
   * kept open: the restore yields the event loop between slices, and better-sqlite3 refuses any
   * other statement on the connection (/healthz reads the damage notice) while an iterator is
   * open. Nothing writes the table meanwhile: checkpoints start once the restore has ended.
   * A slice is read in parts whose text stays under RESTORE_TEXT_CHARS (see there).
   */
  private *ticketSlices(): Generator<StoredTicket[]> {
    let after = Number.MIN_SAFE_INTEGER;
    let part = RESTORE_FIRST_PART;
    for (;;) {
      const slice: StoredTicket[] = [];
      while (slice.length < RESTORE_SLICE) {
        const { last, rows } = this.statements.ticketSlice.get(after, Math.min(part, RESTORE_SLICE - slice.length))!;
        if (last === null || rows === null) break;
        after = last;
        decodeTicketRows(rows, slice);
        // As many rows next time as the ones just read say fit.
        part = Math.max(1, Math.min(RESTORE_SLICE, Math.floor((part * RESTORE_TEXT_CHARS) / rows.length)));
      }
      if (slice.length === 0) return;
      yield slice;
    }
  }

  /**
   * Keeps a damaged segment's bytes under journal/damaged/ (a hard link, else a copy) and
   * records the notice. The segment itself stays until a checkpoint holds its readable records.
   * Found again after a crash before that checkpoint, the same segment is not counted twice.
   */
  private keepAside(damaged: DamagedSegment, now: number): void {
    const segment = segmentNumber(damaged.name)!;
    this.damagedSegments.add(segment);
    const bytes = fs.readFileSync(damaged.file);
    const fingerprint = `${bytes.length}:${crc32(bytes).toString(16)}`;
    const asideDir = path.join(this.journalDir, 'damaged');
    const known = this.statements.damageFind.get(damaged.name, fingerprint);
    let aside = known === undefined ? null : path.join(asideDir, known.aside);
    try {
      if (aside === null || !fs.existsSync(aside)) {
        fs.mkdirSync(asideDir, { recursive: true, mode: 0o700 });
        const name = fs.existsSync(path.join(asideDir, damaged.name)) ? `${damaged.name}.${now}` : damaged.name;
        aside = path.join(asideDir, name);
        try {
          fs.linkSync(damaged.file, aside);
        } catch {
          fs.copyFileSync(damaged.file, aside);
          fs.chmodSync(aside, 0o600);
        }
        syncDirectory(asideDir);
        if (known !== undefined) this.statements.damageMoved.run(path.basename(aside), damaged.name, fingerprint);
      }
      this.journal.keptAsideSegment(segment);
    } catch (error) {
      // Not kept aside: the segment stays where it is (no checkpoint deletes it) and is read again next start.
      this.options.log?.warn({ segment: damaged.file, err: error }, 'could not keep the damaged journal segment aside; it stays in place');
      aside = null;
    }
    if (known === undefined) {
      this.statements.damagePut.run(path.basename(aside ?? damaged.file), damaged.name, fingerprint, damaged.records, damaged.events, damaged.bytes, now);
    }
    this.options.log?.warn(
      {
        segment: damaged.file,
        keptAt: aside,
        records: damaged.records,
        events: damaged.events,
        bytes: damaged.bytes,
        problems: damaged.problems,
        countedBefore: known !== undefined,
      },
      `journal segment ${damaged.name} is damaged: ${damaged.records} record(s) with ${damaged.events} event(s) could not be replayed; ` +
        `the file is kept at ${aside ?? damaged.file}; the rest of it was replayed. An admin clears this notice with POST /api/v1/admin/journal/ack`,
    );
  }

  journalDamage(): JournalDamage {
    const row = this.statements.damageOpen.get()!;
    return { records: row.records ?? 0, events: row.events ?? 0, files: row.files };
  }

  acknowledgeJournalDamage(): JournalDamage {
    const cleared = this.journalDamage();
    this.statements.damageAck.run(Date.now());
    return cleared;
  }

  /** The journal's size on disk: what a restart would replay (for /metrics). */
  journalBytes(): number {
    return this.journal.bytesOnDisk();
  }

  /** Appends and syncs so far (tests and the bench see group commit at work here). */
  journalStats(): Readonly<JournalStats> {
    return this.journal.stats;
  }

  async commit(batch: AcceptedBatch, now: number): Promise<boolean[]> {
    // Synchronous on purpose: the caller applies the batch to the model in the same turn of the
    // event loop, so a checkpoint (a timer) never seals a segment whose events the model has
    // not applied yet.
    this.seen.expire(now - DEDUP_WINDOW_MS);
    const { events } = batch;
    const fresh: boolean[] = new Array(events.length);
    const newIds: string[] = [];
    for (let i = 0; i < events.length; i++) {
      const id = events[i]!.id;
      fresh[i] = this.seen.add(id, now);
      if (fresh[i]) newIds.push(id);
    }
    if (newIds.length === 0) return fresh;
    try {
      // The raw body, duplicates and all: a replay drops them again through `remember`.
      this.journal.append(batch, events.length);
    } catch (error) {
      // JournalWriteError: nothing of the record stayed in the segment, so "nothing kept" holds,
      // and its ids go nowhere (not to seen_ids either: they are added below only once written).
      this.seen.forget(newIds);
      throw error;
    }
    this.unsavedIds.push(newIds.join('\n'));
    const durable = this.journal.stats.durableAppends;
    if (this.unsynced.length > 0 && this.unsynced[0]!.seq <= durable) this.unsynced = this.unsynced.filter((b) => b.seq > durable);
    this.unsynced.push({ seq: this.journal.appended, ids: newIds });
    return fresh;
  }

  async sync(): Promise<void> {
    try {
      await this.journal.durable();
    } catch (error) {
      // Written and applied, but maybe not on disk. Forgetting the ids turns the client's retry
      // into a new record (in a new segment) rather than a "duplicate" that is not durable.
      const durable = this.journal.stats.durableAppends;
      this.seen.forget(this.unsynced.filter((batch) => batch.seq > durable).flatMap((batch) => batch.ids));
      this.unsynced = [];
      throw new StoreOutcomeUnknownError(`journal sync failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /** As the dedup half of `commit`, synchronous: also used for a journal replayed at start. */
  remember(ids: readonly string[], now: number): boolean[] {
    const fresh = ids.map((id) => this.seen.add(id, now));
    // Replayed ids go to seen_ids with the next checkpoint, which also drops their segments:
    // without this, a second restart would take those events for new ones.
    const newIds = ids.filter((_, i) => fresh[i]);
    if (newIds.length > 0) this.unsavedIds.push(newIds.join('\n'));
    return fresh;
  }

  /** One process: nothing is accepted elsewhere. */
  follow(_follower: LogFollower): void {}

  checkpoint(changes: ModelChanges, now: number): Promise<void> {
    // Sealed in the caller's turn, with the model's changes taken: the sealed segments hold
    // exactly the batches whose effects `changes` carries, whenever the writing finishes.
    const sealed = this.journal.seal();
    const ids = this.unsavedIds;
    this.unsavedIds = [];
    const run = this.checkpointing.then(() => this.writeCheckpoint(changes, ids, sealed, now));
    this.checkpointing = run.catch(() => {});
    return run;
  }

  private async writeCheckpoint(changes: ModelChanges, ids: string[], sealed: number, now: number): Promise<void> {
    // In key order, each slice touches neighbouring B-tree pages; unsorted slices rewrite the
    // same pages again and again (100,000 tickets: ~0.45 s sorted, ~1.8 s unsorted in slices).
    const tickets = [...changes.tickets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let start = 0; start < tickets.length; start += CHECKPOINT_SLICE) {
      if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      this.db.transaction(() => {
        const end = Math.min(tickets.length, start + CHECKPOINT_SLICE);
        for (let i = start; i < end; i++) {
          // Read now, a slice at a time (see ChangedTicket); one forgotten since goes with the next checkpoint's removals.
          const stored = tickets[i]!.read();
          if (stored !== null) this.statements.ticketPut.run(stored.key, encodeTicketRow(stored));
        }
      })();
    }
    // The ids go last: a crash before this leaves them out of seen_ids and the sealed segments
    // in place, so a restart replays those batches, and the stale rule makes the tickets that
    // were already written come out the same.
    this.db.transaction(() => {
      for (const key of changes.removedTickets) this.statements.ticketDelete.run(key);
      for (const stored of changes.agents) this.statements.agentPut.run(stored.agent.id, JSON.stringify(stored));
      if (ids.length > 0) this.statements.seenPut.run(now, ids.join('\n'));
      this.statements.seenExpire.run(now - DEDUP_WINDOW_MS);
    })();
    // Only once the tables hold the batches may their journal go. A crash in between replays
    // the sealed segments; their ids are in seen_ids by then, so nothing applies twice.
    this.journal.drop(sealed, this.damagedSegments);
  }

  async healthy(): Promise<boolean> {
    return this.db.open;
  }

  close(): Promise<void> {
    // Once: the journal's last sync is awaited, and a second caller must not close it again.
    this.closing ??= (async () => {
      await this.checkpointing;
      await this.journal.close();
      this.db.close();
    })();
    return this.closing;
  }
}

function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
