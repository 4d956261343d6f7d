// A binary min-heap of keys by numeric priority, with O(log n) update and removal by key.
// It carries the SLA clock (the next moment each ticket's flags change) and each queue's
// oldest waiting ticket, so that neither needs a scan of all tickets.

export class IndexedHeap<K> {
  private readonly keys: K[] = [];
  private readonly priorities: number[] = [];
  private readonly positions = new Map<K, number>();

  get size(): number {
    return this.keys.length;
  }

  has(key: K): boolean {
    return this.positions.has(key);
  }

  peekKey(): K | undefined {
    return this.keys[0];
  }

  peekPriority(): number | undefined {
    return this.priorities[0];
  }

  /** Inserts the key, or moves it to its new priority. */
  set(key: K, priority: number): void {
    const at = this.positions.get(key);
    if (at === undefined) {
      this.keys.push(key);
      this.priorities.push(priority);
      this.positions.set(key, this.keys.length - 1);
      this.up(this.keys.length - 1);
      return;
    }
    const before = this.priorities[at]!;
    this.priorities[at] = priority;
    if (priority < before) this.up(at);
    else if (priority > before) this.down(at);
  }

  delete(key: K): boolean {
    const at = this.positions.get(key);
    if (at === undefined) return false;
    const last = this.keys.length - 1;
    this.swap(at, last);
    this.keys.pop();
    this.priorities.pop();
    this.positions.delete(key);
    if (at < last) {
      this.up(at);
      this.down(at);
    }
    return true;
  }

  /** Removes and returns the smallest key. */
  pop(): K | undefined {
    const key = this.keys[0];
    if (key !== undefined) this.delete(key);
    return key;
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
    const n = this.keys.length;
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
    const key = this.keys[a]!;
    const priority = this.priorities[a]!;
    this.keys[a] = this.keys[b]!;
    this.priorities[a] = this.priorities[b]!;
    this.keys[b] = key;
    this.priorities[b] = priority;
    this.positions.set(this.keys[a]!, a);
    this.positions.set(key, b);
  }
}
