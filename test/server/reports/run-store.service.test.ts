// Report runs in both stores (files under a temporary DATA_DIR, a real throwaway Redis): a scheduled
// claim is exactly-once per report and period, across processes and across a restart in the
// scheduled minute; manual runs always get a new run; files, listing, retention, and run ids from
// outside never reach a path or a key unchecked.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedReportRunStore } from '../../../server/reports/embedded-run-store.js';
import { RedisReportRunStore } from '../../../server/reports/redis-run-store.js';
import { MAX_RUN_FILE_BYTES, RUN_ID, type ReportRunStore } from '../../../server/reports/run-store.js';
import { dueRuns } from '../../../server/reports/schedule.js';
import { redisForThisFile } from '../../helpers/redis-per-file.js';
import { tempDir } from '../../helpers/tokens.js';

const t = (iso: string) => Date.parse(iso);
const WEEKLY = { id: 'weekly', title: 'Weekly', period: 'week' } as const;
const MONTHLY = { id: 'monthly', title: 'Monthly', period: 'month' } as const;
/** Monday 30 November 2026, 07:00 in Berlin: the weekly report's fire for the week of the 23rd. */
const FIRE = t('2026-11-30T06:00:00Z');

const redis = redisForThisFile();
const redisStore = (): RedisReportRunStore => new RedisReportRunStore(redis.connect());

let dir = '';
const kinds: [string, () => ReportRunStore, () => string][] = [
  ['embedded', () => new EmbeddedReportRunStore({ dataDir: dir }), () => dir],
  ['redis', redisStore, () => redis.server.url],
];

/** Claims in `n` processes at once; answers the run ids they got (null for a refused claim). */
async function raceInProcesses(kind: string, where: string, n: number): Promise<(string | null)[]> {
  const goAt = Date.now() + 3_000;
  const script = path.resolve('test/server/reports/run-store-claimer.ts');
  const answers = Array.from(
    { length: n },
    () =>
      new Promise<string | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, kind, where, String(goAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('exit', (code) => {
          if (code !== 0) reject(new Error(`claimer exited ${code}: ${err}`));
          else resolve(out.trim() === 'null' ? null : out.trim());
        });
      }),
  );
  return Promise.all(answers);
}

