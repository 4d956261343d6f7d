// Ingest → emit: from the moment events were applied to the model until the live hub sent the
// change out. Applies between two broadcasts fold into one delta, so the delay measured is the
// oldest waiting apply's: the longest any accepted event waited to reach a screen.

export class BroadcastDelay {
  private pendingSince: number | null = null;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Events were applied: the next broadcast carries them. */
  applied(): void {
    this.pendingSince ??= this.clock();
  }

  /**
   * A broadcast went out to `sent` connections: answers the delay in seconds, or null when nothing
   * applied was waiting or nobody received it (no clients, all slow, or nothing visible changed).
   */
  flushed(sent: number): number | null {
    const since = this.pendingSince;
    this.pendingSince = null;
    if (since === null || sent === 0) return null;
    return (this.clock() - since) / 1000;
  }
}
