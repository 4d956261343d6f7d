// The bookkeeping of the Redis store's fault handling, without Redis: the spare copy of recent
// event ids that a re-seed puts back (bounded by the dedup window and by count, each id put back
// with no shorter a life than it had left), the generation marker's verdicts, and slow vs down.
import { describe, expect, it } from 'vitest';
import { GenerationTracker, parseMarker } from '../../../server/store/redis-generation.js';
import { RecentIds } from '../../../server/store/redis-recent-ids.js';
import { statusOf, STORE_SLOW_MS } from '../../../server/store/store-health.js';

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

describe('the generation marker', () => {
  const tracker = (): GenerationTracker => {
    const t = new GenerationTracker();
    t.adopt({ id: 'g1', count: 10, seeds: 0 });
    t.sawCount(12);
    return t;
  };

  it('finds nothing wrong while the marker keeps its id and its count grows', () => {
    const t = tracker();
    expect(t.judge(parseMarker(['g1', '12', null]))).toEqual({ kind: 'same' });
    expect(t.judge(parseMarker(['g1', '15', '0']))).toEqual({ kind: 'same' });
    expect(t.highestCount).toBe(15);
  });

  it('tells a vanished marker, another id and a count gone back', () => {
    expect(tracker().judge(parseMarker([null, null, null]))).toMatchObject({ kind: 'lost', loss: { kind: 'vanished', found: '' } });
    expect(tracker().judge(parseMarker(['g2', '0', '1']))).toMatchObject({ kind: 'lost', loss: { kind: 'changed', found: 'g2' } });
    const back = tracker().judge(parseMarker(['g1', '9', '0']));
    expect(back).toMatchObject({ kind: 'lost', loss: { kind: 'went-back', found: 'g1' } });
    expect(back.kind === 'lost' && back.loss.message).toMatch(/3 commits this instance saw are gone/);
  });

  it('asks for a reload, once, when another instance re-seeded', () => {
    const t = tracker();
    expect(t.judge(parseMarker(['g1', '12', '1']))).toEqual({ kind: 'reseeded-elsewhere' });
    expect(t.judge(parseMarker(['g1', '12', '1']))).toEqual({ kind: 'same' });
  });
});
