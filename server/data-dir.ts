// DATA_DIR at start (docs/contract.md#security-and-durability): it must be a directory this process can write, else the server
// stops with a configuration error that names the variable, not a stack trace from deep inside
// a store. Files created under it are owner-only: main.ts sets the process umask to 077, which
// covers every file and directory any store creates (SQLite files, journal segments, tokens).
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error.js';

/** Creation modes owner-only: 0600 files, 0700 directories. */
export const OWNER_ONLY_UMASK = 0o077;

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOTDIR') return 'a part of the path is a file';
  if (code === 'ENOSPC') return 'the disk is full';
  return code ?? (error as Error).message;
}

/** Creates DATA_DIR if needed and proves it writable; a ConfigError naming DATA_DIR otherwise. */
export function prepareDataDir(dir: string): void {
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError('DATA_DIR', `${dir} cannot be read (${reason(error)})`);
  }
  if (stat !== null && !stat.isDirectory()) throw new ConfigError('DATA_DIR', `${dir} is a file, not a directory`);
  if (stat === null) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new ConfigError('DATA_DIR', `${dir} cannot be created (${reason(error)})`);
    }
  }
  // access(W_OK) is not enough: it says yes to root on a read-only mount. Writing is the proof.
  const probe = path.join(dir, `.write-check-${process.pid}`);
  try {
    fs.writeFileSync(probe, '', { flag: 'wx', mode: 0o600 });
    fs.unlinkSync(probe);
  } catch (error) {
    throw new ConfigError('DATA_DIR', `${dir} is not writable (${reason(error)})`);
  }
}
