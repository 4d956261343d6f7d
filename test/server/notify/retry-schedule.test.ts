// The retry schedule of outbound notifications (docs/contract.md#outbound-notifications).
import { describe, expect, it } from 'vitest';
import { retryWaitMs, verdict } from '../../../server/notify/retry-schedule.js';

const H = 3_600_000;

describe('retryWaitMs', () => {
  it('waits 2 s, then doubles, up to 10 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map((n) => retryWaitMs(n))).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 600_000, 600_000,
    ]);
  });
  it('scales with the base (tests use a small one)', () => {
    expect([1, 2, 3].map((n) => retryWaitMs(n, 50))).toEqual([50, 100, 200]);
  });
});

describe('verdict', () => {
  const created = 1_000_000;
  it('delivers on 2xx', () => {
    expect(verdict({ status: 204 }, 1, created, created + 10)).toEqual({ kind: 'delivered' });
  });
  it('retries 5xx, 408, 429 and no answer after the schedule', () => {
    expect(verdict({ status: 503 }, 1, created, created + 10)).toEqual({ kind: 'retry', at: created + 2_010 });
    expect(verdict({ status: 408 }, 2, created, created + 10)).toEqual({ kind: 'retry', at: created + 4_010 });
    expect(verdict({ status: 429 }, 3, created, created + 10)).toEqual({ kind: 'retry', at: created + 8_010 });
    expect(verdict({ error: 'no connection (ECONNREFUSED)' }, 1, created, created)).toEqual({ kind: 'retry', at: created + 2_000 });
  });
  it('stops at 410 and at any other 4xx or 3xx', () => {
    expect(verdict({ status: 410 }, 1, created, created).kind).toBe('failed');
    expect(verdict({ status: 400 }, 1, created, created).kind).toBe('failed');
    expect(verdict({ status: 404 }, 1, created, created).kind).toBe('failed');
    expect(verdict({ status: 302 }, 1, created, created).kind).toBe('failed');
  });
  it('gives up when the next attempt would be more than 24 h after the event', () => {
    // 10 min waits: at 23 h 50 min the next would be at 24 h exactly (still tried); a minute later, not.
    expect(verdict({ status: 500 }, 30, created, created + 24 * H - 600_000)).toEqual({ kind: 'retry', at: created + 24 * H });
    expect(verdict({ status: 500 }, 30, created, created + 24 * H - 540_000).kind).toBe('failed');
  });
});
