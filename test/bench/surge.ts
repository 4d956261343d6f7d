// The surge bench (docs/contract.md#surge-detection): a simulated week of everyday tickets at the
// demo's rates (the simulator's own generator, its daily bursts off: they carry no ground truth)
// with outages injected from server/simulator/outages.ts, fed in time order through the pure
// `SurgeDetector` with the shipped defaults. Scored against the outages' ground truth:
//   recall         outages for which a suggestion opens whose tickets are mostly (> 50 %) its own
//   precision      suggestions opened that are mostly one outage's tickets ÷ all suggestions opened
//   time to suggest  that suggestion's opening − the outage's first ticket
//   cost per ticket  the detector's time ÷ tickets fed
// Only the new-ticket path is scored: the line-surge path needs a forecast and a line's totals, not
// a group of tickets, and is left out (no interval is fed).
//
//   npm run bench -- --only=surge                                        (surgeScenario: the table rows)
//   npx tsx -e "import('./test/bench/surge.ts').then((m) => m.run())"    (the figures and the misses)
import { performance } from 'node:perf_hooks';
import { SurgeDetector } from '../../server/surge/detector.js';
import type { ClusterSettings } from '../../server/surge/clusters.js';
import { SURGE_DEFAULTS, type SurgeConfig } from '../../server/surge/surge-file.js';
import { mulberry32 } from '../../server/simulator/random.js';
import { TrafficGenerator } from '../../server/simulator/generator.js';
import { planOutages, type Outage } from '../../server/simulator/outages.js';
import { fmt, percentile, type Row, type ScenarioResult } from './report.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface SurgeBenchOptions {
  seed?: number;
  outages?: number;
  days?: number;
  /** Local midnight the week starts at (default Monday 16 November 2026, Berlin). */
  startMs?: number;
  timeZone?: string;
  config?: Partial<SurgeConfig>;
  tuning?: Partial<ClusterSettings>;
}

interface FedTicket {
  key: string;
  line: string;
  subject: string;
  tags: string[];
  at: number;
}

export interface OpenedSuggestion {
  id: string;
  line: string;
  title: string;
  at: number;
  tickets: number;
  /** The outage most of its tickets belong to; null when none has more than half. */
  outage: string | null;
  /** Its tickets that belong to some outage. */
  outageTickets: number;
}

export interface OutageResult {
  outage: Outage;
  /** Its first suggestion's opening − its first ticket, ms; null when none opened. */
  timeToSuggestMs: number | null;
  /** The same from its `minTickets`-th ticket: what the detector adds to waiting for enough tickets. */
  afterEnoughMs: number | null;
  /** From its first ticket to its `minTickets`-th: the least time any suggestion can take. */
  enoughMs: number;
  /** Suggestions that were mostly its tickets (more than one: split by language or wording). */
  suggestions: number;
}

export interface SurgeBenchResult {
  everydayTickets: number;
  outageTickets: number;
  opened: OpenedSuggestion[];
  outages: OutageResult[];
  recall: number;
  precision: number;
  medianMs: number;
  p90Ms: number;
  medianAfterEnoughMs: number;
  /** Median over all outages of the time to their `minTickets`-th ticket. */
  medianEnoughMs: number;
  usPerTicket: number;
  clusters: number;
}

/** The everyday tickets of `days` days from `startMs`, as the helpdesk first sends them. */
function everydayTickets(seed: number, startMs: number, days: number, timeZone: string): FedTicket[] {
  const generator = new TrafficGenerator({ startMs, random: mulberry32(seed), timeZone, bursts: false });
  const tickets: FedTicket[] = [];
  for (let day = 1; day <= days; day += 1) {
    for (const event of generator.step(startMs + day * DAY_MS)) {
      if (event.type !== 'ticket') continue;
      const t = event.ticket;
      // A ticket's first event: the warm-up's snapshot also sends older tickets, which are not new.
      if (t.updatedAt !== t.createdAt || Date.parse(t.createdAt) < startMs) continue;
      tickets.push({ key: `${t.source}:${t.id}`, line: t.queue, subject: t.subject, tags: t.tags, at: Date.parse(t.createdAt) });
    }
  }
  return tickets;
}

