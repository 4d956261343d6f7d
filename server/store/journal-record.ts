// The journal's record formats, and reading a segment without trusting it.
//
//   version 2: `WJ2 <format> <bytes> <events> <body crc32> <header crc32>\n<raw bytes>\n`
//              the header's checksum covers the header line before it, the body's the raw bytes.
//   version 1 (written before checksums; still replayed): `<format> <bytes>\n<raw bytes>\n`
//
// A record that fails a check (bad header, checksum mismatch, length past the end, a body of an
// old record that is no batch) is damaged. Reading then looks for the next record that passes
// every check and goes on from there, so one damaged record costs only itself. The bytes in
// between are counted: one damaged record per record found in them (a header that still reads,
// or bytes past the end of the record before), and their events: the header's count where the
// header passed its checksum, else the lines (NDJSON) or the array's top-level objects (JSON) of
// what is left of the body. A stretch of zeros only (a file extended by a crash before its data
// arrived) is one record of no known events. Old-format records have no checksum: a changed byte
// in one shows only when its body is no batch any more.
import zlib from 'node:zlib';
import { BatchError, parseBatch } from '../domain/parse-batch.js';
import type { JournalEntry } from './live-store.js';

const MAGIC = 'WJ2 ';
/** No valid header is longer: the search for one's end stops here. */
const MAX_HEADER = 96;
const NEWLINE = Buffer.from('\n');
const V1_HEADER = /^(json|ndjson) (\d{1,10})$/;
const V2_HEADER = /^WJ2 (json|ndjson) (\d{1,10}) (\d{1,10}) ([0-9a-f]{8}) ([0-9a-f]{8})$/;

/** CRC-32 (the zlib polynomial): native where Node has it (20.15+), the same values computed here otherwise. */
export const crc32: (data: Buffer | string) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib as unknown as { crc32: (d: Buffer | string) => number }).crc32 : crc32Portable;

