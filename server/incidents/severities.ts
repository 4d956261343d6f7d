// The severity scale in force (docs/contract.md#severities): `dashboards/severities.json`, re-read
// when it changes; the built-in SEV1–SEV4 while the file is missing or was never good (a bad
// version after a good one leaves the good one in force, like every settings file).
import path from 'node:path';
import { DEFAULT_SEVERITY_SCALE, type SeverityScale } from '../../contract/incidents.js';
import { SettingsFile, type SettingsLog } from '../dashboards/settings-file.js';
import { SEVERITIES_FILE, validateSeveritiesFile } from './severities-file.js';

export class Severities {
  private readonly settings: SettingsFile<SeverityScale>;
  private warnedMissing = false;

  constructor(private readonly options: { dir: string; log: SettingsLog }) {
    this.settings = new SettingsFile(path.join(options.dir, SEVERITIES_FILE), {
      validate: validateSeveritiesFile,
      log: options.log,
      missing: `no ${SEVERITIES_FILE}: the built-in SEV1–SEV4 are in force`,
      describe: (scale) => `severities ${scale.levels.map((l) => l.id).join(', ')}`,
    });
  }

  get file(): string {
    return SEVERITIES_FILE;
  }

  /** The scale in force; the same object until the file changes (callers compare it to see a change). */
  current(): SeverityScale {
    const scale = this.settings.read();
    if (scale === null && !this.warnedMissing && this.settings.problems[0]?.message.startsWith('no ')) {
      this.warnedMissing = true;
      this.options.log.warn({ file: this.settings.file }, this.settings.problems[0].message);
    }
    return scale ?? DEFAULT_SEVERITY_SCALE;
  }

  /** What is wrong with the file now; empty while the file is in force. */
  get problems(): { file: string; path: string; message: string }[] {
    return this.settings.problems.map((p) => ({ file: SEVERITIES_FILE, path: p.path, message: p.message }));
  }
}
