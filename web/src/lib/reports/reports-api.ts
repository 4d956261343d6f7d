// The reports page's HTTP calls (docs/contract.md#reports-to-management), through api/http.ts: the
// definitions, the runs, a manual run, and the addresses of a run's files.
import type { ReportRun, ReportRunsAnswer, ReportsAnswer, RunRequest } from '../../../../contract/reports.js';
import { getJson, postJson } from '../api/http.js';

const BASE = '/api/v1/reports';

/** How many runs the page lists. */
export const RUNS_LIMIT = 50;

export const RUN_FILES = ['html', 'pdf', 'csv'] as const;
export type RunFile = (typeof RUN_FILES)[number];

export function fetchReports(token: string | null, signal?: AbortSignal): Promise<ReportsAnswer> {
  return getJson<ReportsAnswer>(BASE, token, signal);
}

export async function fetchRuns(token: string | null, signal?: AbortSignal): Promise<ReportRun[]> {
  return (await getJson<ReportRunsAnswer>(`${BASE}/runs?limit=${RUNS_LIMIT}`, token, signal)).runs;
}

/** Runs the report for the period starting on `periodStart`; answers the finished run (done or failed). */
export function runReport(token: string | null, reportId: string, periodStart: string): Promise<ReportRun> {
  const body: RunRequest = { periodStart };
  return postJson<ReportRun>(`${BASE}/${encodeURIComponent(reportId)}/run`, token, body);
}

/** A run's file; the token rides in the query, as a link cannot send headers. */
export function runFileUrl(runId: string, file: RunFile, token: string | null): string {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${BASE}/runs/${encodeURIComponent(runId)}.${file}${query}`;
}
