// The write-ahead journal of accepted batches: append-only segment files of length-prefixed
// records holding each batch's raw body. One write() per batch: in SQLite the same 200 KB
// rows cost more than validating and applying the batch. A checkpoint seals the current
// segment, folds the model into SQLite, then deletes the sealed segments.
//
// Record: `<format> <byteLength>\n<raw bytes>\n`. A record cut short by a crash mid-write is
// ignored on reading (its batch was never acknowledged).
import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from './live-store.js';

const SEGMENT = /^journal-(\d{10})\.log$/;

export class JournalFile {
  private fd: number;
  private segment: number;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    const last = this.segments().at(-1);
    this.segment = (last ?? 0) + 1;
    this.fd = this.open(this.segment);
  }

  private file(segment: number): string {
    return segmentFile(this.dir, segment);
  }

  private open(segment: number): number {
    return fs.openSync(this.file(segment), 'a');
  }

  private segments(): number[] {
    return segmentsIn(this.dir);
  }

  append(entry: JournalEntry): void {
    const header = Buffer.from(`${entry.format} ${entry.raw.length}\n`, 'latin1');
    fs.writevSync(this.fd, [header, entry.raw, NEWLINE]);
  }

  /** Starts a new segment; returns the number of the last sealed one. */
  seal(): number {
    fs.closeSync(this.fd);
    const sealed = this.segment;
    this.segment++;
    this.fd = this.open(this.segment);
    return sealed;
  }

  /** Deletes segments up to and including `segment` (their batches are checkpointed). */
  drop(segment: number): void {
    for (const n of this.segments()) if (n <= segment) fs.rmSync(this.file(n), { force: true });
  }

  /** Every complete record of every segment, oldest first. */
  readAll(): JournalEntry[] {
    return readJournal(this.dir);
  }

  close(): void {
    fs.closeSync(this.fd);
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

/** Every complete record of every segment in `dir`, oldest first, without opening a segment. */
export function readJournal(dir: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const n of segmentsIn(dir)) {
    const data = fs.readFileSync(segmentFile(dir, n));
    let at = 0;
    while (at < data.length) {
      const eol = data.indexOf(0x0a, at);
      if (eol < 0) break;
      const [format, length] = data.toString('latin1', at, eol).split(' ');
      const size = Number(length);
      if ((format !== 'json' && format !== 'ndjson') || !Number.isInteger(size) || eol + 1 + size > data.length) break;
      entries.push({ format, raw: data.subarray(eol + 1, eol + 1 + size) });
      at = eol + 1 + size + 1;
    }
  }
  return entries;
}

function segmentFile(dir: string, segment: number): string {
  return path.join(dir, `journal-${String(segment).padStart(10, '0')}.log`);
}

const NEWLINE = Buffer.from('\n');
