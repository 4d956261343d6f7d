// Requests answered with a whole payload (`resync`, `watch-agents`, a wall's hello) are paced per
// connection and per kind: the first is answered at once, then at most one answer a second. A
// request within that second only sets its kind pending; the one answer at the end of the second
// is built then, so it carries the latest state and stands for every request folded into it.
// Nothing is queued per request: 20,000 requests in a burst cost one answer a second.
//
// The first answer is given synchronously, within the request's own handler, so that nothing sent
// later (a delta, an agent change) can overtake it.

/** At most one whole answer per connection and kind in this many ms. */
export const ANSWER_INTERVAL_MS = 1_000;

interface Kind {
  /** When the last answer went out. */
  last: number;
  /** The folded answer's timer, while one is pending. */
  timer: NodeJS.Timeout | null;
  /** The latest request's answer: the one a folded answer runs. */
  answer: () => void;
}

export class AnswerPacing<Name extends string> {
  private readonly kinds = new Map<Name, Kind>();
  private stopped = false;

  constructor(
    private readonly intervalMs: number = ANSWER_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Answers with `answer` now, or at the end of this kind's second (the latest `answer` given wins). */
  request(name: Name, answer: () => void): void {
    if (this.stopped) return;
    let kind = this.kinds.get(name);
    if (kind === undefined) {
      kind = { last: -Infinity, timer: null, answer };
      this.kinds.set(name, kind);
    }
    kind.answer = answer;
    if (kind.timer !== null) return;
    const wait = kind.last + this.intervalMs - this.now();
    if (wait <= 0) {
      kind.last = this.now();
      answer();
      return;
    }
    const pending = kind;
    pending.timer = setTimeout(() => {
      pending.timer = null;
      pending.last = this.now();
      pending.answer();
    }, wait);
  }

  /** The connection is gone: nothing pending is answered, and later requests are ignored. */
  stop(): void {
    this.stopped = true;
    for (const kind of this.kinds.values()) if (kind.timer !== null) clearTimeout(kind.timer);
    this.kinds.clear();
  }
}
