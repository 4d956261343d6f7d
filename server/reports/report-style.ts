// The report's stylesheet, inlined into the document (docs/contract.md#reports-to-management): the
// HTML is sent and printed on its own, with nothing to fetch. Laid out for A4 portrait through
// Chromium's print: 10 pt text, sections that do not split across pages, table headers repeated on
// each page, colours kept in print, and a footer (the title, the page number) in the page margin.
import type { ReportStrings } from './report-strings.js';

/** Text as a CSS string literal: every character but letters, digits and spaces as a CSS escape, so
 * no title can end the string, the rule or the <style> element. */
export function cssString(text: string): string {
  const escaped = Array.from(text)
    .map((c) => (/^[A-Za-z0-9 ]$/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `))
    .join('');
  return `"${escaped}"`;
}

const INK = '#111827';
const ACCENT = '#1f3a5f';
const MUTED = '#6b7280';
const RULE = '#d1d5db';
const BETTER = '#15803d';
const WORSE = '#b91c1c';

export function reportCss(s: ReportStrings, title: string): string {
  return `
@page {
  size: A4 portrait;
  margin: 14mm 14mm 16mm 14mm;
  @bottom-left { content: ${cssString(title)}; font: 7.5pt "Liberation Sans", Arial, sans-serif; color: ${MUTED}; }
  @bottom-right { content: ${cssString(`${s.page} `)} counter(page) ${cssString(` ${s.of} `)} counter(pages); font: 7.5pt "Liberation Sans", Arial, sans-serif; color: ${MUTED}; }
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.38; color: #1f2937; }
@media screen { body { max-width: 182mm; margin: 12mm auto; } }
.report-header { border-bottom: 2.5pt solid ${ACCENT}; padding-bottom: 7pt; margin-bottom: 12pt; }
.kicker { font-size: 8pt; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; color: ${ACCENT}; }
h1 { margin: 2pt 0 7pt; font-size: 20pt; line-height: 1.15; color: ${INK}; }
.meta { display: flex; flex-wrap: wrap; gap: 4pt 22pt; margin: 0; }
.meta dt { font-size: 7pt; letter-spacing: 0.06em; text-transform: uppercase; color: ${MUTED}; }
.meta dd { margin: 0; font-size: 9.5pt; font-weight: 700; color: ${INK}; }
.notes { break-inside: avoid; page-break-inside: avoid; margin: 0 0 14pt; padding: 6pt 10pt 7pt; background: #fffbeb; border: 1px solid #fcd34d; border-left: 4pt solid #d97706; }
.notes h2 { margin: 0 0 3pt; padding: 0; border: none; font-size: 10pt; color: #92400e; }
.notes ul { margin: 0; padding-left: 13pt; font-size: 9pt; }
.section { break-inside: avoid; page-break-inside: avoid; margin: 0 0 16pt; }
h2 { break-after: avoid; page-break-after: avoid; margin: 0 0 6pt; padding-bottom: 3pt; border-bottom: 1px solid ${RULE}; font-size: 12.5pt; color: ${ACCENT}; }
.section-note { margin: -2pt 0 7pt; font-size: 8.5pt; color: ${MUTED}; }
.empty { margin: 2pt 0; font-style: italic; color: ${MUTED}; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 7pt; }
.card { break-inside: avoid; padding: 6pt 8pt 7pt; background: #f9fafb; border: 1px solid #e5e7eb; border-top: 3pt solid #9ca3af; border-radius: 2pt; }
.card.tone-better { border-top-color: ${BETTER}; }
.card.tone-worse { border-top-color: ${WORSE}; }
.card-label { min-height: 2.5em; font-size: 8pt; line-height: 1.25; color: #4b5563; }
.card-value { margin: 2pt 0 1pt; font-size: 16pt; font-weight: 700; white-space: nowrap; color: ${INK}; font-variant-numeric: tabular-nums; }
.card-change { font-size: 8.5pt; font-weight: 700; white-space: nowrap; }
.card-change .verdict { font-weight: 400; }
.tone-better .card-change { color: ${BETTER}; }
.tone-worse .card-change { color: ${WORSE}; }
.tone-neutral .card-change { color: ${MUTED}; }
.card-previous { margin-top: 1pt; font-size: 7.5pt; color: ${MUTED}; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
th { padding: 3pt 5pt; vertical-align: bottom; text-align: left; font-size: 7.5pt; font-weight: 700; line-height: 1.2; color: #374151; border-bottom: 1.5pt solid ${ACCENT}; }
td { padding: 3pt 5pt; vertical-align: top; border-bottom: 1px solid #e5e7eb; }
tr { break-inside: avoid; page-break-inside: avoid; }
tbody tr.striped td { background: #f9fafb; }
th.num { text-align: right; }
td.num { text-align: right; white-space: nowrap; }
td.when { white-space: nowrap; }
td.name { min-width: 22mm; overflow-wrap: break-word; }
table.narrow { width: 62%; }
table.narrow th:first-child { width: 12%; }
tr.total td { font-weight: 700; background: #f3f4f6; border-top: 1.5pt solid #9ca3af; }
td.worse { color: ${WORSE}; }
.chart { display: block; margin: 0 0 2pt; }
.legend { display: flex; flex-wrap: wrap; gap: 3pt 14pt; margin: 0 0 6pt 60px; font-size: 8.5pt; }
.legend-item { white-space: nowrap; }
.swatch { display: inline-block; margin-right: 4pt; vertical-align: middle; }
.swatch.line { width: 16pt; height: 0; border-top-width: 2.5pt; }
.swatch.box { width: 8pt; height: 8pt; }
.badge { display: inline-block; padding: 0 4pt; font-size: 7.5pt; font-weight: 700; white-space: nowrap; background: #eef2f7; border: 1px solid #cbd5e1; border-radius: 2pt; }
.status-open { color: ${WORSE}; font-style: italic; }
tr.follow-ups td { padding-top: 0; font-size: 8.5pt; color: #374151; }
tr.has-follow-ups td { border-bottom: none; }
.follow-ups-title { font-size: 7.5pt; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; color: ${MUTED}; }
.follow-ups ul { margin: 1pt 0 2pt; padding-left: 12pt; }
.fu-state { font-size: 7.5pt; font-weight: 700; text-transform: uppercase; }
.fu-state.done { color: ${BETTER}; }
.fu-state.to-do { color: #b45309; }
.fu-meta { color: ${MUTED}; }
.explain { margin: 4pt 0 0; font-size: 8pt; color: ${MUTED}; }
`;
}
