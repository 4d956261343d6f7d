// The supervisor's live lists over `/live` (issue 6): `watch-agents` gives the whole list, then
// only the agents that changed, within the 250 ms pacing — also a change that leaves the counts
// equal (one agent available → busy while another goes busy → available).
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentsMessage } from '../../../contract/live-events.js';
import { startTestApp, TOKENS, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso } from '../../helpers/events.js';
import { baseUrl, LiveRecorder, postEvents, waitFor } from '../../helpers/live-client.js';

let t: TestApp;
let url: string;
const clients: LiveRecorder[] = [];

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

function listener(): { client: LiveRecorder; messages: { message: AgentsMessage; t: number }[] } {
  const client = new LiveRecorder(url, TOKENS.viewer);
  clients.push(client);
  const messages: { message: AgentsMessage; t: number }[] = [];
  client.socket.on('agents', (message) => messages.push({ message, t: performance.now() }));
  return { client, messages };
}

describe('agents over /live', () => {
  it('sends nothing about agents to a client that did not ask (walls)', async () => {
    const wall = listener();
    await wall.client.ready();
    await postEvents(url, [agentEvent({ id: 'W-1', status: 'away' }, iso(Date.now()))]);
    await waitFor(() => wall.client.deltas.some((d) => d.message.agents !== undefined), 'the counts delta');
    expect(wall.messages).toEqual([]);
  });

  it('sends the whole list on watch-agents, then each change alone, counts unchanged or not', async () => {
    const start = Date.now() - 60_000;
    await postEvents(url, [
      agentEvent({ id: 'A-1', name: 'Anna', status: 'available' }, iso(start)),
      agentEvent({ id: 'A-2', name: 'Boris', status: 'busy' }, iso(start)),
    ]);
    const sup = listener();
    await sup.client.ready();
    sup.client.socket.emit('watch-agents');
    await waitFor(() => sup.messages.length > 0, 'the whole list');
    const first = sup.messages[0]!.message;
    expect(first.full).toBe(true);
    expect(first.agents.map((a) => a.id)).toEqual(expect.arrayContaining(['A-1', 'A-2', 'W-1']));

    // A swap: available 1, busy 1 before and after — the counts do not move, the list must.
    const swapAt = Date.now();
    const sent = performance.now();
    await postEvents(url, [
      agentEvent({ id: 'A-1', name: 'Anna', status: 'busy' }, iso(swapAt)),
      agentEvent({ id: 'A-2', name: 'Boris', status: 'available' }, iso(swapAt)),
    ]);
    await waitFor(() => sup.messages.length > 1, 'the changed agents');
    const change = sup.messages[1]!;
    expect(change.t - sent).toBeLessThan(1_000);
    expect(change.message.full).toBe(false);
    expect(change.message.agents.map((a) => [a.id, a.status, a.since]).sort()).toEqual([
      ['A-1', 'busy', iso(swapAt)],
      ['A-2', 'available', iso(swapAt)],
    ]);
  });

  it('sends the whole list again after a reconnect asks again', async () => {
    const sup = listener();
    await sup.client.ready();
    sup.client.socket.emit('watch-agents');
    await waitFor(() => sup.messages.length > 0, 'the whole list');
    sup.client.socket.disconnect();
    sup.client.socket.connect();
    sup.client.socket.emit('watch-agents');
    await waitFor(() => sup.messages.filter((m) => m.message.full).length === 2, 'the whole list again');
  });
});