describe.each(kinds)('%s report run store', (kind, open, where) => {
  async function fresh(): Promise<ReportRunStore> {
    dir = tempDir();
    if (kind === 'redis') await redis.server.flush();
    return open();
  }

  it('claims a scheduled run once per report and period; manual runs always get a new run', async () => {
    const store = await fresh();
    const run = await store.claim(WEEKLY, '2026-11-23', 'schedule', 'scheduler', FIRE + 2_000);
    expect(run).toEqual({
      runId: expect.stringMatching(/^r-20261130060002-[0-9a-f]{8}$/),
      reportId: 'weekly',
      title: 'Weekly',
      period: 'week',
      periodStart: '2026-11-23',
      periodEnd: '2026-11-30',
      trigger: 'schedule',
      requestedBy: 'scheduler',
      startedAt: '2026-11-30T06:00:02.000Z',
      finishedAt: null,
      status: 'running',
      error: null,
    });
    expect(await store.claim(WEEKLY, '2026-11-23', 'schedule', 'scheduler', FIRE + 5_000)).toBeNull();
    expect(await store.lastScheduled('weekly')).toBe(FIRE + 2_000);

    const manual = await store.claim(WEEKLY, '2026-11-23', 'manual', 'ops-lead', FIRE + 60_000);
    const again = await store.claim(WEEKLY, '2026-11-23', 'manual', 'ops-lead', FIRE + 61_000);
    expect([manual?.trigger, manual?.requestedBy, again?.trigger]).toEqual(['manual', 'ops-lead', 'manual']);
    expect(new Set([run!.runId, manual!.runId, again!.runId]).size).toBe(3);
    // A manual run is not the schedule's.
    expect(await store.lastScheduled('weekly')).toBe(FIRE + 2_000);

    // Another period, and another report for the same start, are their own claims.
    expect((await store.claim(WEEKLY, '2026-11-30', 'schedule', 'scheduler', t('2026-12-07T06:00:01Z')))?.periodEnd).toBe('2026-12-07');
    expect((await store.claim(MONTHLY, '2026-11-01', 'schedule', 'scheduler', t('2026-12-01T06:00:01Z')))?.periodEnd).toBe('2026-12-01');
    expect(await store.lastScheduled('weekly')).toBe(t('2026-12-07T06:00:01Z'));
    expect(await store.lastScheduled('monthly')).toBe(t('2026-12-01T06:00:01Z'));
    expect(await store.lastScheduled('daily')).toBeNull();

    await expect(store.claim(WEEKLY, '2026-11-24', 'schedule', 'scheduler', FIRE)).rejects.toThrow('"2026-11-24" does not start a week');
    await expect(store.claim({ ...WEEKLY, id: '../x' }, '2026-11-23', 'manual', 'x', FIRE)).rejects.toThrow('not a report id: "../x"');
    await store.close();
  });

  it('a restart in the scheduled minute does not run the period again', async () => {
    const first = await fresh();
    const definition = { period: 'week', schedule: '0 7 * * 1' } as const;
    const [due] = dueRuns(definition, await first.lastScheduled('weekly'), FIRE + 1_000, 'Europe/Berlin');
    expect(due?.period).toEqual({ start: '2026-11-23', end: '2026-11-30' });
    expect(await first.claim(WEEKLY, due!.period.start, 'schedule', 'scheduler', FIRE + 1_000)).not.toBeNull();
    await first.close();

    // The process restarts 20 s later, in the same minute, with a new store on the same data.
    const second = open();
    const last = await second.lastScheduled('weekly');
    expect(last).toBe(FIRE + 1_000);
    expect(dueRuns(definition, last, FIRE + 21_000, 'Europe/Berlin')).toEqual([]);
    // Even a scheduler that had lost its last time would be refused the period.
    expect(await second.claim(WEEKLY, '2026-11-23', 'schedule', 'scheduler', FIRE + 21_000)).toBeNull();
    expect((await second.list(10)).length).toBe(1);
    await second.close();
  });

  it('two stores racing for one period in this process: exactly one wins', async () => {
    const stores = [await fresh(), open(), open()];
    const runs = await Promise.all(stores.map((s) => s.claim(WEEKLY, '2026-11-23', 'schedule', 'scheduler', FIRE)));
    expect(runs.filter((r) => r !== null)).toHaveLength(1);
    expect(await stores[0]!.list(10)).toHaveLength(1);
  });

  it('four processes racing for one period: exactly one wins', async () => {
    const store = await fresh();
    const won = await raceInProcesses(kind, where(), 4);
    const winners = won.filter((id) => id !== null);
    expect(winners).toHaveLength(1);
    expect((await store.list(10)).map((r) => r.runId)).toEqual(winners);
  }, 60_000);

  it('finishes a run with its files, takes a PDF later, and fails another', async () => {
    const store = await fresh();
    const run = (await store.claim(WEEKLY, '2026-11-23', 'schedule', 'scheduler', FIRE))!;
    expect(await store.file(run.runId, 'html')).toBeNull();

    const done = await store.finish(run.runId, { html: '<h1>Неделя</h1>', csv: 'date,line,created\n2026-11-23,all,5\n' }, FIRE + 3_000);
    expect(done).toEqual({ ...run, status: 'done', finishedAt: '2026-11-30T06:00:03.000Z' });
    expect(await store.get(run.runId)).toEqual(done);
    expect((await store.file(run.runId, 'html'))?.toString('utf8')).toBe('<h1>Неделя</h1>');
    expect((await store.file(run.runId, 'csv'))?.toString('utf8')).toBe('date,line,created\n2026-11-23,all,5\n');
    expect(await store.file(run.runId, 'pdf')).toBeNull();
    // A run ends once.
    expect(await store.finish(run.runId, { html: 'x', csv: 'y' }, FIRE + 4_000)).toBeNull();
    expect(await store.fail(run.runId, 'late', FIRE + 4_000)).toBeNull();

    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff]);
    expect(await store.putPdf(run.runId, pdf)).toBe(true);
    expect(await store.file(run.runId, 'pdf')).toEqual(pdf);
    await expect(store.putPdf(run.runId, Buffer.alloc(MAX_RUN_FILE_BYTES + 1))).rejects.toThrow(
      `report.pdf is ${MAX_RUN_FILE_BYTES + 1} bytes; a report file may be at most ${MAX_RUN_FILE_BYTES}`,
    );

    const other = (await store.claim(WEEKLY, '2026-11-23', 'manual', 'ops-lead', FIRE + 10_000))!;
    const failed = await store.fail(other.runId, 'no daily figures for 2026-11-23..2026-11-30', FIRE + 11_000);
    expect(failed).toEqual({ ...other, status: 'failed', finishedAt: '2026-11-30T06:00:11.000Z', error: 'no daily figures for 2026-11-23..2026-11-30' });
    expect(await store.file(other.runId, 'html')).toBeNull();
  });

  it('lists newest first, up to the limit', async () => {
    const store = await fresh();
    const ids: string[] = [];
    // Two in the same second (ids alike up to their random part), then later ones.
    for (const at of [FIRE, FIRE + 400, FIRE + 60_000, FIRE + 3_600_000]) ids.push((await store.claim(WEEKLY, '2026-11-23', 'manual', 'a', at))!.runId);
    expect((await store.list(10)).map((r) => r.runId)).toEqual([...ids].reverse());
    expect((await store.list(3)).map((r) => r.runId)).toEqual([ids[3], ids[2], ids[1]]);
    expect(await store.list(0)).toEqual([]);
    for (const id of ids) expect(id).toMatch(RUN_ID);
  });

  it('never takes a run id from outside for a path or a key', async () => {
    const store = await fresh();
    const run = (await store.claim(WEEKLY, '2026-11-23', 'manual', 'a', FIRE))!;
    await store.finish(run.runId, { html: 'h', csv: 'c' }, FIRE);
    for (const bad of ['../reports', `${run.runId}/../${run.runId}`, `${run.runId}\u0000`, 'r-20261130060000-zzzzzzzz', '', '*']) {
      expect(await store.get(bad)).toBeNull();
      expect(await store.file(bad, 'html')).toBeNull();
      expect(await store.putPdf(bad, Buffer.from('x'))).toBe(false);
      expect(await store.finish(bad, { html: 'h', csv: 'c' }, FIRE)).toBeNull();
    }
    expect(await store.file(run.runId, '../run.json' as 'html')).toBeNull();
    expect(await store.lastScheduled('../weekly')).toBeNull();
  });

  it('drops runs older than 400 days, with their files', async () => {
    const store = await fresh();
    const old = (await store.claim(WEEKLY, '2025-10-20', 'schedule', 'scheduler', t('2025-10-27T06:00:00Z')))!;
    await store.finish(old.runId, { html: 'old', csv: 'old' }, t('2025-10-27T06:00:05Z'));
    const kept = (await store.claim(WEEKLY, '2025-11-03', 'schedule', 'scheduler', t('2025-11-10T06:00:00Z')))!;
    // 2025-10-27 is 401 days before 2026-12-02; 2025-11-10 is 387.
    const now = (await store.claim(WEEKLY, '2026-11-23', 'schedule', 'scheduler', t('2026-12-02T06:00:00Z')))!;
    expect((await store.list(10)).map((r) => r.runId)).toEqual([now.runId, kept.runId]);
    expect(await store.get(old.runId)).toBeNull();
    expect(await store.file(old.runId, 'html')).toBeNull();
    if (kind === 'embedded') expect(fs.existsSync(path.join(dir, 'reports', old.runId))).toBe(false);
  });
});
