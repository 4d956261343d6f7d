// The inbound limit's arithmetic (pure, on a hand-driven clock): a burst up to the capacity, then
// the refill rate, never more than the capacity saved up.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../server/live/token-bucket.js';

describe('TokenBucket', () => {
  it('allows the burst, refuses the next, and refills at its rate without saving beyond the capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 20, () => now);
    for (let i = 0; i < 100; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 50; // one token's worth at 20 a second
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 60_000; // a long quiet spell saves up 100, not 1,200
    let taken = 0;
    while (bucket.take()) taken++;
    expect(taken).toBe(100);
  });

  it('keeps up with a sender at exactly its rate for ever', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 20, () => now);
    for (let i = 0; i < 10_000; i++) {
      now += 50;
      expect(bucket.take()).toBe(true);
    }
  });
});
