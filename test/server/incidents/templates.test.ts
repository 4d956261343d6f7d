// Update templates (docs/contract.md#templates), pure: filling from an incident (times HH:MM in the
// server's zone), and the file's validation with JSON paths, unknown placeholders included.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clockTime, fillTemplate, nextUpdateAt, placeholdersOf, templateValues } from '../../../server/incidents/templates.js';
import { validateTemplatesFile } from '../../../server/incidents/templates-file.js';

const NOW = Date.parse('2026-11-26T10:07:30.000Z');
const LOGIN = { number: 12, title: 'Login fails', severity: 'SEV2' as const, services: ['Login', 'SSO'], status: 'identified' as const };
const here = path.dirname(fileURLToPath(import.meta.url));

describe('filling', () => {
  it('puts in every placeholder; the next update is the cadence from now, rounded down to 5 minutes, in the zone', () => {
    // SEV2: 60 min → 11:07:30 → 11:05 UTC; 12:05 in Berlin (UTC+1 in November).
    expect(templateValues(LOGIN, NOW, 'UTC')).toEqual({
      number: '12',
      title: 'Login fails',
      severity: 'SEV2',
      services: 'Login, SSO',
      nextUpdateAt: '11:05',
      status: 'identified',
    });
    expect(templateValues(LOGIN, NOW, 'Europe/Berlin').nextUpdateAt).toBe('12:05');
    expect(templateValues(LOGIN, NOW, ':Asia/Kolkata').nextUpdateAt).toBe('16:35');
    // SEV1: 30 min → 10:37:30 → 10:35; SEV3/4 have no cadence: an hour.
    expect(new Date(nextUpdateAt({ severity: 'SEV1' }, NOW)).toISOString()).toBe('2026-11-26T10:35:00.000Z');
    expect(new Date(nextUpdateAt({ severity: 'SEV4' }, NOW)).toISOString()).toBe('2026-11-26T11:05:00.000Z');
    expect(clockTime(Date.parse('2026-11-26T23:59:00Z'), 'UTC')).toBe('23:59');
    expect(clockTime(Date.parse('2026-11-27T00:04:00Z'), 'UTC')).toBe('00:04');
    expect(templateValues({ ...LOGIN, services: [] }, NOW, 'UTC').services).toBe('our services');
  });

  it('fills in one pass, leaves unknown names as written and never fills a value again', () => {
    const values = templateValues({ ...LOGIN, title: 'Broken {services} {nextUpdateAt}' }, NOW, 'UTC');
    expect(fillTemplate('#{number} {title} ({severity}, {status}) on {services} until {nextUpdateAt}. {other} {number}', values)).toBe(
      '#12 Broken {services} {nextUpdateAt} (SEV2, identified) on Login, SSO until 11:05. {other} 12',
    );
    expect(fillTemplate('No placeholder { here }', values)).toBe('No placeholder { here }');
    expect(placeholdersOf('{a} {b_2} {a} {1x} { c } {d')).toEqual(['a', 'b_2', 'a']);
  });
});

describe('validateTemplatesFile', () => {
  const good = { id: 'sev1-customers', title: 'Investigating', severities: ['SEV1', 'SEV2'], audience: 'customers', text: 'We look at {title}.' };

  it('takes a good file', () => {
    expect(validateTemplatesFile({ templates: [good] })).toEqual({ ok: true, config: [good] });
    expect(validateTemplatesFile({ templates: [] })).toEqual({ ok: true, config: [] });
  });

  it('names each problem with its JSON path', () => {
    const result = validateTemplatesFile({
      extra: 1,
      templates: [
        { ...good, text: 'By {nextUpdateAt}, {eta} and {eta}, {Title}.' },
        { ...good, severities: ['SEV 5', 'SEV1', 'SEV1'], audience: 'everyone', colour: 'red' },
        { ...good, id: 'Bad Id', title: '' },
        { ...good, severities: [] },
        { ...good, id: 'sev1-customers-2', text: '' },
        'not a template',
      ],
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: 'extra', message: 'unknown key "extra"; allowed here: templates' },
        { path: 'templates[0].text', message: expect.stringMatching(/^unknown placeholder \{eta\}; known: \{number\}, \{title\}, \{severity\}, \{services\}/) },
        { path: 'templates[0].text', message: expect.stringMatching(/^unknown placeholder \{Title\}/) },
        { path: 'templates[1].colour', message: 'unknown key "colour"; allowed here: id, title, severities, audience, text' },
        { path: 'templates[1].id', message: '"sev1-customers" is used twice' },
        { path: 'templates[1].severities[0]', message: 'must be a severity id (a letter or digit then up to 15 letters, digits, "_" or "-"), got "SEV 5"' },
        { path: 'templates[1].severities[2]', message: 'SEV1 is listed twice' },
        { path: 'templates[1].audience', message: 'must be one of internal, customers, got "everyone"' },
        { path: 'templates[2].id', message: 'must be lower-case letters, digits and dashes (up to 64), got "Bad Id"' },
        { path: 'templates[2].title', message: 'must be one line of 1 to 200 characters, got ""' },
        { path: 'templates[3].id', message: '"sev1-customers" is used twice' },
        { path: 'templates[3].severities', message: 'must be a non-empty array of severity ids (severities.json), got an array' },
        { path: 'templates[4].text', message: 'must be a non-empty string, got ""' },
        { path: 'templates[5]', message: 'must be an object {id, title, severities, audience, text}, got "not a template"' },
      ],
    });
    expect(validateTemplatesFile([])).toEqual({ ok: false, problems: [{ path: '', message: 'must be a JSON object {"templates": [...]}, got an array' }] });
    expect(validateTemplatesFile({})).toEqual({ ok: false, problems: [{ path: 'templates', message: 'must be an array of templates, got nothing' }] });
  });

  it('takes the shipped dashboards/templates.json: investigating, identified, monitoring, resolved for customers, and an internal note', () => {
    const shipped = validateTemplatesFile(JSON.parse(fs.readFileSync(path.resolve(here, '../../../dashboards/templates.json'), 'utf8')));
    if (!shipped.ok) throw new Error(JSON.stringify(shipped.problems));
    const ids = shipped.config.map((t) => `${t.audience}:${t.id}`);
    for (const id of ['customers-investigating', 'customers-identified', 'customers-monitoring', 'customers-resolved'])
      expect(ids).toContain(`customers:${id}`);
    expect(ids).toContain('internal:internal-status-note');
  });
});
