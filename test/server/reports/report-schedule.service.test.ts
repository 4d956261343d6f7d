// The report schedule through the app (docs/contract.md#reports-to-management), with a fake clock in
// Europe/Berlin: the shipped weekly definition ("0 7 * * 1", local time) fires on the Monday after
// the autumn DST change at 07:00 CET (06:00 UTC), once; a restart within the scheduled minute does
// not run it again; after three weeks down, one run catches up (the latest week), not three; two
// instances sharing Redis run it once between them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRun } from '../../../contract/reports.js';
import { startTestApp, type TestApp, tempDir } from '../../helpers/app.js';
import { RedisServer } from '../../helpers/redis-server.js';

function weeklyOnly(): string {
  const dashboards = tempDir('watchfloor-schedule-');
  fs.mkdirSync(path.join(dashboards, 'reports'));
  fs.copyFileSync(path.resolve('dashboards/reports/weekly.json'), path.join(dashboards, 'reports/weekly.json'));
  return dashboards;
}

const scheduled = (runs: readonly ReportRun[]): string[] =>
  runs.filter((r) => r.trigger === 'schedule').map((r) => `${r.reportId} ${r.periodStart}..${r.periodEnd}`);

describe('the weekly schedule on one instance', () => {
  const dashboards = weeklyOnly();
  let clock = Date.parse('2026-10-26T05:58:00Z');
  let t: TestApp;
  let dataDir: string | undefined;
  const start = async (): Promise<void> => {
    t = await startTestApp({ now: () => clock, env: { TZ: 'Europe/Berlin', DASHBOARDS_DIR: dashboards }, ...(dataDir === undefined ? {} : { dataDir }) });
    dataDir = t.dataDir;
    await t.app.ready();
  };
  beforeAll(start);
  afterAll(async () => {
    await t?.close();
  });

  it('fires at 07:00 local on the Monday after the clocks went back, for the 25-hour-Sunday week, once', async () => {
    clock = Date.parse('2026-10-26T05:59:30Z');
    expect(await t.app.reports.service.runDue()).toEqual([]);
    clock = Date.parse('2026-10-26T06:00:10Z');
    const runs = await t.app.reports.service.runDue();
    expect(scheduled(runs)).toEqual(['weekly 2026-10-19..2026-10-26']);
    expect(runs[0]?.status).toBe('done');
    expect(await t.app.reports.service.runDue()).toEqual([]);
  });

  it('a restart within the scheduled minute does not run it again', async () => {
    await t.close();
    clock = Date.parse('2026-10-26T06:00:40Z');
    await start();
    expect(await t.app.reports.service.runDue()).toEqual([]);
    expect(scheduled(await t.app.reports.runs.list(50))).toEqual(['weekly 2026-10-19..2026-10-26']);
  });

  it('after three weeks down, one run catches up: the latest week', async () => {
    await t.close();
    clock = Date.parse('2026-11-16T10:00:00Z');
    await start();
    expect(scheduled(await t.app.reports.service.runDue())).toEqual(['weekly 2026-11-09..2026-11-16']);
    expect(scheduled(await t.app.reports.runs.list(50))).toEqual(['weekly 2026-11-09..2026-11-16', 'weekly 2026-10-19..2026-10-26']);
  });
});

describe('two instances sharing Redis', () => {
  let redis: RedisServer;
  const apps: TestApp[] = [];
  let clock = Date.parse('2026-11-23T05:59:00Z');
  beforeAll(async () => {
    redis = await RedisServer.start();
    const dashboards = weeklyOnly();
    for (let i = 0; i < 2; i++) {
      const t = await startTestApp({ now: () => clock, env: { TZ: 'Europe/Berlin', DASHBOARDS_DIR: dashboards, REDIS_URL: redis.url } });
      await t.app.ready();
      apps.push(t);
    }
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
    await redis?.stop();
  });

  it('run the week once between them', async () => {
    clock = Date.parse('2026-11-23T06:00:05Z');
    const made = await Promise.all(apps.map((t) => t.app.reports.service.runDue()));
    expect(made.flat().length).toBe(1);
    for (const t of apps) expect(scheduled(await t.app.reports.runs.list(50))).toEqual(['weekly 2026-11-16..2026-11-23']);
  });
});
