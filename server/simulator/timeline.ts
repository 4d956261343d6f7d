// The simulator's agenda: a binary min-heap of future actions ordered by time, then by the order
// they were scheduled, so equal times replay identically for a given seed.

interface Entry<T> {
  at: number;
  order: number;
  action: T;
}

export class Timeline<T> {
  private readonly heap: Entry<T>[] = [];
  private scheduled = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, action: T): void {
    this.heap.push({ at, order: this.scheduled++, action });
    this.up(this.heap.length - 1);
  }

  /** The time of the earliest action, or undefined when there is none. */
  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  pop(): { at: number; action: T } | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return { at: top.at, action: top.action };
  }

  private before(a: Entry<T>, b: Entry<T>): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private up(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Entry<T>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as Entry<T>;
      if (!this.before(entry, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = entry;
  }

  private down(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Entry<T>;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= heap.length) break;
      const right = child + 1;
      if (right < heap.length && this.before(heap[right] as Entry<T>, heap[child] as Entry<T>)) child = right;
      if (!this.before(heap[child] as Entry<T>, entry)) break;
      heap[index] = heap[child] as Entry<T>;
      index = child;
    }
    heap[index] = entry;
  }
}
