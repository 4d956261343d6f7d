// The reports bench (docs/contract.md#reports-to-management): 400 days of daily figures in the
// embedded store (3 lines, ~900 tickets a day, every ticket's day parts as the ledger writes
// them), then the shipped monthly report for the last month, as a run makes it: the two months read
// from the store, the report data built, the HTML and CSV rendered (target ≤ 2 s), and the HTML
// printed to PDF by the system's headless Chromium (target ≤ 10 s).
//
//   npm run bench -- --only=reports
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Incident } from '../../contract/incidents.js';
import { Calendar } from '../../server/domain/calendar.js';
import { emptyContribution } from '../../server/domain/daily-stats.js';
import { type TicketParts, daysBetween } from '../../server/reports/daily-store.js';
import { dayPartsOf } from '../../server/reports/day-parts.js';
import { EmbeddedDailyStore } from '../../server/reports/embedded-daily-store.js';
import { findChromium, printPdf } from '../../server/reports/print-pdf.js';
import { renderReportCsv } from '../../server/reports/render-csv.js';
import { renderReportHtml } from '../../server/reports/render-html.js';
import { buildReportData } from '../../server/reports/report-data.js';
import { parseReportFile } from '../../server/reports/validate-report.js';
import { mulberry32 } from '../../server/simulator/random.js';
import { tempDir } from '../helpers/tokens.js';
import { fmt, type Row, type ScenarioResult } from './report.js';

const DAY_MS = 86_400_000;
const LINES = [
  { line: 'l1', perDay: 600, frt: 900, resolution: 4 * 3_600 },
  { line: 'l2', perDay: 220, frt: 3_600, resolution: 20 * 3_600 },
  { line: 'l3', perDay: 80, frt: 4 * 3_600, resolution: (3 * DAY_MS) / 1000 },
] as const;
const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

