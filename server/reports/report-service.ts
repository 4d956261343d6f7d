// Runs reports (docs/contract.md#reports-to-management): a definition and a period → the figures read
// from the daily store once, rendered to HTML and CSV, kept in the run store. The PDF is printed from
// the kept HTML by the system's headless Chromium when first asked for, and kept too. The schedule
// beat claims each due period in the run store, which lets exactly one instance run it.
import type { Incident } from '../../contract/incidents.js';
import type { ReportDefinition, ReportRun } from '../../contract/reports.js';
import type { Calendar } from '../domain/calendar.js';
import type { DailyStore } from './daily-store.js';
import { PdfUnavailableError, printPdf } from './print-pdf.js';
import { renderReportCsv } from './render-csv.js';
import { renderReportHtml } from './render-html.js';
import { buildReportData } from './report-data.js';
import type { ReportRegistry } from './report-registry.js';
import type { ReportRunStore } from './run-store.js';
import { dueRuns, periodOf, previousPeriod } from './schedule.js';

export interface ReportServiceOptions {
  registry: ReportRegistry;
  runs: ReportRunStore;
  daily: { store: DailyStore; calendar: Calendar; flush(): Promise<void> };
  incidents: () => readonly Incident[];
  timeZone: string;
  now: () => number;
  /** The headless Chromium that prints PDFs; null when none is installed. */
  chromium: string | null;
  log: { warn(details: object, message: string): void; info(details: object, message: string): void };
}

/** Why a run was not started: unknown report, or a period it cannot have. */
export class RunRefused extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

export class ReportService {
  /** A report that never ran on a schedule is scheduled from the first time this server saw it, not from the dawn of time. */
  private readonly since: number;
  private printing = new Map<string, Promise<Buffer>>();

  constructor(private readonly options: ReportServiceOptions) {
    this.since = options.now();
  }

  get pdfAvailable(): boolean {
    return this.options.chromium !== null;
  }

  /**
   * Runs `reportId` for the period starting on `periodStart` now. A manual run may cover the
   * period in progress (its figures so far), never one that has not begun.
   */
  async runNow(reportId: string, periodStart: string, requestedBy: string): Promise<ReportRun> {
    const definition = this.options.registry.get(reportId);
    if (definition === undefined) throw new RunRefused(404, `report ${JSON.stringify(reportId)} is not defined (dashboards/reports/${reportId}.json)`);
    const today = this.options.daily.calendar.dayKey(this.options.now());
    if (periodStart > today) throw new RunRefused(400, `periodStart: the ${definition.period} starting ${periodStart} has not begun`);
    let range: ReturnType<typeof periodOf>;
    try {
      range = periodOf(definition.period, periodStart);
    } catch {
      throw new RunRefused(400, `periodStart: "${periodStart}" is not a date`);
    }
    if (range.start !== periodStart) {
      throw new RunRefused(400, `periodStart: a ${definition.period} starts on ${range.start}, not ${periodStart} (${startRule(definition)})`);
    }
    const run = await this.options.runs.claim(definition, periodStart, 'manual', requestedBy, this.options.now());
    if (run === null) throw new Error('a manual run was refused by the run store');
    return this.render(definition, run);
  }

  /** The schedule's beat: runs each report whose schedule fired since its last scheduled run; answers the runs made. */
  async runDue(): Promise<ReportRun[]> {
    const made: ReportRun[] = [];
    const now = this.options.now();
    for (const definition of this.options.registry.list()) {
      try {
        const last = (await this.options.runs.lastScheduled(definition.id)) ?? this.since;
        for (const due of dueRuns(definition, last, now, this.options.timeZone)) {
          const run = await this.options.runs.claim(definition, due.period.start, 'schedule', 'scheduler', now);
          // Another instance (or this one before a restart) has it.
          if (run !== null) made.push(await this.render(definition, run));
        }
      } catch (error) {
        this.options.log.warn({ err: error, report: definition.id }, 'scheduled report not run; the next beat tries again');
      }
    }
    return made;
  }

  /** The run's PDF: kept, or printed from its HTML now (once, however many ask at the same time). */
  async pdf(runId: string): Promise<Buffer | null> {
    const kept = await this.options.runs.file(runId, 'pdf');
    if (kept !== null) return kept;
    const html = await this.options.runs.file(runId, 'html');
    if (html === null) return null;
    const chromium = this.options.chromium;
    if (chromium === null) throw new PdfUnavailableError();
    let printing = this.printing.get(runId);
    if (printing === undefined) {
      printing = (async () => {
        const pdf = await printPdf(html.toString('utf8'), { chromiumPath: chromium });
        await this.options.runs.putPdf(runId, pdf);
        return pdf;
      })().finally(() => this.printing.delete(runId));
      this.printing.set(runId, printing);
    }
    return printing;
  }

  private async render(definition: ReportDefinition, run: ReportRun): Promise<ReportRun> {
    const { daily, runs, now } = this.options;
    try {
      await daily.flush();
      const previous = previousPeriod(definition.period, run.periodStart);
      const span = await daily.store.read(previous.start, run.periodEnd);
      const data = buildReportData({
        definition,
        periodStart: run.periodStart,
        periodEnd: run.periodEnd,
        previousStart: previous.start,
        previousEnd: previous.end,
        span,
        incidents: this.options.incidents(),
        calendar: daily.calendar,
        timeZone: this.options.timeZone,
        now: now(),
      });
      const finished = await runs.finish(run.runId, { html: renderReportHtml(data), csv: renderReportCsv(data) }, now());
      this.options.log.info({ report: definition.id, run: run.runId, period: run.periodStart, trigger: run.trigger }, 'report run done');
      return finished ?? run;
    } catch (error) {
      this.options.log.warn({ err: error, report: definition.id, run: run.runId }, 'report run failed');
      return (await runs.fail(run.runId, error instanceof Error ? error.message : String(error), now()).catch(() => null)) ?? run;
    }
  }
}

function startRule(definition: ReportDefinition): string {
  return definition.period === 'week' ? 'weeks start on Monday' : definition.period === 'month' ? 'months start on the 1st' : 'a day is its own start';
}
