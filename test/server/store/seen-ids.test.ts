// The embedded store's set of seen event ids, against a plain Set as the oracle.
import { describe, expect, it } from 'vitest';
import { SeenIds } from '../../../server/store/seen-ids.js';

const HOUR = 3_600_000;

describe('SeenIds', () => {
  it('answers like a Set through growth, for ids that differ in one character', () => {
    const seen = new SeenIds();
    const oracle = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      const id = `zd-${i % 150_000}-${i % 7}`;
      expect(seen.add(id, 0)).toBe(!oracle.has(id));
      oracle.add(id);
    }
    expect(seen.size).toBe(oracle.size);
    for (let i = 0; i < 1_000; i++) expect(seen.has(`zd-${i}-x`)).toBe(false);
    expect(seen.has('zd-10-3')).toBe(true);
  });

  it('forgets ids older than the window, keeping the newer ones', () => {
    const seen = new SeenIds();
    for (let i = 0; i < 1_000; i++) seen.add(`old-${i}`, 0);
    for (let i = 0; i < 1_000; i++) seen.add(`new-${i}`, 20 * HOUR);
    seen.expire(10 * HOUR);
    expect(seen.size).toBe(1_000);
    expect(seen.has('old-5')).toBe(false);
    expect(seen.has('new-5')).toBe(true);
    expect(seen.add('old-5', 21 * HOUR)).toBe(true);
  });

  it('gives back a deleted id (a batch that could not be stored) and keeps the others findable', () => {
    const seen = new SeenIds();
    for (let i = 0; i < 5_000; i++) seen.add(`e-${i}`, 0);
    seen.delete('e-42');
    expect(seen.has('e-42')).toBe(false);
    for (let i = 0; i < 5_000; i++) if (i !== 42) expect(seen.has(`e-${i}`)).toBe(true);
    expect(seen.add('e-42', 0)).toBe(true);
  });

  it('forgets a whole batch of ids at once and keeps every other id findable', () => {
    const seen = new SeenIds();
    const oracle = new Set<string>();
    // Near the load limit, so that probe chains are long and run through forgotten slots.
    for (let i = 0; i < 32_000; i++) {
      seen.add(`k-${i}`, 0);
      oracle.add(`k-${i}`);
    }
    const batch = Array.from({ length: 500 }, (_, i) => `k-${i * 61}`);
    seen.forget([...batch, 'never-seen']);
    for (const id of batch) oracle.delete(id);
    expect(seen.size).toBe(oracle.size);
    for (let i = 0; i < 32_000; i++) expect(seen.has(`k-${i}`)).toBe(oracle.has(`k-${i}`));
    for (const id of batch) expect(seen.add(id, 0)).toBe(true);
  });
});
