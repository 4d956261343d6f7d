// Wall names on the live channel (issue 11): any viewer socket may say it is a named wall, so the
// name follows the rules of every name (at most 200 characters, no control characters, bidi
// controls removed) and GET /api/v1/walls lists every connection that claims one, with its address
// and since when: two screens answering to "lobby" show as two. Real app on 127.0.0.1, real
// socket.io clients, HTTP through app.inject().
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedWall } from '../../../contract/live-events.js';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { baseUrl, LiveRecorder, waitFor } from '../../helpers/live-client.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let t: TestApp;
let url: string;

async function listeningApp(): Promise<void> {
  const dir = tempDir('watchfloor-dashboards-');
  for (const id of ['support', 'overview']) {
    fs.writeFileSync(
      path.join(dir, `${id}.json`),
      JSON.stringify({ id, title: id, pages: [{ widgets: [{ type: 'stat', metric: 'sla.breachedOpen', x: 0, y: 0, w: 4, h: 3 }] }] }),
    );
  }
  t = await startTestApp({ env: { DASHBOARDS_DIR: dir } });
  cleanups.push(() => t.close());
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
}

class Wall extends LiveRecorder {
  readonly shown: string[] = [];
  readonly errors: Array<{ dashboard: string; message: string }> = [];
  readonly switches: string[] = [];

  constructor() {
    super(url, TOKENS.viewer);
    this.socket.on('dashboard', ({ dashboard }) => this.shown.push(dashboard.id));
    this.socket.on('dashboard-error', (error) => this.errors.push(error));
    this.socket.on('show-dashboard', ({ dashboard }) => this.switches.push(dashboard));
    cleanups.push(() => this.close());
  }

  /** Connects, says `wall` with this name (any value, as a hostile client may send), waits for the answer. */
  async hello(name: unknown, dashboard = 'support'): Promise<this> {
    await this.ready();
    const before = this.shown.length + this.errors.length;
    (this.socket.emit as (event: string, ...args: unknown[]) => void)('wall', { dashboard, name });
    await waitFor(() => this.shown.length + this.errors.length > before, `an answer to wall ${String(name).slice(0, 20)}`);
    return this;
  }
}

async function listed(): Promise<ListedWall[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/walls', headers: bearer('viewer') });
  expect(response.statusCode).toBe(200);
  return (response.json() as { walls: ListedWall[] }).walls;
}

describe('wall names', () => {
  it('refuses a name with control characters or over 200 characters, says why, and lists nothing for it', async () => {
    await listeningApp();
    const bell = await new Wall().hello('lobby\u0007');
    expect(bell.errors).toEqual([{ dashboard: 'support', message: 'name: must not contain control characters' }]);
    const newline = await new Wall().hello('lobby\nkitchen');
    expect(newline.errors[0]!.message).toBe('name: must not contain control characters');
    const long = await new Wall().hello('x'.repeat(201));
    expect(long.errors).toEqual([{ dashboard: 'support', message: 'name: at most 200 characters, got 201' }]);
    const number = await new Wall().hello(42);
    expect(number.errors[0]!.message).toBe('name: a string of at most 200 characters');
    expect(await listed()).toEqual([]);
    // Refused means changed nothing: no dashboard either, and the connection lives on.
    for (const wall of [bell, newline, long, number]) {
      expect(wall.shown).toEqual([]);
      expect(wall.socket.connected).toBe(true);
    }
  });

  it('takes 200 characters, removes bidi controls, and takes names that are object keys elsewhere', async () => {
    await listeningApp();
    await new Wall().hello('y'.repeat(200));
    await new Wall().hello('\u202eybbol');
    for (const name of ['__proto__', 'constructor', 'toString']) await new Wall().hello(name);
    const names = (await listed()).map((w) => w.name).sort();
    expect(names).toEqual(['__proto__', 'constructor', 'toString', 'y'.repeat(200), 'ybbol'].sort());
    for (const name of ['__proto__', 'constructor']) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/v1/walls/${name}/show`,
        headers: bearer('supervisor'),
        payload: { dashboard: 'overview' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ wall: name, walls: 1 });
    }
  });

  it('lists every connection claiming a name with its address and since when: a pose shows as a second "lobby"', async () => {
    await listeningApp();
    const real = await new Wall().hello('lobby');
    const pose = await new Wall().hello('lobby');
    const walls = await listed();
    expect(walls).toHaveLength(2);
    for (const wall of walls) {
      expect(wall).toMatchObject({ name: 'lobby', dashboard: 'support' });
      expect(wall.address).toMatch(/127\.0\.0\.1$/);
      expect(Date.parse(wall.connectedAt)).not.toBeNaN();
    }
    // A switch says how many screens answered to the name, and reaches both.
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/walls/lobby/show', headers: bearer('supervisor'), payload: { dashboard: 'overview' } });
    expect(response.json()).toMatchObject({ wall: 'lobby', walls: 2 });
    await waitFor(() => real.switches.length === 1 && pose.switches.length === 1, 'the switch on both');
  });
});
