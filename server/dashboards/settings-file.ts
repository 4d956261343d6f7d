// A JSON settings file of DASHBOARDS_DIR (staffing.json, surge.json), validated and re-read when it
// changes: a bad version is refused with its JSON paths and logged once, and the last good one stays
// in force. Read on demand (cheap: one read and a string compare when nothing changed).
import fs from 'node:fs';
import type { DashboardProblem } from '../../contract/dashboards.js';

export interface SettingsLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export type SettingsValidation<T> = { ok: true; config: T } | { ok: false; problems: DashboardProblem[] };

export class SettingsFile<T> {
  private text: string | null = null;
  private current: T | null = null;
  /** What is wrong with the file as it is now; empty when the settings in force are the file. */
  problems: DashboardProblem[] = [];

  constructor(
    readonly file: string,
    private readonly options: {
      validate: (value: unknown) => SettingsValidation<T>;
      log: SettingsLog;
      /** What a missing file means, for the problems list ("staffing is off"). */
      missing: string;
      /** A line for the log when a new good version takes over. */
      describe: (config: T) => string;
    },
  ) {}

  /** The settings in force, re-read when the file changed; null when there never was a good version. */
  read(): T | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      if (this.text !== `error:${code}`) {
        this.text = `error:${code}`;
        this.problems = [{ path: '', message: code === 'ENOENT' ? this.options.missing : `cannot be read (${code}); the last good file stays in force` }];
        if (code !== 'ENOENT') this.options.log.warn({ file: this.file }, this.problems[0]!.message);
      }
      return this.current;
    }
    if (text === this.text) return this.current;
    this.text = text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return this.refuse([{ path: '', message: `not JSON: ${(error as Error).message}` }]);
    }
    const result = this.options.validate(parsed);
    if (!result.ok) return this.refuse(result.problems);
    const changed = this.current !== null;
    this.current = result.config;
    this.problems = [];
    if (changed) this.options.log.info({ file: this.file }, `${this.file} changed: ${this.options.describe(result.config)}`);
    return this.current;
  }

  private refuse(problems: DashboardProblem[]): T | null {
    this.problems = problems;
    this.options.log.warn(
      { file: this.file, problems },
      `${this.file} refused (the last good one stays in force): ${problems.map((p) => `${p.path || '(file)'}: ${p.message}`).join('; ')}`,
    );
    return this.current;
  }
}