export function surgeBench(options: SurgeBenchOptions = {}): SurgeBenchResult {
  const seed = options.seed ?? 17;
  const days = options.days ?? 7;
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const startMs = options.startMs ?? Date.parse('2026-11-16T00:00:00+01:00');
  const endMs = startMs + days * DAY_MS;
  const config: SurgeConfig = { ...SURGE_DEFAULTS, ...options.config };

  const everyday = everydayTickets(seed, startMs, days, timeZone);
  const plan = planOutages({ random: mulberry32(seed + 1), fromMs: startMs, untilMs: endMs, count: options.outages ?? 24 });
  const outageTickets: FedTicket[] = plan.tickets.map((t) => ({ key: `outage:${t.key}`, line: t.line, subject: t.subject, tags: t.tags, at: t.at }));
  const truth = new Map<string, string>();
  for (const [key, outage] of plan.truth) truth.set(`outage:${key}`, outage);
  // Stable: everyday tickets first at equal times, as they were generated first.
  const stream = [...everyday, ...outageTickets].sort((a, b) => a.at - b.at);

  const detector = new SurgeDetector(config, options.tuning);
  const opened = new Map<string, OpenedSuggestion>();
  let spentMs = 0;
  for (const ticket of stream) {
    const t = performance.now();
    const suggestion = detector.ticket(ticket);
    spentMs += performance.now() - t;
    if (suggestion === null || opened.has(suggestion.id)) continue;
    opened.set(suggestion.id, {
      id: suggestion.id,
      line: suggestion.line,
      title: suggestion.title,
      at: ticket.at,
      tickets: suggestion.tickets.length,
      outage: majority(suggestion.tickets, truth),
      outageTickets: suggestion.tickets.filter((key) => truth.has(key)).length,
    });
  }

  const openedList = [...opened.values()];
  const outages: OutageResult[] = plan.outages.map((outage) => {
    const mine = openedList.filter((s) => s.outage === outage.id);
    const first = mine[0];
    const ticketsOf = outageTickets.filter((t) => truth.get(t.key) === outage.id);
    const enoughAt = ticketsOf[Math.min(config.minTickets, ticketsOf.length) - 1]?.at ?? outage.firstTicketMs;
    return {
      outage,
      timeToSuggestMs: first === undefined ? null : first.at - outage.firstTicketMs,
      afterEnoughMs: first === undefined ? null : first.at - enoughAt,
      enoughMs: enoughAt - outage.firstTicketMs,
      suggestions: mine.length,
    };
  });
  const detected = outages.filter((o) => o.timeToSuggestMs !== null);
  const times = detected.map((o) => o.timeToSuggestMs as number).sort((a, b) => a - b);
  const afterEnough = detected.map((o) => o.afterEnoughMs as number).sort((a, b) => a - b);
  return {
    everydayTickets: everyday.length,
    outageTickets: outageTickets.length,
    opened: openedList,
    outages,
    recall: detected.length / outages.length,
    precision: openedList.length === 0 ? 0 : openedList.filter((s) => s.outage !== null).length / openedList.length,
    medianMs: percentile(times, 0.5),
    p90Ms: percentile(times, 0.9),
    medianAfterEnoughMs: percentile(afterEnough, 0.5),
    medianEnoughMs: percentile(
      outages.map((o) => o.enoughMs).sort((a, b) => a - b),
      0.5,
    ),
    usPerTicket: (spentMs * 1000) / stream.length,
    clusters: detector.clusters.size,
  };
}

/** The outage more than half of `tickets` belong to, or null. */
function majority(tickets: readonly string[], truth: ReadonlyMap<string, string>): string | null {
  const counts = new Map<string, number>();
  for (const key of tickets) {
    const outage = truth.get(key);
    if (outage !== undefined) counts.set(outage, (counts.get(outage) ?? 0) + 1);
  }
  for (const [outage, count] of counts) if (count * 2 > tickets.length) return outage;
  return null;
}

