// The live channel contract (docs/contract.md#live-channel) against the real app: a server listening on 127.0.0.1,
// real socket.io clients typed with the shared event map, ingest over real HTTP.
//
// The app gets a fixed clock: the SLA clock ticks every 250 ms and, on a real clock, would change
// `oldestWaitingSec` every second and send deltas the test did not cause. Pacing (the 250 ms slots)
// runs on real timers either way.
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WatchEvent } from '../../../contract/domain.js';
import { startTestApp, TOKENS, type TestApp, type TestAppOptions } from '../../helpers/app.js';
import { agentEvent, iso, ticketEvent } from '../../helpers/events.js';
import { baseUrl, fetchState, LiveRecorder, numbersOf, postEvents, sleep, waitFor, type Numbers, type Received } from '../../helpers/live-client.js';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');
const clock = (): number => NOW;
const COALESCE_MS = 250;
/** Timers may fire a few ms early relative to another process's clock; arrivals jitter too. */
const SLOT_JITTER_MS = 20;
/** How long a close may take before we call it hung. */
const CLOSE_DEADLINE_MS = 3_000;

// Opened resources, closed after each test in reverse order: clients before their app, because
// an open websocket keeps app.close() from finishing (see the restart tests below).
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Running {
  t: TestApp;
  url: string;
  /** Idempotent: the restart tests close the app themselves. */
  close(): Promise<void>;
}

async function listeningApp(options: TestAppOptions & { port?: number } = {}): Promise<Running> {
  const { port = 0, ...rest } = options;
  const t = await startTestApp({ now: clock, ...rest });
  let closing: Promise<void> | null = null;
  const running: Running = { t, url: '', close: () => (closing ??= t.close()) };
  cleanups.push(() => running.close());
  await t.app.listen({ host: '127.0.0.1', port });
  running.url = baseUrl(t.app);
  return running;
}

/** A live client; `token: null` sends no token at all. */
function watch(url: string, token: string | null = TOKENS.viewer, options: ConstructorParameters<typeof LiveRecorder>[2] = {}): LiveRecorder {
  const recorder = new LiveRecorder(url, token ?? undefined, options);
  cleanups.push(() => recorder.close());
  return recorder;
}

// Event times only grow, so that no agent event is stale; all fall on the clock's "today".
let eventClock = NOW - 60 * 60_000;
const nextAt = (): string => iso(++eventClock);

function newTicket(id: string, queue = 'l1', extra: Parameters<typeof ticketEvent>[0] = { id }): WatchEvent {
  const at = nextAt();
  return ticketEvent({ ...extra, id, queue, createdAt: iso(NOW - 10 * 60_000), updatedAt: at });
}

function agent(id: string, status: 'available' | 'busy' | 'away' | 'offline'): WatchEvent {
  return agentEvent({ id, status }, nextAt());
}

/** Waits until every recorder's view equals GET /api/v1/state, and returns those numbers. */
async function settle(url: string, recorders: LiveRecorder[]): Promise<Numbers> {
  const expected = numbersOf(await fetchState(url));
  await waitFor(() => recorders.every((r) => isDeepStrictEqual(r.view, expected)), 'the live views to equal GET /api/v1/state').catch(() => {});
  for (const r of recorders) expect(r.view).toEqual(expected);
  return expected;
}

function seqsOf(received: readonly Received[]): number[] {
  return received.map((r) => r.message.seq);
}

const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** Resolves 'closed' when the app closed within the deadline, 'hung' otherwise. */
async function closeWithin(running: Running, ms: number): Promise<'closed' | 'hung'> {
  return Promise.race([running.close().then(() => 'closed' as const), sleep(ms).then(() => 'hung' as const)]);
}

