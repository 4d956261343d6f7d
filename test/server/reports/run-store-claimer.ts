// A process that claims one scheduled run, for the race between processes in
// run-store.service.test.ts: `claimer.ts <embedded|redis> <dataDir|redisUrl> <goAt ms>`. It opens
// its store, waits until `goAt` (so that every process claims in the same instant), claims the
// week of 2026-11-23 of report "weekly", and prints the run id it got, or "null".
import { Redis } from 'ioredis';
import { EmbeddedReportRunStore } from '../../../server/reports/embedded-run-store.js';
import { RedisReportRunStore } from '../../../server/reports/redis-run-store.js';
import type { ReportRunStore } from '../../../server/reports/run-store.js';

const [kind, where, goAt] = process.argv.slice(2);
const redis = kind === 'redis' ? new Redis(where!) : null;
const store: ReportRunStore = redis === null ? new EmbeddedReportRunStore({ dataDir: where! }) : new RedisReportRunStore(redis);
if (redis !== null) await redis.ping();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(goAt) - Date.now())));
const run = await store.claim({ id: 'weekly', title: 'Weekly', period: 'week' }, '2026-11-23', 'schedule', 'scheduler', Date.parse('2026-11-30T06:00:00Z'));
process.stdout.write(`${run?.runId ?? 'null'}\n`);
redis?.disconnect();