const minutes = (ms: number): string => (Number.isNaN(ms) ? '—' : `${(ms / MINUTE_MS).toFixed(1)} min`);
const percent = (n: number): string => `${(n * 100).toFixed(0)} %`;

export function surgeScenario(options: SurgeBenchOptions = {}): ScenarioResult {
  const r = surgeBench(options);
  const days = options.days ?? 7;
  const detected = r.outages.filter((o) => o.timeToSuggestMs !== null).length;
  const correct = r.opened.filter((s) => s.outage !== null).length;
  const workload = `${days} days, ${fmt.int(r.everydayTickets)} everyday + ${fmt.int(r.outageTickets)} outage tickets, ${r.outages.length} outages`;
  const rows: Row[] = [
    { what: `surge: recall (${workload})`, measured: `${r.recall.toFixed(2)} (${detected} of ${r.outages.length})`, target: '≥ 0.9', pass: r.recall >= 0.9 },
    {
      what: 'surge: precision (suggestions mostly one outage’s tickets ÷ all opened)',
      measured: `${r.precision.toFixed(2)} (${correct} of ${r.opened.length})`,
      target: '≥ 0.8',
      pass: r.precision >= 0.8,
    },
    {
      what: 'surge: time from an outage’s first ticket to its suggestion, median',
      measured: minutes(r.medianMs),
      target: '≤ 3 min',
      pass: r.medianMs <= 3 * MINUTE_MS,
    },
    { what: 'surge: time to suggest, p90', measured: minutes(r.p90Ms), target: '(reference)', pass: null },
    {
      what: `surge: detector cost per ticket (SurgeDetector.ticket, ${fmt.int(r.everydayTickets + r.outageTickets)} tickets)`,
      measured: `${r.usPerTicket.toFixed(1)} µs`,
      target: '(reference)',
      pass: null,
    },
  ];
  const missed = r.outages.filter((o) => o.timeToSuggestMs === null);
  const falseOnes = r.opened.filter((s) => s.outage === null);
  const notes = [
    `surge: SURGE_DEFAULTS (minTickets ${SURGE_DEFAULTS.minTickets}, windowMinutes ${SURGE_DEFAULTS.windowMinutes}, similarity ${SURGE_DEFAULTS.similarity}); seed ${options.seed ?? 17}; ` +
      `an outage's ${SURGE_DEFAULTS.minTickets}th ticket comes a median ${minutes(r.medianEnoughMs)} after its first (no suggestion can come sooner), ` +
      `its suggestion a median ${minutes(r.medianAfterEnoughMs)} after that; ` +
      `${r.outages.filter((o) => o.suggestions > 1).length} outages raised more than one suggestion`,
    `surge: missed ${missed.length}: ${missed.map((o) => `${o.outage.id} ${o.outage.theme} (${o.outage.tickets} tickets/${Math.round(o.outage.durationMs / MINUTE_MS)} min, ru ${percent(o.outage.russianShare)}, tag ${o.outage.tag ?? 'none'})`).join('; ') || 'none'}`,
    `surge: suggestions not mostly one outage: ${falseOnes.length}: ${falseOnes.map((s) => `"${s.title}" (${s.line}, ${s.tickets} tickets, ${s.outageTickets} of an outage)`).join('; ') || 'none'}`,
  ];
  return {
    rows,
    notes,
    data: {
      ...r,
      opened: r.opened.length,
      outages: r.outages.map((o) => ({
        id: o.outage.id,
        theme: o.outage.theme,
        tickets: o.outage.tickets,
        timeToSuggestMs: o.timeToSuggestMs,
        suggestions: o.suggestions,
      })),
    },
  };
}

/** The figures alone, with the misses and the false suggestions. */
export function run(options: SurgeBenchOptions = {}): void {
  const result = surgeScenario(options);
  for (const row of result.rows) process.stdout.write(`${row.what}: ${row.measured} (${row.target})\n`);
  for (const note of result.notes) process.stdout.write(`- ${note}\n`);
}
