// Wall control (docs/contract.md#wall-control) over the API: roles (viewer lists, supervisor commands), validation, 404
// for a wall name nobody uses, and what the walls receive over `/live` (`show-dashboard`, `announce`).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnounceMessage, WallInfo } from '../../../contract/live-events.js';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { baseUrl, LiveRecorder, waitFor } from '../../helpers/live-client.js';

let t: TestApp;
let url: string;
const clients: LiveRecorder[] = [];

function board(id: string): Record<string, unknown> {
  return { id, title: id, pages: [{ widgets: [{ type: 'stat', metric: 'sla.breachedOpen', x: 0, y: 0, w: 4, h: 3 }] }] };
}

class Wall extends LiveRecorder {
  readonly shown: string[] = [];
  readonly switches: string[] = [];
  readonly announcements: AnnounceMessage[] = [];
  constructor() {
    super(url, TOKENS.viewer);
    this.socket.on('dashboard', ({ dashboard }) => this.shown.push(dashboard.id));
    this.socket.on('show-dashboard', ({ dashboard }) => this.switches.push(dashboard));
    this.socket.on('announce', (message) => this.announcements.push(message));
    clients.push(this);
  }
  async open(dashboard: string, name?: string): Promise<this> {
    await this.ready();
    this.socket.emit('wall', { dashboard, ...(name === undefined ? {} : { name }) });
    await waitFor(() => this.shown.length > 0, `the dashboard of wall ${name ?? '(unnamed)'}`);
    return this;
  }
}

beforeAll(async () => {
  const dir = tempDir('watchfloor-dashboards-');
  for (const id of ['support', 'overview']) fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(board(id)));
  t = await startTestApp({ env: { DASHBOARDS_DIR: dir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

const show = (wall: string, body: unknown, role: keyof typeof TOKENS | null = 'supervisor') =>
  t.app.inject({ method: 'POST', url: `/api/v1/walls/${encodeURIComponent(wall)}/show`, headers: role === null ? {} : bearer(role), payload: body as object });
const announce = (body: unknown, role: keyof typeof TOKENS | null = 'supervisor') =>
  t.app.inject({ method: 'POST', url: '/api/v1/walls/announce', headers: role === null ? {} : bearer(role), payload: body as object });

describe('wall control', () => {
  it('checks tokens: none is 401, a viewer may list but not command (403)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/walls' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/walls', headers: bearer('viewer') })).statusCode).toBe(200);
    for (const response of [await show('lobby', { dashboard: 'overview' }, null), await announce({ text: 'hi', seconds: 10 }, null)]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
    for (const response of [await show('lobby', { dashboard: 'overview' }, 'viewer'), await announce({ text: 'hi', seconds: 10 }, 'viewer')]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
  });

  it('lists the open walls of the instance with name, dashboard, connectedAt and lastSeen', async () => {
    await new Wall().open('support', 'lobby');
    await new Wall().open('support', 'floor-2');
    await new Wall().open('overview');
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/walls', headers: bearer('viewer') });
    expect(response.statusCode).toBe(200);
    const walls = (response.json() as { walls: WallInfo[] }).walls;
    expect(walls.map((w) => [w.name, w.dashboard])).toEqual([
      ['lobby', 'support'],
      ['floor-2', 'support'],
      [null, 'overview'],
    ]);
    for (const wall of walls) {
      expect(Date.parse(wall.connectedAt)).not.toBeNaN();
      expect(Date.parse(wall.lastSeen)).toBeGreaterThanOrEqual(Date.parse(wall.connectedAt));
    }
  });

  it('answers 400 for a bad body or an unknown dashboard, 404 for a wall nobody has open', async () => {
    for (const body of [{}, { dashboard: 'Not An Id' }, { dashboard: 7 }]) {
      const response = await show('lobby', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('dashboard') });
    }
    const unknown = await show('lobby', { dashboard: 'no-such-board' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'unknown_dashboard', message: expect.stringContaining('no-such-board') });
    const nobody = await show('attic', { dashboard: 'overview' });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().error).toMatchObject({ code: 'not_found', message: expect.stringContaining('attic') });
  });

  it('switches the walls of that name only; they ask for the new dashboard and are listed with it', async () => {
    const lobby = await new Wall().open('support', 'switch-me');
    const other = await new Wall().open('support', 'leave-me');
    const response = await show('switch-me', { dashboard: 'overview' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ wall: 'switch-me', dashboard: 'overview', walls: 1 });
    await waitFor(() => lobby.switches.length > 0, 'show-dashboard');
    expect(lobby.switches).toEqual(['overview']);
    // The wall (here the test client) asks for it, as the web app does.
    lobby.socket.emit('wall', { dashboard: 'overview', name: 'switch-me' });
    await waitFor(() => lobby.shown.includes('overview'), 'the new dashboard');
    await new Promise((r) => setTimeout(r, 200));
    expect(other.switches).toEqual([]);
    const walls = (await t.app.inject({ method: 'GET', url: '/api/v1/walls', headers: bearer('viewer') })).json().walls as WallInfo[];
    expect(walls.find((w) => w.name === 'switch-me')?.dashboard).toBe('overview');
    expect(walls.find((w) => w.name === 'leave-me')?.dashboard).toBe('support');
  });

  it('validates announcements: text 1..280 characters, seconds 5..3600', async () => {
    for (const body of [{ seconds: 10 }, { text: '  ', seconds: 10 }, { text: 'x'.repeat(281), seconds: 10 }]) {
      const response = await announce(body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('text');
    }
    for (const seconds of [4, 3601, 10.5, '10', undefined]) {
      const response = await announce({ text: 'hello', seconds });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('seconds');
    }
    expect((await announce({ text: 'x'.repeat(280), seconds: 5 })).statusCode).toBe(200);
  });

  it('sends an announcement to every wall at once, and to a wall that connects while it lasts', async () => {
    const a = await new Wall().open('support', 'ann-a');
    const b = await new Wall().open('overview');
    const before = Date.now();
    const response = await announce({ text: 'Fire drill at 15:00', seconds: 30 });
    expect(response.statusCode).toBe(200);
    const { until } = response.json().announcement as { until: string };
    expect(Date.parse(until) - before).toBeGreaterThanOrEqual(29_000);
    await waitFor(
      () => a.announcements.some((m) => m.text === 'Fire drill at 15:00') && b.announcements.some((m) => m.text === 'Fire drill at 15:00'),
      'announce on both walls',
    );
    const late = new Wall();
    await late.ready();
    await waitFor(() => late.announcements.length > 0, 'announce on connect');
    expect(late.announcements.at(-1)).toMatchObject({ text: 'Fire drill at 15:00', until });
  });
});
