// A directory of JSON files people edit by hand, hot-reloaded: every file is read at start and
// again whenever the directory changes (fs.watch, debounced, and a periodic re-scan for the
// filesystems where fs.watch misses changes). A file that does not validate is refused with a log
// line naming the file, the JSON path and the reason; its last good version stays in service, so
// nothing goes blank because someone saved a typo. Good changes are announced with 'changed'.
//
// Shared by the dashboards (dashboard-registry.ts) and the report definitions
// (server/reports/report-registry.ts); each says which files are its own, how one is parsed, and
// the words its log lines use.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DashboardProblem } from '../../contract/dashboards.js';
import { formatProblem } from './validate-dashboard.js';

/** Editors write a file in several steps; one scan after the burst is enough. */
const DEBOUNCE_MS = 100;
/**
 * fs.watch misses changes on some filesystems (network shares, some container mounts, editors that
 * replace the directory entry), so the directory is also re-read this often. A scan reads a
 * handful of small files: cheaper than trusting modification times that some filesystems round
 * to whole seconds.
 */
const RESCAN_MS = 2_000;
/** These files are a few kilobytes; anything this big is a mistake. */
const MAX_FILE_BYTES = 1024 * 1024;

export interface RegistryLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export type FileParse<T> = { ok: true; value: T } | { ok: false; problems: DashboardProblem[] };

/** How the log lines name things: "dashboard support.json refused (walls keep its last good version)". */
export interface DirectoryWords {
  /** One file's kind: 'dashboard'. */
  one: string;
  /** Several: 'dashboards' (also the key of the start line's list of ids). */
  many: string;
  /** Who keeps using the last good version: 'walls'. */
  keepers: string;
  /** What a good change leads to: 'pushing it to its walls'. */
  onChange: string;
}

export interface JsonFileDirectoryOptions<T> {
  dir: string;
  log: RegistryLogger;
  /** Whether a directory entry is one of this directory's files (never a dot-file: editors' locks). */
  isFile(name: string): boolean;
  /** Parses and validates one file's text; `file` is its name (`support.json`). */
  parse(file: string, text: string): FileParse<T>;
  words: DirectoryWords;
  debounceMs?: number;
  rescanMs?: number;
  /** false: re-scans only (tests of the fallback). */
  watch?: boolean;
}

/** A file's standing: its last good version (null when it never had one) and what is wrong now. */
export interface FileEntry<T> {
  id: string;
  file: string;
  value: T | null;
  /** Empty when the last good version is the file. */
  problems: DashboardProblem[];
}

interface Entry<T> extends FileEntry<T> {
  /** The text last read, to skip files that did not change; null once the file is gone. */
  text: string | null;
}

export class JsonFileDirectory<T> extends EventEmitter<{ changed: [id: string] }> {
  private readonly entries = new Map<string, Entry<T>>();
  private watcher: fs.FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private rescan: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private pending: Promise<void> | null = null;
  private dirMissing = false;
  /** Past the first scan, whose files are logged together. */
  private started = false;
  private closed = false;

  constructor(private readonly options: JsonFileDirectoryOptions<T>) {
    super();
  }

  get dir(): string {
    return this.options.dir;
  }

  /** Reads the directory once, then watches it. A missing directory is logged and watched for. */
  async start(): Promise<void> {
    await this.scan();
    this.started = true;
    const { many } = this.options.words;
    const good = [...this.entries.values()].filter((e) => e.value !== null).map((e) => e.id);
    this.options.log.info({ dir: this.dir, [many]: good }, `${many} loaded from ${this.dir}: ${good.join(', ') || 'none'}`);
    this.watch();
    this.rescan = setInterval(() => {
      this.watch();
      this.scanInBackground();
    }, this.options.rescanMs ?? RESCAN_MS);
    this.rescan.unref();
  }

  /** The last good version of a file, or undefined when it never had one. */
  get(id: string): T | undefined {
    return this.entries.get(id)?.value ?? undefined;
  }

  /** What is wrong with a file now (empty when nothing is, or there is no such file). */
  problemsOf(id: string): DashboardProblem[] {
    return this.entries.get(id)?.problems ?? [];
  }

  /** Every file known, good or not, by id. */
  files(): FileEntry<T>[] {
    return [...this.entries.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => ({ id: e.id, file: e.file, value: e.value, problems: e.problems }));
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
    this.scan().catch((error: unknown) => this.options.log.warn({ err: error }, `${this.options.words.one} scan failed; the next one retries`));
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
    const { many, keepers } = this.options.words;
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => this.options.isFile(name));
      if (this.dirMissing) this.options.log.info({ dir: this.dir }, `${many} directory ${this.dir} is back`);
      this.dirMissing = false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.log.warn({ dir: this.dir, err: error }, `cannot read the ${many} directory ${this.dir}; keeping what was loaded`);
        return;
      }
      if (!this.dirMissing) this.options.log.warn({ dir: this.dir }, `${many} directory ${this.dir} does not exist; ${keepers} keep what was loaded`);
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
    const { one, onChange } = this.options.words;
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
        { path: '', message: `is ${bytes.length} bytes; a ${one} file may be at most ${MAX_FILE_BYTES}` },
      ]);
      return;
    }
    const text = bytes.toString('utf8');
    const entry = this.entryFor(id, file);
    if (entry.text === text) return;
    const result = this.options.parse(file, text);
    if (!result.ok) {
      this.refuse(entry, text, result.problems);
      return;
    }
    entry.text = text;
    const hadProblems = entry.problems.length > 0;
    entry.problems = [];
    // An edit that changes only whitespace or key order is not worth announcing.
    if (entry.value !== null && JSON.stringify(entry.value) === JSON.stringify(result.value)) {
      if (hadProblems) this.options.log.info({ file }, `${one} ${file} is good again (unchanged)`);
      return;
    }
    const first = entry.value === null;
    entry.value = result.value;
    // The first scan is the start: nobody listens yet, and start() logs its files together.
    if (!this.started) return;
    this.options.log.info({ file }, `${one} ${file} ${first ? 'loaded' : 'changed'}; ${onChange}`);
    this.emit('changed', id);
  }

  private entryFor(id: string, file: string): Entry<T> {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { id, file, text: null, value: null, problems: [] };
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** Keeps the last good version; logs once per distinct bad content, not on every re-scan. */
  private refuse(entry: Entry<T>, text: string, problems: DashboardProblem[]): void {
    if (entry.text === text) return;
    entry.text = text;
    entry.problems = problems;
    const { one, keepers } = this.options.words;
    const keeping = entry.value === null ? 'there is no good version to show' : `${keepers} keep its last good version`;
    this.options.log.warn(
      { file: entry.file, problems },
      `${one} ${entry.file} refused (${keeping}): ${problems.map((p) => formatProblem(entry.file, p)).join('; ')}`,
    );
  }

  /**
   * A file that disappeared: its last good version stays (an editor's save may be a delete then a
   * rename) until the server restarts; the problem says so. A file that was never good is simply
   * forgotten.
   */
  private gone(entry: Entry<T>): void {
    entry.text = null;
    if (entry.value === null) {
      this.entries.delete(entry.id);
      return;
    }
    const { one, keepers } = this.options.words;
    entry.problems = [{ path: '', message: `the file is gone; ${keepers} keep its last good version until the server restarts` }];
    this.options.log.warn({ file: entry.file }, `${one} ${entry.file} is gone; ${keepers} keep its last good version until the server restarts`);
  }
}
