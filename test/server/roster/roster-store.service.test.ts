// The roster kept in both stores (SQLite under DATA_DIR, a real throwaway Redis): an upload replaces
// what starts inside its range, a refused one changes nothing, and what is stored survives a reopen.
import { describe, expect, it } from 'vitest';
import type { UploadedShift } from '../../../server/roster/roster.js';
import { EmbeddedRosterStore } from '../../../server/roster/embedded-roster-store.js';
import { RedisRosterStore } from '../../../server/roster/redis-roster-store.js';
import type { RosterStore } from '../../../server/roster/roster-store.js';
import { redisForThisFile } from '../../helpers/redis-per-file.js';
import { tempDir } from '../../helpers/tokens.js';

const t = (iso: string) => Date.parse(iso);
const shift = (row: number, agent: string, line: string, start: string, end: string): UploadedShift => ({
  agent,
  line,
  start: t(start),
  end: t(end),
  breaks: [],
  row,
});

const redis = redisForThisFile();
const redisStore = (): RedisRosterStore => new RedisRosterStore(redis.connect());

let dir = '';
const kinds: [string, () => RosterStore][] = [
  ['embedded', () => new EmbeddedRosterStore({ dataDir: dir })],
  ['redis', redisStore],
];

describe.each(kinds)('%s roster store', (kind, open) => {
  it('replaces what starts inside an upload, refuses overlaps without changing anything, and keeps it across a reopen', async () => {
    dir = tempDir();
    if (kind === 'redis') await redis.server.flush();
    const store = open();
    const week = [
      shift(2, 'A-1', 'l1', '2026-12-03T08:00:00Z', '2026-12-03T16:00:00Z'),
      shift(3, 'A-2', 'l1', '2026-12-03T12:00:00Z', '2026-12-03T20:00:00Z'),
      shift(4, 'A-1', 'l1', '2026-12-04T08:00:00Z', '2026-12-04T16:00:00Z'),
    ];
    expect(await store.replace(week)).toEqual({ ok: true, stored: 3, replaced: 0 });

    // The 3rd again, A-2 moved to l2: the two shifts starting on the 3rd are replaced, the 4th stays.
    const third = [
      shift(2, 'A-1', 'l1', '2026-12-03T08:00:00Z', '2026-12-03T16:00:00Z'),
      shift(3, 'A-2', 'l2', '2026-12-03T10:00:00Z', '2026-12-03T18:00:00Z'),
    ];
    expect(await store.replace(third)).toEqual({ ok: true, stored: 2, replaced: 2 });

    // A shift starting during A-1's shift of the 4th (which starts before it, so is not replaced): refused, naming it; nothing changes.
    const refused = await store.replace([shift(2, 'A-1', 'l3', '2026-12-04T15:00:00Z', '2026-12-04T20:00:00Z')]);
    expect(refused).toEqual({ ok: false, errors: ['agent "A-1": the stored shift 2026-12-04T08:00:00.000Z–2026-12-04T16:00:00.000Z and row 2 overlap'] });

    await store.close();
    const reopened = open();
    const stored = await reopened.shifts(t('2026-12-03T00:00:00Z'), t('2026-12-05T00:00:00Z'));
    expect(stored.map((s) => `${s.agent} ${s.line} ${new Date(s.start).toISOString().slice(8, 13)}`)).toEqual(['A-1 l1 03T08', 'A-2 l2 03T10', 'A-1 l1 04T08']);
    // A range that starts inside a shift still finds it.
    expect((await reopened.shifts(t('2026-12-03T15:00:00Z'), t('2026-12-03T15:30:00Z'))).map((s) => s.agent)).toEqual(['A-1', 'A-2']);
    await reopened.close();
  });
});

describe('two instances on one Redis', () => {
  it('apply concurrent uploads one after the other, never interleaved', async () => {
    await redis.server.flush();
    const a = redisStore();
    const b = redisStore();
    // Both plan against the empty roster; the second to write must re-read, and then sees the overlap.
    const [first, second] = await Promise.all([
      a.replace([shift(2, 'A-9', 'l1', '2026-12-05T08:00:00Z', '2026-12-05T16:00:00Z')]),
      b.replace([shift(2, 'A-9', 'l2', '2026-12-05T06:00:00Z', '2026-12-05T09:00:00Z'), shift(3, 'A-8', 'l2', '2026-12-05T06:00:00Z', '2026-12-05T07:00:00Z')]),
    ]);
    // a then b: b's range (06:00–09:00) holds a's 08:00 start, so b replaces it. b then a: b's 06:00
    // shift starts before a's range and stays, so a is refused for the overlap. Either way, never both.
    expect(first.ok || second.ok).toBe(true);
    if (!first.ok) expect(first.errors).toEqual(['agent "A-9": the stored shift 2026-12-05T06:00:00.000Z–2026-12-05T09:00:00.000Z and row 2 overlap']);
    const stored = await a.shifts(Date.parse('2026-12-05T00:00:00Z'), Date.parse('2026-12-06T00:00:00Z'));
    const agentShifts = stored.filter((s) => s.agent === 'A-9');
    expect(agentShifts).toHaveLength(1);
  });
});
