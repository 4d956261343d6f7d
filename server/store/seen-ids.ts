// The event ids seen within the deduplication window (24 h), for the embedded store.
//
// Kept as 64-bit hashes in a typed array (open addressing, linear probing) rather than a Map of
// strings: at a million ids a day a Map holds ~100 MB of small objects that every major GC must
// walk, which measured as a third of ingest time; typed arrays are invisible to the GC. A slot is
// three neighbouring words (hash high, hash low, first seen), so a probe reads one cache line,
// and the table may fill to three quarters: 12–24 B per id (24 MB at a million, not 48).
//
// Two different ids share a 64-bit hash with a chance of about n² / 2⁶⁵: for 10 million ids in a
// window, 3 in a million that one new event is taken for a duplicate.

const EMPTY = 0;
const MIN_CAPACITY = 1 << 16;
const MAX_LOAD = 0.75;
const EXPIRY_SLACK_SEC = 600;
/** Words per slot: the hash's two halves, then when the id was first seen (seconds since the epoch, fits until 2106). */
const STRIDE = 3;

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
  /** Slot i at words i*STRIDE … i*STRIDE+2; both hash words EMPTY for a free slot. */
  private slots: Uint32Array;
  private capacity: number;
  private count = 0;
  private oldestSec = Infinity;

  constructor(capacity = MIN_CAPACITY) {
    this.capacity = capacity;
    this.slots = new Uint32Array(capacity * STRIDE);
  }

  get size(): number {
    return this.count;
  }

  /** The word offset of (a, b)'s slot, or of the free slot where it would go. */
  private slot(a: number, b: number): number {
    const { slots } = this;
    const mask = this.capacity - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const at = i * STRIDE;
      const high = slots[at]!;
      const low = slots[at + 1]!;
      if (high === EMPTY && low === EMPTY) return at;
      if (high === a && low === b) return at;
      i = (i + 1) & mask;
    }
  }

  has(id: string): boolean {
    hash(id);
    const at = this.slot(hashA, hashB);
    return this.slots[at] === hashA && this.slots[at + 1] === hashB;
  }

  /** Marks the id as seen at `atMs`; answers whether it was new. */
  add(id: string, atMs: number): boolean {
    hash(id);
    const a = hashA;
    const b = hashB;
    const at = this.slot(a, b);
    const { slots } = this;
    if (slots[at] === a && slots[at + 1] === b) return false;
    slots[at] = a;
    slots[at + 1] = b;
    const sec = Math.floor(atMs / 1000);
    slots[at + 2] = sec;
    this.oldestSec = Math.min(this.oldestSec, sec);
    this.count++;
    if (this.count > this.capacity * MAX_LOAD) this.rebuild(this.capacity * 2, 0);
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
    const found: number[] = [];
    for (const id of ids) {
      hash(id);
      const at = this.slot(hashA, hashB);
      if (this.slots[at] === hashA && this.slots[at + 1] === hashB) found.push(at);
    }
    if (found.length === 0) return;
    for (const at of found) {
      this.slots[at] = EMPTY;
      this.slots[at + 1] = EMPTY;
    }
    this.rebuild(this.capacity, 0);
  }

  /**
   * Forgets ids first seen before `cutoffMs`. The sweep is O(capacity), so it runs only once the
   * oldest id is ten minutes past the cutoff: ids live up to ten minutes beyond the window.
   */
  expire(cutoffMs: number): void {
    const cutoffSec = Math.floor(cutoffMs / 1000);
    if (this.oldestSec >= cutoffSec - EXPIRY_SLACK_SEC) return;
    this.rebuild(this.capacity, cutoffSec);
  }

  /** Re-inserts every entry seen at or after `keepFromSec` into a table of `capacity` slots. */
  private rebuild(capacity: number, keepFromSec: number): void {
    const old = this.slots;
    const kept = (at: number): boolean => (old[at] !== EMPTY || old[at + 1] !== EMPTY) && old[at + 2]! >= keepFromSec;
    let count = 0;
    for (let at = 0; at < old.length; at += STRIDE) if (kept(at)) count++;
    let size = capacity;
    while (size > MIN_CAPACITY && count < size * MAX_LOAD * 0.25) size >>= 1;
    while (count > size * MAX_LOAD) size <<= 1;
    this.capacity = size;
    this.slots = new Uint32Array(size * STRIDE);
    this.count = 0;
    this.oldestSec = Infinity;
    for (let from = 0; from < old.length; from += STRIDE) {
      if (!kept(from)) continue;
      const to = this.slot(old[from]!, old[from + 1]!);
      this.slots[to] = old[from]!;
      this.slots[to + 1] = old[from + 1]!;
      this.slots[to + 2] = old[from + 2]!;
      this.oldestSec = Math.min(this.oldestSec, old[from + 2]!);
      this.count++;
    }
  }
}
