// Where report runs are kept (docs/contract.md#reports-to-management): files under DATA_DIR
// (embedded-run-store.ts), or the Redis every instance shares (redis-run-store.ts). Both make a
// scheduled run's claim exactly-once per report and period, across processes: whichever instance
// claims first runs the report, every other one (and this one after a restart in the same minute)
// is refused. Manual runs are never refused.
import { randomBytes } from 'node:crypto';
import type { ReportPeriod, ReportRun, RunTrigger } from '../../contract/reports.js';
import { isPeriodStart, periodOf } from './schedule.js';
import { REPORT_ID } from './validate-report.js';

/** `r-<yyyymmddhhmmss UTC>-<8 hex>`: sorts by start, unique, and safe as a file or key name. */
export const RUN_ID = /^r-\d{14}-[0-9a-f]{8}$/;
export const RUN_FILE_KINDS = ['html', 'csv', 'pdf'] as const;
export type RunFileKind = (typeof RUN_FILE_KINDS)[number];

/** A report is a few hundred kilobytes; a file this big is a bug, and Redis should not hold it. */
export const MAX_RUN_FILE_BYTES = 20 * 1024 * 1024;
/** Runs are kept this long (as the daily figures are), and at most this many: the oldest go first. */
export const KEEP_RUNS_DAYS = 400;
export const KEEP_RUNS_MAX = 5_000;
export const KEEP_RUNS_MS = KEEP_RUNS_DAYS * 86_400_000;
/** A failure's message is kept to this many characters. */
export const MAX_ERROR_CHARS = 2_000;

/** What a claim needs of a report definition. */
export interface ReportToRun {
  id: string;
  title: string;
  period: ReportPeriod;
}

export interface ReportRunStore {
  readonly kind: 'embedded' | 'redis';
  /**
   * A new run (status 'running') of `report` for the period starting on `periodStart`, or null
   * when `trigger` is 'schedule' and that report and period already have a scheduled run (here
   * or on another instance). Throws a RangeError when `periodStart` does not start a period of
   * the report's kind or the report id is not one.
   */
  claim(report: ReportToRun, periodStart: string, trigger: RunTrigger, requestedBy: string, now: number): Promise<ReportRun | null>;
  /** Stores the rendered files and marks the run done; null when there is no such running run. */
  finish(runId: string, files: { html: string; csv: string }, now: number): Promise<ReportRun | null>;
  /** Marks the run failed with the reason; null when there is no such running run. */
  fail(runId: string, error: string, now: number): Promise<ReportRun | null>;
  /** Stores the PDF (printed after the run, and possibly later); false when there is no such run. */
  putPdf(runId: string, pdf: Buffer): Promise<boolean>;
  /** The newest runs first, at most `limit`. */
  list(limit: number): Promise<ReportRun[]>;
  /** null for an unknown run or a string that is not a run id. */
  get(runId: string): Promise<ReportRun | null>;
  /** A run's file, or null when there is none (not rendered yet, no PDF, no such run, not a run id). */
  file(runId: string, kind: RunFileKind): Promise<Buffer | null>;
  /** When the report's latest scheduled run was claimed (ms), or null when it never ran on a schedule. */
  lastScheduled(reportId: string): Promise<number | null>;
  close(): Promise<void>;
}

/** Whether a value (a URL parameter, say) is a run id: the only check before it names a file or a key. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID.test(value);
}

export function isRunFileKind(value: unknown): value is RunFileKind {
  return RUN_FILE_KINDS.some((kind) => kind === value);
}

/** A new run id for a run starting at `now`. */
export function newRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r-${stamp}-${randomBytes(4).toString('hex')}`;
}

/** When a run id says its run started (whole seconds, UTC). */
export function runIdTime(runId: string): number {
  const s = runId.slice(2, 16);
  return Date.UTC(
    Number(s.slice(0, 4)),
    Number(s.slice(4, 6)) - 1,
    Number(s.slice(6, 8)),
    Number(s.slice(8, 10)),
    Number(s.slice(10, 12)),
    Number(s.slice(12, 14)),
  );
}

/** The new run a claim stores; checks what the stores then use as names. */
export function newRun(report: ReportToRun, periodStart: string, trigger: RunTrigger, requestedBy: string, now: number): ReportRun {
  if (!REPORT_ID.test(report.id)) throw new RangeError(`not a report id: ${JSON.stringify(report.id)}`);
  if (!isPeriodStart(report.period, periodStart)) throw new RangeError(`${JSON.stringify(periodStart)} does not start a ${report.period}`);
  return {
    runId: newRunId(now),
    reportId: report.id,
    title: report.title,
    period: report.period,
    periodStart,
    periodEnd: periodOf(report.period, periodStart).end,
    trigger,
    requestedBy,
    startedAt: new Date(now).toISOString(),
    finishedAt: null,
    status: 'running',
    error: null,
  };
}

/** The name of a scheduled claim: one per report, kind of period and start. */
export function claimName(run: Pick<ReportRun, 'period' | 'periodStart'>): string {
  return `${run.period}-${run.periodStart}`;
}

export function checkFileSize(name: string, bytes: number): void {
  if (bytes > MAX_RUN_FILE_BYTES) throw new RangeError(`${name} is ${bytes} bytes; a report file may be at most ${MAX_RUN_FILE_BYTES}`);
}

/** A failure's reason as kept: never empty, at most MAX_ERROR_CHARS. */
export function clipError(error: string): string {
  if (error.trim() === '') return 'failed';
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
}

/** Newest first: by start, then by id (two runs in one millisecond still have one order). */
export function newestFirst(a: ReportRun, b: ReportRun): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}
