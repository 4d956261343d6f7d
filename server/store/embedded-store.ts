// The embedded store under DATA_DIR: each accepted batch is one record of the journal file
// (its raw body), written before the 202, so ingest pays one write per batch rather than one
// per event; a checkpoint every few seconds folds the changed tickets and agents, and the
// batches' event ids, into SQLite (better-sqlite3, WAL) and drops the journal up to there.
// A restart loads the tables and replays the journal.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ModelChanges, StoredAgent, StoredTicket } from '../domain/live-model.js';
import { JournalFile } from './journal-file.js';
import { SeenIds } from './seen-ids.js';
import { DEDUP_WINDOW_MS, type AcceptedBatch, type LiveStore, type LoadedState, type LogFollower } from './live-store.js';

/**
 * Changed tickets written per SQLite transaction in a checkpoint, with a turn of the event loop
 * between slices: ~10 ms of JSON and SQLite each, so a checkpoint of 100,000 tickets (~0.6 s)
 * no longer holds the SLA clock and the live channel for all of it.
 */
const CHECKPOINT_SLICE = 2_000;

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** SQLite `synchronous`: NORMAL survives a process crash; FULL also a power cut, slower. */
  synchronous?: 'NORMAL' | 'FULL';
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

  constructor(options: EmbeddedStoreOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.journal = new JournalFile(path.join(options.dataDir, 'journal'));
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
    `);
    this.statements = {
      ticketPut: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO tickets (key, data) VALUES (?, ?)'),
      ticketDelete: this.db.prepare<[string]>('DELETE FROM tickets WHERE key = ?'),
      ticketAll: this.db.prepare<[], { data: string }>('SELECT data FROM tickets'),
      agentPut: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO agents (id, data) VALUES (?, ?)'),
      agentAll: this.db.prepare<[], { data: string }>('SELECT data FROM agents'),
      seenPut: this.db.prepare<[number, string]>('INSERT INTO seen_ids (at, ids) VALUES (?, ?)'),
      seenSince: this.db.prepare<[number], { ids: string; at: number }>('SELECT ids, at FROM seen_ids WHERE at >= ? ORDER BY seq'),
      seenExpire: this.db.prepare<[number]>('DELETE FROM seen_ids WHERE at < ?'),
    };
  }

  async load(now: number): Promise<LoadedState> {
    for (const { ids, at } of this.statements.seenSince.iterate(now - DEDUP_WINDOW_MS)) {
      for (const id of ids.split('\n')) this.seen.add(id, at);
    }
    const tickets = this.statements.ticketAll.all().map((row) => JSON.parse(row.data) as StoredTicket);
    const agents = this.statements.agentAll.all().map((row) => JSON.parse(row.data) as StoredAgent);
    // Ids of journal batches are not in seen_ids yet: the replay marks them in order, so that a
    // duplicate inside the journal is dropped again and its original is not.
    return { tickets, agents, journal: this.journal.readAll() };
  }

  async commit(batch: AcceptedBatch, now: number): Promise<boolean[]> {
    // Synchronous on purpose: the caller applies the batch to the model in the same turn of the
    // event loop, so a checkpoint (a timer) never seals a segment whose events the model has
    // not applied yet.
    this.seen.expire(now - DEDUP_WINDOW_MS);
    const ids = batch.events.map((event) => event.id);
    const fresh = this.remember(ids, now);
    const newIds = ids.filter((_, i) => fresh[i]);
    if (newIds.length === 0) return fresh;
    try {
      // The raw body, duplicates and all: a replay drops them again through `remember`.
      this.journal.append(batch);
    } catch (error) {
      for (const id of newIds) this.seen.delete(id);
      throw error;
    }
    this.unsavedIds.push(newIds.join('\n'));
    return fresh;
  }

  /** As the dedup half of `commit`, synchronous: also used for a journal replayed at start. */
  remember(ids: readonly string[], now: number): boolean[] {
    return ids.map((id) => this.seen.add(id, now));
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
        for (let i = start; i < end; i++) this.statements.ticketPut.run(tickets[i]!.key, JSON.stringify(tickets[i]));
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
    this.journal.drop(sealed);
  }

  async healthy(): Promise<boolean> {
    return this.db.open;
  }

  async close(): Promise<void> {
    await this.checkpointing;
    if (!this.db.open) return;
    this.db.close();
    this.journal.close();
  }
}
