// Requests answered with a whole payload (`resync`, `watch-agents`, a wall's hello) are paced per
// connection: the first at once, then at most one answer a second for each kind; the requests in
// between are folded into that one answer, which carries the latest state. Real app on 127.0.0.1,
// real socket.io clients.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../contract/dashboards.js';
import type { AgentsMessage } from '../../../contract/live-events.js';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso, ticketEvent } from '../../helpers/events.js';
import { baseUrl, fetchState, LiveRecorder, numbersOf, postEvents, sleep, waitFor, type Numbers } from '../../helpers/live-client.js';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');
const SECOND = 1_000;
/** Timers fire a little early or late against another clock; arrivals jitter on a busy machine. */
const JITTER_MS = 40;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listeningApp(): Promise<{ t: TestApp; url: string }> {
  const dir = tempDir('watchfloor-dashboards-');
  for (const id of ['support', 'incident']) {
    fs.writeFileSync(
      path.join(dir, `${id}.json`),
      JSON.stringify({ id, title: id, pages: [{ widgets: [{ type: 'stat', metric: 'sla.breachedOpen', x: 0, y: 0, w: 4, h: 3 }] }] }),
    );
  }
  const t = await startTestApp({ now: () => NOW, env: { DASHBOARDS_DIR: dir } });
  cleanups.push(() => t.close());
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, url: baseUrl(t.app) };
}

class Client extends LiveRecorder {
  readonly agents: Array<AgentsMessage & { t: number }> = [];
  readonly dashboards: Array<{ id: string; t: number }> = [];

  constructor(url: string) {
    super(url, TOKENS.viewer);
    this.socket.on('agents', (message) => this.agents.push({ ...message, t: performance.now() }));
    this.socket.on('dashboard', ({ dashboard }: { dashboard: Dashboard }) => this.dashboards.push({ id: dashboard.id, t: performance.now() }));
    cleanups.push(() => this.close());
  }

  /** Arrival times of the whole states (the one on connect included). */
  get stateTimes(): number[] {
    return this.received.filter((r) => r.kind === 'state').map((r) => r.t);
  }
}

let eventClock = NOW - 60 * 60_000;
const nextAt = (): string => iso(++eventClock);
const ticket = (id: string) => ticketEvent({ id, queue: 'l1', createdAt: iso(NOW - 10 * 60_000), updatedAt: nextAt() });

const gapsOf = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('paced answers', () => {
  it('resync: one whole state a second at most, the extras folded into one that carries the latest numbers', async () => {
    const { url } = await listeningApp();
    await postEvents(url, [ticket('T-1')]);
    const client = new Client(url);
    await client.ready();
    await sleep(SECOND + 100); // the connection's first state is not what is paced here

    const from = client.stateTimes.length;
    const asked = performance.now();
    for (let i = 0; i < 10; i++) client.socket.emit('resync');
    await waitFor(() => client.stateTimes.length === from + 1, 'the first answer');
    expect(client.stateTimes[from]! - asked, 'the first request is answered at once').toBeLessThan(500);
    // A change, then more requests within the same second: one more answer, with the change in it.
    await postEvents(url, [ticket('T-2')]);
    for (let i = 0; i < 10; i++) client.socket.emit('resync');
    await sleep(SECOND + 500);
    const answers = client.stateTimes.slice(from);
    expect(answers).toHaveLength(2);
    expect(answers[1]! - answers[0]!).toBeGreaterThanOrEqual(SECOND - JITTER_MS);
    const latest = client.states.at(-1)!;
    expect(numbersOf(latest as Numbers)).toEqual(numbersOf(await fetchState(url)));
    expect(latest.queues.find((q) => q.id === 'l1')?.open).toBe(2);
    // Still one connection counting on: every message took the next seq.
    expect(client.received.map((r) => r.message.seq)).toEqual(client.received.map((_, i) => i + 1));
  });

  it('resync asked every 100 ms for 2.5 s: answers at least a second apart, never a backlog', async () => {
    const { url } = await listeningApp();
    const client = new Client(url);
    await client.ready();
    await sleep(SECOND + 100);
    const from = client.stateTimes.length;
    for (let i = 0; i < 25; i++) {
      client.socket.emit('resync');
      await sleep(100);
    }
    await sleep(SECOND + 200);
    const answers = client.stateTimes.slice(from);
    // 25 requests over 2.5 s (+ the fold at its end): 3 or 4 answers, never 25.
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.length).toBeLessThanOrEqual(4);
    for (const gap of gapsOf(answers)) expect(gap).toBeGreaterThanOrEqual(SECOND - JITTER_MS);
  });

  it('watch-agents: one whole list a second at most; the folded one lists the agent added meanwhile', async () => {
    const { url } = await listeningApp();
    await postEvents(url, [agentEvent({ id: 'A-1', status: 'busy' }, nextAt())]);
    const client = new Client(url);
    await client.ready();
    for (let i = 0; i < 10; i++) client.socket.emit('watch-agents');
    await waitFor(() => client.agents.length === 1, 'the whole list');
    expect(client.agents[0]).toMatchObject({ full: true, agents: [expect.objectContaining({ id: 'A-1' })] });

    await postEvents(url, [agentEvent({ id: 'A-2', status: 'away' }, nextAt())]);
    for (let i = 0; i < 10; i++) client.socket.emit('watch-agents');
    await sleep(SECOND + 500);
    const whole = client.agents.filter((m) => m.full);
    expect(whole).toHaveLength(2);
    expect(whole[1]!.t - whole[0]!.t).toBeGreaterThanOrEqual(SECOND - JITTER_MS);
    expect(whole[1]!.agents.map((a) => a.id).sort()).toEqual(['A-1', 'A-2']);
    // The change itself went out as it happened, as to any client listing agents.
    expect(client.agents.some((m) => !m.full && m.agents.some((a) => a.id === 'A-2'))).toBe(true);
  });

  it("a wall's hellos: one dashboard a second at most, the folded answer for the latest hello", async () => {
    const { url } = await listeningApp();
    const wall = new Client(url);
    await wall.ready();
    for (let i = 0; i < 5; i++) wall.socket.emit('wall', { dashboard: 'support', name: 'lobby' });
    await waitFor(() => wall.dashboards.length === 1, 'the first answer');
    for (let i = 0; i < 5; i++) wall.socket.emit('wall', { dashboard: 'support', name: 'lobby' });
    wall.socket.emit('wall', { dashboard: 'incident', name: 'lobby' });
    await sleep(SECOND + 500);
    expect(wall.dashboards.map((d) => d.id)).toEqual(['support', 'incident']);
    expect(wall.dashboards[1]!.t - wall.dashboards[0]!.t).toBeGreaterThanOrEqual(SECOND - JITTER_MS);
  });

  it('paces each connection on its own: a second client is answered at once', async () => {
    const { url } = await listeningApp();
    const a = new Client(url);
    const b = new Client(url);
    await Promise.all([a.ready(), b.ready()]);
    a.socket.emit('resync');
    await waitFor(() => a.states.length === 2, "a's answer");
    const asked = performance.now();
    b.socket.emit('resync');
    await waitFor(() => b.states.length === 2, "b's answer");
    expect(b.stateTimes[1]! - asked).toBeLessThan(500);
  });
});
