// A report's HTML printed to PDF by the system's headless Chromium (docs/contract.md#reports-to-management),
// run as a child process: the server needs no browser library. Each print gets its own temporary
// directory (the HTML, the PDF, Chromium's profile, so prints never share a profile lock, and its TMPDIR),
// removed afterwards whatever happened. Chromium runs in its own process group so that a print that
// hangs is killed with all the processes it started, not only the first.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const PDF_INSTALL_HINT = 'PDF needs a headless Chromium: apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH';
const DEFAULT_TIMEOUT_MS = 60_000;
/** The end of Chromium's stderr kept for an error message. */
const STDERR_KEPT = 2_000;

export class PdfUnavailableError extends Error {
  override readonly name = 'PdfUnavailableError';
  constructor(detail?: string) {
    super(detail === undefined ? PDF_INSTALL_HINT : `${PDF_INSTALL_HINT} (${detail})`);
  }
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium to print with: `configured` (CHROMIUM_PATH) alone when given, so that a wrong path
 * says so (501) rather than quietly printing with another; else the first of the usual places;
 * null when none runs.
 */
export function findChromium(configured: string | null = null): string | null {
  const candidates = configured !== null ? [configured] : CANDIDATES;
  return candidates.find(executable) ?? null;
}

export interface PrintPdfOptions {
  chromiumPath?: string;
  timeoutMs?: number;
}

function chromiumArgs(dir: string, htmlFile: string, pdfFile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-extensions',
    '--disable-background-networking',
    '--no-first-run',
    '--no-default-browser-check',
    '--no-pdf-header-footer',
    `--user-data-dir=${path.join(dir, 'profile')}`,
    `--print-to-pdf=${pdfFile}`,
    pathToFileURL(htmlFile).href,
  ];
}

/** Kills the process group Chromium leads; nothing to do when it has already gone. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group has exited.
  }
}

/** After a kill, how long to wait for Chromium's exit before giving up on it. */
const KILL_GRACE_MS = 5_000;

function run(chromium: string, args: string[], dir: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own TMPDIR too: what a killed Chromium leaves there goes with the print's directory.
    const env = { ...process.env, TMPDIR: dir };
    const child = spawn(chromium, args, { detached: true, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEPT);
    });
    const timedOut = new Error(`Chromium did not print the PDF within ${timeoutMs} ms`);
    let late: NodeJS.Timeout | undefined;
    // On a timeout the answer waits for Chromium's exit, so the temporary files are removed
    // after the processes writing them are gone.
    const timer = setTimeout(() => {
      killGroup(child);
      late = setTimeout(() => reject(timedOut), KILL_GRACE_MS);
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      clearTimeout(late);
      killGroup(child);
      reject(error.code === 'ENOENT' || error.code === 'EACCES' ? new PdfUnavailableError(`${chromium}: ${error.code}`) : error);
    });
    child.on('close', (code, signal) => {
      const expired = late !== undefined;
      clearTimeout(timer);
      clearTimeout(late);
      // Helpers Chromium started may outlive it for a moment; the group goes with it.
      killGroup(child);
      if (expired) reject(timedOut);
      else if (code === 0) resolve();
      else reject(new Error(`Chromium failed to print the PDF (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** The PDF of a complete HTML document, A4 as its CSS says, without Chromium's header and footer. */
export async function printPdf(html: string, options: PrintPdfOptions = {}): Promise<Buffer> {
  const chromium = options.chromiumPath ?? findChromium();
  if (chromium === null) throw new PdfUnavailableError();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'watchfloor-pdf-'));
  try {
    const htmlFile = path.join(dir, 'report.html');
    const pdfFile = path.join(dir, 'report.pdf');
    await writeFile(htmlFile, html, 'utf8');
    await run(chromium, chromiumArgs(dir, htmlFile, pdfFile), dir, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const pdf = await readFile(pdfFile).catch(() => null);
    if (pdf === null || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('Chromium exited without writing a PDF');
    return pdf;
  } finally {
    // Retries: a killed Chromium's last helpers may still be writing their profile for a moment.
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
