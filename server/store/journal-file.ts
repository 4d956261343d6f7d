// The write-ahead journal of accepted batches: append-only segment files of records holding
// each batch's raw body. One write() per batch: in SQLite the same 200 KB rows cost more than
// validating and applying the batch. A checkpoint seals the current segment, folds the model
// into SQLite, then drops the sealed segments.
//
// Durability: `durable()` resolves once an fdatasync covering every append so far has finished.
// Requests that wait at the same time share one (group commit): a sync round takes every write
// made before it started; writes that arrive during a round wait for the next one. In `interval`
// mode a timer syncs at most once a second and `durable()` does not wait.
//
// Reading (journal-record.ts) checks every record and reports what it could not replay.
import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from './live-store.js';
import { encodeRecord, scanSegment, type SegmentDamage } from './journal-record.js';

const SEGMENT = /^journal-(\d{10})\.log$/;
/**
 * A checkpointed segment is renamed to this (no longer a segment) and removed in the background:
 * unlinking a segment of hundreds of MB frees its blocks on the calling thread, which was ~1.5%
 * of ingest's CPU and a stall of the event loop at each checkpoint. Leftovers (a crash in
 * between) are removed at the next start; their batches are in the tables.
 */
const DROPPED = /^journal-\d{10}\.log\.dropped$/;
/** In `interval` mode, how often the journal is synced: a power cut may take up to this much of acknowledged events. */
const INTERVAL_SYNC_MS = 1_000;

const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EACCES']);

export type JournalSyncMode = 'always' | 'interval';

export interface JournalFileOptions {
  /** `always` (default): `durable()` waits for the fdatasync; `interval`: a timer syncs every second. */
  sync?: JournalSyncMode;
  /**
   * How a file (or the directory) is made durable; fdatasync unless given. An observation point
   * for tests (to see that the answer never precedes the sync), not a way to skip it.
   */
  syncFd?: (fd: number) => Promise<void>;
}

/** Counters for /healthz and tests: appends made, syncs done, the last append a finished sync covered. */
export interface JournalStats {
  appends: number;
  syncs: number;
  durableAppends: number;
}

/** An append that failed before any byte of it stayed in the segment: nothing of the batch was kept. */
export class JournalWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JournalWriteError';
  }
}

export interface DamagedSegment extends SegmentDamage {
  /** The segment's file name, e.g. journal-0000000003.log. */
  name: string;
  file: string;
}

export interface JournalScan {
  /** Every record that could be read, oldest first. */
  entries: JournalEntry[];
  damaged: DamagedSegment[];
  /** The segment numbers read (damaged or not). */
  segments: number[];
}

