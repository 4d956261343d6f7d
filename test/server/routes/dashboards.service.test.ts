// GET /api/v1/dashboards and /api/v1/dashboards/:id (docs/contract.md#authentication-and-roles, #dashboards-as-code) on the real app, over app.inject,
// with DASHBOARDS_DIR pointing at a temporary directory.
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../contract/dashboards.js';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { waitFor } from '../../helpers/live-client.js';

let t: TestApp;
let dir: string;

const support = { id: 'support', title: 'Support', pages: [{ widgets: [{ type: 'queue-table', x: 0, y: 0, w: 12, h: 6 }] }] };

beforeEach(async () => {
  dir = tempDir('watchfloor-dashboards-');
  fs.writeFileSync(path.join(dir, 'support.json'), JSON.stringify(support));
  fs.writeFileSync(path.join(dir, 'draft.json'), '{"id": "draft", "title": "Draft"}');
  t = await startTestApp({ env: { DASHBOARDS_DIR: dir } });
});

afterEach(async () => {
  await t.close();
});

const get = (url: string, headers: Record<string, string> = bearer('viewer')) => t.app.inject({ method: 'GET', url, headers });

function expectError(response: LightMyRequestResponse, status: number, code: string): string {
  expect(response.statusCode).toBe(status);
  const body = response.json<{ error: { code: string; message: string } }>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  return body.error.message;
}

describe('who may read dashboards', () => {
  for (const url of ['/api/v1/dashboards', '/api/v1/dashboards/support']) {
    it(`${url}: 401 without a token or with an unknown one, 403 for ingest, 200 for every screen role`, async () => {
      expectError(await get(url, {}), 401, 'unauthorized');
      expectError(await get(url, { authorization: 'Bearer not-a-token' }), 401, 'unauthorized');
      expect(expectError(await get(url, bearer('ingest')), 403, 'forbidden')).toContain('viewer');
      for (const role of ['viewer', 'supervisor', 'commander', 'admin'] as const) {
        expect((await get(url, bearer(role))).statusCode).toBe(200);
      }
      // A TV sends its token in the URL.
      expect((await get(`${url}?token=${TOKENS.viewer}`, {})).statusCode).toBe(200);
    });
  }
});

describe('GET /api/v1/dashboards', () => {
  it('lists each file with its title, page count and problems', async () => {
    const response = await get('/api/v1/dashboards');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      dashboards: [
        {
          id: 'draft',
          file: 'draft.json',
          title: null,
          pages: null,
          problems: [{ path: 'pages', message: 'required, a non-empty array of pages ({"widgets": [...]})' }],
        },
        { id: 'support', file: 'support.json', title: 'Support', pages: 1, problems: [] },
      ],
    });
  });

  it('shows a broken edit as a problem while the last good version stays', async () => {
    fs.writeFileSync(path.join(dir, 'support.json'), JSON.stringify({ ...support, lang: 'de' }));
    await waitFor(() => t.app.dashboards.problemsOf('support').length > 0, 'the broken edit', 2_000);
    const list = (await get('/api/v1/dashboards')).json<{ dashboards: Array<{ id: string; title: string; problems: unknown[] }> }>();
    expect(list.dashboards.find((d) => d.id === 'support')).toMatchObject({ title: 'Support', problems: [{ path: 'lang', message: 'must be one of en, ru' }] });
    expect((await get('/api/v1/dashboards/support')).json<Dashboard>().lang).toBeUndefined();
  });
});

describe('GET /api/v1/dashboards/:id', () => {
  it('answers the last good version, with defaults filled in', async () => {
    const response = await get('/api/v1/dashboards/support');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      id: 'support',
      title: 'Support',
      pages: [{ widgets: [{ type: 'queue-table', metric: 'queues', x: 0, y: 0, w: 12, h: 6 }] }],
    });
  });

  it('404 in the error shape for an unknown dashboard, naming the known ones', async () => {
    expect(expectError(await get('/api/v1/dashboards/nope'), 404, 'not_found')).toBe('no dashboard "nope"; known: support');
    expect(expectError(await get('/api/v1/dashboards/..%2F..%2Fetc%2Fpasswd'), 404, 'not_found')).toContain('no dashboard');
  });

  it('404 for a file that was never good, pointing at its problems', async () => {
    expect(expectError(await get('/api/v1/dashboards/draft'), 404, 'not_found')).toBe(
      'dashboard "draft" has no good version; see GET /api/v1/dashboards for its problems',
    );
  });
});

it('the shipped dashboards are what an app with the default DASHBOARDS_DIR serves', async () => {
  const shipped = await startTestApp({ env: { DASHBOARDS_DIR: path.resolve('dashboards') } });
  try {
    const list = (await shipped.app.inject({ method: 'GET', url: '/api/v1/dashboards', headers: bearer('viewer') })).json<{
      dashboards: Array<{ id: string; problems: unknown[] }>;
    }>();
    expect(list.dashboards.map((d) => [d.id, d.problems])).toEqual([
      ['incident', []],
      ['lines', []],
      ['support', []],
    ]);
  } finally {
    await shipped.close();
  }
});
