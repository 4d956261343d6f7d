// Whether the live model holds the whole state yet (docs/operations.md#restart). A restart puts a
// million tickets back a slice at a time while the server already listens; until the last slice
// and the journal's replay are in, the model is half a state, and nothing may act on it as if it
// were whole: /healthz says "recovering" (503), the API answers 503 with Retry-After, walls get
// their first state only once it is whole, and the timers that act on the numbers (alerts, daily
// figures, history samples, incident links, connector polls) wait. This keeps the count, the
// progress log and the promise they wait on.

/** What the restore is doing: reading the store, putting tickets back, then replaying the journal. */
export type RecoveryStep = 'loading' | 'tickets' | 'journal';

export interface RecoveryProgress {
  step: RecoveryStep;
  /** Tickets put back so far, of `ticketsTotal` (the checkpoint's). */
  tickets: number;
  ticketsTotal: number;
  /** Journal batches replayed so far, of `journalBatchesTotal` (accepted after the last checkpoint). */
  journalBatches: number;
  journalBatchesTotal: number;
  elapsedMs: number;
}

interface ProgressLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Events sent while the model is being restored: nothing was kept, the sender retries (HTTP: 503). */
export class RecoveringError extends Error {
  readonly recovering = true;
  constructor() {
    super('the server is restoring its live state after a restart; nothing of this batch was kept, retry in a few seconds');
    this.name = 'RecoveringError';
  }
}

/** How often the restore says how far it got. */
const PROGRESS_LOG_MS = 2_000;

export class LiveReadiness {
  /** True once the model holds the whole state: the checkpoint's tickets and agents, and the journal replayed. */
  ready = false;
  /** Resolves once ready; never rejects (it stays pending after a failed or abandoned restore). */
  readonly whenLive: Promise<void>;
  /** The restore running after listen (restoreWhileListening); rejects when it failed. */
  restoring: Promise<void> = Promise.resolve();
  /** Set when the app closes during the restore: the restore stops at its next slice. */
  abandoned = false;
  private resolveLive!: () => void;
  private readonly startedAt: number;
  private lastLogAt: number;
  private readonly counts = { step: 'loading' as RecoveryStep, tickets: 0, ticketsTotal: 0, journalBatches: 0, journalBatchesTotal: 0 };

  constructor(
    private readonly log: ProgressLog,
    /** Real time, not the app's clock: a test's frozen clock would freeze the progress too. */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.whenLive = new Promise<void>((resolve) => (this.resolveLive = resolve));
    this.startedAt = clock();
    this.lastLogAt = this.startedAt;
  }

  progress(): RecoveryProgress {
    return { ...this.counts, elapsedMs: Math.round(this.clock() - this.startedAt) };
  }

  /** The store was read: this many tickets and journal batches to put back. */
  loaded(ticketsTotal: number, journalBatchesTotal: number): void {
    Object.assign(this.counts, { step: 'tickets', ticketsTotal, journalBatchesTotal });
  }

  /** Tickets put back so far (cumulative); logs the progress every couple of seconds. */
  ticketsRestored(tickets: number): void {
    this.counts.tickets = tickets;
    this.maybeLog();
  }

  /** Journal batches replayed so far (cumulative). */
  journalReplayed(batches: number): void {
    this.counts.step = 'journal';
    this.counts.journalBatches = batches;
    this.maybeLog();
  }

  /** The model is whole: says so with the total time, and lets everything waiting on it start. */
  markLive(details: { agents: number; replayedEvents: number }): void {
    if (this.ready) return;
    this.ready = true;
    const elapsedMs = Math.round(this.clock() - this.startedAt);
    if (this.counts.ticketsTotal + details.replayedEvents + details.agents > 0) {
      this.log.info(
        { tickets: this.counts.tickets, agents: details.agents, journalBatches: this.counts.journalBatches, replayed: details.replayedEvents, elapsedMs },
        `restored live state in ${(elapsedMs / 1000).toFixed(1)} s`,
      );
    }
    this.resolveLive();
  }

  /**
   * Runs `task` once the model is whole. Already whole: runs it now and answers its promise (an
   * onReady hook awaits it, as it did before restores ran in the background). Not yet: answers at
   * once; the task runs later and its failure is logged, as nobody awaits it.
   */
  onLive(what: string, task: () => Promise<unknown> | unknown): Promise<void> {
    if (this.ready) return Promise.resolve(task()).then(() => undefined);
    void this.whenLive.then(async () => {
      try {
        await task();
      } catch (error) {
        this.log.error({ err: error }, `${what} failed to start after the restore`);
      }
    });
    return Promise.resolve();
  }

  /** Seconds a client should wait before trying again: the rest of the restore at its rate so far, within 1–30. */
  retryAfterSec(): number {
    const { tickets, ticketsTotal } = this.counts;
    const elapsed = (this.clock() - this.startedAt) / 1000;
    if (tickets === 0 || elapsed <= 0) return 5;
    const rest = ((ticketsTotal - tickets) / tickets) * elapsed;
    return Math.min(30, Math.max(1, Math.ceil(rest + 1)));
  }

  /** One line for 503 messages: where the restore is. */
  describe(): string {
    const { step, tickets, ticketsTotal, journalBatches, journalBatchesTotal } = this.counts;
    if (step === 'loading') return 'reading the checkpoint';
    if (step === 'tickets') return `${tickets} of ${ticketsTotal} tickets restored`;
    return `replaying the journal, ${journalBatches} of ${journalBatchesTotal} batches`;
  }

  private maybeLog(): void {
    const at = this.clock();
    if (at - this.lastLogAt < PROGRESS_LOG_MS) return;
    this.lastLogAt = at;
    const elapsedSec = (at - this.startedAt) / 1000;
    this.log.info(
      { ...this.counts, elapsedMs: Math.round(at - this.startedAt), ticketsPerSec: Math.round(this.counts.tickets / elapsedSec) },
      `restoring live state: ${this.describe()}`,
    );
  }
}
