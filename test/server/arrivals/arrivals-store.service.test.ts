// Arrivals per line per 15 minutes, in both stores: SQLite under DATA_DIR and a real throwaway Redis.
// Each ticket counts once however often it is sent, by the bucket of its createdAt, kept 400 days.
import { describe, expect, it } from 'vitest';
import { type ArrivalsStore, BUCKET_MS, RETENTION_MS } from '../../../server/arrivals/arrivals-store.js';
import { EmbeddedArrivalsStore } from '../../../server/arrivals/embedded-arrivals-store.js';
import { RedisArrivalsStore } from '../../../server/arrivals/redis-arrivals-store.js';
import { tempDir } from '../../helpers/tokens.js';
import { redisForThisFile } from '../../helpers/redis-per-file.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const t = (iso: string) => Date.parse(iso);

const redis = redisForThisFile();
const redisStore = (): RedisArrivalsStore => new RedisArrivalsStore(redis.connect());

const kinds: [string, () => ArrivalsStore, () => ArrivalsStore][] = [
  ['embedded', () => new EmbeddedArrivalsStore({ dataDir: dir }), () => new EmbeddedArrivalsStore({ dataDir: dir })],
  ['redis', redisStore, redisStore],
];
let dir = tempDir();

describe.each(kinds)('%s arrivals store', (kind, open, openAgain) => {
  it('counts each ticket once, in the 15-minute bucket of its createdAt', async () => {
    dir = tempDir();
    if (kind === 'redis') await redis.server.flush();
    const store = open();
    await store.record(
      [
        { key: 'zd/1', line: 'l1', createdAt: t('2026-12-02T09:00:00Z') },
        { key: 'zd/2', line: 'l1', createdAt: t('2026-12-02T09:14:59.999Z') },
        { key: 'zd/3', line: 'l1', createdAt: t('2026-12-02T09:15:00Z') },
        { key: 'zd/4', line: 'l2', createdAt: t('2026-12-02T09:05:00Z') },
        { key: 'zd/1', line: 'l1', createdAt: t('2026-12-02T09:00:00Z') },
      ],
      NOW,
    );
    // The same ticket again, in a later call (a backfill sent twice): still once.
    await store.record([{ key: 'zd/2', line: 'l1', createdAt: t('2026-12-02T09:14:59.999Z') }], NOW);
    const counts = await store.counts('l1', t('2026-12-02T00:00:00Z'), t('2026-12-03T00:00:00Z'));
    expect([...counts]).toEqual([
      [t('2026-12-02T09:00:00Z'), 2],
      [t('2026-12-02T09:15:00Z'), 1],
    ]);
    expect([...(await store.counts('l2', t('2026-12-02T00:00:00Z'), t('2026-12-03T00:00:00Z')))]).toEqual([[t('2026-12-02T09:00:00Z'), 1]]);
    // A backfill of an older ticket moves the start of the line's history back.
    expect(await store.historyStart('l1')).toBe(t('2026-12-02T09:00:00Z'));
    await store.record([{ key: 'zd/0', line: 'l1', createdAt: t('2026-11-20T10:20:00Z') }], NOW);
    expect(await store.historyStart('l1')).toBe(t('2026-11-20T10:15:00Z'));
    expect(await store.historyStart('l3')).toBeNull();
    // Reopened (a restart, or another instance): the counts and the memory of what was counted stay.
    await store.close();
    const again = openAgain();
    await again.record([{ key: 'zd/3', line: 'l1', createdAt: t('2026-12-02T09:15:00Z') }], NOW);
    expect((await again.counts('l1', t('2026-12-02T09:15:00Z'), t('2026-12-02T09:30:00Z'))).get(t('2026-12-02T09:15:00Z'))).toBe(1);
    await again.close();
  });

  it('answers ranges across days, the end excluded, and keeps line names as data', async () => {
    dir = tempDir();
    if (kind === 'redis') await redis.server.flush();
    const store = open();
    const arrivals = [];
    // One ticket an hour from Nov 30 22:00 to Dec 1 02:00 on a line named like an object member.
    for (let h = 0; h < 5; h++) arrivals.push({ key: `x/${h}`, line: '__proto__', createdAt: t('2026-11-30T22:00:00Z') + h * 3_600_000 });
    await store.record(arrivals, NOW);
    const counts = await store.counts('__proto__', t('2026-11-30T23:00:00Z'), t('2026-12-01T02:00:00Z'));
    expect([...counts.keys()]).toEqual([t('2026-11-30T23:00:00Z'), t('2026-12-01T00:00:00Z'), t('2026-12-01T01:00:00Z')]);
    expect((await store.counts('constructor', 0, NOW)).size).toBe(0);
    await store.close();
  });

  it('ignores arrivals older than the retention and forgets what ages out', async () => {
    dir = tempDir();
    if (kind === 'redis') await redis.server.flush();
    const store = open();
    const old = NOW - RETENTION_MS - BUCKET_MS;
    const kept = NOW - RETENTION_MS + 2 * 86_400_000;
    await store.record(
      [
        { key: 'a', line: 'l1', createdAt: old },
        { key: 'b', line: 'l1', createdAt: kept },
      ],
      NOW,
    );
    expect([...(await store.counts('l1', 0, NOW)).values()]).toEqual([1]);
    await store.sweep(NOW + 3 * 86_400_000);
    if (kind === 'embedded') expect((await store.counts('l1', 0, NOW)).size).toBe(0);
    await store.close();
  });
});

describe('the embedded store after a clean stop', () => {
  it('says once that every arrival was stored, and forgets it at once', async () => {
    dir = tempDir();
    const store = new EmbeddedArrivalsStore({ dataDir: dir });
    // Never said (a DATA_DIR that never saw a clean stop): not taken for one.
    expect(await store.takeAllStored()).toBe(false);
    await store.markAllStored();
    await store.markAllStored();
    await store.close();
    const again = new EmbeddedArrivalsStore({ dataDir: dir });
    expect(await again.takeAllStored()).toBe(true);
    // Taken: a crash from here on leaves it unsaid.
    expect(await again.takeAllStored()).toBe(false);
    await again.close();
    const third = new EmbeddedArrivalsStore({ dataDir: dir });
    expect(await third.takeAllStored()).toBe(false);
    await third.close();
  });

  it('is never said by the Redis store, which instances share', async () => {
    const store = redisStore();
    await store.markAllStored();
    expect(await store.takeAllStored()).toBe(false);
  });
});

describe('two instances on one Redis', () => {
  it('count a ticket both take once', async () => {
    await redis.server.flush();
    const a = redisStore();
    const b = redisStore();
    const arrival = { key: 'jsm/77', line: 'l2', createdAt: t('2026-12-02T10:40:00Z') };
    await Promise.all([a.record([arrival], NOW), b.record([arrival], NOW), a.record([arrival], NOW)]);
    expect([...(await b.counts('l2', t('2026-12-02T10:00:00Z'), t('2026-12-02T11:00:00Z')))]).toEqual([[t('2026-12-02T10:30:00Z'), 1]]);
  });
});
