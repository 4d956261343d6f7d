// The generated reports of the simulator's data as pictures for the docs:
// `npx tsx test/e2e/report-pages.ts` (after `npm run build:web`; needs poppler-utils' pdftoppm).
// Starts the demo server (the shipped dashboards and report definitions, eight weeks of arrivals, a
// roster and eight weeks of daily figures: seedDemoPlanning, seedDemoReports), runs the weekly report
// for last week and the monthly one for last month through the API, as a supervisor would, fetches
// each run's PDF and renders its pages to docs/report-weekly-<n>.png and docs/report-monthly-1.png.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ReportRun } from '../../contract/reports.js';
import { addDays, periodOf } from '../../server/reports/schedule.js';
import { bearer, tempDir } from '../helpers/app.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';

const { t, simulator } = await startDemoServer();
try {
  const today = t.app.daily.calendar.dayKey(t.app.now());
  const lastWeek = periodOf('week', addDays(periodOf('week', today).start, -1)).start;
  const lastMonth = periodOf('month', addDays(periodOf('month', today).start, -1)).start;
  for (const [id, periodStart, pages] of [
    ['weekly', lastWeek, 3],
    ['monthly', lastMonth, 1],
  ] as const) {
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/run`, headers: bearer('supervisor'), payload: { periodStart } });
    if (response.statusCode !== 201) throw new Error(`${id}: ${response.statusCode} ${response.body}`);
    const run = response.json() as ReportRun;
    if (run.status !== 'done') throw new Error(`${id}: ${run.status} ${run.error}`);
    const pdf = await t.app.inject({ method: 'GET', url: `/api/v1/reports/runs/${run.runId}.pdf`, headers: bearer('viewer') });
    if (pdf.statusCode !== 200) throw new Error(`${id} PDF: ${pdf.statusCode} ${pdf.body.slice(0, 300)}`);
    const file = path.join(tempDir('watchfloor-report-pages-'), `${id}.pdf`);
    fs.writeFileSync(file, pdf.rawPayload);
    const prefix = path.join(root, 'docs', `report-${id}`);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', String(pages), file, prefix]);
    // pdftoppm numbers pages with as many digits as the last page needs: "-1", "-2", …
    console.log(`${id} ${periodStart}: ${run.runId}, ${pdf.rawPayload.length} bytes; pages written as ${prefix}-<n>.png`);
  }
} finally {
  simulator.stop();
  await t.close();
}
