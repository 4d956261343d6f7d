// Walls on the live channel (docs/contract.md#live-channel, #dashboards-as-code) against the real app listening on 127.0.0.1, with real
// socket.io clients and a real temporary DASHBOARDS_DIR: a wall says `wall`, gets its dashboard,
// and gets every good edit of the file on the same connection, without reconnecting.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../contract/dashboards.js';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { baseUrl, LiveRecorder, sleep, waitFor } from '../../helpers/live-client.js';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');
/** A good edit must reach open walls within this. */
const PUSH_MS = 2_000;

let clock = NOW;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  // Clients before their app: an open websocket keeps app.close() from finishing.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dashboard(id: string, title: string): Record<string, unknown> {
  return { id, title, pages: [{ widgets: [{ type: 'stat', metric: 'sla.breachedOpen', x: 0, y: 0, w: 4, h: 3 }] }] };
}

interface Running {
  t: TestApp;
  url: string;
  dir: string;
  write(id: string, content: unknown): void;
}

async function listeningApp(): Promise<Running> {
  clock = NOW;
  const dir = tempDir('watchfloor-dashboards-');
  const write = (id: string, content: unknown): void =>
    fs.writeFileSync(path.join(dir, `${id}.json`), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  write('support', dashboard('support', 'Support'));
  write('incident', dashboard('incident', 'Incident'));
  const t = await startTestApp({ env: { DASHBOARDS_DIR: dir }, now: () => clock });
  cleanups.push(() => t.close());
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, url: baseUrl(t.app), dir, write };
}

/** A live client that also records what a wall receives. */
class Wall extends LiveRecorder {
  readonly dashboards: Array<{ dashboard: Dashboard; t: number }> = [];
  readonly errors: Array<{ dashboard: string; message: string }> = [];

  constructor(url: string) {
    super(url, TOKENS.viewer);
    this.socket.on('dashboard', ({ dashboard }) => this.dashboards.push({ dashboard, t: performance.now() }));
    this.socket.on('dashboard-error', (error) => this.errors.push(error));
    cleanups.push(() => this.close());
  }

  get titles(): string[] {
    return this.dashboards.map((d) => d.dashboard.title);
  }

  /** Connects, says `wall`, and waits for the first answer. */
  async open(dashboard: string, name?: string): Promise<this> {
    await this.ready();
    this.socket.emit('wall', { dashboard, ...(name === undefined ? {} : { name }) });
    await waitFor(() => this.dashboards.length + this.errors.length > 0, `an answer to wall ${dashboard}`);
    return this;
  }
}

