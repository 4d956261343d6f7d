// The severity scale as configuration (docs/contract.md#severities), over HTTP against the real app on
// a temp DASHBOARDS_DIR: the shipped file is the built-in SEV1–SEV4, a custom scale decides what is
// accepted, what takes over walls (the state's `major`) and the update cadence, the file is
// hot-reloaded, and an incident whose severity left the file keeps working.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_LEVELS, type Incident, type SeveritiesAnswer, type SeverityLevel } from '../../../contract/incidents.js';
import { validateSeveritiesFile } from '../../../server/incidents/severities-file.js';
import { startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { call, declareIncident, expectIncident, patchIncident } from '../../helpers/incidents.js';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
let t: TestApp | null = null;
let dir: string | null = null;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const P: SeverityLevel[] = [
  { id: 'P1', label: 'Outage', description: 'Customers cannot work.', major: true, customerUpdateMinutes: 15 },
  { id: 'P2', label: 'Degraded', description: 'Customers work slowly.', major: false, customerUpdateMinutes: 120 },
  { id: 'P3', label: 'Minor', description: 'A few customers notice.', major: false, customerUpdateMinutes: null },
];

const write = (value: unknown): void => fs.writeFileSync(path.join(dir!, 'severities.json'), typeof value === 'string' ? value : JSON.stringify(value));

async function start(levels: SeverityLevel[] | null): Promise<TestApp> {
  dir = tempDir('watchfloor-severities-');
  if (levels !== null) write({ levels });
  t = await startTestApp({ now: () => NOW, env: { DASHBOARDS_DIR: dir! } });
  return t;
}

async function severities(app: TestApp): Promise<SeveritiesAnswer> {
  const response = await call(app.app, { method: 'GET', url: '/api/v1/severities', as: 'viewer' });
  if (response.statusCode !== 200) throw new Error(`${response.statusCode}: ${response.body}`);
  return response.json<SeveritiesAnswer>();
}

/** The state's incidents, as a wall gets them. */
const summaries = (app: TestApp) => app.app.model.state(NOW).incidents;

afterEach(async () => {
  await t?.close();
  t = null;
  if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('the shipped severities.json', () => {
  it('is the built-in SEV1–SEV4 exactly', () => {
    const shipped: unknown = JSON.parse(fs.readFileSync(path.join(root, 'dashboards/severities.json'), 'utf8'));
    expect(validateSeveritiesFile(shipped)).toEqual({ ok: true, config: { levels: DEFAULT_SEVERITY_LEVELS } });
  });
});

describe('GET /api/v1/severities', () => {
  it('answers the built-in levels while the file is missing, and says so', async () => {
    const app = await start(null);
    expect(await severities(app)).toEqual({
      levels: DEFAULT_SEVERITY_LEVELS,
      problems: [{ file: 'severities.json', path: '', message: 'no severities.json: the built-in SEV1–SEV4 are in force' }],
    });
    // A SEV1 declared then is major with a 30-minute cadence, as before the file existed.
    const sev1 = await declareIncident(app.app, { title: 'Payments down', severity: 'SEV1' });
    expect(sev1.nextUpdateDueAt).toBe(iso(NOW + 30 * MIN));
    expect(summaries(app)).toMatchObject([{ id: 'inc-1', severity: 'SEV1', major: true }]);
  });

  it('needs a viewer token', async () => {
    const app = await start(P);
    expect((await call(app.app, { method: 'GET', url: '/api/v1/severities', as: null })).statusCode).toBe(401);
    expect((await call(app.app, { method: 'GET', url: '/api/v1/severities', as: 'ingest' })).statusCode).toBe(403);
  });

  it('re-reads the file when it changes; a bad version is refused with its JSON paths and the last good one stays', async () => {
    const app = await start(P);
    expect(await severities(app)).toEqual({ levels: P, problems: [] });
    write({ levels: [P[0], { ...P[1], id: 'P2', label: 'Slow' }] });
    expect(await severities(app)).toEqual({ levels: [P[0], { ...P[1], label: 'Slow' }], problems: [] });
    write({ levels: [P[0], { ...P[1], id: 'p1' }] });
    expect(await severities(app)).toEqual({
      levels: [P[0], { ...P[1], label: 'Slow' }],
      problems: [{ file: 'severities.json', path: 'levels[1].id', message: '"p1" is used twice (as "P1" before; ids are compared ignoring case)' }],
    });
  });
});

describe('a custom scale', () => {
  it('takes over walls with a major P1 on its 15-minute cadence, not with a P2', async () => {
    const app = await start(P);
    const p1 = await declareIncident(app.app, { title: 'Payments down', severity: 'P1' });
    expect(p1.nextUpdateDueAt).toBe(iso(NOW + 15 * MIN));
    expect(summaries(app)).toMatchObject([{ id: 'inc-1', severity: 'P1', major: true, nextUpdateDueAt: iso(NOW + 15 * MIN) }]);

    // Any case is the level's id, as SEV levels always were.
    const p2 = await declareIncident(app.app, { title: 'Search slow', severity: 'p2' });
    expect(p2.severity).toBe('P2');
    expect(p2.nextUpdateDueAt).toBe(iso(NOW + 120 * MIN));
    const p3 = await declareIncident(app.app, { title: 'Typo on invoices', severity: 'P3' });
    expect(p3.nextUpdateDueAt).toBeNull();
    // Most severe first on the file's scale; only the P1 is major.
    expect(summaries(app).map((s) => [s.severity, s.major])).toEqual([
      ['P1', true],
      ['P2', false],
      ['P3', false],
    ]);

    // Raising the P3 to P1 starts its clock and makes it major; the timeline says raised.
    const raised = await patchIncident(app.app, p3.id, { severity: 'P1' });
    expect(raised.nextUpdateDueAt).toBe(iso(NOW + 15 * MIN));
    expect(raised.timeline.at(-1)?.text).toBe('severity raised: P3 → P1');
    expect(summaries(app).find((s) => s.id === p3.id)?.major).toBe(true);
  });

  it('refuses a severity the file does not have, naming the ones it does', async () => {
    const app = await start(P);
    const declared = await call(app.app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: { title: 'x', severity: 'SEV1' } });
    expect(declared.statusCode).toBe(400);
    expect(declared.json().error.message).toBe('severity: must be one of P1, P2, P3, got "SEV1"');
    const p1 = await declareIncident(app.app, { title: 'Payments down', severity: 'P1' });
    const patched = await call(app.app, { method: 'PATCH', url: `/api/v1/incidents/${p1.id}`, as: 'commander', body: { severity: 'SEV2' } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.message).toBe('severity: must be one of P1, P2, P3, got "SEV2"');
    // Not a severity id at all: the schema refuses it before the scale is asked.
    const odd = await call(app.app, { method: 'POST', url: '/api/v1/incidents', as: 'commander', body: { title: 'x', severity: 'P 1' } });
    expect(odd.statusCode).toBe(400);
  });

  it('keeps an incident whose severity left the file: shown as its id, not major, no cadence', async () => {
    const app = await start(P);
    const p1 = await declareIncident(app.app, { title: 'Payments down', severity: 'P1' });
    expect(summaries(app)).toMatchObject([{ severity: 'P1', major: true }]);
    write({ levels: [P[1], P[2]] });

    const read = await expectIncident(await call(app.app, { method: 'GET', url: `/api/v1/incidents/${p1.id}`, as: 'viewer' }), 200);
    expect(read).toMatchObject({ severity: 'P1', nextUpdateDueAt: null });
    expect(summaries(app)).toMatchObject([{ id: p1.id, severity: 'P1', major: false, nextUpdateDueAt: null }]);

    // It still takes updates and changes, and its report names the id without a label.
    const updated = await expectIncident(
      await call(app.app, {
        method: 'POST',
        url: `/api/v1/incidents/${p1.id}/updates`,
        as: 'supervisor',
        body: { audience: 'customers', text: 'Looking into it.' },
      }),
      201,
    );
    expect(updated.severity).toBe('P1');
    const report = await call(app.app, { method: 'GET', url: `/api/v1/incidents/${p1.id}/report`, as: 'viewer' });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('**P1** · **investigating**');
    expect(report.body).toContain('- **Severity:** P1\n');
    // Moving it to a level the file has is the way back onto the scale.
    const moved = await patchIncident(app.app, p1.id, { severity: 'P2' });
    expect(moved.nextUpdateDueAt).toBe(iso(NOW + 120 * MIN));
    expect(moved.timeline.at(-1)?.text).toBe('severity raised: P1 → P2');
  });
});

describe('the templates', () => {
  it('say which severities a template names that the scale does not have', async () => {
    const app = await start(P);
    const template = { id: 'note', title: 'Note', severities: ['P1', 'SEV1'], audience: 'internal', text: '{title}' };
    fs.writeFileSync(path.join(dir!, 'templates.json'), JSON.stringify({ templates: [template] }));
    const response = await call(app.app, { method: 'GET', url: '/api/v1/templates', as: 'viewer' });
    expect(response.json().problems).toEqual([
      { path: 'templates[0].severities[1]', message: 'SEV1 is not a level of severities.json (P1, P2, P3); the template is not offered for it' },
    ]);
  });
});

describe('the incident list', () => {
  it('answers every incident whatever its severity', async () => {
    const app = await start(P);
    await declareIncident(app.app, { title: 'Payments down', severity: 'P1' });
    write({ levels: [P[2]] });
    const list = await call(app.app, { method: 'GET', url: '/api/v1/incidents?status=all', as: 'viewer' });
    expect(list.json<{ incidents: Incident[] }>().incidents.map((i) => [i.severity, i.nextUpdateDueAt])).toEqual([['P1', null]]);
  });
});
