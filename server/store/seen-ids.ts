// The event ids seen within the deduplication window (24 h), for the embedded store.
//
// Kept as 64-bit hashes in typed arrays (open addressing, linear probing) rather than a Map of
// strings: at a million ids a day a Map holds ~100 MB of small objects that every major GC must
// walk, which measured as a third of ingest time; typed arrays are invisible to the GC.
//
// Two different ids share a 64-bit hash with a chance of about n² / 2⁶⁵: for 10 million ids in a
// window, 3 in a million that one new event is taken for a duplicate.

const EMPTY = 0;
const MIN_CAPACITY = 1 << 16;
const MAX_LOAD = 0.5;
const EXPIRY_SLACK_SEC = 600;

// The two halves of the last hash, module-level so that hashing allocates nothing.
let hashA = 0;
let hashB = 0;

/** Two independent 32-bit hashes of the UTF-16 code units into hashA/hashB, never both zero. */
function hash(id: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) >>> 0;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35) >>> 0;
  hashA = a === EMPTY && b === EMPTY ? 1 : a;
  hashB = b;
}

export class SeenIds {
  private high: Uint32Array;
  private low: Uint32Array;
  /** When each id was first seen, in seconds since the epoch (fits until 2106). */
  private seenAt: Uint32Array;
  private count = 0;
  private oldestSec = Infinity;

  constructor(capacity = MIN_CAPACITY) {
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.seenAt = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  private slot(a: number, b: number): number {
    const mask = this.high.length - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while (this.high[i] !== EMPTY || this.low[i] !== EMPTY) {
      if (this.high[i] === a && this.low[i] === b) return i;
      i = (i + 1) & mask;
    }
    return i;
  }

  has(id: string): boolean {
    hash(id);
    const a = hashA;
    const b = hashB;
    const i = this.slot(a, b);
    return this.high[i] === a && this.low[i] === b;
  }

  /** Marks the id as seen at `atMs`; answers whether it was new. */
  add(id: string, atMs: number): boolean {
    hash(id);
    const a = hashA;
    const b = hashB;
    const i = this.slot(a, b);
    if (this.high[i] === a && this.low[i] === b) return false;
    this.high[i] = a;
    this.low[i] = b;
    const sec = Math.floor(atMs / 1000);
    this.seenAt[i] = sec;
    this.oldestSec = Math.min(this.oldestSec, sec);
    this.count++;
    if (this.count > this.high.length * MAX_LOAD) this.rebuild(this.high.length * 2, 0);
    return true;
  }

  delete(id: string): void {
    this.forget([id]);
  }

  /**
   * Forgets these ids (a batch that could not be stored). Emptied slots would break the probe
   * chains behind them, so the table is rebuilt: once for all of them, as it is O(capacity).
   */
  forget(ids: readonly string[]): void {
    // Every slot is found before any is emptied: an emptied slot ends the probe chains through it.
    const slots: number[] = [];
    for (const id of ids) {
      hash(id);
      const a = hashA;
      const b = hashB;
      const i = this.slot(a, b);
      if (this.high[i] === a && this.low[i] === b) slots.push(i);
    }
    if (slots.length === 0) return;
    for (const i of slots) {
      this.high[i] = EMPTY;
      this.low[i] = EMPTY;
    }
    this.rebuild(this.high.length, 0);
  }

  /**
   * Forgets ids first seen before `cutoffMs`. The sweep is O(capacity), so it runs only once the
   * oldest id is ten minutes past the cutoff: ids live up to ten minutes beyond the window.
   */
  expire(cutoffMs: number): void {
    const cutoffSec = Math.floor(cutoffMs / 1000);
    if (this.oldestSec >= cutoffSec - EXPIRY_SLACK_SEC) return;
    this.rebuild(this.high.length, cutoffSec);
  }

  /** Re-inserts every entry seen at or after `keepFromSec` into tables of `capacity` slots. */
  private rebuild(capacity: number, keepFromSec: number): void {
    const { high, low, seenAt } = this;
    let size = capacity;
    let kept = 0;
    for (let i = 0; i < high.length; i++) if ((high[i] !== EMPTY || low[i] !== EMPTY) && seenAt[i]! >= keepFromSec) kept++;
    while (size > MIN_CAPACITY && kept < size * MAX_LOAD * 0.25) size >>= 1;
    while (kept > size * MAX_LOAD) size <<= 1;
    this.high = new Uint32Array(size);
    this.low = new Uint32Array(size);
    this.seenAt = new Uint32Array(size);
    this.count = 0;
    this.oldestSec = Infinity;
    for (let i = 0; i < high.length; i++) {
      const a = high[i]!;
      const b = low[i]!;
      if ((a === EMPTY && b === EMPTY) || seenAt[i]! < keepFromSec) continue;
      const j = this.slot(a, b);
      this.high[j] = a;
      this.low[j] = b;
      this.seenAt[j] = seenAt[i]!;
      this.oldestSec = Math.min(this.oldestSec, seenAt[i]!);
      this.count++;
    }
  }
}
