// Runs a task at most once per interval, on the leading edge: the first request after a quiet
// spell runs at once (low latency), requests within the interval fold into one later run.
export class Pacer {
  private last = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  request(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = this.now();
      this.task();
    }, wait);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
