// Report runs in distributed mode, in the Redis every instance shares (prefix `wf:reports:`):
//
//   <p>runs                                   sorted set: run ids scored by start (ms)
//   <p>run:<runId>                            hash: the ReportRun's fields (null ones absent)
//   <p>run:<runId>:html|csv|pdf               string: a rendered file (at most 20 MB)
//   <p>claim:<reportId>:<period>:<start>      string: the run id of the period's scheduled run (SET NX)
//   <p>last:<reportId>                        string: when its latest scheduled run was claimed (ms)
//
// A scheduled claim is one script: SET NX of the period's claim key, and only if it was free the
// run, its place in the index and the report's last time; so of two instances firing in the same
// minute exactly one runs the report. Runs older than 400 days, and beyond the newest 5,000, are
// removed with their files at each claim.
import type { Redis } from 'ioredis';
import { REPORT_PERIODS, RUN_TRIGGERS, type ReportRun, type RunTrigger } from '../../contract/reports.js';
import {
  checkFileSize,
  claimName,
  clipError,
  isRunFileKind,
  isRunId,
  KEEP_RUNS_MAX,
  KEEP_RUNS_MS,
  newRun,
  type ReportRunStore,
  type ReportToRun,
  type RunFileKind,
} from './run-store.js';
import { REPORT_ID } from './validate-report.js';

/**
 * KEYS: claim, run hash, index, last. ARGV: run id, start (ms), the claim's TTL (s), then the
 * hash's field/value pairs. Answers 1 when claimed, 0 when the period was already claimed.
 */
const CLAIM_LUA = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[3]) then return 0 end
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
if tonumber(ARGV[2]) > tonumber(redis.call('GET', KEYS[4]) or '0') then redis.call('SET', KEYS[4], ARGV[2]) end
return 1`;

/**
 * KEYS: run hash, then the file keys to write. ARGV: status, finishedAt, error ('' for none), then
 * the files' contents. Only a running run ends, once. Answers 1 when it did.
 */
const END_LUA = `
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 2]) end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'finishedAt', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[3]) end
return 1`;

/** KEYS: run hash, the PDF's key. ARGV: the PDF. Answers 0 when there is no such run. */
const PUT_PDF_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
return 1`;

type Scripted = Redis & {
  wfReportClaim(...keysAndArgs: (string | number)[]): Promise<number>;
  wfReportEnd(numberOfKeys: number, ...keysAndArgs: (string | Buffer)[]): Promise<number>;
  wfReportPdf(hash: string, key: string, pdf: Buffer): Promise<number>;
};

const FIELDS = [
  'runId',
  'reportId',
  'title',
  'period',
  'periodStart',
  'periodEnd',
  'trigger',
  'requestedBy',
  'startedAt',
  'finishedAt',
  'status',
  'error',
] as const;

function toFields(run: ReportRun): string[] {
  return FIELDS.flatMap((field) => (run[field] === null ? [] : [field, run[field]]));
}

function fromHash(hash: Record<string, string>): ReportRun | null {
  const { runId, reportId, title, periodStart, periodEnd, requestedBy, startedAt } = hash;
  const period = REPORT_PERIODS.find((p) => p === hash.period);
  const trigger = RUN_TRIGGERS.find((t) => t === hash.trigger);
  const status = (['running', 'done', 'failed'] as const).find((s) => s === hash.status);
  if (
    runId === undefined ||
    reportId === undefined ||
    title === undefined ||
    period === undefined ||
    periodStart === undefined ||
    periodEnd === undefined ||
    trigger === undefined ||
    requestedBy === undefined ||
    startedAt === undefined ||
    status === undefined
  ) {
    return null; // trimmed meanwhile (a hash being deleted), or not ours
  }
  return {
    runId,
    reportId,
    title,
    period,
    periodStart,
    periodEnd,
    trigger,
    requestedBy,
    startedAt,
    finishedAt: hash.finishedAt ?? null,
    status,
    error: hash.error ?? null,
  };
}

export interface RedisReportRunStoreOptions {
  /** Default `wf:reports:`. */
  prefix?: string;
}

export class RedisReportRunStore implements ReportRunStore {
  readonly kind = 'redis' as const;
  private readonly redis: Scripted;
  private readonly keys;

