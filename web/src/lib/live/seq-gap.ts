// The `seq` check of docs/contract.md#live-channel: every delta (and incident) message takes the
// connection's next number, so a jump means a message was missed and its sections would stay stale.
// Nothing is applied across a gap; the whole state is asked for once, and again only if it has not
// come after RESYNC_RETRY_MS (lost, or the server was busy). No clock of its own: `now` is passed in.

export const RESYNC_RETRY_MS = 3_000;

export class SeqGap {
  #lastSeq: number | null = null;
  #resyncAskedAt: number | null = null;

  /** The last seq applied on this connection, or null before its whole state. */
  get lastSeq(): number | null {
    return this.#lastSeq;
  }

  /** A new connection: seq counts per connection, and the server sends the whole state first, unasked. */
  connected(): void {
    this.#lastSeq = null;
    this.#resyncAskedAt = null;
  }

  /** The connection is gone: nothing that comes before the next whole state can be trusted. */
  disconnected(): void {
    this.#lastSeq = null;
  }

  /** A whole state arrived: it is the new base, and any resync asked for is answered. */
  whole(seq: number): void {
    this.#lastSeq = seq;
    this.#resyncAskedAt = null;
  }

  /**
   * Whether a message numbered `seq` follows the last one applied (and there is a state to apply it
   * to); if so it becomes the last. False means a gap: ask for a resync.
   */
  follows(seq: number, hasState: boolean): boolean {
    if (!hasState || this.#lastSeq === null || seq !== this.#lastSeq + 1) return false;
    this.#lastSeq = seq;
    return true;
  }

  /** Whether to ask for the whole state now; if so, notes that it was asked at `now`. */
  shouldAskResync(now: number, connected: boolean): boolean {
    if (this.#resyncAskedAt !== null && now - this.#resyncAskedAt < RESYNC_RETRY_MS) return false;
    if (!connected) return false;
    this.#resyncAskedAt = now;
    return true;
  }
}