describe('live channel: connect', () => {
  it('sends the whole state first, with seq 1 and the numbers of GET /api/v1/state', async () => {
    const { url } = await listeningApp();
    await postEvents(url, [
      newTicket('T-1', 'l1'),
      newTicket('T-2', 'l1', { id: 'T-2', firstResponseAt: iso(NOW - 5 * 60_000) }),
      newTicket('T-3', 'l2'),
      agent('A-1', 'busy'),
      agent('A-2', 'available'),
    ]);

    const client = watch(url);
    const first = await client.message(1);
    const api = await fetchState(url);

    expect(first.kind).toBe('state');
    expect(first.message.seq).toBe(1);
    expect(typeof first.message.at).toBe('string');
    expect(numbersOf(first.message as Numbers)).toEqual(numbersOf(api));
    // Not an empty state by accident: what was ingested is there.
    expect(api.queues.map((q) => [q.id, q.open, q.waiting])).toEqual([
      ['l1', 2, 1],
      ['l2', 1, 1],
    ]);
    expect(api.agents).toEqual({ available: 1, busy: 1, away: 0, offline: 0 });
  });

  it('refuses a missing or unknown token, and an ingest token, with connect_error', async () => {
    const { url } = await listeningApp();
    const cases = [
      { token: null, message: /unauthorized/ },
      { token: 'not-a-known-token-at-all', message: /unauthorized/ },
      { token: TOKENS.ingest, message: /forbidden.*cannot watch/ },
    ];
    for (const { token, message } of cases) {
      const client = watch(url, token);
      const error = await client.rejected();
      expect(error.message).toMatch(message);
      expect(client.socket.connected).toBe(false);
      expect(client.received).toEqual([]);
    }
    // Control: every ranked role includes viewer, so admin may watch.
    const admin = watch(url, TOKENS.admin);
    expect((await admin.ready()).seq).toBe(1);
  });

  it('sends nothing after the state while nothing changes', async () => {
    const { url } = await listeningApp();
    await postEvents(url, [newTicket('T-1'), agent('A-1', 'busy')]);
    const client = watch(url);
    await client.ready();
    // Three pacing slots with the SLA clock ticking and nothing changing.
    await sleep(3 * COALESCE_MS + 100);
    expect(client.received.map((r) => [r.kind, Object.keys(r.message).sort()])).toEqual([
      ['state', ['agents', 'at', 'flow', 'followUps', 'incidents', 'kpis', 'queues', 'seq', 'sla', 'staffing']],
    ]);
  });
});