  /** Takes a command connection it does not own: whoever opened it closes it. */
  constructor(redis: Redis, options: RedisReportRunStoreOptions = {}) {
    const p = options.prefix ?? 'wf:reports:';
    this.keys = {
      runs: `${p}runs`,
      run: (runId: string) => `${p}run:${runId}`,
      file: (runId: string, kind: RunFileKind) => `${p}run:${runId}:${kind}`,
      claim: (run: ReportRun) => `${p}claim:${run.reportId}:${claimName(run).replace('-', ':')}`,
      last: (reportId: string) => `${p}last:${reportId}`,
    };
    redis.defineCommand('wfReportClaim', { numberOfKeys: 4, lua: CLAIM_LUA });
    redis.defineCommand('wfReportEnd', { lua: END_LUA });
    redis.defineCommand('wfReportPdf', { numberOfKeys: 2, lua: PUT_PDF_LUA });
    this.redis = redis as Scripted;
  }

  async claim(report: ReportToRun, periodStart: string, trigger: RunTrigger, requestedBy: string, now: number): Promise<ReportRun | null> {
    const run = newRun(report, periodStart, trigger, requestedBy, now);
    if (trigger === 'manual') {
      await this.redis
        .multi()
        .hset(this.keys.run(run.runId), ...toFields(run))
        .zadd(this.keys.runs, now, run.runId)
        .exec();
    } else {
      const claimed = await this.redis.wfReportClaim(
        this.keys.claim(run),
        this.keys.run(run.runId),
        this.keys.runs,
        this.keys.last(run.reportId),
        run.runId,
        now,
        // The claim outlives any catch-up: a schedule never goes back further than its last period.
        Math.ceil(KEEP_RUNS_MS / 1000),
        ...toFields(run),
      );
      if (claimed !== 1) return null;
    }
    await this.trim(now);
    return run;
  }

  async finish(runId: string, files: { html: string; csv: string }, now: number): Promise<ReportRun | null> {
    if (!isRunId(runId)) return null;
    const html = Buffer.from(files.html, 'utf8');
    const csv = Buffer.from(files.csv, 'utf8');
    checkFileSize('report.html', html.length);
    checkFileSize('report.csv', csv.length);
    const ended = await this.redis.wfReportEnd(
      3,
      this.keys.run(runId),
      this.keys.file(runId, 'html'),
      this.keys.file(runId, 'csv'),
      'done',
      new Date(now).toISOString(),
      '',
      html,
      csv,
    );
    return ended === 1 ? this.get(runId) : null;
  }

  async fail(runId: string, error: string, now: number): Promise<ReportRun | null> {
    if (!isRunId(runId)) return null;
    const ended = await this.redis.wfReportEnd(1, this.keys.run(runId), 'failed', new Date(now).toISOString(), clipError(error));
    return ended === 1 ? this.get(runId) : null;
  }

  async putPdf(runId: string, pdf: Buffer): Promise<boolean> {
    checkFileSize('report.pdf', pdf.length);
    if (!isRunId(runId)) return false;
    return (await this.redis.wfReportPdf(this.keys.run(runId), this.keys.file(runId, 'pdf'), pdf)) === 1;
  }

  async list(limit: number): Promise<ReportRun[]> {
    if (limit <= 0) return [];
    const ids = await this.redis.zrevrange(this.keys.runs, 0, limit - 1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.run(id));
    const answers = (await pipeline.exec()) ?? [];
    return answers.flatMap(([error, hash]) => {
      if (error) throw error;
      return fromHash(hash as Record<string, string>) ?? [];
    });
  }

  async get(runId: string): Promise<ReportRun | null> {
    if (!isRunId(runId)) return null;
    return fromHash(await this.redis.hgetall(this.keys.run(runId)));
  }

  async file(runId: string, kind: RunFileKind): Promise<Buffer | null> {
    if (!isRunId(runId) || !isRunFileKind(kind)) return null;
    return this.redis.getBuffer(this.keys.file(runId, kind));
  }

  async lastScheduled(reportId: string): Promise<number | null> {
    if (!REPORT_ID.test(reportId)) return null;
    const last = await this.redis.get(this.keys.last(reportId));
    return last === null ? null : Number(last);
  }

  /** The connection is the caller's. */
  async close(): Promise<void> {}

  /** Removes runs (with their files) older than the retention, then the oldest beyond the count. */
  private async trim(now: number): Promise<void> {
    const old = await this.redis.zrangebyscore(this.keys.runs, '-inf', `(${now - KEEP_RUNS_MS}`);
    const count = await this.redis.zcard(this.keys.runs);
    const excess = count - old.length - KEEP_RUNS_MAX;
    const extra = excess > 0 ? await this.redis.zrange(this.keys.runs, old.length, old.length + excess - 1) : [];
    const gone = [...old, ...extra];
    if (gone.length === 0) return;
    const multi = this.redis.multi();
    for (const id of gone) {
      multi.del(this.keys.run(id), this.keys.file(id, 'html'), this.keys.file(id, 'csv'), this.keys.file(id, 'pdf'));
      multi.zrem(this.keys.runs, id);
    }
    await multi.exec();
  }
}
