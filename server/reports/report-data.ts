// What a report run is rendered from (docs/contract.md#reports-to-management): the period's days ×
// lines, the period's and the previous period's totals, the incidents and the notes on what the
// figures cannot show, all computed here once. Pure: the caller reads the store and the incidents.
import type { Incident } from '../../contract/incidents.js';
import { ALL_LINES, type DailyRow, type ReportData, type ReportDefinition, type ReportIncident } from '../../contract/reports.js';
import type { Calendar } from '../domain/calendar.js';
import { type DaySpan, daysBetween } from './daily-store.js';
import type { DayPart } from './day-parts.js';
import { figuresOf, type IncidentTimes, type LineDay } from './figures.js';

export interface Periods {
  periodStart: string;
  periodEnd: string;
  previousStart: string;
  previousEnd: string;
}

export interface ReportInputs extends Periods {
  definition: ReportDefinition;
  /** The store's days from `previousStart` to `periodEnd`. */
  span: DaySpan;
  incidents: readonly Incident[];
  calendar: Calendar;
  timeZone: string;
  now: number;
}

/** The figures of the days [from, to) for one line, or for every line together (with the incidents). */
type RowMaker = (date: string, from: string, to: string, line: string) => DailyRow;

function rowMaker(span: DaySpan, incidents: readonly Incident[], calendar: Calendar, now: number): RowMaker {
  const declared = incidents.map((incident) => ({ incident, day: calendar.dayKey(Date.parse(incident.declaredAt)) }));
  return (date, from, to, line) => {
    const all = line === ALL_LINES;
    const parts: DayPart[] = [];
    // An escalation counts on the line it left, whichever line its ticket's part is under now.
    let escalated = 0;
    for (const day of daysBetween(from, to)) {
      for (const part of span.parts.get(day) ?? []) {
        if (all || part.line === line) parts.push(part);
        for (const left of part.escalatedFrom) if (all || left === line) escalated += 1;
      }
    }
    const lineDays = span.lineDays.filter((d: LineDay) => d.day >= from && d.day < to && (all || d.line === line));
    const times: IncidentTimes[] | null = all
      ? declared
          .filter(({ day }) => day >= from && day < to)
          .map(({ incident }) => ({
            declaredMs: Date.parse(incident.declaredAt),
            mitigatedMs: parseOrNull(incident.mitigatedAt),
            resolvedMs: parseOrNull(incident.resolvedAt),
          }))
      : null;
    return { date, line, figures: figuresOf({ parts, escalated, lineDays, incidents: times, endMs: Math.min(now, calendar.startOf(to)) }) };
  };
}

/** Each day of [from, to) × (every line, then ALL_LINES), by date then line. */
function dayRows(makeRow: RowMaker, lines: readonly string[], from: string, to: string): DailyRow[] {
  const rows: DailyRow[] = [];
  const days = daysBetween(from, to);
  days.forEach((day, i) => {
    for (const line of [...lines, ALL_LINES]) rows.push(makeRow(day, day, days[i + 1] ?? to, line));
  });
  return rows;
}

/** `GET /api/v1/reports/daily`: the days [from, to) as rows, and the lines they have. */
export function dailyRows(
  span: DaySpan,
  from: string,
  to: string,
  incidents: readonly Incident[],
  calendar: Calendar,
  now: number,
): { lines: string[]; rows: DailyRow[] } {
  const lines = linesOf(span);
  return { lines, rows: dayRows(rowMaker(span, incidents, calendar, now), lines, from, to) };
}

export function buildReportData(input: ReportInputs): ReportData {
  const { span, calendar } = input;
  const lines = linesOf(span);
  const makeRow = rowMaker(span, input.incidents, calendar, input.now);
  const everyLine = [...lines, ALL_LINES];
  const periodEndMs = Math.min(input.now, calendar.startOf(input.periodEnd));
  return {
    definition: input.definition,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    previousStart: input.previousStart,
    previousEnd: input.previousEnd,
    timeZone: input.timeZone,
    generatedAt: new Date(input.now).toISOString(),
    lines,
    days: dayRows(makeRow, lines, input.periodStart, input.periodEnd),
    totals: everyLine.map((line) => makeRow(input.periodStart, input.periodStart, input.periodEnd, line)),
    previousTotals: everyLine.map((line) => makeRow(input.previousStart, input.previousStart, input.previousEnd, line)),
    incidents: input.incidents
      .filter((incident) => {
        const day = calendar.dayKey(Date.parse(incident.declaredAt));
        return day >= input.periodStart && day < input.periodEnd;
      })
      .map((incident) => reportIncident(incident, periodEndMs)),
    notes: notesOf(input, span),
  };
}

