// The suggestion book: opened by a qualifying cluster, updated as it grows, dismissed until it
// doubles, declared once, bounded.
import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../../server/surge/clusters.js';
import { MAX_SUGGESTIONS, SuggestionBook } from '../../../server/surge/suggestions.js';

const MIN = 60_000;
const view = (fields: Partial<ClusterView> = {}): ClusterView => ({
  id: 'c-1',
  line: 'l1',
  title: 'Payment failed at checkout',
  keywords: ['checkout', 'payment'],
  tags: ['payments'],
  tickets: ['t1', 't2', 't3', 't4', 't5'],
  count: 5,
  firstAt: 0,
  lastAt: 10 * MIN,
  windowCount: 5,
  qualifies: true,
  priorPerHour: 0,
  ...fields,
});

describe('SuggestionBook', () => {
  it('opens a suggestion only for a qualifying cluster', () => {
    const book = new SuggestionBook(15);
    expect(book.observeCluster(view({ qualifies: false, count: 4, windowCount: 4 }), MIN)).toBeNull();
    const opened = book.observeCluster(view(), 10 * MIN);
    expect(opened).toEqual({
      id: 'c-1',
      kind: 'cluster',
      line: 'l1',
      title: 'Payment failed at checkout',
      keywords: ['checkout', 'payment'],
      tags: ['payments'],
      tickets: ['t1', 't2', 't3', 't4', 't5'],
      count: 5,
      firstAt: 0,
      lastAt: 10 * MIN,
      // Five in a 15-minute window: 20 an hour.
      ratePerHour: 20,
      expectedPerHour: 0,
      status: 'open',
      incidentId: null,
      history: [{ at: 10 * MIN, by: 'system', action: 'opened' }],
    });
  });

  it('updates the same suggestion as the cluster grows, even once it stops qualifying', () => {
    const book = new SuggestionBook(15);
    book.observeCluster(view(), 10 * MIN);
    expect(book.observeCluster(view(), 10 * MIN)).toBeNull();
    const grown = book.observeCluster(view({ count: 7, windowCount: 3, qualifies: false, lastAt: 30 * MIN }), 30 * MIN);
    expect(grown).toMatchObject({ id: 'c-1', count: 7, ratePerHour: 12, lastAt: 30 * MIN, status: 'open' });
    expect(book.list()).toHaveLength(1);
  });

  it('keeps a dismissed one quiet until its count doubles, then re-opens it once', () => {
    const book = new SuggestionBook(15);
    book.observeCluster(view({ count: 6 }), MIN);
    expect(book.dismiss('c-1', 'sam', 'known, planned', 2 * MIN)).toMatchObject({ ok: true, suggestion: { status: 'dismissed' } });
    expect(book.observeCluster(view({ count: 11 }), 3 * MIN)).toMatchObject({ status: 'dismissed', count: 11 });
    expect(book.list('open')).toEqual([]);
    expect(book.observeCluster(view({ count: 12 }), 4 * MIN)).toMatchObject({ status: 'open', count: 12 });
    expect(book.observeCluster(view({ count: 30 }), 5 * MIN)?.history.map((h) => h.action)).toEqual(['opened', 'dismissed', 'reopened']);
    // Dismissed again at 30: quiet until 60.
    book.dismiss('c-1', 'kim', 'still the same thing', 6 * MIN);
    expect(book.observeCluster(view({ count: 59 }), 7 * MIN)?.status).toBe('dismissed');
    expect(book.observeCluster(view({ count: 60 }), 8 * MIN)?.status).toBe('open');
  });

  it('declares once, with who and the incident', () => {
    const book = new SuggestionBook(15);
    book.observeCluster(view(), MIN);
    expect(book.declare('c-1', 'alex', 'inc-7', 2 * MIN)).toMatchObject({ ok: true, suggestion: { status: 'declared', incidentId: 'inc-7' } });
    expect(book.declare('c-1', 'alex', 'inc-8', 3 * MIN)).toEqual({ ok: false, error: 'declared' });
    expect(book.dismiss('c-1', 'sam', 'no', 3 * MIN)).toEqual({ ok: false, error: 'declared' });
    expect(book.dismiss('nope', 'sam', 'no', 3 * MIN)).toEqual({ ok: false, error: 'not-found' });
    // A declared suggestion keeps following its cluster, and stays declared.
    expect(book.observeCluster(view({ count: 40 }), 4 * MIN)).toMatchObject({ status: 'declared', count: 40 });
    expect(book.get('c-1')?.history).toEqual([
      { at: MIN, by: 'system', action: 'opened' },
      { at: 2 * MIN, by: 'alex', action: 'declared' },
    ]);
  });

  it('keeps ids from input as data', () => {
    const book = new SuggestionBook(15);
    book.observeCluster(view({ id: '__proto__' }), MIN);
    expect(book.get('__proto__')?.id).toBe('__proto__');
    expect(book.get('constructor')).toBeUndefined();
  });

  it('forgets old suggestions and stays bounded', () => {
    const book = new SuggestionBook(15);
    for (let i = 0; i < MAX_SUGGESTIONS + 20; i += 1) book.observeCluster(view({ id: `c-${i}`, lastAt: i * MIN }), i * MIN);
    expect(book.list()).toHaveLength(MAX_SUGGESTIONS);
    expect(book.get('c-0')).toBeUndefined();
    expect(book.prune((MAX_SUGGESTIONS + 10) * MIN)).toHaveLength(MAX_SUGGESTIONS - 10);
    expect(book.list().map((s) => s.id)).toEqual(Array.from({ length: 10 }, (_, i) => `c-${MAX_SUGGESTIONS + 10 + i}`));
  });
});
