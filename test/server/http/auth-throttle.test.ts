// The failed-authentication throttle on its own, on a fake clock: the window, Retry-After until
// the window ends, addresses kept apart, and its memory bound.
import { describe, expect, it } from 'vitest';
import { AuthThrottle } from '../../../server/auth/auth-throttle.js';

function throttleAt(start = 1_000_000): { throttle: AuthThrottle; advance: (ms: number) => void } {
  let now = start;
  return { throttle: new AuthThrottle({ now: () => now }), advance: (ms) => (now += ms) };
}

describe('AuthThrottle', () => {
  it('lets 20 failures through, then holds the address until the minute from the first ends', () => {
    const { throttle, advance } = throttleAt();
    for (let i = 0; i < 19; i++) throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSec('10.0.0.1')).toBe(0);
    advance(15_000);
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSec('10.0.0.1')).toBe(45);
    expect(throttle.retryAfterSec('10.0.0.2')).toBe(0);
    advance(44_500);
    expect(throttle.retryAfterSec('10.0.0.1')).toBe(1);
    advance(500);
    expect(throttle.retryAfterSec('10.0.0.1')).toBe(0);
    // A fresh window after the old one ended.
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSec('10.0.0.1')).toBe(0);
  });

  it('failures spread over more than a minute never add up to a hold', () => {
    const { throttle, advance } = throttleAt();
    for (let i = 0; i < 100; i++) {
      throttle.recordFailure('10.0.0.9');
      advance(4_000);
    }
    expect(throttle.retryAfterSec('10.0.0.9')).toBe(0);
  });

  it('keeps at most maxAddresses windows, expired ones first, then the oldest', () => {
    let now = 0;
    const throttle = new AuthThrottle({ now: () => now, maxAddresses: 100 });
    for (let i = 0; i < 100; i++) throttle.recordFailure(`a-${i}`);
    now = 61_000;
    throttle.recordFailure('fresh');
    expect(throttle.size).toBe(1);
    for (let i = 0; i < 1_000; i++) throttle.recordFailure(`b-${i}`);
    expect(throttle.size).toBeLessThanOrEqual(100);
    // The newest are the ones kept.
    for (let i = 0; i < 19; i++) throttle.recordFailure('b-999');
    expect(throttle.retryAfterSec('b-999')).toBeGreaterThan(0);
  });
});