describe('a wall on the live channel', () => {
  it('says wall and gets its dashboard, then every good edit on the same connection', async () => {
    const { url, write } = await listeningApp();
    const wall = await new Wall(url).open('support', 'Floor 3 TV');
    expect(wall.dashboards.map((d) => d.dashboard)).toEqual([dashboard('support', 'Support')]);
    const socketId = wall.socket.id;

    const t0 = performance.now();
    write('support', dashboard('support', 'Support, edited'));
    await waitFor(() => wall.dashboards.length === 2, 'the edited dashboard', PUSH_MS);
    expect(wall.dashboards[1]!.t - t0).toBeLessThan(PUSH_MS);
    expect(wall.titles).toEqual(['Support', 'Support, edited']);

    // The same connection all along: no reconnect, no new whole state, seq untouched by dashboards.
    expect(wall.socket.id).toBe(socketId);
    expect(wall.states).toHaveLength(1);
    expect(wall.received.map((r) => r.message.seq)).toEqual([1]);
  });

  it('keeps the last good version through a broken edit, and takes the fix', async () => {
    const { url, write } = await listeningApp();
    const wall = await new Wall(url).open('support');

    write('support', '{"id": "support", "title": ');
    write('support', { ...dashboard('support', 'Bad'), rotateSeconds: 1 });
    await sleep(800);
    expect(wall.titles).toEqual(['Support']);

    // A wall that opens now still gets the last good version.
    const late = await new Wall(url).open('support');
    expect(late.titles).toEqual(['Support']);

    write('support', dashboard('support', 'Fixed'));
    await waitFor(() => wall.dashboards.length === 2 && late.dashboards.length === 2, 'the fix on both walls', PUSH_MS);
    expect(wall.titles).toEqual(['Support', 'Fixed']);
  });

  it('a change reaches only the walls of that dashboard', async () => {
    const { url, write } = await listeningApp();
    const supportWall = await new Wall(url).open('support');
    const incidentWall = await new Wall(url).open('incident');
    const plainClient = new Wall(url);
    await plainClient.ready();

    write('incident', dashboard('incident', 'Incident, edited'));
    await waitFor(() => incidentWall.dashboards.length === 2, 'the incident edit', PUSH_MS);
    await sleep(300);
    expect(supportWall.titles).toEqual(['Support']);
    expect(plainClient.dashboards).toEqual([]);
  });

  it('a wall that switches dashboards leaves the old one', async () => {
    const { url, write, t } = await listeningApp();
    const wall = await new Wall(url).open('support', 'lobby');
    wall.socket.emit('wall', { dashboard: 'incident', name: 'lobby' });
    await waitFor(() => wall.dashboards.length === 2, 'the second dashboard');
    expect(wall.titles).toEqual(['Support', 'Incident']);
    expect(t.app.hub.walls().map((w) => w.dashboard)).toEqual(['incident']);

    write('support', dashboard('support', 'Support, edited'));
    write('incident', dashboard('incident', 'Incident, edited'));
    await waitFor(() => wall.dashboards.length === 3, 'the incident edit', PUSH_MS);
    await sleep(300);
    expect(wall.titles).toEqual(['Support', 'Incident', 'Incident, edited']);
  });

  it('an unknown dashboard gets dashboard-error, then the dashboard once its file appears', async () => {
    const { url, write } = await listeningApp();
    const wall = await new Wall(url).open('night');
    expect(wall.errors).toEqual([{ dashboard: 'night', message: 'no dashboard "night" (known: incident, support)' }]);
    expect(wall.dashboards).toEqual([]);

    write('night', dashboard('night', 'Night shift'));
    await waitFor(() => wall.dashboards.length === 1, 'the new dashboard', PUSH_MS);
    expect(wall.titles).toEqual(['Night shift']);
  });

  it('a dashboard whose file never validated gets dashboard-error with the problems', async () => {
    const { url, write, t } = await listeningApp();
    write('draft', { id: 'draft', title: 'Draft', pages: [] });
    await waitFor(() => t.app.dashboards.problemsOf('draft').length > 0, 'the draft to be read', PUSH_MS);
    const wall = await new Wall(url).open('draft');
    expect(wall.errors).toEqual([
      {
        dashboard: 'draft',
        message: 'dashboard "draft" has no good version: draft.json: pages: required, a non-empty array of pages ({"widgets": [...]})',
      },
    ]);
  });

  it('a malformed wall message gets dashboard-error, and the connection lives on', async () => {
    const { url } = await listeningApp();
    const wall = new Wall(url);
    await wall.ready();
    const send = wall.socket.emit.bind(wall.socket) as (event: string, ...args: unknown[]) => void;
    const rule = 'send wall with {dashboard: "<id>"}, an id of a-z, 0-9 and - (the file name without .json)';
    send('wall', { dashboard: '../../etc/passwd' });
    send('wall', 'support');
    send('wall');
    await waitFor(() => wall.errors.length === 3, 'three errors');
    expect(wall.errors).toEqual([
      { dashboard: '../../etc/passwd', message: rule },
      { dashboard: '', message: rule },
      { dashboard: '', message: rule },
    ]);
    wall.socket.emit('wall', { dashboard: 'support' });
    await waitFor(() => wall.dashboards.length === 1, 'the dashboard after all');
  });
});

describe('hub.walls()', () => {
  it('lists each wall: name, dashboard, when it connected and when it was last heard from', async () => {
    const { url, t } = await listeningApp();
    const floor = await new Wall(url).open('support', '  Floor 3 TV  ');
    clock = NOW + 60_000;
    await new Wall(url).open('incident');
    const plainClient = new Wall(url);
    await plainClient.ready();

    expect(t.app.hub.walls()).toEqual([
      { name: 'Floor 3 TV', dashboard: 'support', connectedAt: '2026-11-26T10:00:00.000Z', lastSeen: '2026-11-26T10:00:00.000Z' },
      { name: null, dashboard: 'incident', connectedAt: '2026-11-26T10:01:00.000Z', lastSeen: '2026-11-26T10:01:00.000Z' },
    ]);

    // Any packet from the wall counts as a sign of life (heartbeats too).
    clock = NOW + 120_000;
    floor.socket.emit('resync');
    await waitFor(() => floor.states.length === 2, 'the resync');
    expect(t.app.hub.walls()[0]!.lastSeen).toBe('2026-11-26T10:02:00.000Z');

    floor.close();
    await waitFor(() => t.app.hub.walls().length === 1, 'the closed wall to leave the list');
    expect(t.app.hub.walls()[0]!.dashboard).toBe('incident');
  });
});
