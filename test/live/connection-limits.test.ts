// Per-connection limits of the live channel against the real app on 127.0.0.1: every message type
// counts toward a bounded buffer, and a client that does not read is cut once it is exceeded
// (here with uncoalesced wall announcements, which every client gets at once); a client that
// sends packets much faster than any screen does is cut too. Readers alongside are untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS } from '../../server/live/connection-guard.js';
import { startTestApp, TOKENS, type TestApp } from '../helpers/app.js';
import { baseUrl, LiveRecorder, sleep, waitFor } from '../helpers/live-client.js';
import { connectNonReading } from './raw-live-socket.js';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listeningApp(): Promise<{ t: TestApp; url: string }> {
  const t = await startTestApp({ now: () => NOW });
  cleanups.push(() => t.close());
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, url: baseUrl(t.app) };
}

function reader(url: string): LiveRecorder & { announcements: number; reasons: string[] } {
  const client = Object.assign(new LiveRecorder(url, TOKENS.viewer), { announcements: 0, reasons: [] as string[] });
  client.socket.on('announce', () => client.announcements++);
  client.socket.on('disconnect', (reason) => client.reasons.push(reason));
  cleanups.push(() => client.close());
  return client;
}

describe('the outbound bound', () => {
  it('cuts a client that does not read once what waits for it passes the bound; a reader gets everything', async () => {
    const { t, url } = await listeningApp();
    const hub = t.app.watch.hub;
    const live = t.app.watch.io.of('/live');
    const control = reader(url);
    await control.ready();
    const stalled = await connectNonReading(url, TOKENS.viewer);
    cleanups.push(() => stalled.destroy());
    await waitFor(() => live.sockets.size === 2, 'both clients on /live');

    // 100 announcements of 200 KB: 20 MB each client must take, far past what the kernel's
    // buffers hold for the stalled one plus the 8 MB bound.
    const COUNT = 100;
    const text = 'x'.repeat(200_000);
    expect(COUNT * text.length).toBeGreaterThan(2 * DEFAULT_CONNECTION_LIMITS.maxPendingBytes);
    for (let i = 0; i < COUNT; i++) {
      hub.announce(text, 60);
      if (i % 10 === 9) await sleep(20);
    }
    await waitFor(() => hub.cutConnections['not reading'] === 1, 'the stalled client to be cut', 10_000);
    await waitFor(() => live.sockets.size === 1, 'the stalled client to leave /live');
    expect([...live.sockets.values()][0]!.id).toBe(control.socket.id);
    await waitFor(() => control.announcements === COUNT, 'every announcement at the reader', 10_000);
    expect(control.reasons).toEqual([]);
    expect(hub.cutConnections['too many packets']).toBe(0);
  });

  it('keeps a client that reads: fifty messages at once are no reason for a cut', async () => {
    const { t, url } = await listeningApp();
    const client = reader(url);
    await client.ready();
    // Small messages at a reader's pace never come near the bound.
    for (let i = 0; i < 50; i++) t.app.watch.hub.announce(`note ${i}`, 60);
    await waitFor(() => client.announcements === 50, 'the notes');
    expect(t.app.watch.hub.cutConnections).toEqual({ 'not reading': 0, 'too many packets': 0 });
    expect(client.reasons).toEqual([]);
  });
});

describe('the inbound rate', () => {
  it('cuts a client that sends a burst of 1,000 requests; its neighbour keeps its connection', async () => {
    const { t, url } = await listeningApp();
    const hub = t.app.watch.hub;
    const neighbour = reader(url);
    const flooder = reader(url);
    await Promise.all([neighbour.ready(), flooder.ready()]);

    const flooderId = flooder.socket.id!;
    for (let i = 0; i < 1_000; i++) flooder.socket.emit('watch-agents');
    await waitFor(() => flooder.reasons.length > 0, 'the flooder to be cut');
    // Dropped like a broken network, not told to go away: a real screen would reconnect.
    expect(flooder.reasons).toEqual(['transport close']);
    expect(hub.cutConnections['too many packets']).toBe(1);
    // The requests that had arrived with the flood were not acted on after the cut: the cut
    // connection joined no room again, and nothing is kept for it.
    await sleep(1_200);
    const adapter = t.app.watch.io.of('/live').adapter;
    expect(adapter.rooms.get('agents')?.has(flooderId) ?? false).toBe(false);
    expect([...adapter.sids.keys()]).toEqual([neighbour.socket.id]);

    neighbour.socket.emit('resync');
    await waitFor(() => neighbour.states.length === 2, "the neighbour's resync");
    expect(neighbour.reasons).toEqual([]);
  });

  it('lets a screen send as a screen does: a burst at connect and a request every 100 ms', async () => {
    const { t, url } = await listeningApp();
    const client = reader(url);
    await client.ready();
    client.socket.emit('wall', { dashboard: 'support', name: 'lobby' });
    client.socket.emit('watch-agents');
    for (let i = 0; i < 30; i++) {
      client.socket.emit('resync');
      await sleep(100);
    }
    await sleep(200);
    expect(client.reasons).toEqual([]);
    expect(t.app.watch.hub.cutConnections['too many packets']).toBe(0);
  });
});
