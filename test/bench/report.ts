// The result rows and their Markdown table (what | measured | target | verdict).
export interface Row {
  what: string;
  measured: string;
  target: string;
  /** null: informational, no target of its own. */
  pass: boolean | null;
}

export interface ScenarioResult {
  rows: Row[];
  /** Lines that explain the rows (workload, server-side timings, caveats). */
  notes: string[];
  /** Everything measured, for results.json. */
  data: Record<string, unknown>;
}

export function verdict(pass: boolean | null): string {
  return pass === null ? 'info' : pass ? 'PASS' : 'FAIL';
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| what | measured | target | verdict |', '|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.what} | ${row.measured} | ${row.target} | ${verdict(row.pass)} |`);
  return lines.join('\n');
}

export const fmt = {
  int: (n: number): string => Math.round(n).toLocaleString('en-US'),
  ms: (n: number): string => `${Math.round(n)} ms`,
  mb: (n: number): string => `${n.toFixed(0)} MB`,
  ratio: (n: number): string => n.toFixed(2),
};

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
