// The spare copy of recent event ids that a re-seed puts back into Redis: bounded by the dedup
// window and by count, and each id put back with no shorter a life than it had left.
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../server/store/redis-recent-ids.js';
import { statusOf, STORE_SLOW_MS } from '../../server/store/store-health.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('RecentIds', () => {
  it('hands back each id with the rest of its window, never less', () => {
    const ids = new RecentIds(24 * HOUR, 1_000);
    ids.add(['a', 'b'], 0);
    ids.add(['c'], 30_000);
    ids.add(['d'], 2 * HOUR);
    const back = new Map(ids.entries(3 * HOUR));
    expect([...back.keys()]).toEqual(['a', 'b', 'c', 'd']);
    // a and b were seen at 0 s: 21 h left; measured from their chunk's latest id (c, 30 s), 30 s more.
    expect(back.get('a')).toBe(21 * HOUR + 30_000);
    expect(back.get('a')!).toBeGreaterThanOrEqual(21 * HOUR);
    expect(back.get('d')).toBe(23 * HOUR);
  });

  it('forgets ids past the window', () => {
    const ids = new RecentIds(24 * HOUR, 1_000);
    ids.add(['old'], 0);
    ids.add(['new'], 23 * HOUR);
    expect(ids.entries(24 * HOUR + MINUTE).map(([id]) => id)).toEqual(['new']);
    expect(ids.size).toBe(1);
  });

  it('keeps at most `cap` ids, dropping the oldest first', () => {
    const ids = new RecentIds(24 * HOUR, 5);
    ids.add(['1', '2', '3'], 0);
    ids.add(['4', '5', '6', '7'], 2 * MINUTE);
    expect(ids.size).toBe(5);
    expect(ids.entries(3 * MINUTE).map(([id]) => id)).toEqual(['3', '4', '5', '6', '7']);
  });
});

describe('store status', () => {
  it('tells slow from down', () => {
    expect(statusOf('ok', 5)).toEqual({ ok: true, state: 'ok', latencyMs: 5, slow: false, message: null });
    expect(statusOf('ok', STORE_SLOW_MS + 400)).toMatchObject({ ok: true, state: 'slow', slow: true });
    expect(statusOf('down', null, 'no answer')).toMatchObject({ ok: false, state: 'down', message: 'no answer' });
    expect(statusOf('read-only', 900, 'full')).toMatchObject({ ok: false, state: 'read-only', slow: true });
    expect(statusOf('data-lost', 3)).toMatchObject({ ok: false, state: 'data-lost' });
  });
});
