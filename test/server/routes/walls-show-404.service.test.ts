// POST /api/v1/walls/:wall/show to a name with no open wall answers 404 naming the wall (docs/contract.md#security-and-durability),
// whatever the name (`__proto__`, `constructor` are names like any other), also when a wall of
// that name was open and has left, or a live connection is open that never said it is a wall.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { baseUrl, LiveRecorder, waitFor } from '../../helpers/live-client.js';

let t: TestApp;
let url: string;
const clients: LiveRecorder[] = [];

beforeAll(async () => {
  const dir = tempDir('watchfloor-walls-');
  const board = { id: 'support', title: 'support', pages: [{ widgets: [{ type: 'stat', metric: 'sla.breachedOpen', x: 0, y: 0, w: 4, h: 3 }] }] };
  fs.writeFileSync(path.join(dir, 'support.json'), JSON.stringify(board));
  t = await startTestApp({ env: { DASHBOARDS_DIR: dir } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

const show = (wall: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/walls/${encodeURIComponent(wall)}/show`, headers: bearer('supervisor'), payload: { dashboard: 'support' } });

async function openWall(name: string): Promise<LiveRecorder> {
  const wall = new LiveRecorder(url, TOKENS.viewer);
  clients.push(wall);
  let shown = false;
  wall.socket.on('dashboard', () => (shown = true));
  await wall.ready();
  wall.socket.emit('wall', { dashboard: 'support', name });
  await waitFor(() => shown, `wall ${name}`);
  return wall;
}

describe('showing a dashboard on a wall name', () => {
  it.each(['lobby', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])('answers 404 naming "%s" when no such wall is open', async (name) => {
    // A live connection that never said `wall` is no wall.
    const watcher = new LiveRecorder(url, TOKENS.viewer);
    clients.push(watcher);
    await watcher.ready();
    const response = await show(name);
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({ code: 'not_found', message: `no wall named "${name}" is connected; see GET /api/v1/walls` });
  });

  it('answers 200 while the wall is open, 404 once it has left', async () => {
    const wall = await openWall('__proto__');
    const open = await show('__proto__');
    expect(open.statusCode).toBe(200);
    expect(open.json()).toEqual({ wall: '__proto__', dashboard: 'support', walls: 1 });
    wall.close();
    await waitFor(() => t.app.hub.walls().length === 0, 'the wall to leave');
    expect((await show('__proto__')).statusCode).toBe(404);
  });
});