describe('live channel: changes', () => {
  it('numbers messages 1, 2, 3… per connection, without gaps, over many changes', async () => {
    const { url } = await listeningApp();
    const a = watch(url);
    await a.ready();
    for (let i = 0; i < 6; i++) {
      await postEvents(url, [newTicket(`T-a${i}`, i % 2 === 0 ? 'l1' : 'l2'), agent(`A-${i % 3}`, i % 2 === 0 ? 'busy' : 'away')]);
      await sleep(90);
    }
    await settle(url, [a]);
    const aSeqWhenBConnected = a.lastSeq;

    const b = watch(url);
    const bFirst = await b.ready();
    for (let i = 0; i < 6; i++) {
      await postEvents(url, [newTicket(`T-b${i}`, 'l3'), agent(`A-${i % 3}`, i % 2 === 0 ? 'available' : 'offline')]);
      if (i === 2) b.socket.emit('resync');
      await sleep(90);
    }
    await settle(url, [a, b]);

    expect(aSeqWhenBConnected).toBeGreaterThan(2);
    expect(bFirst.seq).toBe(1); // b's own count, not a's
    expect(seqsOf(a.received)).toEqual(oneToN(a.received.length));
    expect(seqsOf(b.received)).toEqual(oneToN(b.received.length));
    expect(a.received.length).toBeGreaterThanOrEqual(6);
    expect(b.states).toHaveLength(2); // on connect, on resync
    expect(a.states).toHaveLength(1);
  });

  it('coalesces a burst: at most one message per 250 ms, and the final numbers are right', async () => {
    const { url } = await listeningApp();
    const client = watch(url);
    await client.ready();
    await sleep(2 * COALESCE_MS); // start the burst after the connection's first slot
    const from = client.received.length;

    // 40 batches within ~1 s, not waiting for one another.
    const started = performance.now();
    const posts: Array<Promise<unknown>> = [];
    for (let b = 0; b < 40; b++) {
      posts.push(
        postEvents(url, [
          newTicket(`T-${b}-1`, 'l1'),
          newTicket(`T-${b}-2`, 'l2', { id: `T-${b}-2`, priority: 'urgent' }),
          newTicket(`T-${b}-3`, 'l3', { id: `T-${b}-3`, firstResponseAt: iso(NOW - 60_000) }),
          agent(`A-${b % 7}`, (['available', 'busy', 'away'] as const)[b % 3]!),
        ]),
      );
      await sleep(25);
    }
    await Promise.all(posts);
    const final = await settle(url, [client]);
    await sleep(COALESCE_MS + 50); // anything still on its way
    expect(client.view).toEqual(final);

    const burst = client.received.slice(from);
    expect(burst.every((r) => r.kind === 'delta')).toBe(true);
    const gaps = burst.slice(1).map((r, i) => r.t - burst[i]!.t);
    const duration = burst.at(-1)!.t - started;
    expect(burst.length).toBeGreaterThanOrEqual(3); // the wall kept moving during the burst
    expect(burst.length).toBeLessThanOrEqual(Math.floor(duration / COALESCE_MS) + 2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(COALESCE_MS - SLOT_JITTER_MS);
    expect(seqsOf(client.received)).toEqual(oneToN(client.received.length));
    expect(final.kpis.createdToday).toBe(120);
    expect(final.queues.map((q) => [q.id, q.open, q.waiting])).toEqual([
      ['l1', 40, 40],
      ['l2', 40, 40],
      ['l3', 40, 0],
    ]);
  });

  it('sends only the sections that changed', async () => {
    const { url } = await listeningApp();
    await postEvents(url, [newTicket('T-1'), agent('A-1', 'available')]);
    const client = watch(url);
    await client.ready();
    await sleep(2 * COALESCE_MS); // past the first slot, so what follows is caused by the events below

    let from = client.received.length;
    await postEvents(url, [agent('A-1', 'busy')]);
    const agentDelta = await client.message(from + 1);
    expect(agentDelta.kind).toBe('delta');
    expect(Object.keys(agentDelta.message).sort()).toEqual(['agents', 'at', 'seq']);
    expect(agentDelta.message.agents).toEqual({ available: 0, busy: 1, away: 0, offline: 0 });

    from = client.received.length;
    await postEvents(url, [newTicket('T-2', 'l2')]);
    const ticketDelta = await client.message(from + 1);
    expect(ticketDelta.kind).toBe('delta');
    // A new open ticket without SLA targets: queues and createdToday move; agents and sla do not.
    expect(Object.keys(ticketDelta.message).sort()).toEqual(['at', 'kpis', 'queues', 'seq']);
    await settle(url, [client]);
  });

  it('answers resync with the whole state and the next seq', async () => {
    const { url } = await listeningApp();
    const client = watch(url);
    await client.ready();
    await postEvents(url, [newTicket('T-1'), agent('A-1', 'away')]);
    const numbers = await settle(url, [client]);

    const before = client.lastSeq;
    const count = client.received.length;
    client.socket.emit('resync');
    const answer = await client.message(count + 1);
    expect(answer.kind).toBe('state');
    expect(answer.message.seq).toBe(before + 1);
    expect(numbersOf(answer.message as Numbers)).toEqual(numbers);

    // And the count goes on from there.
    await postEvents(url, [agent('A-1', 'busy')]);
    const next = await client.message(count + 2);
    expect(next).toMatchObject({ kind: 'delta', message: { seq: before + 2 } });
  });
});

describe('live channel: server restart', () => {
  it('lets the app close promptly while a live client is connected', async () => {
    const running = await listeningApp();
    const client = watch(running.url);
    await client.ready();
    const reasons: string[] = [];
    client.socket.on('disconnect', (reason) => reasons.push(reason));

    const outcome = await closeWithin(running, CLOSE_DEADLINE_MS);
    if (outcome === 'hung') client.close(); // let the hung close finish, then report
    expect(outcome, 'app.close() must not wait for live clients to leave').toBe('closed');
    await waitFor(() => reasons.length > 0, 'the client to see the disconnect');
  });

  it('a client reconnects by itself to the restarted server and gets the numbers from before', async () => {
    const first = await listeningApp();
    const port = Number(new URL(first.url).port);
    await postEvents(first.url, [newTicket('T-1', 'l1'), newTicket('T-2', 'l2'), agent('A-1', 'busy'), agent('A-2', 'away')]);
    const client = watch(first.url, TOKENS.viewer, { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
    await client.ready();
    const before = await settle(first.url, [client]);
    const reasons: string[] = [];
    client.socket.on('disconnect', (reason) => reasons.push(reason));

    const outcome = await closeWithin(first, CLOSE_DEADLINE_MS);
    if (outcome === 'hung') client.close();
    expect(outcome, 'app.close() must not wait for live clients to leave').toBe('closed');
    await waitFor(() => reasons.length > 0, 'the client to see the disconnect');
    // "io server disconnect" tells socket.io-client not to reconnect; a wall must come back alone.
    expect(reasons).not.toContain('io server disconnect');

    const statesBefore = client.states.length;
    const second = await listeningApp({ dataDir: first.t.dataDir, port });
    expect(second.url).toBe(first.url);
    await waitFor(() => client.states.length > statesBefore, 'a state from the restarted server', 5_000);

    const fresh = client.received.length - 1;
    const state = client.received[fresh]!;
    expect(state.kind).toBe('state');
    expect(state.message.seq).toBe(1); // a new connection counts from 1
    expect(numbersOf(state.message as Numbers)).toEqual(before);
    expect(numbersOf(await fetchState(second.url))).toEqual(before);

    await postEvents(second.url, [newTicket('T-3', 'l1'), agent('A-2', 'available')]);
    const delta = await client.message(fresh + 2);
    expect(delta).toMatchObject({ kind: 'delta', message: { seq: 2 } });
    const after = await settle(second.url, [client]);
    expect(after.queues.find((q) => q.id === 'l1')?.open).toBe(2);
  });
});

/**
 * A socket.io client on a bare websocket (engine.io v4 protocol), so that the test can stop
 * reading: `ws.pause()` stops reading the TCP socket, and the kernel buffers fill up behind it.
 */
class RawLiveClient {
  readonly ws: WebSocket;
  /** Each socket.io event received on /live: its name and seq. */
  readonly messages: Array<{ name: string; seq: number }> = [];
  lastState: Numbers | null = null;

  private constructor(url: string) {
    this.ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  }

  /** Opens the engine.io connection, stops reading, then joins /live (whose state stays unread). */
  static async connectPaused(url: string, token: string): Promise<RawLiveClient> {
    const client = new RawLiveClient(url);
    const opened = new Promise<void>((resolve, reject) => {
      client.ws.once('error', reject);
      client.ws.on('message', (data) => {
        const frame = data.toString();
        if (frame.startsWith('0{'))
          resolve(); // engine.io open
        else if (frame === '2')
          client.ws.send('3'); // engine.io ping → pong
        else if (frame.startsWith('42/live,')) {
          const [name, payload] = JSON.parse(frame.slice('42/live,'.length)) as [string, { seq?: number } & Numbers];
          // Messages about the connection (`health`, `dashboard`) carry no seq and are not counted.
          if (typeof payload.seq !== 'number') return;
          client.messages.push({ name, seq: payload.seq });
          if (name === 'state') client.lastState = numbersOf(payload);
        }
      });
    });
    await opened;
    client.ws.pause();
    client.ws.send(`40/live,${JSON.stringify({ token })}`);
    return client;
  }

  close(): void {
    this.ws.terminate();
  }
}

describe('live channel: slow client', () => {
  it('a client that stops reading gets no unbounded queue, and a whole state once it reads again', async () => {
    const { t, url } = await listeningApp();
    const hub = t.app.hub;
    const live = t.app.io.of('/live');

    // A big state: every delta below repeats the whole queues section (~0.9 MB), so that the
    // loopback's TCP buffers (several MB) fill within a few 250 ms slots.
    const QUEUES = 10_000;
    for (let start = 0; start < QUEUES; start += 5_000) {
      const batch = Array.from({ length: 5_000 }, (_, i) => newTicket(`Q-${start + i}`, `queue-${String(start + i).padStart(5, '0')}`));
      await postEvents(url, batch);
    }

    const control = watch(url);
    await control.ready();
    const slow = await RawLiveClient.connectPaused(url, TOKENS.viewer);
    cleanups.push(() => slow.close());
    await waitFor(() => live.sockets.size === 2, 'the paused client to join /live');
    const slowSocket = [...live.sockets.values()].find((s) => s.id !== control.socket.id)!;
    const writeBuffer = (): number => (slowSocket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
    expect(hub.skippedForSlowClients).toBe(0);

    // Keep changing the queues until the hub has skipped the paused client for a few slots.
    const controlFrom = control.received.length;
    let maxWriteBuffer = 0;
    let n = 0;
    const deadline = Date.now() + 10_000; // well inside pingInterval + pingTimeout (15 s)
    while (hub.skippedForSlowClients < 4 && Date.now() < deadline) {
      await postEvents(url, [newTicket(`burst-${n++}`, 'queue-00000')]);
      await sleep(60);
      maxWriteBuffer = Math.max(maxWriteBuffer, writeBuffer());
    }
    for (let i = 0; i < 4; i++) {
      await sleep(COALESCE_MS / 2);
      maxWriteBuffer = Math.max(maxWriteBuffer, writeBuffer());
    }
    const sentToControl = control.received.length - controlFrom;

    expect(hub.skippedForSlowClients).toBeGreaterThanOrEqual(4);
    expect(slowSocket.connected).toBe(true);
    expect(slow.messages).toEqual([]); // it really read nothing
    // Bounded: a few packets, while the reading client got many more messages meanwhile.
    expect(maxWriteBuffer).toBeLessThanOrEqual(10);
    expect(sentToControl).toBeGreaterThan(maxWriteBuffer + 3);

    // Reading again: what was buffered arrives, then a fresh whole state.
    slow.ws.resume();
    await waitFor(() => slow.messages.some((m, i) => i > 0 && m.name === 'state'), 'a whole state after resuming', 10_000);
    const api = numbersOf(await fetchState(url));
    expect(slow.messages[0]).toEqual({ name: 'state', seq: 1 });
    expect(slow.messages.map((m) => m.seq)).toEqual(oneToN(slow.messages.length));
    expect(slow.messages.at(-1)!.name).toBe('state');
    expect(slow.lastState).toEqual(api);
    expect(api.queues.find((q) => q.id === 'queue-00000')?.open).toBe(1 + n);
  });
});
