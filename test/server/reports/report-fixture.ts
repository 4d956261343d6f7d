// A hand-built report run: the week of Monday 23 to Sunday 29 November 2026, two lines (billing,
// network) and all lines, every section once. Every number is written out here, so the renderers'
// tests can expect exactly what they show. The all-lines counts are the sums of the lines'; its
// medians and shares are given (the server computes them over the tickets, not from the lines).
import type { DailyRow, Figures, ReportData, ReportDefinition } from '../../../contract/reports.js';
import { ALL_LINES, DAILY_FIGURES } from '../../../contract/reports.js';

export const WEEK = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];

/** Every figure, null unless given. */
export function figures(given: Partial<Figures>): Figures {
  const all = Object.fromEntries(DAILY_FIGURES.map((figure) => [figure, given[figure] ?? null]));
  return all as Figures;
}

type Series = Partial<Record<keyof Figures, (number | null)[]>>;

/** Per line, per day (Monday first). */
const DAILY: ReadonlyMap<string, Series> = new Map<string, Series>([
  [
    'billing',
    {
      created: [120, 132, 128, 141, 118, 64, 52],
      solved: [115, 128, 131, 135, 122, 60, 49],
      backlog: [40, 44, 41, 47, 43, 47, 50],
      compliance: [0.93, 0.89, 0.94, 0.82, 0.9, 0.95, 0.96],
      frtMedianSec: [230, 260, 215, 340, 250, 190, 205],
      csat: [0.93, 0.91, 0.94, 0.88, 0.92, 0.95, 0.9],
      forecastWape: [0.081, 0.094, 0.072, 0.146, 0.088, 0.121, null],
      scheduledAgentHours: [112, 112, 112, 112, 104, 10, 10],
      requiredAgentHours: [104.5, 110, 108.5, 121, 98, 8.5, 7],
    },
  ],
  [
    'network',
    {
      created: [80, 95, 102, 88, 91, 40, 31],
      solved: [78, 90, 99, 92, 88, 41, 30],
      backlog: [30, 35, 38, 36, 39, 38, 38],
      compliance: [0.89, 0.85, 0.92, 0.77, 0.87, 0.95, 0.98],
      // Wednesday: no first answer that day, so the chart's line breaks.
      frtMedianSec: [280, 310, null, 420, 300, 240, 255],
      csat: [0.9, 0.89, 0.93, 0.86, 0.91, 0.94, 0.97],
      forecastWape: [0.132, 0.118, 0.155, 0.201, 0.143, 0.162, 0.149],
      scheduledAgentHours: [88, 88, 88, 88, 80, 8, 8],
      requiredAgentHours: [92, 97.5, 99, 104.5, 90, 9, 8],
    },
  ],
  [
    ALL_LINES,
    {
      created: [200, 227, 230, 229, 209, 104, 83],
      solved: [193, 218, 230, 227, 210, 101, 79],
      backlog: [70, 79, 79, 83, 82, 85, 88],
      compliance: [0.912, 0.874, 0.931, 0.801, 0.889, 0.95, 0.967],
      frtMedianSec: [248, 281, 215, 372, 268, 205, 226],
      csat: [0.917, 0.902, 0.936, 0.872, 0.916, 0.946, 0.925],
      incidents: [0, 1, 0, 0, 1, 0, 0],
      incidentMinutes: [0, 110, 0, 0, 85, 0, 0],
      forecastWape: [0.094, 0.087, 0.101, 0.158, 0.097, 0.118, 0.121],
      scheduledAgentHours: [200, 200, 200, 200, 184, 18, 18],
      requiredAgentHours: [196.5, 207.5, 207.5, 225.5, 188, 17.5, 15],
    },
  ],
]);

function days(): DailyRow[] {
  const rows: DailyRow[] = [];
  WEEK.forEach((date, i) => {
    // By date, then line: the lines sorted, all lines ('all') sorts first among these.
    for (const line of [ALL_LINES, 'billing', 'network']) {
      const series = DAILY.get(line) ?? {};
      const given: Partial<Figures> = {};
      for (const figure of DAILY_FIGURES) {
        const values = series[figure];
        if (values !== undefined) given[figure] = values[i] ?? null;
      }
      rows.push({ date, line, figures: figures(given) });
    }
  });
  return rows;
}

