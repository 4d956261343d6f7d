// A report run's daily figures as CSV (docs/contract.md#reports-to-management): `date,line,` and
// then every DAILY_FIGURES name in order; one row per day × line, the all-lines rows included.
// RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes doubled); an empty cell
// for no value; numbers as JavaScript writes them (no grouping, "." for decimals) so any tool reads
// them. A text cell that a spreadsheet would take for a formula (= + - @, and tab or CR, which some
// spreadsheets strip before looking) gets a leading apostrophe: line names are user-written.
// UTF-8 without a BOM is the caller's encoding of the string returned. Pure.
import { DAILY_FIGURES, type ReportData } from '../../contract/reports.js';

const CRLF = '\r\n';

function textCell(text: string): string {
  const defused = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

function numberCell(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '' : String(value);
}

export function renderReportCsv(data: ReportData): string {
  const lines = [['date', 'line', ...DAILY_FIGURES].join(',')];
  for (const row of data.days) {
    lines.push([textCell(row.date), textCell(row.line), ...DAILY_FIGURES.map((figure) => numberCell(row.figures[figure]))].join(','));
  }
  return lines.join(CRLF) + CRLF;
}
