// Connection timeouts (docs/contract.md#security-and-durability) on the real listening server, with raw TCP clients: headers that
// never finish and a body that trickles are cut at their (here shortened) timeouts, an idle
// keep-alive connection is closed; live connections (websocket and long-polling) outlive them.
// The defaults (30 s body, 10 s headers, 72 s keep-alive) are checked on the server object.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TOKENS, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { baseUrl, LiveRecorder, postEvents, sleep, waitFor } from '../../helpers/live-client.js';

const REQUEST_MS = 1_500;
const HEADERS_MS = 800;
const KEEP_ALIVE_MS = 1_000;

let t: TestApp;
let port: number;
let url: string;

beforeAll(async () => {
  t = await startTestApp({
    env: { REQUEST_TIMEOUT_MS: String(REQUEST_MS), HEADERS_TIMEOUT_MS: String(HEADERS_MS), KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS) },
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  port = Number(new URL(url).port);
});

afterAll(async () => {
  await t?.close();
});

/** A raw connection; `closed` resolves with the time (performance.now()) the server ended it. */
async function connect(): Promise<{ socket: net.Socket; received: () => string; openedAt: number; closed: Promise<number> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const openedAt = performance.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  return { socket, received: () => received, openedAt, closed };
}

/** Writes one chunk every `everyMs` until the socket closes or `max` chunks are out. */
function trickle(socket: net.Socket, chunk: () => string, everyMs: number, max = 100): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded || sent++ >= max) return clearInterval(timer);
    socket.write(chunk());
  }, everyMs);
}

describe('timeouts', () => {
  it('keeps the defaults of 30 s for a request, 10 s for headers, 72 s for idle keep-alive', async () => {
    const defaults = await startTestApp();
    try {
      expect(defaults.app.server.requestTimeout).toBe(30_000);
      expect(defaults.app.server.headersTimeout).toBe(10_000);
      expect(defaults.app.server.keepAliveTimeout).toBe(72_000);
    } finally {
      await defaults.close();
    }
  });

  it('ends a connection whose headers have not all arrived within the headers timeout', async () => {
    const c = await connect();
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    let n = 0;
    trickle(c.socket, () => `X-Slow-${n++}: y\r\n`, 100);
    const ms = (await c.closed) - c.openedAt;
    expect(ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    // The check runs every min(1 s, headers timeout): cut within one interval of the deadline.
    expect(ms).toBeLessThan(HEADERS_MS * 2 + 500);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('ends a connection whose body has not all arrived within the request timeout', async () => {
    const c = await connect();
    c.socket.write(
      `POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKENS.ingest}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[`,
    );
    trickle(c.socket, () => ' ', 100);
    const ms = (await c.closed) - c.openedAt;
    // Past the headers timeout (those arrived at once): the request timeout did it.
    expect(ms).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(ms).toBeLessThan(REQUEST_MS + HEADERS_MS + 1_000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const c = await connect();
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await waitFor(() => c.received().includes('"status"'), 'the /healthz answer');
    const answeredAt = performance.now();
    const idle = (await c.closed) - answeredAt;
    expect(c.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(idle).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 100);
    expect(idle).toBeLessThan(KEEP_ALIVE_MS + 1_500);
  });

  it('leaves live connections alone: websocket and long-polling outlive every timeout', async () => {
    const ws = new LiveRecorder(url, TOKENS.viewer, { transports: ['websocket'] });
    const polling = new LiveRecorder(url, TOKENS.viewer, { transports: ['polling'] });
    try {
      await ws.ready();
      await polling.ready();
      await sleep(REQUEST_MS * 2 + KEEP_ALIVE_MS);
      expect(ws.socket.connected).toBe(true);
      expect(polling.socket.connected).toBe(true);
      const before = [ws.received.length, polling.received.length];
      await postEvents(url, [ticketEvent({ id: 'TO-1' })]);
      await waitFor(() => ws.received.length > before[0]! && polling.received.length > before[1]!, 'a delta on both transports');
    } finally {
      ws.close();
      polling.close();
    }
  });
});