let table: Uint32Array | null = null;
function crc32Portable(data: Buffer | string): number {
  if (table === null) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');

/** The buffers of one version-2 record, for a single writev. */
export function encodeRecord(entry: JournalEntry, events: number): Buffer[] {
  const line = `${MAGIC}${entry.format} ${entry.raw.length} ${events} ${hex(crc32(entry.raw))}`;
  return [Buffer.from(`${line} ${hex(crc32(line))}\n`, 'latin1'), entry.raw, NEWLINE];
}

/** The old format, kept so that tests can write what earlier versions wrote. */
export function encodeRecordV1(entry: JournalEntry): Buffer[] {
  return [Buffer.from(`${entry.format} ${entry.raw.length}\n`, 'latin1'), entry.raw, NEWLINE];
}

export interface SegmentDamage {
  /** Damaged records (at least one per damaged stretch). */
  records: number;
  /** Events in them, as far as they can be counted (see the rule above). */
  events: number;
  bytes: number;
  /** What was wrong, with byte offsets, for the log (the first few). */
  problems: string[];
}

type Header = { version: 1 | 2; format: 'json' | 'ndjson'; bytes: number; events: number | null; bodyCrc: number | null; end: number };
type Attempt = { ok: true; entry: JournalEntry; next: number } | { ok: false; reason: string; header: Header | null };

/** The header at `at`, if one is there and (version 2) passes its checksum. */
function readHeader(data: Buffer, at: number): Header | { problem: string } {
  const eol = data.indexOf(0x0a, at);
  if (eol < 0 || eol - at > MAX_HEADER) return { problem: eol < 0 && data.length - at <= MAX_HEADER ? 'header cut short' : 'no record header' };
  const line = data.toString('latin1', at, eol);
  const v2 = V2_HEADER.exec(line);
  if (v2 !== null) {
    const covered = line.slice(0, line.lastIndexOf(' '));
    if (crc32(covered) !== parseInt(v2[5]!, 16)) return { problem: 'header checksum mismatch' };
    return { version: 2, format: v2[1] as 'json' | 'ndjson', bytes: Number(v2[2]), events: Number(v2[3]), bodyCrc: parseInt(v2[4]!, 16), end: eol + 1 };
  }
  if (line.startsWith(MAGIC)) return { problem: 'malformed header' };
  const v1 = V1_HEADER.exec(line);
  if (v1 !== null) return { version: 1, format: v1[1] as 'json' | 'ndjson', bytes: Number(v1[2]), events: null, bodyCrc: null, end: eol + 1 };
  return { problem: 'no record header' };
}

function tryRecord(data: Buffer, at: number): Attempt {
  const header = readHeader(data, at);
  if ('problem' in header) return { ok: false, reason: header.problem, header: null };
  const bodyEnd = header.end + header.bytes;
  if (bodyEnd + 1 > data.length) return { ok: false, reason: 'record cut short (length past the end of the file)', header };
  if (data[bodyEnd] !== 0x0a) return { ok: false, reason: 'record does not end where its header says', header };
  const raw = data.subarray(header.end, bodyEnd);
  if (header.version === 2) {
    if (crc32(raw) !== header.bodyCrc) return { ok: false, reason: 'body checksum mismatch', header };
  } else {
    // No checksum in the old format: a body that is no batch at all is the only damage it shows.
    try {
      parseBatch(raw.toString('utf8'), header.format);
    } catch (error) {
      if (!(error instanceof BatchError)) throw error;
      return { ok: false, reason: `old-format body is not a batch (${error.message})`, header };
    }
  }
  return { ok: true, entry: { format: header.format, raw }, next: bodyEnd + 1 };
}

/** The next offset after `from` where a record passes every check, or null. */
function resynchronise(data: Buffer, from: number): number | null {
  let at = from;
  while (at < data.length) {
    const candidate = nextCandidate(data, at);
    if (candidate === null) return null;
    if (tryRecord(data, candidate).ok) return candidate;
    at = candidate + 1;
  }
  return null;
}

/** The next offset at or after `from` that could start a record: `WJ2 `, or a line starting `json `/`ndjson ` (old format). */
function nextCandidate(data: Buffer, from: number): number | null {
  const v2 = data.indexOf(MAGIC, from, 'latin1');
  let v1 = -1;
  for (let nl = data.indexOf(0x0a, Math.max(0, from - 1)); nl >= 0 && (v2 < 0 || nl + 1 < v2); nl = data.indexOf(0x0a, nl + 1)) {
    const start = nl + 1;
    if (start < from) continue;
    const head = data.toString('latin1', start, start + 7);
    if (head.startsWith('json ') || head.startsWith('ndjson ')) {
      v1 = start;
      break;
    }
  }
  const found = [v2, v1].filter((n) => n >= 0);
  return found.length === 0 ? null : Math.min(...found);
}

/** Counts the damaged records and their events in `data[from, to)`, per the rule at the top. */
function countDamage(data: Buffer, from: number, to: number): { records: number; events: number } {
  const stretch = data.subarray(from, to);
  let records = 0;
  let events = 0;
  let at = 0;
  while (at < stretch.length) {
    if (stretch.subarray(at).every((byte) => byte === 0)) {
      // Zeros where a record was being written: one record of unknown events, unless one was counted.
      if (records === 0) records = 1;
      break;
    }
    records++;
    const next = nextReadableHeader(stretch, at + 1) ?? stretch.length;
    const header = readHeader(stretch, at);
    if ('problem' in header) {
      const eol = stretch.indexOf(0x0a, at);
      const bodyStart = eol < 0 || eol >= next ? next : eol + 1;
      events += countEvents(stretch.subarray(bodyStart, next), stretch.toString('latin1', at, Math.min(bodyStart, at + MAX_HEADER)));
      at = next;
      continue;
    }
    const recordEnd = header.end + header.bytes + 1;
    events += header.events ?? countEvents(stretch.subarray(header.end, Math.min(recordEnd, next)), header.format);
    // A header that reads but a stretch that goes on past its record: what follows is another
    // record whose header did not survive.
    at = Math.min(recordEnd, next);
  }
  return { records, events };
}

/** The next offset at or after `from` where a header reads (version 2: its checksum passes). */
function nextReadableHeader(data: Buffer, from: number): number | null {
  for (let at = from; at < data.length; ) {
    const candidate = nextCandidate(data, at);
    if (candidate === null) return null;
    if (!('problem' in readHeader(data, candidate))) return candidate;
    at = candidate + 1;
  }
  return null;
}

/** Events in what is left of a body: NDJSON lines, or a JSON array's top-level objects. */
export function countEvents(body: Buffer, headerText: string): number {
  const text = body.toString('utf8').replace(/\0+/g, '');
  const trimmed = text.trim();
  if (trimmed.length === 0) return 0;
  const format = headerText.includes('ndjson') ? 'ndjson' : headerText.includes('json') ? 'json' : trimmed.startsWith('[') ? 'json' : 'ndjson';
  if (format === 'ndjson') return trimmed.split('\n').filter((line) => line.trim().length > 0).length;
  let depth = 0;
  let inString = false;
  let count = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (depth === 1 && c === '{') count++;
      depth++;
    } else if (c === ']' || c === '}') depth--;
  }
  return count;
}

/** The readable records of one segment, and what could not be read. */
export function scanSegment(data: Buffer): { entries: JournalEntry[]; damage: SegmentDamage | null } {
  const entries: JournalEntry[] = [];
  const damage: SegmentDamage = { records: 0, events: 0, bytes: 0, problems: [] };
  let at = 0;
  while (at < data.length) {
    const attempt = tryRecord(data, at);
    if (attempt.ok) {
      entries.push(attempt.entry);
      at = attempt.next;
      continue;
    }
    const next = resynchronise(data, at + 1) ?? data.length;
    const counted = countDamage(data, at, next);
    damage.records += counted.records;
    damage.events += counted.events;
    damage.bytes += next - at;
    if (damage.problems.length < 5)
      damage.problems.push(`${attempt.reason} at byte ${at} (${next - at} bytes up to ${next === data.length ? 'the end' : 'the next good record'})`);
    at = next;
  }
  return { entries, damage: damage.records > 0 ? damage : null };
}
