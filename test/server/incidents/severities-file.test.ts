// Validation of dashboards/severities.json (docs/contract.md#severities): every bad case refused with
// its JSON path, a good file taken as written, most severe first.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_LEVELS } from '../../../contract/incidents.js';
import { validateSeveritiesFile } from '../../../server/incidents/severities-file.js';

const level = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  label: `Level ${id}`,
  description: `What ${id} means.`,
  major: false,
  customerUpdateMinutes: null,
  ...extra,
});

const problemsOf = (value: unknown) => {
  const result = validateSeveritiesFile(value);
  if (result.ok) throw new Error('expected a refusal');
  return result.problems;
};

describe('severities.json', () => {
  it('takes a good file as written, in its order', () => {
    const levels = [level('P1', { major: true, customerUpdateMinutes: 15 }), level('P2'), level('p_3-low', { customerUpdateMinutes: 1440 })];
    expect(validateSeveritiesFile({ levels })).toEqual({ ok: true, config: { levels } });
    expect(validateSeveritiesFile({ levels: [level('A', { customerUpdateMinutes: 5 })] })).toMatchObject({ ok: true });
    // The built-in levels are a good file too.
    expect(validateSeveritiesFile({ levels: DEFAULT_SEVERITY_LEVELS })).toEqual({ ok: true, config: { levels: DEFAULT_SEVERITY_LEVELS } });
  });

  it('refuses a file that is not an object of 1 to 10 levels', () => {
    expect(problemsOf([])).toEqual([{ path: '', message: 'must be a JSON object {"levels": [...]}, got an array' }]);
    expect(problemsOf({})).toEqual([{ path: 'levels', message: 'must be an array of 1 to 10 levels, most severe first, got nothing' }]);
    expect(problemsOf({ levels: [] })).toEqual([{ path: 'levels', message: 'must be an array of 1 to 10 levels, most severe first, got 0 levels' }]);
    const eleven = Array.from({ length: 11 }, (_, i) => level(`L${i}`));
    expect(problemsOf({ levels: eleven })).toEqual([{ path: 'levels', message: 'must be an array of 1 to 10 levels, most severe first, got 11 levels' }]);
    expect(problemsOf({ levels: [level('P1')], colours: {} })).toEqual([{ path: 'colours', message: 'unknown key "colours"; allowed here: levels' }]);
  });

  it('names each bad field by its JSON path', () => {
    const problems = problemsOf({
      levels: [
        level('P1', { colour: 'red' }),
        level('-P2'),
        level('p1'),
        level('ABCDEFGHIJKLMNOPQ'),
        level('P5', { label: '' }),
        level('P6', { label: 'x'.repeat(41) }),
        level('P7', { description: 'x'.repeat(301) }),
        level('P8', { major: 'yes' }),
        level('P9', { customerUpdateMinutes: 4 }),
        level('P10', { customerUpdateMinutes: 1441 }),
      ],
    });
    expect(problems).toEqual([
      { path: 'levels[0].colour', message: 'unknown key "colour"; allowed here: id, label, description, major, customerUpdateMinutes' },
      { path: 'levels[1].id', message: 'must be a letter or digit then up to 15 letters, digits, "_" or "-", got "-P2"' },
      { path: 'levels[2].id', message: '"p1" is used twice (as "P1" before; ids are compared ignoring case)' },
      { path: 'levels[3].id', message: 'must be a letter or digit then up to 15 letters, digits, "_" or "-", got "ABCDEFGHIJKLMNOPQ"' },
      { path: 'levels[4].label', message: 'must be one line of 1 to 40 characters, got ""' },
      { path: 'levels[5].label', message: `must be one line of 1 to 40 characters, got ${JSON.stringify('x'.repeat(41)).slice(0, 40)}…` },
      { path: 'levels[6].description', message: 'must be one line of at most 300 characters, got 301 characters' },
      { path: 'levels[7].major', message: 'must be true (walls switch to incident mode) or false, got "yes"' },
      { path: 'levels[8].customerUpdateMinutes', message: 'must be null (no cadence) or whole minutes from 5 to 1440, got 4' },
      { path: 'levels[9].customerUpdateMinutes', message: 'must be null (no cadence) or whole minutes from 5 to 1440, got 1441' },
    ]);
  });

  it('refuses a cadence that is not whole minutes, a missing field, and a label over two lines', () => {
    expect(problemsOf({ levels: [level('P1'), 'P2'] })).toEqual([
      { path: 'levels[1]', message: 'must be an object {id, label, description, major, customerUpdateMinutes}, got "P2"' },
    ]);
    expect(problemsOf({ levels: [level('P1', { customerUpdateMinutes: 7.5 })] })).toEqual([
      { path: 'levels[0].customerUpdateMinutes', message: 'must be null (no cadence) or whole minutes from 5 to 1440, got 7.5' },
    ]);
    const { customerUpdateMinutes: _gone, ...noCadence } = level('P1');
    expect(problemsOf({ levels: [noCadence] })).toEqual([
      { path: 'levels[0].customerUpdateMinutes', message: 'must be null (no cadence) or whole minutes from 5 to 1440, got nothing' },
    ]);
    expect(problemsOf({ levels: [level('P1', { label: 'Two\nlines', description: 42 })] })).toEqual([
      { path: 'levels[0].label', message: 'must be one line of 1 to 40 characters, got "Two\\nlines"' },
      { path: 'levels[0].description', message: 'must be one line of at most 300 characters, got 42' },
    ]);
  });
});
