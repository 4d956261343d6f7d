// The dashboards of DASHBOARDS_DIR (docs/contract.md#dashboards-as-code), hot-reloaded: every `*.json` file is read at start and
// again whenever the directory changes. A file that does not validate is refused with a log line
// naming the file, the JSON path and the reason; its last good version stays in service, so walls
// never go blank because someone saved a typo. Good changes are announced with 'changed'.
// The directory watching is json-file-directory.ts, shared with the report definitions.
import type { Dashboard, DashboardProblem } from '../../contract/dashboards.js';
import { JsonFileDirectory, type FileParse, type RegistryLogger } from './json-file-directory.js';
import { parseDashboardFile } from './validate-dashboard.js';

export type { RegistryLogger } from './json-file-directory.js';

/**
 * Dot-files are editors' locks and swap files (`.#support.json`), not dashboards; `alerts.json` holds
 * the alert rules (server/alerts), `connectors.json` the helpdesk mapping (server/connectors),
 * `staffing.json` the staffing lines (server/staffing), `surge.json` surge detection (server/surge),
 * `templates.json` the incident update templates (server/incidents/templates-file.ts), `notifications.json`
 * the outbound notifications' targets (server/notify), `severities.json` the severity scale
 * (server/incidents/severities-file.ts), `flow.json` the order of the lines (server/flow).
 * The `reports/` directory holds report definitions (server/reports), not read here.
 */
export const SETTINGS_FILES = [
  'alerts.json',
  'connectors.json',
  'staffing.json',
  'surge.json',
  'templates.json',
  'notifications.json',
  'severities.json',
  'flow.json',
] as const;
const DASHBOARD_FILE = /^[^.].*\.json$/;
const isDashboardFile = (name: string): boolean => DASHBOARD_FILE.test(name) && !(SETTINGS_FILES as readonly string[]).includes(name);

export interface DashboardRegistryOptions {
  dir: string;
  log: RegistryLogger;
  debounceMs?: number;
  rescanMs?: number;
  /** false: re-scans only (tests of the fallback). */
  watch?: boolean;
}

/** A file's standing, for `GET /api/v1/dashboards`. */
export interface DashboardSummary {
  id: string;
  file: string;
  /** Of the last good version; null when the file was never good. */
  title: string | null;
  pages: number | null;
  /** What is wrong with the file as it is now; empty when the last good version is the file. */
  problems: DashboardProblem[];
}

function parse(file: string, text: string): FileParse<Dashboard> {
  const result = parseDashboardFile(file, text);
  return result.ok ? { ok: true, value: result.dashboard } : result;
}

export class DashboardRegistry extends JsonFileDirectory<Dashboard> {
  constructor(options: DashboardRegistryOptions) {
    super({
      ...options,
      isFile: isDashboardFile,
      parse,
      words: { one: 'dashboard', many: 'dashboards', keepers: 'walls', onChange: 'pushing it to its walls' },
    });
  }

  /** Every file known, good or not, by id. */
  list(): DashboardSummary[] {
    return this.files().map((e) => ({
      id: e.id,
      file: e.file,
      title: e.value?.title ?? null,
      pages: e.value?.pages.length ?? null,
      problems: e.problems,
    }));
  }
}
