// History write throughput (issue 4): points/s into the embedded SQLite store and into a
// throwaway InfluxDB, with the sampler's own shape (a department of 10 queues: 64 numbers per
// sample). `npm run bench -- --only=history` (historyScenario); alone: `npx tsx test/bench/history-write.ts`.
// The stores run in the bench process itself: there is no server here, only the store's write path
// (for InfluxDB: its buffer, line building and HTTP batches of 5,000 points, timed until drained).
// After each run the points are counted back from the store, so a rate never counts a lost point.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { HistoryPoint, HistoryStore } from '../../server/history/history-store.js';
import { InfluxHistoryStore } from '../../server/history/influx-history.js';
import { statePoints, type SampledState } from '../../server/history/sampler.js';
import { SqliteHistoryStore } from '../../server/history/sqlite-history.js';
import { tempDir } from '../helpers/app.js';
import { startInfluxd, type Influxd } from '../helpers/influxd.js';
import { fmt, type Row, type ScenarioResult } from './report.js';

export interface HistoryWriteResult {
  store: 'embedded' | 'influx';
  points: number;
  pointsPerWrite: number;
  seconds: number;
  pointsPerSec: number;
  /** Points counted back from the store after the run (equal to `points`, or the run throws). */
  stored: number;
}

const QUEUES = 10;

function department(i: number): SampledState {
  return {
    queues: Array.from({ length: QUEUES }, (_, q) => ({
      id: `q${q}`,
      open: 40 + (i % 7),
      waiting: 10 + (i % 5),
      oldestWaitingSec: 600 + i,
      breached: i % 3,
      atRisk: i % 4,
    })),
    agents: { available: 5 + (i % 3), busy: 11, away: 2, offline: 4 },
    sla: { breachedOpen: 4, breachedToday: 9 + i, atRisk: 6, complianceToday: 0.93 },
    kpis: { createdToday: 320 + i, solvedToday: 280 + i, frtMedianSec: 540, frtP90Sec: 2400, resolutionMedianSec: 14400, csatToday: 0.88 },
    staffing: [],
    followUps: { open: 0, overdue: 0 },
    flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: null, timeToEscalateMedianSec: [], lines: [] },
  };
}

/** `samples` consecutive samples, one second apart, ending now (recent, so no backfill runs). */
function sampleBatches(samples: number, samplesPerWrite: number): HistoryPoint[][] {
  const end = Math.floor(Date.now() / 1000) * 1000;
  const batches: HistoryPoint[][] = [];
  for (let i = 0; i < samples; i += samplesPerWrite) {
    const batch: HistoryPoint[] = [];
    for (let j = i; j < Math.min(samples, i + samplesPerWrite); j++) batch.push(...statePoints(department(j), end - (samples - j) * 1000));
    batches.push(batch);
  }
  return batches;
}

