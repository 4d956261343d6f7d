// Lean socket.io clients of `/live` for the benchmarks: each folds deltas into its view the way
// a wall does (a section present replaces the client's section) and keeps only what the
// scenarios measure, so that a thousand of them fit in one event loop.
import { io, type Socket } from 'socket.io-client';
import type { LiveState } from '../../contract/domain.js';
import { LIVE_NAMESPACE, type ClientToServerEvents, type DeltaMessage, type ServerToClientEvents } from '../../contract/live-events.js';
import { TOKENS } from '../helpers/app.js';

/**
 * Milliseconds on CLOCK_MONOTONIC (process.hrtime), which on Linux is one clock for every process
 * of the machine: a time taken in a client process compares with one taken in the bench process
 * as it is. performance.now() counts from each process's own start; Date.now() can be stepped.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint() / 1_000n) / 1_000;

export type Watcher = (message: LiveState | DeltaMessage, t: number) => void;

export class BenchClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** Arrival times (monotonicMs()) of every state and delta. */
  readonly arrivals: number[] = [];
  /** The first whole state, once it came. */
  first: LiveState | null = null;
  seqGaps = 0;
  private lastSeq = 0;
  error: Error | null = null;

  constructor(baseUrl: string, onMessage: Watcher) {
    this.socket = io(baseUrl + LIVE_NAMESPACE, {
      auth: { token: TOKENS.viewer },
      transports: ['websocket'],
      reconnection: false,
      // Without it every client would share one engine.io connection (one Manager per URL).
      forceNew: true,
    });
    const receive = (message: LiveState | DeltaMessage): void => {
      const t = monotonicMs();
      this.arrivals.push(t);
      if (this.lastSeq !== 0 && message.seq !== this.lastSeq + 1) this.seqGaps++;
      this.lastSeq = message.seq;
      onMessage(message, t);
    };
    this.socket.on('state', (message) => {
      this.first ??= message;
      receive(message);
    });
    this.socket.on('delta', receive);
    this.socket.on('connect_error', (error) => {
      this.error = error;
    });
  }

  /** Resolves with the first whole state (the server sends it on connect). */
  ready(timeoutMs = 20_000): Promise<LiveState> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = (): void => {
        if (this.first !== null) {
          resolve(this.first);
          return;
        }
        if (this.error !== null) {
          reject(this.error);
          return;
        }
        if (Date.now() - started > timeoutMs) {
          reject(new Error('no state within the timeout'));
          return;
        }
        setTimeout(poll, 5);
      };
      poll();
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
