// The dashboards of DASHBOARDS_DIR (docs/contract.md#dashboards-as-code), hot-reloaded: every `*.json` file is read at start and
// again whenever the directory changes. A file that does not validate is refused with a log line
// naming the file, the JSON path and the reason; its last good version stays in service, so walls
// never go blank because someone saved a typo. Good changes are announced with 'changed'.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dashboard, DashboardProblem } from '../../contract/dashboards.js';
import { formatProblem, parseDashboardFile } from './validate-dashboard.js';

/** Editors write a file in several steps; one scan after the burst is enough. */
const DEBOUNCE_MS = 100;
/**
 * fs.watch misses changes on some filesystems (network shares, some container mounts, editors that
 * replace the directory entry), so the directory is also re-read this often. A scan reads a
 * handful of small files: cheaper than trusting modification times that some filesystems round
 * to whole seconds.
 */
const RESCAN_MS = 2_000;
/** A dashboard is a few kilobytes; anything this big is a mistake, not a dashboard. */
const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Dot-files are editors' locks and swap files (`.#support.json`), not dashboards; `alerts.json` holds
 * the alert rules (server/alerts), `connectors.json` the helpdesk mapping (server/connectors),
 * `staffing.json` the staffing lines (server/staffing), `surge.json` surge detection (server/surge).
 */
export const SETTINGS_FILES = ['alerts.json', 'connectors.json', 'staffing.json', 'surge.json'] as const;
const DASHBOARD_FILE = /^[^.].*\.json$/;
const isDashboardFile = (name: string): boolean => DASHBOARD_FILE.test(name) && !(SETTINGS_FILES as readonly string[]).includes(name);

export interface RegistryLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

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

interface Entry {
  id: string;
  file: string;
  /** The text last read, to skip files that did not change; null once the file is gone. */
  text: string | null;
  dashboard: Dashboard | null;
  problems: DashboardProblem[];
}

export class DashboardRegistry extends EventEmitter<{ changed: [id: string] }> {
  private readonly entries = new Map<string, Entry>();
  private watcher: fs.FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private rescan: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private pending: Promise<void> | null = null;
  private dirMissing = false;
  /** Past the first scan, whose files are logged together. */
  private started = false;
  private closed = false;

  constructor(private readonly options: DashboardRegistryOptions) {
    super();
  }

  get dir(): string {
    return this.options.dir;
  }

  /** Reads the directory once, then watches it. A missing directory is logged and watched for. */
  async start(): Promise<void> {
    await this.scan();
    this.started = true;
    const good = [...this.entries.values()].filter((e) => e.dashboard !== null).map((e) => e.id);
    this.options.log.info({ dir: this.dir, dashboards: good }, `dashboards loaded from ${this.dir}: ${good.join(', ') || 'none'}`);
    this.watch();
    this.rescan = setInterval(() => {
      this.watch();
      this.scanInBackground();
    }, this.options.rescanMs ?? RESCAN_MS);
    this.rescan.unref();
  }

  /** The last good version of a dashboard, or undefined when it never had one. */
  get(id: string): Dashboard | undefined {
    return this.entries.get(id)?.dashboard ?? undefined;
  }

  /** What is wrong with a dashboard's file now (empty when nothing is, or there is no such file). */
  problemsOf(id: string): DashboardProblem[] {
    return this.entries.get(id)?.problems ?? [];
  }

  /** Every file known, good or not, by id. */
  list(): DashboardSummary[] {
    return [...this.entries.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => ({
        id: e.id,
        file: e.file,
        title: e.dashboard?.title ?? null,
        pages: e.dashboard?.pages.length ?? null,
        problems: e.problems,
      }));
  }

  /**
   * Reads the directory and applies what changed. Scans never overlap; a request during a scan
   * runs one more after it (the files may have changed after they were read), and requests
   * while that one waits share it.
   */
  scan(): Promise<void> {
    if (this.pending !== null) return this.pending;
    const next = this.running.then(() => {
      this.pending = null;
      return this.scanOnce();
    });
    this.pending = next;
    this.running = next.catch(() => {});
    return next;
  }

  close(): void {
    this.closed = true;
    if (this.debounce !== null) clearTimeout(this.debounce);
    if (this.rescan !== null) clearInterval(this.rescan);
    this.watcher?.close();
    this.watcher = null;
  }