const fdatasync = (fd: number): Promise<void> => new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class JournalFile {
  private fd: number;
  private segment: number;
  /** Bytes in the current segment: a failed append is cut back to here. */
  private size = 0;
  private readonly mode: JournalSyncMode;
  private readonly syncFd: (fd: number) => Promise<void>;
  readonly stats: JournalStats = { appends: 0, syncs: 0, durableAppends: 0 };
  /** Segment files with writes no finished sync covers yet. */
  private readonly dirty = new Set<number>();
  /** Sealed segments' descriptors: closed once a sync has covered them (never under a sync in flight). */
  private readonly retired = new Set<number>();
  /** A new segment's name must reach the disk too: the directory is synced with the next round. */
  private dirDirty = true;
  private round: Promise<void> | null = null;
  private waiters: Waiter[] = [];
  private readonly timer: NodeJS.Timeout | null = null;
  /** After a failed sync the segment is suspect: the next append starts a new one. */
  private broken = false;
  /** Segments this process may delete once checkpointed: those it read at start and those it wrote. */
  private readonly known = new Set<number>();
  /** Damaged segments already kept aside: a checkpoint removes them from the journal directory. */
  private readonly keptAside = new Set<number>();
  /** Dropped segments being removed in the background (`close` waits for them). */
  private removing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    options: JournalFileOptions = {},
  ) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.mode = options.sync ?? 'always';
    this.syncFd = options.syncFd ?? fdatasync;
    for (const n of segmentsIn(dir)) this.known.add(n);
    for (const name of fs.readdirSync(dir)) if (DROPPED.test(name)) this.removeLater(path.join(dir, name));
    const last = this.segments().at(-1);
    this.segment = (last ?? 0) + 1;
    this.fd = this.open(this.segment);
    if (this.mode === 'interval') {
      this.timer = setInterval(() => {
        if (this.round === null && (this.dirty.size > 0 || this.dirDirty)) this.startRound();
      }, INTERVAL_SYNC_MS);
      this.timer.unref();
    }
  }

  private file(segment: number): string {
    return segmentFile(this.dir, segment);
  }

  private open(segment: number): number {
    const fd = fs.openSync(this.file(segment), 'a', 0o600);
    this.known.add(segment);
    this.size = 0;
    this.dirDirty = true;
    return fd;
  }

  private segments(): number[] {
    return segmentsIn(this.dir);
  }

  /** Writes one record; `events` is the number of events it holds (kept in the header for damage reports). */
  append(entry: JournalEntry, events: number): void {
    if (this.broken) {
      this.switchSegment();
      this.broken = false;
    }
    const parts = encodeRecord(entry, events);
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    let written = 0;
    try {
      written = fs.writevSync(this.fd, parts);
      if (written !== total) throw new Error(`short write: ${written} of ${total} bytes`);
    } catch (error) {
      // Cut back what did get written, so that no half record stays behind a batch answered
      // "nothing kept"; if even that fails, the segment is left as it is and a new one begun.
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        this.broken = true;
      }
      throw new JournalWriteError(`journal write failed: ${(error as Error).message}`, { cause: error });
    }
    this.size += total;
    this.stats.appends++;
    this.dirty.add(this.fd);
  }

  /** The number of appends so far (a sequence number: the last append's). */
  get appended(): number {
    return this.stats.appends;
  }

  /**
   * Resolves once a sync covering every append so far has finished (`always`); at once in
   * `interval` mode. Rejects when the sync failed: those writes may or may not be on disk.
   */
  durable(): Promise<void> {
    const upTo = this.stats.appends;
    if (this.mode === 'interval' || this.stats.durableAppends >= upTo) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      if (this.round === null) this.startRound();
    });
  }

  private startRound(): void {
    const upTo = this.stats.appends;
    const fds = [...this.dirty];
    this.dirty.clear();
    const syncDir = this.dirDirty;
    this.dirDirty = false;
    const run = async (): Promise<void> => {
      await Promise.all(fds.map((fd) => this.syncFd(fd)));
      if (syncDir) await this.syncDirectory();
    };
    this.round = run().then(
      () => this.finishRound(upTo, null),
      (error: unknown) => this.finishRound(upTo, error),
    );
  }

  private async syncDirectory(): Promise<void> {
    try {
      const fd = fs.openSync(this.dir, 'r');
      try {
        await this.syncFd(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      // Some file systems cannot sync a directory at all; that must not refuse every batch.
      if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }

  private finishRound(upTo: number, error: unknown): void {
    this.round = null;
    this.stats.syncs++;
    if (error === null) this.stats.durableAppends = Math.max(this.stats.durableAppends, upTo);
    else this.broken = true;
    // No sync is in flight now: a sealed segment with nothing left to sync can be closed.
    for (const fd of this.retired) {
      if (this.dirty.has(fd)) continue;
      this.retired.delete(fd);
      fs.closeSync(fd);
    }
    const covered = this.waiters.filter((w) => w.upTo <= upTo);
    this.waiters = this.waiters.filter((w) => w.upTo > upTo);
    for (const waiter of covered) {
      if (error === null) waiter.resolve();
      else waiter.reject(error);
    }
    if (this.waiters.length > 0 || this.retired.size > 0) this.startRound();
  }

  private switchSegment(): number {
    const old = this.fd;
    const sealed = this.segment;
    this.segment++;
    this.fd = this.open(this.segment);
    // A sealed segment is synced before it is closed, and a descriptor under a sync in flight
    // is never closed (its number could be reused at once by the next open).
    if (this.round !== null) this.retired.add(old);
    else if (this.dirty.has(old)) {
      this.retired.add(old);
      this.startRound();
    } else fs.closeSync(old);
    return sealed;
  }

  /** Starts a new segment; returns the number of the last sealed one (synced before it is closed). */
  seal(): number {
    return this.switchSegment();
  }

  /** A damaged segment has been copied aside: its checkpoint removes it from here like any other. */
  keptAsideSegment(segment: number): void {
    this.keptAside.add(segment);
  }

  /**
   * Deletes segments up to and including `segment` (their batches are checkpointed): only those
   * this process read at start or wrote since. A damaged segment goes only once a copy is kept
   * aside; until then it stays and is read again on the next start.
   */
  drop(segment: number, damaged: ReadonlySet<number>): void {
    for (const n of this.segments()) {
      if (n > segment || !this.known.has(n)) continue;
      if (damaged.has(n) && !this.keptAside.has(n)) continue;
      const dropped = `${this.file(n)}.dropped`;
      try {
        fs.renameSync(this.file(n), dropped);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.known.delete(n);
        continue;
      }
      this.known.delete(n);
      this.removeLater(dropped);
    }
  }

  private removeLater(file: string): void {
    // A removal that fails leaves a file no reader takes for a segment; the next start retries it.
    this.removing = this.removing.then(() => fs.promises.rm(file, { force: true })).catch(() => {});
  }

  /** The size of the journal's segments on disk now (those kept aside as damaged not included). */
  bytesOnDisk(): number {
    let bytes = 0;
    for (const n of this.segments()) {
      try {
        bytes += fs.statSync(this.file(n)).size;
      } catch {
        // Dropped by a checkpoint between the listing and the stat: it no longer counts.
      }
    }
    return bytes;
  }

  /** Every readable record of every segment, oldest first, and what could not be read. */
  scan(): JournalScan {
    return scanJournal(this.dir, this.segment);
  }

  /** Syncs whatever is written and closes every descriptor. */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    while (this.round !== null || this.dirty.size > 0 || this.dirDirty || this.retired.size > 0) {
      if (this.round === null) this.startRound();
      await this.round;
    }
    for (const fd of this.retired) fs.closeSync(fd);
    this.retired.clear();
    fs.closeSync(this.fd);
    await this.removing;
  }
}

function segmentsIn(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Reads every segment in `dir` below `before` (all when not given), without opening one for writing. */
export function scanJournal(dir: string, before = Infinity): JournalScan {
  const scan: JournalScan = { entries: [], damaged: [], segments: [] };
  for (const n of segmentsIn(dir)) {
    if (n >= before) continue;
    const file = segmentFile(dir, n);
    const { entries, damage } = scanSegment(fs.readFileSync(file));
    scan.segments.push(n);
    scan.entries.push(...entries);
    if (damage !== null) scan.damaged.push({ ...damage, name: path.basename(file), file });
  }
  return scan;
}

/** Every readable record of every segment in `dir`, oldest first. */
export function readJournal(dir: string): JournalEntry[] {
  return scanJournal(dir).entries;
}

export function segmentFile(dir: string, segment: number): string {
  return path.join(dir, `journal-${String(segment).padStart(10, '0')}.log`);
}

export function segmentNumber(name: string): number | null {
  const match = SEGMENT.exec(name);
  return match === null ? null : Number(match[1]);
}
