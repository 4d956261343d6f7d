// Requests answered with a whole payload (`resync`, `watch-agents`, a wall's hello) are paced per
// connection and per kind: the first is answered at once, then at most one answer a second. A
// request within that second only sets its kind pending; the one answer at the end of the second
// is built then, so it carries the latest state and stands for every request folded into it.
// Nothing is queued per request: 20,000 requests in a burst cost one answer a second.
import { Pacer } from './pacer.js';

/** At most one whole answer per connection and kind in this many ms. */
export const ANSWER_INTERVAL_MS = 1_000;

export class AnswerPacing<Kind extends string> {
  private readonly kinds = new Map<Kind, { pacer: Pacer; answer: () => void }>();

  constructor(private readonly intervalMs: number = ANSWER_INTERVAL_MS) {}

  /** Answers with `answer` now or at the end of this kind's second (the latest `answer` given wins). */
  request(kind: Kind, answer: () => void): void {
    let entry = this.kinds.get(kind);
    if (entry === undefined) {
      const created: { pacer: Pacer; answer: () => void } = { pacer: new Pacer(this.intervalMs, () => created.answer()), answer };
      entry = created;
      this.kinds.set(kind, entry);
    }
    entry.answer = answer;
    entry.pacer.request();
  }

  /** The connection is gone: nothing pending is answered. */
  stop(): void {
    for (const { pacer } of this.kinds.values()) pacer.stop();
    this.kinds.clear();
  }
}
