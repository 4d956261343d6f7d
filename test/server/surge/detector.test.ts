// Scripted streams through the whole detector: an outage among everyday tickets gives one
// suggestion that grows; everyday tickets alone give none; a dismissed one stays quiet until it doubles.
import { describe, expect, it } from 'vitest';
import { SurgeDetector } from '../../../server/surge/detector.js';
import type { Suggestion } from '../../../server/surge/suggestions.js';
import { SURGE_DEFAULTS } from '../../../server/surge/surge-file.js';
import { everydayStream, MINUTE, merged, outageStream, seeded, START } from './streams.js';

function run(detector: SurgeDetector, tickets: ReturnType<typeof merged>): Suggestion[] {
  const changed: Suggestion[] = [];
  for (const ticket of tickets) {
    const suggestion = detector.ticket(ticket);
    if (suggestion !== null) changed.push(structuredClone(suggestion));
  }
  return changed;
}

describe('SurgeDetector on scripted streams', () => {
  it('groups five differently worded tickets about one outage into one suggestion, and grows it to 25', () => {
    const detector = new SurgeDetector(SURGE_DEFAULTS);
    // An hour of everyday tickets first, about one every two minutes, which go on throughout.
    const everyday = everydayStream(seeded(7), 120, START - 60 * MINUTE, 2 * MINUTE);
    const firstFive = outageStream(5, START, 3 * MINUTE);
    const changes = run(
      detector,
      merged(
        everyday.filter((t) => t.at < START + 14 * MINUTE),
        firstFive,
      ),
    );
    const open = detector.suggestions.list('open');
    expect(open).toHaveLength(1);
    const [suggestion] = open;
    expect(suggestion).toMatchObject({
      kind: 'cluster',
      line: 'l1',
      count: 5,
      tickets: ['o-0', 'o-1', 'o-2', 'o-3', 'o-4'],
      firstAt: START,
      lastAt: START + 12 * MINUTE,
      ratePerHour: 20,
      expectedPerHour: 0,
      status: 'open',
      incidentId: null,
    });
    expect(suggestion!.tags).toEqual(['payments']);
    // Words of at least two tickets, most frequent first, as written (the common start of their
    // forms); "payment" and "оплата" are one concept, shown by its stem.
    expect(suggestion!.keywords).toEqual(['payment', 'checkout', 'fail', 'проходит']);
    expect(suggestion!.title).toBe('Payment failed at checkout');
    expect(suggestion!.history).toEqual([{ at: START + 12 * MINUTE, by: 'system', action: 'opened' }]);
    // Opened by the fifth ticket, not before.
    expect(changes.map((c) => c.count)).toEqual([5]);

    // Twenty more over the next half hour, among the everyday ones: the same suggestion grows.
    const more = outageStream(20, START + 13 * MINUTE, 90_000, 5);
    const later = run(
      detector,
      merged(
        everyday.filter((t) => t.at >= START + 14 * MINUTE),
        more,
      ),
    );
    expect(later.every((c) => c.id === suggestion!.id)).toBe(true);
    expect(detector.suggestions.list()).toHaveLength(1);
    const grown = detector.suggestions.get(suggestion!.id)!;
    expect(grown.count).toBe(25);
    expect(grown.tickets).toEqual(Array.from({ length: 25 }, (_, i) => `o-${i}`));
    expect(grown.history).toHaveLength(1);
    // "payment", "оплата", "оплаты", "оплату" are one keyword.
    expect(grown.keywords.filter((k) => k === 'payment' || k.startsWith('оплат'))).toEqual(['payment']);
  });

  it('raises nothing from 200 everyday tickets at a normal rate', () => {
    const detector = new SurgeDetector(SURGE_DEFAULTS);
    // 200 tickets about 100 seconds apart: some 9 every quarter-hour, over five and a half hours.
    const tickets = everydayStream(seeded(42), 200, START, 100_000);
    expect(run(detector, tickets)).toEqual([]);
    expect(detector.suggestions.list()).toEqual([]);
    // Not because nothing groups: the same subjects do form clusters, they just never surge.
    expect(detector.clusters.size).toBeLessThan(60);
  });

  it('gives the same ids to the same stream on another instance', () => {
    const stream = merged(everydayStream(seeded(3), 60, START - 30 * MINUTE, MINUTE), outageStream(8, START, MINUTE));
    const a = new SurgeDetector(SURGE_DEFAULTS);
    const b = new SurgeDetector(SURGE_DEFAULTS);
    run(a, stream);
    run(b, stream);
    expect(a.suggestions.list().map((s) => s.id)).toEqual(b.suggestions.list().map((s) => s.id));
    expect(a.suggestions.list()).toHaveLength(1);
  });

  it('counts a ticket seen again once', () => {
    const detector = new SurgeDetector(SURGE_DEFAULTS);
    const four = outageStream(4, START, MINUTE);
    // The helpdesk sends each ticket again on every update.
    run(
      detector,
      merged(
        four,
        four.map((t) => ({ ...t, at: t.at + 30_000 })),
        four.map((t) => ({ ...t, at: t.at + 45_000 })),
      ),
    );
    expect(detector.suggestions.list()).toEqual([]);
    run(detector, outageStream(1, START + 5 * MINUTE, MINUTE, 4));
    expect(detector.suggestions.list()).toMatchObject([{ count: 5 }]);
  });

  it('keeps a dismissed suggestion quiet until its cluster doubles', () => {
    const detector = new SurgeDetector(SURGE_DEFAULTS);
    run(detector, outageStream(6, START, MINUTE));
    const [opened] = detector.suggestions.list('open');
    const dismissed = detector.suggestions.dismiss(opened!.id, 'sam', 'planned maintenance', START + 7 * MINUTE);
    expect(dismissed.ok && dismissed.suggestion.status).toBe('dismissed');

    run(detector, outageStream(5, START + 8 * MINUTE, MINUTE, 6));
    expect(detector.suggestions.get(opened!.id)).toMatchObject({ status: 'dismissed', count: 11 });
    expect(detector.suggestions.list('open')).toEqual([]);
    // Still 11 of the 12 that doubling 6 takes: quiet. The twelfth re-opens it.
    run(detector, outageStream(1, START + 14 * MINUTE, MINUTE, 11));
    const reopened = detector.suggestions.get(opened!.id)!;
    expect(reopened.status).toBe('open');
    expect(reopened.count).toBe(12);
    expect(reopened.history).toEqual([
      { at: START + 4 * MINUTE, by: 'system', action: 'opened' },
      { at: START + 7 * MINUTE, by: 'sam', action: 'dismissed', reason: 'planned maintenance' },
      { at: START + 14 * MINUTE, by: 'system', action: 'reopened', reason: 'grew from 6 to 12 tickets since dismissed' },
    ]);
  });

  it('watches only the lines surge.json lists', () => {
    const detector = new SurgeDetector({ ...SURGE_DEFAULTS, lines: ['l2'] });
    run(detector, outageStream(10, START, MINUTE));
    expect(detector.suggestions.list()).toEqual([]);
  });

  it('suggests a line surge after two unlikely intervals in a row', () => {
    const detector = new SurgeDetector(SURGE_DEFAULTS);
    const interval = (i: number, observed: number) => ({
      line: 'l1',
      start: START + i * 30 * MINUTE,
      end: START + (i + 1) * 30 * MINUTE,
      observed,
      expected: 20,
      p90: 26,
    });
    expect(detector.interval(interval(0, 45), START + 30 * MINUTE)).toBeNull();
    const surge = detector.interval(interval(1, 50), START + 60 * MINUTE);
    expect(surge).toMatchObject({
      kind: 'surge',
      line: 'l1',
      count: 95,
      firstAt: START,
      lastAt: START + 60 * MINUTE,
      ratePerHour: 100,
      expectedPerHour: 40,
      status: 'open',
    });
    const grown = detector.interval(interval(2, 48), START + 90 * MINUTE);
    expect(grown?.id).toBe(surge?.id);
    expect(detector.suggestions.list()).toHaveLength(1);
  });
});
