// The report printed to PDF by the system's headless Chromium (docs/contract.md#reports-to-management),
// read back with poppler's pdftotext: the hand-known numbers of report-fixture.ts are in the PDF's
// text, in English and in Russian. And the ways a print fails: no Chromium, a Chromium that fails,
// one that hangs (killed, with all its processes) — each leaving no temporary file behind.
// Needs /usr/bin/chromium and poppler-utils (pdftotext, pdfinfo).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, PdfUnavailableError, printPdf } from '../../../server/reports/print-pdf.js';
import { renderReportHtml } from '../../../server/reports/render-html.js';
import { tempDir } from '../../helpers/tokens.js';
import { reportFixture } from './report-fixture.js';

const run = promisify(execFile);

let dir: string;
/** Where printPdf makes its temporary directories (TMPDIR), to see they are gone afterwards. */
let tmp: string;
const savedTmpdir = process.env.TMPDIR;
const savedChromiumPath = process.env.CHROMIUM_PATH;

beforeAll(() => {
  dir = tempDir('watchfloor-pdf-test-');
  tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  process.env.TMPDIR = tmp;
});

afterAll(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  if (savedChromiumPath === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = savedChromiumPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The PDF's text, laid out as on the page, with no-break and thin spaces as spaces. */
async function pdfText(pdf: Buffer, name: string): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  return stdout.replace(/[\u00a0\u2009\u202f]/g, ' ');
}

async function pageSize(pdf: Buffer, name: string): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  const { stdout } = await run('pdfinfo', [file]);
  return /Page size:\s+(.*)/.exec(stdout)?.[1] ?? '';
}

describe('printing a report to PDF', () => {
  it('prints the English report on A4 with its numbers in the text', async () => {
    const pdf = await printPdf(renderReportHtml(reportFixture()));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await pageSize(pdf, 'en.pdf')).toMatch(/^59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)$/);
    const text = await pdfText(pdf, 'en.pdf');
    for (const expected of [
      'Support operations — weekly review',
      '23 – 29 November 2026',
      'Europe/Berlin',
      '30 November 2026 at 07:00',
      'What these figures cannot show',
      // Summary: the period, the change, the previous period.
      '1,282',
      '▲ 92 (+7.7 %)',
      '87.5 %',
      '▼ 2.5 pp',
      'Previous period: 90.0 %',
      '4 min 12 s',
      '1 h 05 min',
      '3 h 15 min',
      // Worst days, incidents, forecast, staffing.
      'Thu 26 Nov',
      '80.1 %',
      '#41',
      'Payment gateway timeouts',
      '24 Nov, 10:12',
      'Alert on gateway p95 latency',
      '1 h 50 min',
      '15.2 %',
      '10.8 %',
      '1,057.5 h',
      '−52.0 h',
      '89.6 %',
      // The footer in the page margin.
      'Page 1 of',
    ]) {
      expect(text).toContain(expected);
    }
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('prints the Russian report with its Cyrillic text and Russian numbers', async () => {
    const data = reportFixture();
    data.definition.lang = 'ru';
    data.definition.title = 'Поддержка: итоги недели';
    const text = await pdfText(await printPdf(renderReportHtml(data)), 'ru.pdf');
    for (const expected of [
      'Поддержка: итоги недели',
      '23–29 ноября 2026 г.',
      'Сводка',
      '1 282',
      '87,5 %',
      '▼ 2,5 п. п.',
      '4 мин 12 с',
      '1 ч 05 мин',
      '1 057,5 ч',
      'Стр. 1 из',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('when a PDF cannot be printed', () => {
  it('takes CHROMIUM_PATH alone when it is set (a wrong one is a 501, not another browser), else the usual places', () => {
    const fake = path.join(dir, 'my-chromium');
    fs.writeFileSync(fake, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect(findChromium(fake)).toBe(fake);
    // Not executable: none.
    fs.chmodSync(fake, 0o644);
    expect(findChromium(fake)).toBeNull();
    expect(findChromium(null)).toBe('/usr/bin/chromium');
  });

  it('says how to install Chromium when there is none', async () => {
    const missing = printPdf('<p>x</p>', { chromiumPath: path.join(dir, 'no-such-chromium') });
    await expect(missing).rejects.toBeInstanceOf(PdfUnavailableError);
    await expect(missing).rejects.toThrow('PDF needs a headless Chromium: apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('fails, with the exit status, when Chromium fails', async () => {
    await expect(printPdf('<p>x</p>', { chromiumPath: '/bin/false' })).rejects.toThrow(/^Chromium failed to print the PDF \(exit 1\)/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('fails when Chromium exits without writing a PDF', async () => {
    await expect(printPdf('<p>x</p>', { chromiumPath: '/bin/true' })).rejects.toThrow('Chromium exited without writing a PDF');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('kills a print that takes too long, with every process it started, and cleans up', async () => {
    // Chromium takes about a second to start and print here: 300 ms is too short.
    await expect(printPdf(renderReportHtml(reportFixture()), { timeoutMs: 300 })).rejects.toThrow('Chromium did not print the PDF within 300 ms');
    expect(fs.readdirSync(tmp)).toEqual([]);
    // Every Chromium process of that print had the temporary directory in its arguments.
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(processes.split('\n').filter((args) => args.includes(tmp))).toEqual([]);
  });
});
