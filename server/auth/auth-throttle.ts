// Failed authentications per client address (docs/contract.md#security-and-durability): after LIMIT failures within one window
// (a minute from the first failure), further unknown tokens from that address are refused with
// 429 until the window ends; known tokens are never throttled, so a wall behind the same NAT as
// an attacker keeps working. Memory is bounded: at most MAX_ADDRESSES windows are kept, expired
// ones are dropped first, then the oldest. Pure apart from the clock it is given.

export const FAILED_AUTH_LIMIT = 20;
export const FAILED_AUTH_WINDOW_MS = 60_000;
const MAX_ADDRESSES = 10_000;

interface Window {
  startedAt: number;
  failures: number;
}

export interface ThrottleOptions {
  now?: () => number;
  limit?: number;
  windowMs?: number;
  maxAddresses?: number;
}

export class AuthThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;

  constructor(options: ThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.limit = options.limit ?? FAILED_AUTH_LIMIT;
    this.windowMs = options.windowMs ?? FAILED_AUTH_WINDOW_MS;
    this.maxAddresses = options.maxAddresses ?? MAX_ADDRESSES;
  }

  /** Whole seconds until this address may try unknown tokens again; 0 when it may now. */
  retryAfterSec(address: string): number {
    const window = this.current(address);
    if (window === null || window.failures < this.limit) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - this.now()) / 1000));
  }

  /** Counts a failed authentication from this address. */
  recordFailure(address: string): void {
    const window = this.current(address);
    if (window !== null) {
      window.failures++;
      return;
    }
    if (this.windows.size >= this.maxAddresses) this.makeRoom();
    this.windows.set(address, { startedAt: this.now(), failures: 1 });
  }

  /** Addresses tracked now (for tests of the bound). */
  get size(): number {
    return this.windows.size;
  }

  private current(address: string): Window | null {
    const window = this.windows.get(address);
    if (window === undefined) return null;
    if (this.now() - window.startedAt >= this.windowMs) {
      this.windows.delete(address);
      return null;
    }
    return window;
  }

  private makeRoom(): void {
    const now = this.now();
    for (const [address, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(address);
    }
    // Still full: the oldest windows go (Map keeps insertion order), a tenth at a time.
    if (this.windows.size >= this.maxAddresses) {
      let drop = Math.max(1, Math.floor(this.maxAddresses / 10));
      for (const address of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(address);
      }
    }
  }
}