async function measure(store: HistoryStore, batches: HistoryPoint[][], drained: () => Promise<void>): Promise<{ points: number; seconds: number }> {
  const points = batches.reduce((n, b) => n + b.length, 0);
  const started = process.hrtime.bigint();
  for (const batch of batches) store.write(batch);
  await drained();
  return { points, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Rows in the embedded store's file (one per metric and second). */
function sqliteCount(dir: string): number {
  const db = new Database(path.join(dir, 'history.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM points').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Field values in the database's raw retention policy: one per HistoryPoint. */
async function influxCount(influxd: Influxd, database: string): Promise<number> {
  const answer = await influxd.query('SELECT count(*) FROM "raw"./.*/', database);
  let n = 0;
  for (const result of answer.results) {
    if (result.error !== undefined) throw new Error(`InfluxDB count: ${result.error}`);
    for (const series of result.series ?? []) for (const row of series.values) for (const value of row.slice(1)) n += typeof value === 'number' ? value : 0;
  }
  return n;
}

export async function benchHistoryWrites(options: { samples?: number } = {}): Promise<HistoryWriteResult[]> {
  const samples = options.samples ?? 4_000;
  const results: HistoryWriteResult[] = [];
  const result = (store: HistoryWriteResult['store'], samplesPerWrite: number, run: { points: number; seconds: number }, stored: number) => {
    if (stored !== run.points) throw new Error(`${store}: ${run.points} points written, ${stored} found in the store afterwards`);
    results.push({
      store,
      points: run.points,
      pointsPerWrite: Math.round(run.points / Math.ceil(samples / samplesPerWrite)),
      seconds: run.seconds,
      pointsPerSec: Math.round(run.points / run.seconds),
      stored,
    });
  };

  // Embedded: one sample per write (what the sampler does) and 100 samples per write.
  for (const samplesPerWrite of [1, 100]) {
    const dir = tempDir('watchfloor-bench-history-');
    try {
      const store = new SqliteHistoryStore({ dataDir: dir, now: Date.now });
      const run = await measure(store, sampleBatches(samples, samplesPerWrite), async () => {});
      await store.close();
      result('embedded', samplesPerWrite, run, sqliteCount(dir));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // InfluxDB: the store's own batching (5,000 points a request), timed until the buffer is empty.
  const influxd = await startInfluxd();
  try {
    for (const samplesPerWrite of [1, 100]) {
      const store = new InfluxHistoryStore({ url: influxd.url(`bench_${samplesPerWrite}`), maxBuffered: samples * 100 });
      while (!(await store.healthy()).ok) await new Promise((resolve) => setTimeout(resolve, 20));
      const drained = async () => {
        await store.flush();
        while ((await store.healthy()).bufferedPoints > 0) {
          await store.flush();
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const run = await measure(store, sampleBatches(samples, samplesPerWrite), drained);
      if ((await store.healthy()).droppedPoints > 0) throw new Error('points dropped during the InfluxDB benchmark');
      await store.close();
      result('influx', samplesPerWrite, run, await influxCount(influxd, `bench_${samplesPerWrite}`));
    }
  } finally {
    await influxd.dispose();
  }
  return results;
}

/** What the sampler writes: one sample of this department every 10 s, per instance. */
const SAMPLE_EVERY_S = 10;

export async function historyScenario(options: { samples?: number } = {}): Promise<ScenarioResult> {
  const results = await benchHistoryWrites(options);
  const perSample = statePoints(department(0), 0).length;
  const label = (r: HistoryWriteResult): string => {
    const store = r.store === 'embedded' ? 'SQLite (embedded)' : 'InfluxDB';
    const writes =
      r.pointsPerWrite === perSample ? `one sample of ${perSample} points per write, as the sampler` : `${fmt.int(r.pointsPerWrite)} points per write`;
    return `history write, ${store} (points/s; ${writes})`;
  };
  const rows: Row[] = results.map((r) => ({ what: label(r), measured: fmt.int(r.pointsPerSec), target: '(reference)', pass: null }));
  const embeddedOne = results.find((r) => r.store === 'embedded' && r.pointsPerWrite === perSample);
  const samples = (results[0]?.points ?? 0) / perSample;
  const notes = [
    `History workload: ${fmt.int(samples)} samples of a department with ${QUEUES} queues (${perSample} points each: 5 per queue, agents by state, SLA, KPIs), ` +
      `one second apart and ending now, written through the store's own write() in the bench process (no server), timed until written ` +
      `(InfluxDB: until its buffer drained, in its own batches of 5,000 points, one line per measurement, queue and second); every run counted back from the store afterwards.`,
    `What the sampler needs: ${perSample} points every ${SAMPLE_EVERY_S} s per instance (${(perSample / SAMPLE_EVERY_S).toFixed(1)} points/s)` +
      (embeddedOne === undefined
        ? '.'
        : `; one sample into SQLite holds the event loop ${((embeddedOne.seconds * 1000 * perSample) / embeddedOne.points).toFixed(2)} ms (synchronous better-sqlite3 transaction).`),
  ];
  return { rows, notes, data: { results } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await benchHistoryWrites();
  for (const r of results) {
    process.stdout.write(
      `${r.store.padEnd(9)} ${String(r.pointsPerWrite).padStart(6)} points/write  ${String(r.points).padStart(8)} points in ${r.seconds.toFixed(2)} s  ${r.pointsPerSec.toLocaleString('en')} points/s\n`,
    );
  }
}
