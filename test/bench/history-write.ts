// History write throughput (issue 4): points/s into the embedded SQLite store and into a
// throwaway InfluxDB, with the sampler's own shape (a department of 10 queues: 64 numbers per
// sample). Run alone: `npx tsx test/bench/history-write.ts`; or import `benchHistoryWrites`.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { HistoryPoint, HistoryStore } from '../../server/history/history-store.js';
import { InfluxHistoryStore } from '../../server/history/influx-history.js';
import { statePoints, type SampledState } from '../../server/history/sampler.js';
import { SqliteHistoryStore } from '../../server/history/sqlite-history.js';
import { tempDir } from '../helpers/app.js';
import { startInfluxd } from '../helpers/influxd.js';

export interface HistoryWriteResult {
  store: 'embedded' | 'influx';
  points: number;
  pointsPerWrite: number;
  seconds: number;
  pointsPerSec: number;
}

const QUEUES = 10;

function department(i: number): SampledState {
  return {
    queues: Array.from({ length: QUEUES }, (_, q) => ({ id: `q${q}`, open: 40 + (i % 7), waiting: 10 + (i % 5), oldestWaitingSec: 600 + i, breached: i % 3, atRisk: i % 4 })),
    agents: { available: 5 + (i % 3), busy: 11, away: 2, offline: 4 },
    sla: { breachedOpen: 4, breachedToday: 9 + i, atRisk: 6, complianceToday: 0.93 },
    kpis: { createdToday: 320 + i, solvedToday: 280 + i, frtMedianSec: 540, frtP90Sec: 2400, resolutionMedianSec: 14400, csatToday: 0.88 },
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

export async function benchHistoryWrites(options: { samples?: number } = {}): Promise<HistoryWriteResult[]> {
  const samples = options.samples ?? 4_000;
  const results: HistoryWriteResult[] = [];
  const result = (store: HistoryWriteResult['store'], samplesPerWrite: number, run: { points: number; seconds: number }) =>
    results.push({ store, points: run.points, pointsPerWrite: Math.round(run.points / Math.ceil(samples / samplesPerWrite)), seconds: run.seconds, pointsPerSec: Math.round(run.points / run.seconds) });

  // Embedded: one sample per write (what the sampler does) and 100 samples per write.
  for (const samplesPerWrite of [1, 100]) {
    const dir = tempDir('watchfloor-bench-history-');
    const store = new SqliteHistoryStore({ dataDir: dir, now: Date.now });
    result('embedded', samplesPerWrite, await measure(store, sampleBatches(samples, samplesPerWrite), async () => {}));
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
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
      result('influx', samplesPerWrite, await measure(store, sampleBatches(samples, samplesPerWrite), drained));
      if ((await store.healthy()).droppedPoints > 0) throw new Error('points dropped during the InfluxDB benchmark');
      await store.close();
    }
  } finally {
    await influxd.dispose();
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await benchHistoryWrites();
  for (const r of results) {
    process.stdout.write(`${r.store.padEnd(9)} ${String(r.pointsPerWrite).padStart(6)} points/write  ${String(r.points).padStart(8)} points in ${r.seconds.toFixed(2)} s  ${r.pointsPerSec.toLocaleString('en')} points/s\n`);
  }
}
