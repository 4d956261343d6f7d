// Report runs in embedded mode: files under `<DATA_DIR>/reports/`:
//
//   <runId>/run.json, report.html, report.csv, report.pdf   one directory per run
//   claims/<reportId>/<period>-<periodStart>                 a scheduled run's claim: {"runId", "claimedAt"}
//
// A claim is a marker file created with `wx` (O_CREAT | O_EXCL), which the filesystem grants to
// one process only: two servers started on one data dir by mistake never both run a report.
// Nothing is cached but the claims' times (a claim never changes once written), so what another
// process on the same directory wrote is seen at once. Files are written beside their place and
// renamed into it, so a reader never sees half a report.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ReportRun, RunTrigger } from '../../contract/reports.js';
import {
  checkFileSize,
  claimName,
  clipError,
  isRunFileKind,
  isRunId,
  KEEP_RUNS_MAX,
  KEEP_RUNS_MS,
  newestFirst,
  newRun,
  runIdTime,
  type ReportRunStore,
  type ReportToRun,
  type RunFileKind,
} from './run-store.js';
import { REPORT_ID } from './validate-report.js';

const RUN_FILE = 'run.json';
const CLAIMS = 'claims';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Writes beside the target and renames over it: readers see the old file or the new, never half. */
function writeAtomically(file: string, data: string | Buffer): void {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

export class EmbeddedReportRunStore implements ReportRunStore {
  readonly kind = 'embedded' as const;
  private readonly dir: string;
  /** claim file → claimedAt; claims are written once, so their times can be kept. */
  private readonly claimTimes = new Map<string, number>();

  constructor(options: { dataDir: string }) {
    this.dir = path.join(options.dataDir, 'reports');
    fs.mkdirSync(path.join(this.dir, CLAIMS), { recursive: true });
  }

  async claim(report: ReportToRun, periodStart: string, trigger: RunTrigger, requestedBy: string, now: number): Promise<ReportRun | null> {
    const run = newRun(report, periodStart, trigger, requestedBy, now);
    if (trigger === 'manual') {
      this.writeNewRun(run);
    } else {
      const claims = path.join(this.dir, CLAIMS, run.reportId);
      fs.mkdirSync(claims, { recursive: true });
      let fd: number;
      try {
        fd = fs.openSync(path.join(claims, claimName(run)), 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
        throw error;
      }
      try {
        // The run first, then the claim's content: whoever reads a claim's run id finds the run.
        this.writeNewRun(run);
        fs.writeSync(fd, JSON.stringify({ runId: run.runId, claimedAt: now }));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    this.trim(now);
    return run;
  }

  async finish(runId: string, files: { html: string; csv: string }, now: number): Promise<ReportRun | null> {
    const run = this.read(runId);
    if (run === null || run.status !== 'running') return null;
    const html = Buffer.from(files.html, 'utf8');
    const csv = Buffer.from(files.csv, 'utf8');
    checkFileSize('report.html', html.length);
    checkFileSize('report.csv', csv.length);
    writeAtomically(this.filePath(runId, 'html'), html);
    writeAtomically(this.filePath(runId, 'csv'), csv);
    return this.update({ ...run, status: 'done', finishedAt: new Date(now).toISOString() });
  }

  async fail(runId: string, error: string, now: number): Promise<ReportRun | null> {
    const run = this.read(runId);
    if (run === null || run.status !== 'running') return null;
    return this.update({ ...run, status: 'failed', finishedAt: new Date(now).toISOString(), error: clipError(error) });
  }

  async putPdf(runId: string, pdf: Buffer): Promise<boolean> {
    checkFileSize('report.pdf', pdf.length);
    if (this.read(runId) === null) return false;
    writeAtomically(this.filePath(runId, 'pdf'), pdf);
    return true;
  }

  async list(limit: number): Promise<ReportRun[]> {
    const ids = this.runIds();
    if (limit <= 0 || ids.length === 0) return [];
    // Ids sort by their second; read every run of the limit-th one's second too, then order by start.
    const cutoff = ids[Math.min(limit, ids.length) - 1]!.slice(0, 16);
    const runs = ids.filter((id) => id.slice(0, 16) >= cutoff).flatMap((id) => this.read(id) ?? []);
    return runs.sort(newestFirst).slice(0, limit);
  }

  async get(runId: string): Promise<ReportRun | null> {
    return this.read(runId);
  }

  async file(runId: string, kind: RunFileKind): Promise<Buffer | null> {
    if (!isRunId(runId) || !isRunFileKind(kind)) return null;
    try {
      return fs.readFileSync(this.filePath(runId, kind));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async lastScheduled(reportId: string): Promise<number | null> {
    if (!REPORT_ID.test(reportId)) return null;
    const claims = path.join(this.dir, CLAIMS, reportId);
    let names: string[];
    try {
      names = fs.readdirSync(claims);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    let last: number | null = null;
    for (const name of names) {
      const at = this.claimedAt(path.join(claims, name));
      if (at !== null && (last === null || at > last)) last = at;
    }
    return last;
  }

  async close(): Promise<void> {}

  private claimedAt(file: string): number | null {
    const known = this.claimTimes.get(file);
    if (known !== undefined) return known;
    let stat: fs.Stats;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
      stat = fs.statSync(file);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const at = (JSON.parse(text) as { claimedAt: unknown }).claimedAt;
      if (typeof at === 'number' && Number.isFinite(at)) {
        this.claimTimes.set(file, at);
        return at;
      }
    } catch {
      // Being written this instant, or left empty by a crash between the claim and its content.
    }
    return stat.mtimeMs;
  }

  /** The run directories, newest first by id. */
  private runIds(): string[] {
    return fs.readdirSync(this.dir).filter(isRunId).sort().reverse();
  }

  private runDir(runId: string): string {
    return path.join(this.dir, runId);
  }

  private filePath(runId: string, kind: RunFileKind): string {
    return path.join(this.runDir(runId), `report.${kind}`);
  }

  private writeNewRun(run: ReportRun): void {
    fs.mkdirSync(this.runDir(run.runId));
    writeAtomically(path.join(this.runDir(run.runId), RUN_FILE), JSON.stringify(run));
  }

  private update(run: ReportRun): ReportRun {
    writeAtomically(path.join(this.runDir(run.runId), RUN_FILE), JSON.stringify(run));
    return run;
  }

  private read(runId: string): ReportRun | null {
    if (!isRunId(runId)) return null;
    try {
      return JSON.parse(fs.readFileSync(path.join(this.runDir(runId), RUN_FILE), 'utf8')) as ReportRun;
    } catch (error) {
      // A directory being created this instant has no run.json yet.
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Drops runs older than the retention, and the oldest beyond the count. Claims stay: they are a few bytes a period. */
  private trim(now: number): void {
    const ids = this.runIds();
    ids.forEach((id, index) => {
      if (index >= KEEP_RUNS_MAX || runIdTime(id) < now - KEEP_RUNS_MS) fs.rmSync(this.runDir(id), { recursive: true, force: true });
    });
  }
}
