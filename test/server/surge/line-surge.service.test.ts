// A line's arrivals far above its forecast for two intervals raise a `surge` suggestion through the
// app: the staffing service's forecast, the arrivals store and the surge service's interval check
// (docs/contract.md#surge-detection).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suggestion } from '../../../contract/suggestions.js';
import { bearer, startTestApp, type TestApp, tempDir } from '../../helpers/app.js';

const NOW = Date.parse('2026-12-03T10:05:00Z');
const QUARTER = 15 * 60_000;
const STAFFING = { intervalMinutes: 30, lines: { l1: { model: 'workload', ahtSeconds: 600, shrinkage: 0.3, maxOccupancy: 0.85 } } };

let t: TestApp;
let clock = NOW;

beforeAll(async () => {
  const dashboards = tempDir('watchfloor-surge-');
  fs.writeFileSync(path.join(dashboards, 'staffing.json'), JSON.stringify(STAFFING));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboards, TZ: 'UTC' } });
  await t.app.ready();
  // Eight weeks before today: two arrivals every quarter hour, four an interval.
  const history = [];
  for (let at = Date.parse('2026-10-08T00:00:00Z'); at < Date.parse('2026-12-03T00:00:00Z'); at += QUARTER) {
    history.push({ key: `h/${at}/0`, line: 'l1', createdAt: at }, { key: `h/${at}/1`, line: 'l1', createdAt: at + 1 });
  }
  // Today until 09:00 as usual.
  for (let at = Date.parse('2026-12-03T00:00:00Z'); at < Date.parse('2026-12-03T09:00:00Z'); at += QUARTER) {
    history.push({ key: `d/${at}/0`, line: 'l1', createdAt: at }, { key: `d/${at}/1`, line: 'l1', createdAt: at + 1 });
  }
  await t.app.arrivals.record(history, NOW);
});
afterAll(async () => {
  await t?.close();
});

async function surges(): Promise<Suggestion[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/suggestions?status=open', headers: bearer('viewer') });
  return (response.json() as Suggestion[]).filter((s) => s.kind === 'surge');
}

describe('a line far above its forecast', () => {
  it('raises nothing for one interval, and a surge suggestion for the second in a row', async () => {
    // 09:00–09:30: 40 arrivals where about 4 are expected.
    const burst = (from: string, count: number, tag: string) =>
      Array.from({ length: count }, (_, i) => ({ key: `${tag}/${i}`, line: 'l1', createdAt: Date.parse(from) + i * 30_000 }));
    await t.app.arrivals.record(burst('2026-12-03T09:00:00Z', 40, 'b1'), NOW);
    clock = Date.parse('2026-12-03T09:31:00Z');
    await t.app.surge.intervals();
    expect(await surges()).toEqual([]);

    await t.app.arrivals.record(burst('2026-12-03T09:30:00Z', 40, 'b2'), NOW);
    clock = Date.parse('2026-12-03T10:01:00Z');
    await t.app.surge.intervals();
    const [surge, ...rest] = await surges();
    expect(rest).toEqual([]);
    expect(surge).toMatchObject({ kind: 'surge', line: 'l1', status: 'open', tickets: [] });
    expect(surge!.firstAt).toBe('2026-12-03T09:00:00.000Z');
    // 80 arrivals in an hour where the forecast said about 8.
    expect(surge!.ratePerHour).toBeGreaterThan(60);
    expect(surge!.expectedPerHour).toBeLessThan(15);
  });

  it('raises nothing while arrivals stay within the band', async () => {
    await t.app.arrivals.record(
      Array.from({ length: 4 }, (_, i) => ({ key: `n/${i}`, line: 'l1', createdAt: Date.parse('2026-12-03T10:00:00Z') + i * 60_000 })),
      NOW,
    );
    clock = Date.parse('2026-12-03T10:31:00Z');
    await t.app.surge.intervals();
    // Still the one surge of before: the calm interval opened nothing new.
    expect(await surges()).toHaveLength(1);
  });
});