function linesOf(span: DaySpan): string[] {
  const lines = new Set<string>();
  for (const parts of span.parts.values()) for (const part of parts) lines.add(part.line);
  for (const row of span.lineDays) lines.add(row.line);
  lines.delete(ALL_LINES);
  return [...lines].sort();
}

function reportIncident(incident: Incident, endMs: number): ReportIncident {
  const declared = Date.parse(incident.declaredAt);
  const end = parseOrNull(incident.resolvedAt) ?? endMs;
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    declaredAt: incident.declaredAt,
    mitigatedAt: incident.mitigatedAt,
    resolvedAt: incident.resolvedAt,
    minutes: Math.max(0, Math.round((end - declared) / 60_000)),
    // What was decided against is no action item: only open and done follow-ups are listed.
    followUps: incident.followUps
      .filter((followUp) => followUp.status !== 'wontfix')
      .map((followUp) => ({ title: followUp.title, owner: followUp.owner, dueAt: followUp.dueAt, done: followUp.status === 'done' })),
  };
}

const NOTES = {
  en: {
    rebuilt: (days: string) =>
      `The server was down at the end of ${days}: the backlog of those days was rebuilt from the tickets' times (a ticket counts as open when created before the day's end and not solved by it; tickets closed without a solved time, or closed and forgotten before the restart, are not counted).`,
    missing: (days: string) => `No backlog was counted at the end of ${days} (the server was not running then and no later start could rebuild it).`,
    coverage: (which: 'period' | 'previous', covered: number, total: number, first: string) =>
      `${which === 'period' ? 'This period' : 'The previous period'} has figures for ${covered} of its ${total} days (the first on ${first}): its totals cover only those days${which === 'previous' ? ', and the comparison with it says less' : ''}.`,
  },
  ru: {
    rebuilt: (days: string) =>
      `Сервер не работал в конце дня ${days}: очередь на конец этих дней восстановлена по времени тикетов (тикет считается открытым, если создан до конца дня и не решён к нему; тикеты, закрытые без времени решения или закрытые и забытые до перезапуска, не учтены).`,
    missing: (days: string) => `Очередь на конец дня ${days} не подсчитана (сервер тогда не работал, и восстановить её при следующем запуске не удалось).`,
    coverage: (which: 'period' | 'previous', covered: number, total: number, first: string) =>
      `${which === 'period' ? 'За этот период' : 'За предыдущий период'} есть данные за ${covered} из ${total} дней (первый — ${first}): итоги охватывают только эти дни${which === 'previous' ? ', и сравнение с ним менее показательно' : ''}.`,
  },
} as const;

/** What the figures cannot show, in the report's language. */
function notesOf(input: ReportInputs, span: DaySpan): string[] {
  const words = NOTES[input.definition.lang];
  const inPeriod = (day: string): boolean => day >= input.periodStart && day < input.periodEnd;
  const counted = new Set(span.lineDays.filter((d) => !d.reconstructed).map((d) => d.day));
  const rebuilt = [...new Set(span.lineDays.filter((d) => d.reconstructed && inPeriod(d.day)).map((d) => d.day))].sort();
  // Only days already over can lack a count; today's is written at its end.
  const over = daysBetween(input.periodStart, input.periodEnd).filter((day) => input.calendar.endOf(day) <= input.now);
  const uncounted = over.filter((day) => !counted.has(day) && !rebuilt.includes(day));
  const notes: string[] = [];
  // A period that began before the figures did (the first weeks after installing): say how much of it they cover.
  const withFigures = new Set([...span.parts.keys(), ...span.lineDays.map((d) => d.day)]);
  for (const [which, from, to] of [
    ['previous', input.previousStart, input.previousEnd],
    ['period', input.periodStart, input.periodEnd],
  ] as const) {
    const days = daysBetween(from, to).filter((day) => input.calendar.endOf(day) <= input.now);
    const covered = days.filter((day) => withFigures.has(day));
    if (covered.length > 0 && covered.length < days.length) notes.push(words.coverage(which, covered.length, days.length, covered[0]!));
  }
  if (rebuilt.length > 0) notes.push(words.rebuilt(rebuilt.join(', ')));
  if (uncounted.length > 0) notes.push(words.missing(uncounted.join(', ')));
  return notes;
}

function parseOrNull(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}
