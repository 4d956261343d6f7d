// The server sets how its heap grows unless the operator already did (server/heap-tuning.ts).
import { describe, expect, it } from 'vitest';
import { growingPercentFor, HEAP_GROWING_PERCENT, tuneHeap } from '../../server/heap-tuning.js';

const MB = 2 ** 20;

describe('tuneHeap', () => {
  it('leaves a growing percent given on the command line or in NODE_OPTIONS alone', () => {
    expect(tuneHeap(['--heap-growing-percent=50'], '')).toBe(false);
    expect(tuneHeap([], '--max-old-space-size=900 --heap_growing_percent=30')).toBe(false);
  });

  it('sets its own otherwise', () => {
    expect(tuneHeap(['--enable-source-maps'], '--max-old-space-size=900')).toBe(true);
  });
});

describe('the growing percent for a heap of a given size', () => {
  it('gives a small heap 32 MB of room, in whole percents up, at most doubling', () => {
    // 32 MB of 57 MB is 56.1%: 57. Of 100 MB, 32%. Of 16 MB or less: 200% and more, capped at 100.
    expect(growingPercentFor(57 * MB)).toBe(57);
    expect(growingPercentFor(100 * MB)).toBe(32);
    expect(growingPercentFor(16 * MB)).toBe(100);
    expect(growingPercentFor(0)).toBe(100);
  });

  it('is 10% from 128 MB on, where memory counts more (a million tickets in 600 MB)', () => {
    expect(growingPercentFor(127 * MB)).toBe(26);
    expect(growingPercentFor(128 * MB)).toBe(HEAP_GROWING_PERCENT);
    expect(growingPercentFor(200 * MB)).toBe(HEAP_GROWING_PERCENT);
    expect(growingPercentFor(2_000 * MB)).toBe(HEAP_GROWING_PERCENT);
  });
});
