// Real socket.io clients of the `/live` namespace for tests: typed with the shared event map,
// recording every message with its arrival time and folding deltas into a local view the way a
// wall does (each section present replaces the client's section).
import { performance } from 'node:perf_hooks';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { FastifyInstance } from 'fastify';
import type { LiveState, StateSection, WatchEvent } from '../../contract/domain.js';
import { LIVE_NAMESPACE, type ClientToServerEvents, type DeltaMessage, type ServerToClientEvents, type StateMessage } from '../../contract/live-events.js';
import { STATE_SECTIONS } from '../../contract/domain.js';
import { bearer, TOKENS } from './app.js';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The numbers of a state, without `seq` and `at` (which differ between the API and a connection). */
export type Numbers = Pick<LiveState, StateSection>;

export type Received = { kind: 'state'; message: StateMessage; t: number } | { kind: 'delta'; message: DeltaMessage; t: number };

export function numbersOf(state: Numbers): Numbers {
  return Object.fromEntries(STATE_SECTIONS.map((s) => [s, state[s]])) as unknown as Numbers;
}

/** The http://127.0.0.1:port base of a listening app. */
export function baseUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on TCP');
  return `http://127.0.0.1:${address.port}`;
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A live connection that records what arrives and keeps the client-side view of the numbers. */
export class LiveRecorder {
  readonly received: Received[] = [];
  readonly socket: LiveSocket;
  view: Numbers | null = null;
  connectError: Error | null = null;

  constructor(url: string, token: string | undefined, options: Partial<ManagerOptions & SocketOptions> = {}) {
    this.socket = io(url + LIVE_NAMESPACE, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...options,
    });
    this.socket.on('state', (message) => {
      this.received.push({ kind: 'state', message, t: performance.now() });
      this.view = numbersOf(message);
    });
    this.socket.on('delta', (message) => {
      this.received.push({ kind: 'delta', message, t: performance.now() });
      if (this.view === null) return; // a delta before any state: the seq check reports it
      for (const section of STATE_SECTIONS) {
        if (message[section] !== undefined) this.view = { ...this.view, [section]: message[section] };
      }
    });
    this.socket.on('connect_error', (error) => {
      this.connectError = error;
    });
  }

  get states(): StateMessage[] {
    return this.received.flatMap((r) => (r.kind === 'state' ? [r.message] : []));
  }

  get deltas(): Array<Extract<Received, { kind: 'delta' }>> {
    return this.received.filter((r): r is Extract<Received, { kind: 'delta' }> => r.kind === 'delta');
  }

  get lastSeq(): number {
    return this.received.at(-1)?.message.seq ?? 0;
  }

  /** Waits for the `count`-th message (1-based) and returns it. */
  async message(count: number, timeoutMs = 5_000): Promise<Received> {
    await waitFor(() => this.received.length >= count, `message #${count}`, timeoutMs);
    return this.received[count - 1]!;
  }

  /** Waits until the first `state` arrives. */
  async ready(timeoutMs = 5_000): Promise<StateMessage> {
    await waitFor(() => this.states.length > 0 || this.connectError !== null, 'the first state', timeoutMs);
    if (this.connectError !== null) throw this.connectError;
    return this.states[0]!;
  }

  /** Waits for a connect_error and returns it (fails if a state arrives instead). */
  async rejected(timeoutMs = 5_000): Promise<Error> {
    await waitFor(() => this.connectError !== null || this.received.length > 0, 'connect_error', timeoutMs);
    if (this.connectError === null) throw new Error(`connected and received ${this.received[0]?.kind}`);
    return this.connectError;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** POSTs one batch of events over real HTTP as the ingest role. */
export async function postEvents(url: string, events: readonly WatchEvent[]): Promise<{ accepted: number; duplicates: number; stale: number }> {
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { ...bearer('ingest'), 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  if (response.status !== 202) throw new Error(`POST /api/v1/events answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { accepted: number; duplicates: number; stale: number };
}

/** GET /api/v1/state over real HTTP as a viewer. */
export async function fetchState(url: string): Promise<LiveState> {
  const response = await fetch(`${url}/api/v1/state`, { headers: bearer('viewer') });
  if (response.status !== 200) throw new Error(`GET /api/v1/state answered ${response.status}`);
  return (await response.json()) as LiveState;
}

export { TOKENS };
