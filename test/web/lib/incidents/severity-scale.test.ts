// The console's view of the severity scale (docs/contract.md#severities), without a browser: badge
// colours by rank, the declare form's first choice, and when the built-in translations apply.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_LEVELS, type SeverityLevel } from '../../../../contract/incidents.js';
import { defaultSeverity, isBuiltIn, levelOf, rankOf, toneOf } from '../../../../web/src/lib/incidents/severity-scale.js';

const level = (id: string, major = false): SeverityLevel => ({ id, label: id, description: '', major, customerUpdateMinutes: null });

describe('the severity scale in the console', () => {
  it('colours four levels as before, and spreads other counts from red to grey', () => {
    expect([0, 1, 2, 3].map((rank) => toneOf(rank, 4))).toEqual([1, 2, 3, 4]);
    expect([0, 1, 2].map((rank) => toneOf(rank, 3))).toEqual([1, 3, 4]);
    expect([0, 1].map((rank) => toneOf(rank, 2))).toEqual([1, 4]);
    expect(toneOf(0, 1)).toBe(1);
    expect(Array.from({ length: 10 }, (_, rank) => toneOf(rank, 10))).toEqual([1, 1, 2, 2, 2, 3, 3, 3, 4, 4]);
    // Not on the scale (rank = count): a neutral badge.
    expect(toneOf(3, 3)).toBeNull();
    expect(toneOf(0, 0)).toBeNull();
  });

  it('ranks a severity the scale no longer has after every known one', () => {
    const levels = [level('P1'), level('P2')];
    expect(rankOf(levels, 'P2')).toBe(1);
    expect(rankOf(levels, 'SEV1')).toBe(2);
    expect(levelOf(levels, 'SEV1')).toBeUndefined();
  });

  it('offers the least severe major level first when declaring (SEV2 as shipped)', () => {
    expect(defaultSeverity(DEFAULT_SEVERITY_LEVELS)).toBe('SEV2');
    expect(defaultSeverity([level('P1', true), level('P2'), level('P3')])).toBe('P1');
    expect(defaultSeverity([level('low'), level('lower')])).toBe('low');
    expect(defaultSeverity([])).toBeNull();
  });

  it('keeps the translations of a built-in level only while it reads as shipped', () => {
    expect(DEFAULT_SEVERITY_LEVELS.every(isBuiltIn)).toBe(true);
    expect(isBuiltIn({ ...DEFAULT_SEVERITY_LEVELS[0]!, label: 'Outage' })).toBe(false);
    expect(isBuiltIn(level('P1'))).toBe(false);
  });
});
