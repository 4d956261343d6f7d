// Update templates over HTTP (docs/contract.md#templates) against the real app on a temp DASHBOARDS_DIR:
// filled from an incident, roles, an unknown incident, and templates.json hot-reloaded (a bad
// version refused with its JSON paths while the last good one stays in force).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplatesAnswer } from '../../../contract/status.js';
import { startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { call, declareIncident } from '../../helpers/incidents.js';

const NOW = Date.parse('2026-11-26T10:07:30.000Z');
let t: TestApp;
let dir: string;

const TEMPLATES = {
  templates: [
    {
      id: 'investigating',
      title: 'Investigating',
      severities: ['SEV1', 'SEV2'],
      audience: 'customers',
      text: 'We look at {title} on {services}. Next by {nextUpdateAt}.',
    },
    { id: 'note', title: 'Note', severities: ['SEV1', 'SEV2', 'SEV3', 'SEV4'], audience: 'internal', text: '#{number} {severity} {status}' },
  ],
};

const write = (value: unknown): void => fs.writeFileSync(path.join(dir, 'templates.json'), typeof value === 'string' ? value : JSON.stringify(value));

async function templates(query = ''): Promise<TemplatesAnswer> {
  const response = await call(t.app, { method: 'GET', url: `/api/v1/templates${query}`, as: 'viewer' });
  if (response.statusCode !== 200) throw new Error(`${response.statusCode}: ${response.body}`);
  return response.json<TemplatesAnswer>();
}

beforeEach(async () => {
  dir = tempDir('watchfloor-templates-');
  write(TEMPLATES);
  t = await startTestApp({ now: () => NOW, env: { DASHBOARDS_DIR: dir, TZ: 'Europe/Berlin' } });
});

afterEach(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/templates', () => {
  it('fills the texts from the incident, times HH:MM in the server zone and ISO', async () => {
    const incident = await declareIncident(t.app, { title: 'Login fails', severity: 'SEV2', services: ['Login', 'SSO'] });
    // SEV2: 60 minutes from 10:07:30Z → 11:05Z, 12:05 in Berlin.
    expect(await templates(`?incident=${incident.id}`)).toEqual({
      incident: 'inc-1',
      values: { number: '1', title: 'Login fails', severity: 'SEV2', services: 'Login, SSO', nextUpdateAt: '12:05', status: 'investigating' },
      nextUpdateAt: '2026-11-26T11:05:00.000Z',
      timeZone: 'Europe/Berlin',
      templates: [
        { ...TEMPLATES.templates[0], text: 'We look at Login fails on Login, SSO. Next by 12:05.' },
        { ...TEMPLATES.templates[1], text: '#1 SEV2 investigating' },
      ],
      problems: [],
    });
    // By number too; without an incident, the texts as written.
    expect((await templates('?incident=1')).incident).toBe('inc-1');
    expect(await templates()).toMatchObject({ incident: null, values: null, nextUpdateAt: null, templates: TEMPLATES.templates });
  });

  it('answers 404 for an unknown incident, 401 without a token and 403 below viewer', async () => {
    const missing = await call(t.app, { method: 'GET', url: '/api/v1/templates?incident=inc-99', as: 'viewer' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'no incident "inc-99"' } });
    expect((await call(t.app, { method: 'GET', url: '/api/v1/templates', as: null })).statusCode).toBe(401);
    expect((await call(t.app, { method: 'GET', url: '/api/v1/templates', as: 'ingest' })).statusCode).toBe(403);
  });

  it('re-reads templates.json when it changes, keeping the last good version while a bad one is there', async () => {
    expect((await templates()).templates.map((x) => x.id)).toEqual(['investigating', 'note']);
    write({ templates: [{ ...TEMPLATES.templates[0], text: 'Back by {eta}' }] });
    const refused = await templates();
    expect(refused.templates.map((x) => x.id)).toEqual(['investigating', 'note']);
    expect(refused.problems).toEqual([{ path: 'templates[0].text', message: expect.stringMatching(/^unknown placeholder \{eta\}; known: /) }]);
    write('{ not json');
    expect((await templates()).problems).toEqual([{ path: '', message: expect.stringMatching(/^not JSON: /) }]);
    write({ templates: [TEMPLATES.templates[1]] });
    expect(await templates()).toMatchObject({ templates: [TEMPLATES.templates[1]], problems: [] });
    fs.rmSync(path.join(dir, 'templates.json'));
    expect(await templates()).toMatchObject({
      templates: [TEMPLATES.templates[1]],
      problems: [{ path: '', message: 'no templates.json: the console offers no templates' }],
    });
  });
});