  private watch(): void {
    if (this.watcher !== null || this.closed || this.options.watch === false) return;
    try {
      this.watcher = fs.watch(this.dir, { persistent: false }, () => this.schedule());
    } catch {
      return; // the directory is missing (logged by the scan); the periodic re-scan tries again
    }
    this.watcher.on('error', () => {
      // The directory was removed or the watch broke: rely on the re-scan, which re-watches.
      this.watcher?.close();
      this.watcher = null;
    });
  }

  private scanInBackground(): void {
    this.scan().catch((error: unknown) => this.options.log.warn({ err: error }, 'dashboard scan failed; the next one retries'));
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.debounce !== null) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.scanInBackground();
    }, this.options.debounceMs ?? DEBOUNCE_MS);
    this.debounce.unref();
  }

  private async scanOnce(): Promise<void> {
    if (this.closed) return;
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter(isDashboardFile);
      if (this.dirMissing) this.options.log.info({ dir: this.dir }, `dashboards directory ${this.dir} is back`);
      this.dirMissing = false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.log.warn({ dir: this.dir, err: error }, `cannot read the dashboards directory ${this.dir}; keeping what was loaded`);
        return;
      }
      if (!this.dirMissing) this.options.log.warn({ dir: this.dir }, `dashboards directory ${this.dir} does not exist; walls keep what was loaded`);
      this.dirMissing = true;
      names = [];
    }
    for (const name of names) await this.readFile(name);
    const present = new Set(names);
    for (const entry of [...this.entries.values()]) {
      if (!present.has(entry.file) && entry.text !== null) this.gone(entry);
    }
  }

  private async readFile(file: string): Promise<void> {
    const id = file.slice(0, -'.json'.length);
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(this.dir, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // removed since the listing; the next scan sees it gone
      this.refuse(this.entryFor(id, file), `error:${code}`, [{ path: '', message: `cannot be read (${code ?? String(error)})` }]);
      return;
    }
    if (bytes.length > MAX_FILE_BYTES) {
      this.refuse(this.entryFor(id, file), `size:${bytes.length}`, [
        { path: '', message: `is ${bytes.length} bytes; a dashboard file may be at most ${MAX_FILE_BYTES}` },
      ]);
      return;
    }
    const text = bytes.toString('utf8');
    const entry = this.entryFor(id, file);
    if (entry.text === text) return;
    const result = parseDashboardFile(file, text);
    if (!result.ok) {
      this.refuse(entry, text, result.problems);
      return;
    }
    entry.text = text;
    const hadProblems = entry.problems.length > 0;
    entry.problems = [];
    // An edit that changes only whitespace or key order is not worth a push to every wall.
    if (entry.dashboard !== null && JSON.stringify(entry.dashboard) === JSON.stringify(result.dashboard)) {
      if (hadProblems) this.options.log.info({ file }, `dashboard ${file} is good again (unchanged)`);
      return;
    }
    const first = entry.dashboard === null;
    entry.dashboard = result.dashboard;
    // The first scan is the start: nobody listens yet, and start() logs its files together.
    if (!this.started) return;
    this.options.log.info({ file }, `dashboard ${file} ${first ? 'loaded' : 'changed'}; pushing it to its walls`);
    this.emit('changed', id);
  }

  private entryFor(id: string, file: string): Entry {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { id, file, text: null, dashboard: null, problems: [] };
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** Keeps the last good version; logs once per distinct bad content, not on every re-scan. */
  private refuse(entry: Entry, text: string, problems: DashboardProblem[]): void {
    if (entry.text === text) return;
    entry.text = text;
    entry.problems = problems;
    const keeping = entry.dashboard === null ? 'there is no good version to show' : 'walls keep its last good version';
    this.options.log.warn(
      { file: entry.file, problems },
      `dashboard ${entry.file} refused (${keeping}): ${problems.map((p) => formatProblem(entry.file, p)).join('; ')}`,
    );
  }

  /**
   * A file that disappeared: walls keep its last good version (an editor's save may be a delete
   * then a rename, and a wall must not go blank for it) until the server restarts; the problem
   * says so. A file that was never good is simply forgotten.
   */
  private gone(entry: Entry): void {
    entry.text = null;
    if (entry.dashboard === null) {
      this.entries.delete(entry.id);
      return;
    }
    entry.problems = [{ path: '', message: 'the file is gone; walls keep its last good version until the server restarts' }];
    this.options.log.warn({ file: entry.file }, `dashboard ${entry.file} is gone; walls keep its last good version until the server restarts`);
  }
}
