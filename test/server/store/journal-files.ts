// Journal segments written as the server writes them (or as earlier versions did), for the
// damage and replay tests: three batches, each into a queue of its own, so that which batches
// came back after a restart reads off the queues' open counts.
import fs from 'node:fs';
import path from 'node:path';
import { JournalFile, segmentFile } from '../../../server/store/journal-file.js';
import { encodeRecordV1 } from '../../../server/store/journal-record.js';
import type { JournalEntry } from '../../../server/store/live-store.js';
import { ticketEvent } from '../../helpers/events.js';

export interface Batch {
  queue: string;
  entry: JournalEntry;
  events: number;
}

function batch(queue: string, count: number, format: 'json' | 'ndjson'): Batch {
  const events = Array.from({ length: count }, (_, i) => ticketEvent({ id: `${queue}-${i}`, queue }, { id: `ev-${queue}-${i}` }));
  const raw = format === 'json' ? JSON.stringify(events) : `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
  return { queue, entry: { format, raw: Buffer.from(raw) }, events: count };
}

/** A: 4 events (NDJSON), B: 5 (JSON array), C: 3 (NDJSON). */
export const batches = (): Batch[] => [batch('qa', 4, 'ndjson'), batch('qb', 5, 'json'), batch('qc', 3, 'ndjson')];

export interface Segment {
  file: string;
  /** Byte offset where each record starts, and the file's length. */
  starts: number[];
  length: number;
}

/** Writes the batches into segment 1 of `dataDir`'s journal with the server's own writer. */
export async function writeSegment(dataDir: string, list: Batch[]): Promise<Segment> {
  const dir = path.join(dataDir, 'journal');
  const journal = new JournalFile(dir);
  const starts: number[] = [];
  let at = 0;
  for (const b of list) {
    starts.push(at);
    journal.append(b.entry, b.events);
    at = fs.statSync(segmentFile(dir, 1)).size;
  }
  await journal.close();
  return { file: segmentFile(dir, 1), starts, length: at };
}

/** The same batches in the format written before records had checksums. */
export function writeOldSegment(dataDir: string, list: Batch[]): Segment {
  const dir = path.join(dataDir, 'journal');
  fs.mkdirSync(dir, { recursive: true });
  const parts = list.map((b) => Buffer.concat(encodeRecordV1(b.entry)));
  const starts: number[] = [];
  let at = 0;
  for (const p of parts) {
    starts.push(at);
    at += p.length;
  }
  fs.writeFileSync(segmentFile(dir, 1), Buffer.concat(parts));
  return { file: segmentFile(dir, 1), starts, length: at };
}

export { logSink } from '../../helpers/log-sink.js';