export const TOTALS: DailyRow[] = [
  {
    date: '2026-11-23',
    line: ALL_LINES,
    figures: figures({
      created: 1282,
      solved: 1258,
      backlog: 88,
      compliance: 0.875,
      frtMedianSec: 252,
      resolutionMedianSec: 3900,
      csat: 0.92,
      incidents: 2,
      incidentMinutes: 195,
      forecastWape: 0.108,
      scheduledAgentHours: 1020,
      requiredAgentHours: 1057.5,
    }),
  },
  {
    date: '2026-11-23',
    line: 'billing',
    figures: figures({
      created: 755,
      solved: 740,
      backlog: 50,
      compliance: 0.905,
      frtMedianSec: 236,
      resolutionMedianSec: 3420,
      csat: 0.922,
      forecastWape: 0.094,
      scheduledAgentHours: 572,
      requiredAgentHours: 557.5,
    }),
  },
  {
    date: '2026-11-23',
    line: 'network',
    figures: figures({
      created: 527,
      solved: 518,
      backlog: 38,
      compliance: 0.838,
      frtMedianSec: 291,
      resolutionMedianSec: 4680,
      csat: 0.908,
      forecastWape: 0.152,
      scheduledAgentHours: 448,
      requiredAgentHours: 500,
    }),
  },
];

export const PREVIOUS_TOTALS: DailyRow[] = [
  {
    date: '2026-11-16',
    line: ALL_LINES,
    figures: figures({
      created: 1190,
      solved: 1201,
      backlog: 64,
      compliance: 0.9,
      frtMedianSec: 301,
      resolutionMedianSec: 3600,
      csat: 0.92,
      incidents: 0,
      incidentMinutes: 0,
      forecastWape: 0.121,
      scheduledAgentHours: 1000,
      requiredAgentHours: 1010,
    }),
  },
  { date: '2026-11-16', line: 'billing', figures: figures({ created: 702, solved: 711, compliance: 0.91, frtMedianSec: 290 }) },
  { date: '2026-11-16', line: 'network', figures: figures({ created: 488, solved: 490, compliance: 0.885, frtMedianSec: 318 }) },
];

export const DEFINITION: ReportDefinition = {
  id: 'weekly-review',
  title: 'Support operations — weekly review',
  period: 'week',
  schedule: '0 7 * * 1',
  lang: 'en',
  sections: [
    { type: 'summary', figures: ['created', 'solved', 'compliance', 'frtMedianSec', 'resolutionMedianSec', 'csat', 'backlog', 'incidentMinutes'] },
    { type: 'trend', figure: 'compliance' },
    { type: 'trend', figure: 'frtMedianSec', lines: ['billing', 'network', ALL_LINES] },
    { type: 'lines', figures: ['created', 'solved', 'compliance', 'frtMedianSec', 'resolutionMedianSec', 'csat'] },
    { type: 'worstDays', figure: 'compliance', count: 3 },
    { type: 'incidents' },
    { type: 'forecast' },
    { type: 'staffing' },
  ],
};

export function reportFixture(): ReportData {
  return {
    definition: structuredClone(DEFINITION),
    periodStart: '2026-11-23',
    periodEnd: '2026-11-30',
    previousStart: '2026-11-16',
    previousEnd: '2026-11-23',
    timeZone: 'Europe/Berlin',
    generatedAt: '2026-11-30T06:00:12.000Z',
    lines: ['billing', 'network'],
    days: days(),
    totals: structuredClone(TOTALS),
    previousTotals: structuredClone(PREVIOUS_TOTALS),
    incidents: [
      {
        id: 'inc-41',
        number: 41,
        title: 'Payment gateway timeouts',
        severity: 'SEV2',
        status: 'resolved',
        declaredAt: '2026-11-24T09:12:00.000Z',
        mitigatedAt: '2026-11-24T09:58:00.000Z',
        resolvedAt: '2026-11-24T11:02:00.000Z',
        minutes: 110,
        followUps: [
          { title: 'Alert on gateway p95 latency', owner: 'Dana Reyes', dueAt: '2026-12-04T17:00:00.000Z', done: false },
          { title: 'Publish the customer postmortem', owner: 'Ilya Petrov', dueAt: null, done: true },
        ],
      },
      {
        id: 'inc-42',
        number: 42,
        title: 'VPN login failures for EU agents',
        severity: 'SEV3',
        status: 'resolved',
        declaredAt: '2026-11-27T15:40:00.000Z',
        mitigatedAt: '2026-11-27T16:20:00.000Z',
        resolvedAt: '2026-11-27T17:05:00.000Z',
        minutes: 85,
        followUps: [],
      },
    ],
    notes: ['The server was down on Saturday 28 November from 02:00 to 03:10; tickets changed in that window count from when they were next seen.'],
  };
}
