// How a screen's socket connects to `/live` (docs/contract.md#live-channel). Screens run for weeks
// unattended: they reconnect forever, with jitter so that a wall of TVs does not reconnect in step
// after a server restart, and retry themselves where socket.io gives up.
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { LIVE_NAMESPACE } from '../../../../contract/live-events.js';
import { pageOfPath } from './page-of-path.js';
import { transportFromUrl, transportOptions } from './transport.js';

// Checked against the contract's constant without importing it at runtime.
export const NAMESPACE: typeof LIVE_NAMESPACE = '/live';

// socket.io does not retry a connection refused by the server's middleware (bad token, server not
// ready) or closed by the server; a wall must, so it does after this delay.
export const REFUSED_RETRY_MS = 15_000;

/** The options of the socket of a page at `location`, sending `token`. */
export function socketOptions(token: string, location: URL): Partial<ManagerOptions & SocketOptions> {
  return {
    auth: { token, page: pageOfPath(location.pathname) },
    // WebSocket, falling back to long-polling; WebSocket only when the page's URL says so.
    ...transportOptions(transportFromUrl(location)),
    // Forever, 1 s doubling to 10 s with ±50 % jitter.
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
    timeout: 10_000,
  };
}

/** One pending retry at a time: the connection the server refused is tried again after `delayMs`. */
export class RefusedRetry {
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly delayMs = REFUSED_RETRY_MS) {}

  later(retry: () => void): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      retry();
    }, this.delayMs);
  }

  clear(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
