// Wall control across instances (docs/contract.md#wall-control with REDIS_URL): walls connected to instance B are listed
// by instance A, switched and announced to through A, and only the walls of that name switch; the
// agents list of a supervisor on B follows an event taken in by A.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnounceMessage, AgentsMessage, WallInfo } from '../../../contract/live-events.js';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso } from '../../helpers/events.js';
import { baseUrl, LiveRecorder, postEvents, waitFor } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';

let redis: RedisServer;
let a: TestApp;
let b: TestApp;
let urlB: string;
let urlA: string;
const clients: LiveRecorder[] = [];

const board = (id: string): Record<string, unknown> => ({
  id,
  title: id,
  pages: [{ widgets: [{ type: 'stat', metric: 'sla.breachedOpen', x: 0, y: 0, w: 4, h: 3 }] }],
});

class Wall extends LiveRecorder {
  readonly shown: string[] = [];
  readonly announcements: AnnounceMessage[] = [];
  constructor(url: string) {
    super(url, TOKENS.viewer);
    this.socket.on('dashboard', ({ dashboard }) => this.shown.push(dashboard.id));
    this.socket.on('show-dashboard', ({ dashboard }) => this.socket.emit('wall', { dashboard, name: 'lobby' }));
    this.socket.on('announce', (message) => this.announcements.push(message));
    clients.push(this);
  }
  async open(dashboard: string, name: string): Promise<this> {
    await this.ready();
    this.socket.emit('wall', { dashboard, name });
    await waitFor(() => this.shown.length > 0, `wall ${name}`);
    return this;
  }
}

beforeAll(async () => {
  redis = await RedisServer.start();
  const dir = tempDir('watchfloor-dashboards-');
  for (const id of ['support', 'overview']) fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(board(id)));
  const env = { REDIS_URL: redis.url, DASHBOARDS_DIR: dir };
  a = await startTestApp({ env });
  b = await startTestApp({ env });
  for (const t of [a, b]) await t.app.listen({ host: '127.0.0.1', port: 0 });
  urlA = baseUrl(a.app);
  urlB = baseUrl(b.app);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await a?.close();
  await b?.close();
  await redis?.stop();
});

describe('wall control with two instances', () => {
  it('lists, switches and announces to walls on the other instance', async () => {
    const lobby = await new Wall(urlB).open('support', 'lobby');
    const kitchen = await new Wall(urlB).open('support', 'kitchen');

    const listed = await a.app.inject({ url: '/api/v1/walls', headers: bearer('viewer') });
    const walls = listed.json<{ walls: WallInfo[] }>().walls;
    expect(walls.map((w) => `${w.name}:${w.dashboard}`).sort()).toEqual(['kitchen:support', 'lobby:support']);

    const switched = await a.app.inject({ method: 'POST', url: '/api/v1/walls/lobby/show', headers: bearer('supervisor'), payload: { dashboard: 'overview' } });
    expect(switched.statusCode).toBe(200);
    await waitFor(() => lobby.shown.at(-1) === 'overview', 'the lobby wall on B to show overview', 2_000);
    expect(kitchen.shown).toEqual(['support']);

    const announced = await a.app.inject({
      method: 'POST',
      url: '/api/v1/walls/announce',
      headers: bearer('supervisor'),
      payload: { text: 'Drill', seconds: 30 },
    });
    expect(announced.statusCode).toBe(200);
    await waitFor(() => lobby.announcements.length === 1 && kitchen.announcements.length === 1, 'the announcement on both walls of B', 2_000);
    expect(lobby.announcements[0]!.text).toBe('Drill');
  });

  it('keeps a supervisor on B up to date with agents taken in by A, once each', async () => {
    const sup = new LiveRecorder(urlB, TOKENS.supervisor);
    clients.push(sup);
    const messages: AgentsMessage[] = [];
    sup.socket.on('agents', (message) => messages.push(message));
    await sup.ready();
    sup.socket.emit('watch-agents');
    await waitFor(() => messages.length === 1, 'the whole list');
    await postEvents(urlA, [agentEvent({ id: 'X-1', status: 'busy' }, iso(Date.now()))]);
    await waitFor(() => messages.some((m) => !m.full && m.agents.some((agent) => agent.id === 'X-1')), 'the agent from A on B', 2_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // B's own hub tells its own clients: the Redis adapter must not double it.
    expect(messages.filter((m) => m.agents.some((agent) => agent.id === 'X-1'))).toHaveLength(1);
  });
});
