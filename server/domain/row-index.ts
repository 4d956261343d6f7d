// Rows of the ticket table by (source, id): an open-addressing hash table of row numbers in one
// Int32Array. A Map per source held ~45 B per ticket in entries and buckets on the V8 heap (45 MB
// at a million tickets, walked by every major GC); this holds 4–8 B per ticket outside it. The
// keys themselves are not stored: the table's own columns say a row's source and id. Pure.

const EMPTY = -1;
const MIN_SLOTS = 1 << 10;
/** Linear probing stays short up to half full (~1.5 probes to find a row, ~2.5 to miss one). */
const MAX_LOAD = 0.5;

/** What the index reads of a live row: its source number and id. */
export interface RowKeys {
  sourceNumberOf(row: number): number;
  idOf(row: number): string;
}

/** A 32-bit hash of a ticket's identity (FNV-1a over the id's UTF-16 units, seeded with the source). */
function keyHash(source: number, id: string): number {
  let h = Math.imul(0x811c9dc5 ^ source, 0x01000193);
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  // FNV's low bits are weak on short keys that differ in their last character: mix them in.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export class RowIndex {
  private slots = new Int32Array(MIN_SLOTS).fill(EMPTY);
  private count = 0;

  constructor(private readonly keys: RowKeys) {}

  get size(): number {
    return this.count;
  }

  /** The row of (source, id), or -1. */
  find(source: number, id: string): number {
    const { slots, keys } = this;
    const mask = slots.length - 1;
    for (let i = keyHash(source, id) & mask; ; i = (i + 1) & mask) {
      const row = slots[i]!;
      if (row === EMPTY) return -1;
      if (keys.sourceNumberOf(row) === source && keys.idOf(row) === id) return row;
    }
  }

  /** Adds a row whose key is in the table's columns already and not in the index. */
  add(row: number): void {
    if (this.count + 1 > this.slots.length * MAX_LOAD) this.rehash(this.slots.length * 2);
    this.place(row);
    this.count++;
  }

  /**
   * Takes a row out, before the table clears its key. Backward-shift deletion: the rows after it in
   * its probe run move up where they may, so no tombstones build up over weeks of churn.
   */
  delete(row: number): void {
    const { slots } = this;
    const mask = slots.length - 1;
    let hole = this.home(row);
    while (slots[hole] !== row) {
      if (slots[hole] === EMPTY) return;
      hole = (hole + 1) & mask;
    }
    for (let next = (hole + 1) & mask; slots[next] !== EMPTY; next = (next + 1) & mask) {
      const home = this.home(slots[next]!);
      // The row at `next` may move back to the hole only if its home is not in (hole, next].
      const between = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (between) continue;
      slots[hole] = slots[next]!;
      hole = next;
    }
    slots[hole] = EMPTY;
    this.count--;
    if (this.slots.length > MIN_SLOTS && this.count < this.slots.length * MAX_LOAD * 0.25) this.rehash(this.slots.length / 2);
  }

  private home(row: number): number {
    return keyHash(this.keys.sourceNumberOf(row), this.keys.idOf(row)) & (this.slots.length - 1);
  }

  private place(row: number): void {
    const { slots } = this;
    const mask = slots.length - 1;
    let i = this.home(row);
    while (slots[i] !== EMPTY) i = (i + 1) & mask;
    slots[i] = row;
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Int32Array(size).fill(EMPTY);
    for (let i = 0; i < old.length; i++) if (old[i] !== EMPTY) this.place(old[i]!);
  }
}
