// The status page's data over HTTP (docs/contract.md#status-page) against the real app: the JSON and
// the Atom feed, who may read them (a viewer token, or anyone with STATUS_PUBLIC=1), that an
// internal update never reaches either, and that /status is the web app's page while
// /status/feed.atom is the server's route.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusView } from '../../../contract/status.js';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { call, declareIncident, patchIncident, postUpdate } from '../../helpers/incidents.js';

const at = (time: string): string => `2026-11-26T${time}:00.000Z`;
let clock = Date.parse(at('10:00'));
let t: TestApp | null = null;
const dirs: string[] = [];

afterEach(async () => {
  await t?.close();
  t = null;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}, webRoot: string | null = null): Promise<TestApp> {
  clock = Date.parse(at('10:00'));
  t = await startTestApp({ now: () => clock, env, webRoot });
  return t;
}

const INTERNAL_MARKER = 'INTERNAL-MARKER-7f3a9c';

/** A SEV2 on Login with a customer update, an internal one (with the marker), and a resolved SEV1 on Payments. */
async function scenario(app: TestApp['app']): Promise<void> {
  const payments = await declareIncident(app, { title: 'Card payments fail', severity: 'SEV1', services: ['Payments'] });
  clock = Date.parse(at('10:05'));
  await postUpdate(app, payments.id, 'customers', 'Card payments fail; we are on it.');
  clock = Date.parse(at('10:30'));
  await patchIncident(app, payments.id, { status: 'resolved' });
  clock = Date.parse(at('11:00'));
  const login = await declareIncident(app, { title: 'Login <fails> & "hangs"', severity: 'SEV2', services: ['Login', 'SSO'] });
  clock = Date.parse(at('11:10'));
  await postUpdate(app, login.id, 'customers', 'Some of you cannot log in. Next update by 12:10.');
  clock = Date.parse(at('11:12'));
  await postUpdate(app, login.id, 'internal', `${INTERNAL_MARKER}: the auth pods restart in a loop`);
  clock = Date.parse(at('11:20'));
}

