// Start-up on the real process (docs/contract.md#security-and-durability): an unusable DATA_DIR (a file, a directory this user
// cannot write, a path through a file) stops the server with exit code 2 and a one-line
// configuration error naming DATA_DIR, no stack trace; and every file and directory the server
// creates under DATA_DIR (tokens, SQLite files, journal segments) is owner-only.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app.js';
import { ticketEvent } from '../helpers/events.js';
import { killServerProcesses, startServerProcess } from '../helpers/server-process.js';

afterEach(() => {
  killServerProcesses();
});

const asRoot = process.getuid?.() === 0;

const start = (env: Record<string, string>, options: { prefix?: string[] } = {}) => startServerProcess({ WATCHFLOOR_TOKENS: '', ...env }, options);

async function expectDataDirError(run: ReturnType<typeof start>, reason: RegExp): Promise<void> {
  expect(await run.exited).toBe(2);
  const output = run.output();
  expect(output).toMatch(/^watchfloor: configuration error: DATA_DIR: /m);
  expect(output).toMatch(reason);
  expect(output).not.toMatch(/\n\s+at /);
}

describe('an unusable DATA_DIR', () => {
  it('a file: exit 2, DATA_DIR named, no stack trace', async () => {
    const file = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    await expectDataDirError(start({ DATA_DIR: file }), /is a file, not a directory/);
  });

  it('a path through a file: exit 2', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'x');
    await expectDataDirError(start({ DATA_DIR: path.join(file, 'data') }), /cannot be (read|created)/);
  });

  it('a directory this user cannot write: exit 2', async () => {
    const dir = path.join(tempDir(), 'read-only');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o555);
    // Root writes through permissions; for root the directory is made read-only by a bind mount
    // in a mount namespace of the server's own (a user switch would need the whole checkout to be
    // readable by that user, which a checkout in a private temp directory is not).
    const readOnly = ['unshare', '--mount', 'sh', '-c', 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"', dir];
    await expectDataDirError(
      start({ DATA_DIR: dir }, asRoot ? { prefix: readOnly } : {}),
      /is not writable \((permission denied|the file system is read-only)\)/,
    );
  });
});

function walk(dir: string): Array<{ file: string; mode: number; isDir: boolean }> {
  const found: Array<{ file: string; mode: number; isDir: boolean }> = [];
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const stat = fs.statSync(file);
    found.push({ file, mode: stat.mode & 0o777, isDir: stat.isDirectory() });
    if (stat.isDirectory()) found.push(...walk(file));
  }
  return found;
}

describe('files under DATA_DIR', () => {
  it('are created owner-only: 0600 files, 0700 directories', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const run = start({ DATA_DIR: dataDir });
    const base = await run.listening();
    const tokens = JSON.parse(fs.readFileSync(path.join(dataDir, 'tokens.json'), 'utf8')) as { tokens: Array<{ role: string; secret: string }> };
    const ingest = tokens.tokens.find((t) => t.role === 'ingest')!.secret;
    const response = await fetch(`${base}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
      body: JSON.stringify([ticketEvent({ id: 'M-1' })]),
    });
    expect(response.status).toBe(202);
    // A stop checkpoints and closes every store: all their files exist by then.
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    const entries = walk(dataDir);
    expect(entries.filter((e) => !e.isDir).length).toBeGreaterThanOrEqual(3);
    expect(entries.map((e) => e.file)).toContain(path.join(dataDir, 'tokens.json'));
    const open = entries.filter((e) => (e.mode & 0o077) !== 0).map((e) => `${path.relative(dataDir, e.file)} ${e.mode.toString(8)}`);
    expect(open).toEqual([]);
  });
});