export async function reportsScenario(options: { days?: number } = {}): Promise<ScenarioResult> {
  const days = options.days ?? 400;
  const random = mulberry32(400);
  const dir = tempDir('watchfloor-bench-reports-');
  const store = new EmbeddedDailyStore({ dataDir: dir });
  const calendar = new Calendar();
  // The month reported is November 2026; the figures run 400 days back from its end.
  const end = '2026-12-01';
  const first = new Date(Date.parse(`${end}T12:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
  const dayKey = (ms: number): string => calendar.dayKey(ms);

  const fillStarted = performance.now();
  let tickets = 0;
  for (const day of daysBetween(first, end)) {
    const start = calendar.startOf(day);
    const batch: TicketParts[] = [];
    for (const { line, perDay, frt, resolution } of LINES) {
      for (let i = 0; i < perDay; i++) {
        const created = start + random() * DAY_MS;
        const answered = created + frt * 1000 * (0.2 + 1.6 * random());
        const solved = created + resolution * 1000 * (0.2 + 1.6 * random());
        const c = emptyContribution();
        c.createdDay = dayKey(created);
        c.firstResponseDay = dayKey(answered);
        c.firstResponseSec = (answered - created) / 1000;
        c.solvedDay = dayKey(solved);
        c.resolutionSec = (solved - created) / 1000;
        c.firstResponseTargetDay = dayKey(created + frt * 1000 * 1.5);
        c.firstResponseTargetMet = answered <= created + frt * 1000 * 1.5;
        if (random() < 0.3) {
          c.csatDay = c.solvedDay;
          c.csatGood = random() < 0.85;
        }
        batch.push({ key: `bench:${line}:${day}:${i}`, parts: dayPartsOf(c, line, PRIORITIES[i % 4]!) });
        tickets++;
      }
      // The end-of-day counts the ledger writes at midnight.
    }
    await store.writeTickets(batch);
    await store.writeLineDays(
      LINES.map(({ line, perDay }) => ({
        day,
        line,
        backlog: Math.round(perDay * 0.3 * (0.8 + 0.4 * random())),
        forecastAbsError: perDay * 0.2,
        forecastActual: perDay,
        scheduledAgentHours: perDay / 10,
        requiredAgentHours: perDay / 11,
        reconstructed: false,
      })),
    );
  }
  const fillMs = performance.now() - fillStarted;

  const parsed = parseReportFile('monthly.json', fs.readFileSync('dashboards/reports/monthly.json', 'utf8'));
  if (!parsed.ok) throw new Error(`dashboards/reports/monthly.json: ${JSON.stringify(parsed.problems)}`);
  const incidents = [3, 11, 19].map(
    (d, n) =>
      ({
        id: `inc-${n + 1}`,
        number: n + 1,
        title: `Incident ${n + 1}`,
        severity: 'SEV2',
        status: 'resolved',
        declaredAt: new Date(Date.parse(`2026-11-${String(d).padStart(2, '0')}T10:00:00Z`)).toISOString(),
        mitigatedAt: new Date(Date.parse(`2026-11-${String(d).padStart(2, '0')}T10:40:00Z`)).toISOString(),
        resolvedAt: new Date(Date.parse(`2026-11-${String(d).padStart(2, '0')}T12:00:00Z`)).toISOString(),
        // The report lists an incident's follow-ups (open and done): one of each.
        followUps: [
          { id: `fu-${n}-a`, title: 'Alert on the queue before the SLA does', owner: 'ops', dueAt: '2026-12-15T12:00:00.000Z', status: 'open' },
          { id: `fu-${n}-b`, title: 'Runbook for the failover', owner: 'l2', dueAt: '2026-11-28T12:00:00.000Z', status: 'done' },
        ],
      }) as Incident,
  );

  // A run's work, three times: the first is cold (SQLite's pages, V8's code), the best of the rest warm.
  const htmlTimes: number[] = [];
  let html = '';
  let csv = '';
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const span = await store.read('2026-10-01', '2026-12-01');
    const data = buildReportData({
      definition: parsed.definition,
      periodStart: '2026-11-01',
      periodEnd: '2026-12-01',
      previousStart: '2026-10-01',
      previousEnd: '2026-11-01',
      span,
      incidents,
      calendar,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      now: Date.parse('2026-12-01T07:00:00Z'),
    });
    html = renderReportHtml(data);
    csv = renderReportCsv(data);
    htmlTimes.push(performance.now() - started);
  }
  await store.close();

  const chromium = findChromium();
  let pdfMs: number | null = null;
  let pdfBytes = 0;
  if (chromium !== null) {
    const started = performance.now();
    pdfBytes = (await printPdf(html, { chromiumPath: chromium })).length;
    pdfMs = performance.now() - started;
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const cold = htmlTimes[0]!;
  const warm = Math.min(...htmlTimes.slice(1));
  const rows: Row[] = [
    {
      what: `reports: monthly report over ${days} days of figures (${fmt.int(tickets)} tickets), read + build + HTML + CSV, cold`,
      measured: `${fmt.ms(cold)}`,
      target: '≤ 2 s',
      pass: cold <= 2_000,
    },
    { what: 'reports: the same, warm', measured: fmt.ms(warm), target: '(reference)', pass: null },
    {
      what: 'reports: the monthly report printed to PDF by headless Chromium',
      measured: pdfMs === null ? 'no Chromium' : fmt.ms(pdfMs),
      target: '≤ 10 s',
      pass: pdfMs === null ? null : pdfMs <= 10_000,
    },
  ];
  return {
    rows,
    notes: [
      `reports: ${days} days × 3 lines written in ${fmt.ms(fillMs)} (${fmt.int(tickets)} tickets' day parts); HTML ${fmt.int(html.length)} chars, CSV ${fmt.int(csv.length)} chars, PDF ${fmt.int(pdfBytes)} bytes`,
    ],
    data: { days, tickets, fillMs, htmlMs: htmlTimes, pdfMs, htmlChars: html.length, csvChars: csv.length, pdfBytes },
  };
}
