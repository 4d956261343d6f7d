// `dashboards/surge.json`: defaults when keys are absent, and every mistake named by its JSON path.
import { describe, expect, it } from 'vitest';
import { SURGE_DEFAULTS, validateSurgeFile } from '../../../server/surge/surge-file.js';

describe('validateSurgeFile', () => {
  it('takes an empty file as the defaults', () => {
    expect(validateSurgeFile({})).toEqual({ ok: true, config: SURGE_DEFAULTS });
    expect(SURGE_DEFAULTS).toEqual({ minTickets: 5, windowMinutes: 15, similarity: 0.5, wall: false, lines: null });
  });

  it('takes every key', () => {
    expect(validateSurgeFile({ minTickets: 8, windowMinutes: 30, similarity: 0.6, wall: true, lines: ['l1', 'l2'] })).toEqual({
      ok: true,
      config: { minTickets: 8, windowMinutes: 30, similarity: 0.6, wall: true, lines: ['l1', 'l2'] },
    });
    expect(validateSurgeFile({ minTickets: 2, windowMinutes: 240, similarity: 0 })).toMatchObject({ ok: true });
    expect(validateSurgeFile({ windowMinutes: 1, similarity: 1 })).toMatchObject({ ok: true });
  });

  it('names each mistake by its path', () => {
    const result = validateSurgeFile({
      minTickets: 1,
      windowMinutes: 15.5,
      similarity: 1.2,
      wall: 'yes',
      lines: ['l1', 7, '', 'l1', 'a\u0000b'],
      colour: 'red',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      'colour',
      'minTickets',
      'windowMinutes',
      'similarity',
      'wall',
      'lines[1]',
      'lines[2]',
      'lines[3]',
      'lines[4]',
    ]);
    expect(result.problems[1]!.message).toBe('must be a whole number from 2 to 10000, got 1');
    expect(result.problems[7]!.message).toBe('"l1" is listed twice');
  });

  it('refuses what is not a file of settings', () => {
    for (const value of [null, [], 'surge', 5]) expect(validateSurgeFile(value)).toMatchObject({ ok: false, problems: [{ path: '' }] });
    expect(validateSurgeFile({ windowMinutes: 0 })).toMatchObject({ ok: false, problems: [{ path: 'windowMinutes' }] });
    expect(validateSurgeFile({ windowMinutes: 241 })).toMatchObject({ ok: false, problems: [{ path: 'windowMinutes' }] });
    expect(validateSurgeFile({ similarity: Number.NaN })).toMatchObject({ ok: false, problems: [{ path: 'similarity' }] });
    expect(validateSurgeFile({ lines: [] })).toMatchObject({ ok: false, problems: [{ path: 'lines' }] });
    expect(validateSurgeFile({ lines: 'l1' })).toMatchObject({ ok: false, problems: [{ path: 'lines' }] });
    expect(validateSurgeFile({ lines: Array.from({ length: 51 }, (_, i) => `l${i}`) })).toMatchObject({ ok: false, problems: [{ path: 'lines' }] });
  });

  it('keeps a line named like an object member as data', () => {
    const parsed = JSON.parse('{"lines": ["__proto__", "constructor"], "__proto__": 1}');
    const result = validateSurgeFile(parsed);
    expect(result).toMatchObject({ ok: false, problems: [{ path: '__proto__' }] });
    expect(validateSurgeFile(JSON.parse('{"lines": ["__proto__", "constructor"]}'))).toMatchObject({
      ok: true,
      config: { lines: ['__proto__', 'constructor'] },
    });
  });
});
