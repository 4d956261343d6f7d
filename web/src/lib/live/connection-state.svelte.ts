// The connection as screens must tell it (the wall's OFFLINE/RECONNECTING banner, `<body
// data-connection>`): `live` only while messages arrive; `reconnecting` once the socket drops;
// `offline` when the server refused the connection, or when nothing good came for `offlineAfterMs`
// (the clock starts at the first attempt and at each drop, and stops at the next good message).
import type { ConnectionStatus } from './connection-status.js';

export class ConnectionState {
  #status = $state<ConnectionStatus>('reconnecting');
  #lastGoodAt = $state.raw<Date | null>(null);
  #error = $state<string | null>(null);
  #offlineTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #offlineAfterMs: number;

  constructor(offlineAfterMs: number) {
    this.#offlineAfterMs = offlineAfterMs;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** When the last message was applied (client clock). */
  get lastGoodAt(): Date | null {
    return this.#lastGoodAt;
  }

  /** Why the connection is down, when the server or the browser said so. */
  get error(): string | null {
    return this.#error;
  }

  /** A good message was applied at `now`. */
  good(now: number): void {
    this.#lastGoodAt = new Date(now);
    this.#status = 'live';
    this.#error = null;
    this.#clearOfflineTimer();
  }

  /** The socket connected: whatever went wrong before is over (`live` waits for the state itself). */
  connected(): void {
    this.#error = null;
  }

  /** The socket is trying (the first time, or again after a drop). */
  trying(): void {
    if (this.#status === 'live') this.#status = 'reconnecting';
    this.#armOfflineTimer();
  }

  /** The browser or the server said why the connection failed. */
  failed(message: string): void {
    this.#error = message;
  }

  /** Refused by the server (a bad token, a server not ready), or not even tried: offline at once. */
  refused(message: string): void {
    this.#error = message;
    this.#status = 'offline';
  }

  stop(): void {
    this.#clearOfflineTimer();
  }

  #armOfflineTimer(): void {
    if (this.#offlineTimer !== null) return;
    this.#offlineTimer = setTimeout(() => {
      this.#offlineTimer = null;
      if (this.#status !== 'live') this.#status = 'offline';
    }, this.#offlineAfterMs);
  }

  #clearOfflineTimer(): void {
    if (this.#offlineTimer !== null) clearTimeout(this.#offlineTimer);
    this.#offlineTimer = null;
  }
}
