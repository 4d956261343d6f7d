// Per-connection limits of the live channel against the real app on 127.0.0.1: every message type
// counts toward a bounded buffer, and a client that does not read is cut once it is exceeded
// (here with uncoalesced wall announcements, which every client gets at once); a client that
// sends packets much faster than any screen does is cut too. Readers alongside are untouched.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentsMessage } from '../../../contract/live-events.js';
import { DEFAULT_CONNECTION_LIMITS } from '../../../server/live/connection-guard.js';
import { startTestApp, TOKENS, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso } from '../../helpers/events.js';
import { baseUrl, LiveRecorder, postEvents, sleep, waitFor } from '../../helpers/live-client.js';
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
    const hub = t.app.hub;
    const live = t.app.io.of('/live');
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
    for (let i = 0; i < 50; i++) t.app.hub.announce(`note ${i}`, 60);
    await waitFor(() => client.announcements === 50, 'the notes');
    expect(t.app.hub.cutConnections).toEqual({ 'not reading': 0, 'too many packets': 0 });
    expect(client.reasons).toEqual([]);
  });
});

describe('the inbound rate', () => {
  it('cuts a client that sends a burst of 1,000 requests; its neighbour keeps its connection', async () => {
    const { t, url } = await listeningApp();
    const hub = t.app.hub;
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
    const adapter = t.app.io.of('/live').adapter;
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
    expect(t.app.hub.cutConnections['too many packets']).toBe(0);
  });
});

/** A supervisor page on a bare websocket, so that it can stop reading and start again (`ws.pause()`). */
async function pausableSupervisor(url: string): Promise<{ ws: WebSocket; agents: AgentsMessage[] }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const agents: AgentsMessage[] = [];
  ws.on('message', (data) => {
    const frame = data.toString();
    if (frame.startsWith('0{')) ws.send(`40/live,${JSON.stringify({ token: TOKENS.supervisor })}`);
    else if (frame === '2') ws.send('3');
    else if (frame.startsWith('40/live,')) ws.send('42/live,["watch-agents"]');
    else if (frame.startsWith('42/live,["agents",')) agents.push((JSON.parse(frame.slice('42/live,'.length)) as [string, AgentsMessage])[1]);
  });
  cleanups.push(() => ws.terminate());
  await waitFor(() => agents.length > 0, 'the whole agents list');
  return { ws, agents };
}

describe('a slow supervisor', () => {
  it('gets no queue of agent changes while it is not keeping up, and the whole list once it reads again', async () => {
    const { t, url } = await listeningApp();
    const at = (minute: number) => iso(NOW - 60 * 60_000 + minute * 60_000);
    await postEvents(url, [agentEvent({ id: 'A-1', status: 'busy' }, at(1)), agentEvent({ id: 'A-2', status: 'available' }, at(1))]);
    const supervisor = await pausableSupervisor(url);
    expect(supervisor.agents[0]).toMatchObject({ full: true });
    // Let the pacing slots after the post go by first: their change of may still be on
    // its way, and would otherwise arrive after the pause as a delta.
    await sleep(1_000);
    const socket = [...t.app.io.of('/live').sockets.values()][0]!;
    const conn = socket.conn as unknown as { writeBuffer: Array<{ data?: unknown }>; transport: { socket?: { bufferedAmount: number } } };
    const waiting = (): number =>
      conn.writeBuffer.reduce((sum, p) => sum + (typeof p.data === 'string' ? p.data.length : 0), 0) + (conn.transport.socket?.bufferedAmount ?? 0);

    // Stop reading, then fill the kernel's buffers with announcements until over 1 MB waits in
    // the server (slow), well short of the 8 MB bound (cut).
    supervisor.ws.pause();
    const text = 'x'.repeat(100_000);
    for (let i = 0; i < 300 && waiting() < 1.5 * 1024 * 1024; i++) {
      t.app.hub.announce(text, 60);
      await sleep(10);
    }
    expect(waiting()).toBeGreaterThan(1024 * 1024);
    const heard = supervisor.agents.length;

    await postEvents(url, [agentEvent({ id: 'A-1', status: 'away' }, at(2))]);
    await sleep(1_000); // several 250 ms slots
    const queued = conn.writeBuffer.filter((p) => typeof p.data === 'string' && p.data.startsWith('2/live,["agents"'));
    expect(queued).toEqual([]);
    expect(socket.connected).toBe(true);

    supervisor.ws.resume();
    await waitFor(() => supervisor.agents.length > heard, 'the whole list after reading again', 10_000);
    const after = supervisor.agents.slice(heard);
    expect(after[0]!.full).toBe(true);
    expect(after[0]!.agents.find((a) => a.id === 'A-1')?.status).toBe('away');
    expect(after.filter((m) => !m.full)).toEqual([]);
  });
});
