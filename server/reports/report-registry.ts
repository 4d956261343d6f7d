// The report definitions of `<DASHBOARDS_DIR>/reports/*.json` (docs/contract.md#reports-to-management), hot-reloaded
// like the dashboards (the same directory watching: server/dashboards/json-file-directory.ts). A bad
// file is refused with a log line naming the file, the JSON path and the reason, and its last good
// version stays: a typo saved on Sunday night does not cost Monday's report.
import path from 'node:path';
import type { DashboardProblem } from '../../contract/dashboards.js';
import type { ReportDefinition } from '../../contract/reports.js';
import { JsonFileDirectory, type FileParse, type RegistryLogger } from '../dashboards/json-file-directory.js';
import { parseReportFile } from './validate-report.js';

/** Dot-files are editors' locks and swap files (`.#weekly.json`), not definitions. */
const REPORT_FILE = /^[^.].*\.json$/;

export interface ReportRegistryOptions {
  /** DASHBOARDS_DIR; the definitions are in its `reports/` directory. */
  dashboardsDir: string;
  log: RegistryLogger;
  debounceMs?: number;
  rescanMs?: number;
  /** false: re-scans only (tests of the fallback). */
  watch?: boolean;
}

/** A definition file that is wrong as it is now (its last good version, if any, stays in use). */
export interface ReportFileProblems {
  id: string;
  file: string;
  /** Whether a last good version is in use. */
  inUse: boolean;
  problems: DashboardProblem[];
}

function parse(file: string, text: string): FileParse<ReportDefinition> {
  const result = parseReportFile(file, text);
  return result.ok ? { ok: true, value: result.definition } : result;
}

export class ReportRegistry extends JsonFileDirectory<ReportDefinition> {
  constructor(options: ReportRegistryOptions) {
    const { dashboardsDir, ...rest } = options;
    super({
      ...rest,
      dir: path.join(dashboardsDir, 'reports'),
      isFile: (name) => REPORT_FILE.test(name),
      parse,
      words: { one: 'report definition', many: 'reports', keepers: 'the scheduler and the API', onChange: 'the scheduler follows it' },
    });
  }

  /** The definitions in service (each file's last good version), by id. */
  list(): ReportDefinition[] {
    return this.files().flatMap((e) => (e.value === null ? [] : [e.value]));
  }

  /** The files that are wrong now, by id; empty when every file is good. */
  get problems(): ReportFileProblems[] {
    return this.files()
      .filter((e) => e.problems.length > 0)
      .map((e) => ({ id: e.id, file: e.file, inUse: e.value !== null, problems: e.problems }));
  }
}
