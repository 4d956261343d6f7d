// A binary min-heap of rows (the live model's ticket rows, ticket-table.ts) by numeric priority, with
// O(log n) update and removal by row. It carries the SLA clock (the next moment each ticket's flags
// change) and each queue's oldest waiting ticket, so that neither needs a scan of all tickets.
//
// Where each row sits is kept in an Int32Array indexed by row rather than a Map: a million open
// tickets in the clock and most of them in a waiting heap cost ~70 MB as Map entries, 8 MB here.
// Heaps whose rows never overlap (the queues' waiting heaps: a ticket waits in one queue) can share
// one such array.

const ABSENT = -1;

/** Each row's position in the heap that holds it, or -1. */
export class RowPositions {
  private positions = new Int32Array(1024).fill(ABSENT);

  get(row: number): number {
    return row < this.positions.length ? this.positions[row]! : ABSENT;
  }

  set(row: number, position: number): void {
    if (row >= this.positions.length) {
      let size = this.positions.length * 2;
      while (size <= row) size *= 2;
      const bigger = new Int32Array(size).fill(ABSENT);
      bigger.set(this.positions);
      this.positions = bigger;
    }
    this.positions[row] = position;
  }
}

const MIN_CAPACITY = 64;

export class IndexedHeap {
  // Typed arrays rather than number[]: 12 B an entry outside the V8 heap, not ~20 B inside it
  // that every major GC walks (two heaps hold a million open tickets between them).
  private rows = new Int32Array(MIN_CAPACITY);
  private priorities = new Float64Array(MIN_CAPACITY);
  private length = 0;

  constructor(private readonly positions = new RowPositions()) {}

  get size(): number {
    return this.length;
  }

  /** Where the row is in this heap, or -1 (a shared positions array may place it in another). */
  private at(row: number): number {
    const at = this.positions.get(row);
    return at !== ABSENT && at < this.length && this.rows[at] === row ? at : ABSENT;
  }

  has(row: number): boolean {
    return this.at(row) !== ABSENT;
  }

  peekKey(): number | undefined {
    return this.length === 0 ? undefined : this.rows[0];
  }

  peekPriority(): number | undefined {
    return this.length === 0 ? undefined : this.priorities[0];
  }

  /** Inserts the row, or moves it to its new priority. */
  set(row: number, priority: number): void {
    const at = this.at(row);
    if (at === ABSENT) {
      if (this.length === this.rows.length) this.resize(this.rows.length * 2);
      const end = this.length++;
      this.rows[end] = row;
      this.priorities[end] = priority;
      this.positions.set(row, end);
      this.up(end);
      return;
    }
    const before = this.priorities[at]!;
    this.priorities[at] = priority;
    if (priority < before) this.up(at);
    else if (priority > before) this.down(at);
  }

  delete(row: number): boolean {
    const at = this.at(row);
    if (at === ABSENT) return false;
    const last = this.length - 1;
    this.swap(at, last);
    this.length--;
    this.positions.set(row, ABSENT);
    if (at < last) {
      this.up(at);
      this.down(at);
    }
    // A queue that drained gives its memory back (with room to refill before it grows again).
    if (this.rows.length > MIN_CAPACITY && this.length < this.rows.length / 4) this.resize(this.rows.length / 2);
    return true;
  }

  /** Removes and returns the row with the smallest priority. */
  pop(): number | undefined {
    if (this.length === 0) return undefined;
    const row = this.rows[0]!;
    this.delete(row);
    return row;
  }

  private resize(capacity: number): void {
    const rows = new Int32Array(capacity);
    const priorities = new Float64Array(capacity);
    rows.set(this.rows.subarray(0, this.length));
    priorities.set(this.priorities.subarray(0, this.length));
    this.rows = rows;
    this.priorities = priorities;
  }

  private up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.priorities[parent]! <= this.priorities[i]!) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(index: number): void {
    const n = this.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.priorities[left]! < this.priorities[smallest]!) smallest = left;
      if (right < n && this.priorities[right]! < this.priorities[smallest]!) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    if (a === b) return;
    const row = this.rows[a]!;
    const priority = this.priorities[a]!;
    this.rows[a] = this.rows[b]!;
    this.priorities[a] = this.priorities[b]!;
    this.rows[b] = row;
    this.priorities[b] = priority;
    this.positions.set(this.rows[a]!, a);
    this.positions.set(row, b);
  }
}
