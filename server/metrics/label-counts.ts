// Counts by a label taken from input (an event's source) and a result of ours. The label's values
// come from whoever sends events, so their number is capped: past the cap, new values are counted
// under OTHER_LABEL, and a scrape never grows without bound.

/** Distinct label values kept before new ones are folded together. */
export const MAX_LABEL_VALUES = 50;
/** Where the values past the cap are counted. */
export const OTHER_LABEL = 'other';

export class LabelCounts<R extends string> {
  private readonly counts = new Map<string, Map<R, number>>();

  constructor(private readonly maxValues = MAX_LABEL_VALUES) {}

  add(label: string, result: R, by = 1): void {
    if (by === 0) return;
    const key = this.counts.has(label) || this.counts.size < this.maxValues ? label : OTHER_LABEL;
    let byResult = this.counts.get(key);
    if (byResult === undefined) {
      byResult = new Map();
      this.counts.set(key, byResult);
    }
    byResult.set(result, (byResult.get(result) ?? 0) + by);
  }

  get(label: string, result: R): number {
    return this.counts.get(label)?.get(result) ?? 0;
  }

  /** Every (label, result, count) counted so far, in first-seen order. */
  *entries(): IterableIterator<[label: string, result: R, count: number]> {
    for (const [label, byResult] of this.counts) {
      for (const [result, count] of byResult) yield [label, result, count];
    }
  }
}
