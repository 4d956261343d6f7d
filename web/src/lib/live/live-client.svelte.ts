// The live channel of SPEC 7 as a Svelte 5 class: one socket.io connection to `/live`, the whole
// state held in a `$state.raw` field that every message replaces wholesale (a deep `$state` proxy
// over big arrays is slow, and nothing edits the state in place), the connection status for the
// OFFLINE/RECONNECTING banner and `<body data-connection>`, and the `seq` gap check.
import { io, type Socket } from 'socket.io-client';
import type { LiveState } from '../../../../server/domain/types.js';
import type {
  ClientToServerEvents,
  DeltaMessage,
  LIVE_NAMESPACE,
  ServerToClientEvents,
  StateMessage,
} from '../../../../server/live/events.js';

export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveClientOptions {
  token: string | null;
  /** The server's origin; the page's own origin when absent (the server serves the app). */
  origin?: string;
  /** Without a live state for this long, `reconnecting` becomes `offline`. */
  offlineAfterMs?: number;
}

// Checked against the server's constant without importing server code into the bundle.
const NAMESPACE: typeof LIVE_NAMESPACE = '/live';
const OFFLINE_AFTER_MS = 30_000;
// A gap asks for the whole state once; if it does not come (lost, or the server was busy), the next
// gap after this long asks again rather than waiting forever.
const RESYNC_RETRY_MS = 3_000;
// socket.io does not retry a connection refused by the server's middleware (bad token, server not
// ready) or closed by the server; a wall must, so it does after this delay.
const REFUSED_RETRY_MS = 15_000;

export class LiveClient {
  #state = $state.raw<LiveState | null>(null);
  #status = $state<ConnectionStatus>('reconnecting');
  #lastGoodAt = $state.raw<Date | null>(null);
  #error = $state<string | null>(null);

  readonly #token: string | null;
  readonly #origin: string | undefined;
  readonly #offlineAfterMs: number;
  #socket: LiveSocket | null = null;
  #lastSeq: number | null = null;
  #resyncAskedAt: number | null = null;
  #offlineTimer: ReturnType<typeof setTimeout> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: LiveClientOptions) {
    this.#token = options.token;
    this.#origin = options.origin;
    this.#offlineAfterMs = options.offlineAfterMs ?? OFFLINE_AFTER_MS;
  }

  /** The last whole state, or null before the first one arrived. */
  get state(): LiveState | null {
    return this.#state;
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

  start(): void {
    if (this.#socket) return;
    const token = this.#token;
    if (!token) {
      this.#error = 'No access token: open this page once with ?token=…';
      this.#status = 'offline';
      return;
    }

    const socket: LiveSocket = io((this.#origin ?? '') + NAMESPACE, {
      auth: { token },
      transports: ['websocket', 'polling'],
      // Fall back to long-polling where a proxy blocks WebSocket, instead of failing the attempt.
      tryAllTransports: true,
      // Forever, 1 s doubling to 10 s with ±50 % jitter, so a wall of TVs does not reconnect in step
      // after a server restart.
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
    });
    this.#socket = socket;
    this.#armOfflineTimer();

    socket.on('connect', () => {
      this.#error = null;
      this.#clearRetry();
      // seq counts per connection: the server sends the whole state first, unasked.
      this.#lastSeq = null;
      this.#resyncAskedAt = null;
    });
    socket.on('disconnect', (reason) => {
      this.#lastSeq = null;
      if (this.#status === 'live') this.#status = 'reconnecting';
      this.#armOfflineTimer();
      if (reason === 'io server disconnect') this.#retryLater();
    });
    socket.on('connect_error', (err) => {
      this.#error = err.message;
      if (!socket.active) {
        // Refused by the server, not a network error: socket.io will not retry by itself.
        this.#status = 'offline';
        this.#retryLater();
      }
    });
    socket.on('state', (message) => this.#onState(message));
    socket.on('delta', (message) => this.#onDelta(message));

    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  stop(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#clearRetry();
    this.#clearOfflineTimer();
    const socket = this.#socket;
    this.#socket = null;
    this.#lastSeq = null;
    // Listeners first, so that our own disconnect does not arm the timers again.
    socket?.removeAllListeners();
    socket?.disconnect();
  }

  #onState(message: StateMessage): void {
    this.#lastSeq = message.seq;
    this.#resyncAskedAt = null;
    this.#state = message;
    this.#markGood();
  }

  #onDelta(message: DeltaMessage): void {
    const current = this.#state;
    if (current === null || this.#lastSeq === null || message.seq !== this.#lastSeq + 1) {
      // A missed delta would leave its sections stale, so nothing is applied until the whole
      // state arrives.
      this.#askResync();
      return;
    }
    const { seq, at, ...sections } = message;
    this.#state = { ...current, ...sections, seq, at };
    this.#lastSeq = seq;
    this.#markGood();
  }

  #markGood(): void {
    this.#lastGoodAt = new Date();
    this.#status = 'live';
    this.#error = null;
    this.#clearOfflineTimer();
  }

  #askResync(): void {
    const now = Date.now();
    if (this.#resyncAskedAt !== null && now - this.#resyncAskedAt < RESYNC_RETRY_MS) return;
    if (!this.#socket?.connected) return;
    this.#resyncAskedAt = now;
    this.#socket.emit('resync');
  }

  // A TV waking from standby may have missed messages on a connection that still looks open.
  #onVisibility = (): void => {
    if (document.visibilityState !== 'visible' || !this.#socket) return;
    if (this.#socket.connected) this.#askResync();
    else if (!this.#socket.active) this.#socket.connect();
  };

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

  #retryLater(): void {
    if (this.#retryTimer !== null) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#socket?.connect();
    }, REFUSED_RETRY_MS);
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }
}
