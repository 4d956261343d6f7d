// A report run as one self-contained HTML document (docs/contract.md#reports-to-management): inline
// CSS, inline SVG charts, no script and nothing to fetch (the Content-Security-Policy says so too,
// so a text that escaped escaping still could not run or load anything). Read in a browser, sent by
// mail, or printed to PDF by Chromium (print-pdf.ts). Pure.
import type { ReportData } from '../../contract/reports.js';
import { escapeHtml } from './html-escape.js';
import { formatGeneratedAt, formatPeriod } from './report-format.js';
import { renderSection, reportContext } from './report-sections.js';
import { REPORT_STRINGS } from './report-strings.js';
import { reportCss } from './report-style.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function renderReportHtml(data: ReportData): string {
  const lang = data.definition.lang;
  const s = REPORT_STRINGS[lang];
  const t = escapeHtml;
  const title = data.definition.title;
  const ctx = reportContext(data, s);
  const meta = [
    [s.period, formatPeriod(s, data.periodStart, data.periodEnd)],
    [s.timeZone, data.timeZone],
    [s.generatedAt, formatGeneratedAt(s, data.generatedAt, data.timeZone)],
  ]
    .map(([term, description]) => `<div><dt>${t(term ?? '')}</dt><dd>${t(description ?? '')}</dd></div>`)
    .join('');
  const header =
    '<header class="report-header">' +
    `<div class="kicker">${t(`${s.periodKind[data.definition.period]} · ${s.product}`)}</div>` +
    `<h1>${t(title)}</h1>` +
    `<dl class="meta">${meta}</dl>` +
    '</header>';
  const notes =
    data.notes.length === 0
      ? ''
      : `<aside class="notes"><h2>${t(s.notes.title)}</h2><ul>${data.notes.map((note) => `<li>${t(note)}</li>`).join('')}</ul></aside>`;
  const sections = data.definition.sections.map((section) => renderSection(ctx, section)).join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t(`${title} — ${formatPeriod(s, data.periodStart, data.periodEnd)}`)}</title>`,
    `<style>${reportCss(s, title)}</style>`,
    '</head>',
    '<body>',
    header,
    notes,
    `<main>\n${sections}\n</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