describe('GET /api/v1/status and /status/feed.atom', () => {
  it('answer the services, their state and the customer updates, never an internal one', async () => {
    const { app } = await start();
    await scenario(app);
    const response = await call(app, { method: 'GET', url: '/api/v1/status', as: 'viewer' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const view = response.json<StatusView>();
    expect(view).toEqual({
      generatedAt: at('11:20'),
      state: 'partial-outage',
      services: [
        { name: 'Login', state: 'degraded', incidents: [2] },
        { name: 'Payments', state: 'operational', incidents: [] },
        { name: 'SSO', state: 'degraded', incidents: [2] },
      ],
      incidents: [
        { number: 2, title: 'Login <fails> & "hangs"', status: 'investigating', services: ['Login', 'SSO'], declaredAt: at('11:00'), resolvedAt: null },
        { number: 1, title: 'Card payments fail', status: 'resolved', services: ['Payments'], declaredAt: at('10:00'), resolvedAt: at('10:30') },
      ],
      updates: [
        {
          number: 2,
          title: 'Login <fails> & "hangs"',
          status: 'investigating',
          statusThen: 'investigating',
          seq: 3,
          at: at('11:10'),
          text: 'Some of you cannot log in. Next update by 12:10.',
          declaredAt: at('11:00'),
          resolvedAt: null,
        },
        {
          number: 1,
          title: 'Card payments fail',
          status: 'resolved',
          statusThen: 'investigating',
          seq: 3,
          at: at('10:05'),
          text: 'Card payments fail; we are on it.',
          declaredAt: at('10:00'),
          resolvedAt: at('10:30'),
        },
      ],
    });
    expect(response.body).not.toContain(INTERNAL_MARKER);

    const feed = await app.inject({ url: `/status/feed.atom?token=${TOKENS.viewer}`, headers: { host: 'status.example:3000' } });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(feed.body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    expect(feed.body).toContain('<link rel="alternate" type="text/html" href="http://status.example:3000/status"/>');
    expect(feed.body).toContain('<title>#2 Login &lt;fails&gt; &amp; &quot;hangs&quot;: Investigating</title>');
    expect(feed.body).toContain('<content type="text">Some of you cannot log in. Next update by 12:10.</content>');
    expect(feed.body.match(/<entry>/g)).toHaveLength(2);
    expect(feed.body).not.toContain(INTERNAL_MARKER);
  });

  it('drop an incident 7 days after it was resolved', async () => {
    const { app } = await start();
    await scenario(app);
    clock = Date.parse(at('10:30')) + 7 * 86_400_000 + 1;
    const view = (await call(app, { method: 'GET', url: '/api/v1/status', as: 'viewer' })).json<StatusView>();
    expect(view.incidents.map((i) => i.number)).toEqual([2]);
    expect(view.services.map((s) => s.name)).toEqual(['Login', 'SSO']);
  });

  it('need a viewer token (bearer or ?token=) unless STATUS_PUBLIC=1', async () => {
    const { app } = await start();
    for (const url of ['/api/v1/status', '/status/feed.atom']) {
      const anonymous = await call(app, { method: 'GET', url, as: null });
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');
      const ingest = await call(app, { method: 'GET', url, as: 'ingest' });
      expect(ingest.statusCode, url).toBe(403);
      expect(ingest.json().error.message).toContain('needs the viewer role');
      for (const role of ['viewer', 'supervisor', 'commander', 'admin'] as const)
        expect((await call(app, { method: 'GET', url, as: role })).statusCode, `${url} as ${role}`).toBe(200);
      expect((await call(app, { method: 'GET', url: `${url}?token=${TOKENS.viewer}`, as: null })).statusCode, url).toBe(200);
    }
    await t!.close();

    const open = await start({ STATUS_PUBLIC: '1' });
    await scenario(open.app);
    for (const url of ['/api/v1/status', '/status/feed.atom']) {
      const anonymous = await call(open.app, { method: 'GET', url, as: null });
      expect(anonymous.statusCode, url).toBe(200);
      expect(anonymous.body).toContain('Some of you cannot log in.');
      expect(anonymous.body).not.toContain(INTERNAL_MARKER);
    }
    // The rest of the API is as closed as before.
    expect((await call(open.app, { method: 'GET', url: '/api/v1/incidents', as: null })).statusCode).toBe(401);
    const doc = (await open.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, { get: { 'x-role': string } }> }>();
    expect(doc.paths['/api/v1/status']!.get['x-role']).toBe('public');
    expect(doc.paths['/status/feed.atom']!.get['x-role']).toBe('public');
  });

  it('takes STATUS_PUBLIC as 0 or 1 only', () => {
    expect(loadConfig({ STATUS_PUBLIC: '1' }).statusPublic).toBe(true);
    expect(loadConfig({ STATUS_PUBLIC: '0' }).statusPublic).toBe(false);
    expect(loadConfig({}).statusPublic).toBe(false);
    for (const bad of ['yes', 'true', '2'])
      expect(() => loadConfig({ STATUS_PUBLIC: bad })).toThrow(new ConfigError('STATUS_PUBLIC', `must be 0 or 1, got "${bad}"`));
  });
});

describe('/status beside /status/feed.atom', () => {
  it('serves the web app at /status and the feed from the server', async () => {
    const webRoot = tempDir('watchfloor-web-');
    dirs.push(webRoot);
    fs.writeFileSync(path.join(webRoot, '200.html'), '<!doctype html><title>app</title><p>the web app</p>');
    const { app } = await start({ STATUS_PUBLIC: '1' }, webRoot);
    const page = await app.inject({ url: '/status' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('the web app');
    const feed = await app.inject({ url: '/status/feed.atom' });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(feed.body).toContain('<subtitle>All systems operational</subtitle>');
  });
});
