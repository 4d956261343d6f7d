// The server sets how its heap grows unless the operator already did (server/heap-tuning.ts).
import { describe, expect, it } from 'vitest';
import { tuneHeap } from '../../server/heap-tuning.js';

describe('tuneHeap', () => {
  it('leaves a growing percent given on the command line or in NODE_OPTIONS alone', () => {
    expect(tuneHeap(['--heap-growing-percent=50'], '')).toBe(false);
    expect(tuneHeap([], '--max-old-space-size=900 --heap_growing_percent=30')).toBe(false);
  });

  it('sets its own otherwise', () => {
    expect(tuneHeap(['--enable-source-maps'], '--max-old-space-size=900')).toBe(true);
  });
});
