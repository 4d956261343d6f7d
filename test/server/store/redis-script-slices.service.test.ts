// The Redis writers that put many items into one script call (arrivals, daily figures): more items
// than one call takes, an item repeated across calls, and a ticket whose days move, give exactly
// what one call per item gave.
import { expect, it } from 'vitest';
import { RedisArrivalsStore } from '../../../server/arrivals/redis-arrivals-store.js';
import { type DayPart, emptyPart } from '../../../server/reports/day-parts.js';
import { RedisDailyStore } from '../../../server/reports/redis-daily-store.js';
import { redisForThisFile } from '../../helpers/redis-per-file.js';

const redis = redisForThisFile();
const t = (iso: string): number => Date.parse(iso);
const NOW = t('2026-12-02T12:00:00Z');

const part = (line: string, created: boolean): DayPart => ({ ...emptyPart(line, 'normal'), created });

it('arrivals: 450 in one record (five script calls), one repeated across calls, counted once each', async () => {
  const store = new RedisArrivalsStore(redis.connect(), 'slices:');
  const arrivals = Array.from({ length: 450 }, (_, i) => ({
    key: `zd/${i}`,
    line: i % 2 === 0 ? 'l1' : 'l "two"',
    createdAt: t('2026-12-02T09:00:00Z') + (i % 3) * 15 * 60_000,
  }));
  // zd/0 again in the last slice, and zd/1 once more in a later record.
  await store.record([...arrivals, arrivals[0]!], NOW);
  await store.record([arrivals[1]!], NOW);
  const l1 = await store.counts('l1', t('2026-12-02T00:00:00Z'), t('2026-12-03T00:00:00Z'));
  const l2 = await store.counts('l "two"', t('2026-12-02T00:00:00Z'), t('2026-12-03T00:00:00Z'));
  const expected = (even: boolean): Map<number, number> => {
    const counts = new Map<number, number>();
    arrivals.forEach((a, i) => {
      if ((i % 2 === 0) === even) counts.set(a.createdAt, (counts.get(a.createdAt) ?? 0) + 1);
    });
    return new Map([...counts].sort(([x], [y]) => x - y));
  };
  expect(l1).toEqual(expected(true));
  expect(l2).toEqual(expected(false));
  expect([...l1.values(), ...l2.values()].reduce((a, b) => a + b, 0)).toBe(450);
  expect(await store.historyStart('l1')).toBe(t('2026-12-02T09:00:00Z'));
});

it('daily figures: 450 tickets in one write (five script calls), then their days moved, each part where it belongs', async () => {
  const store = new RedisDailyStore(redis.connect(), 'slices:');
  const keys = Array.from({ length: 450 }, (_, i) => `zd/${i}`);
  // Each ticket on 1 and 2 December.
  await store.writeTickets(
    keys.map((key) => ({
      key,
      parts: new Map([
        ['2026-12-01', part('l1', true)],
        ['2026-12-02', part('l1', false)],
      ]),
    })),
  );
  let span = await store.read('2026-12-01', '2026-12-04');
  expect(span.parts.get('2026-12-01')).toHaveLength(450);
  expect(span.parts.get('2026-12-02')).toHaveLength(450);
  // Now the even ones only on 2 December, the odd ones on 2 and 3 December; zd/449 has no day left.
  await store.writeTickets(
    keys.map((key, i) => ({
      key,
      parts:
        i === 449
          ? new Map<string, DayPart>()
          : new Map(
              i % 2 === 0
                ? [['2026-12-02', part('l2', true)]]
                : [
                    ['2026-12-02', part('l2', false)],
                    ['2026-12-03', part('l2', false)],
                  ],
            ),
    })),
  );
  span = await store.read('2026-12-01', '2026-12-04');
  expect(span.parts.get('2026-12-01')).toBeUndefined();
  expect(span.parts.get('2026-12-02')).toHaveLength(449);
  expect(span.parts.get('2026-12-02')!.filter((p) => p.created)).toHaveLength(225);
  expect(span.parts.get('2026-12-03')).toHaveLength(224);
  expect(span.parts.get('2026-12-02')!.every((p) => p.line === 'l2')).toBe(true);
  // Every day hash expires on its own.
  const client = redis.connect();
  for (const day of ['2026-12-02', '2026-12-03']) expect(await client.ttl(`slices:daily:day:${day}`)).toBeGreaterThan(0);
});
