// A quiet periodic read for a screen: loads when started, every `everyMs` after the last load ended,
// and at once on `refresh` (a reconnect, a new interval). One load at a time; `stop` aborts the one
// under way and no timer is left behind. What a load does with its answer, and with a failure
// (walls stay quiet and keep the last good answer), is the subclass's.

export abstract class Refresher {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #abort: AbortController | null = null;
  #stopped = false;

  constructor(private readonly everyMs: number) {}

  /** One read; `signal` aborts when the refresher stops. Errors are the subclass's to swallow or keep. */
  protected abstract load(signal: AbortSignal): Promise<void>;

  protected get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    if (this.#stopped || this.#timer !== null || this.#abort !== null) return;
    void this.#run();
  }

  /** Loads now instead of at the next tick; a load under way is answer enough. */
  refresh(): void {
    if (this.#stopped || this.#abort !== null) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const abort = this.#abort;
    this.#abort = null;
    abort?.abort();
  }

  async #run(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    try {
      await this.load(abort.signal);
    } catch {
      // A load that throws is a quiet one: the next tick tries again.
    } finally {
      if (this.#abort === abort) {
        this.#abort = null;
        if (!this.#stopped) {
          this.#timer = setTimeout(() => {
            this.#timer = null;
            void this.#run();
          }, this.everyMs);
        }
      }
    }
  }
}
