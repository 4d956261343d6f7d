// The outage generator (server/simulator/outages.ts): bursts of similar tickets on one line with
// their ground truth, seeded, realistic (varied wordings, two languages, a tag on some tickets
// only), and the demo's `DEMO_SCENARIO=outages` wiring through the generator and the simulator.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TicketPayload, WatchEvent } from '../../../contract/domain.js';
import { BURST_THEMES } from '../../../server/simulator/catalog.js';
import { OUTAGE_MINUTES, OUTAGE_THEMES, OUTAGE_TICKETS, OutageSchedule, generateOutage, planOutages } from '../../../server/simulator/outages.js';
import { Simulator, TrafficGenerator, mulberry32 } from '../../../server/simulator/simulator.js';
import { SurgeDetector } from '../../../server/surge/detector.js';
import { SURGE_DEFAULTS } from '../../../server/surge/surge-file.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 16 November 2026, 00:00 UTC. */
const START = Date.UTC(2026, 10, 16);
const CYRILLIC = /\p{Script=Cyrillic}/u;

const themeOf = (id: string) => OUTAGE_THEMES.find((t) => t.id === id)!;
/** Whether `subject` is one of the theme's wordings, dressed or not. */
const fromTheme = (subject: string, id: string) => [...themeOf(id).en, ...themeOf(id).ru].some((w) => subject.toLowerCase().includes(w.toLowerCase()));

describe('generateOutage', () => {
  it('makes 8–60 tickets on the theme’s line within 45 minutes of the first, in time order, worded from its theme', () => {
    const random = mulberry32(1);
    for (let n = 1; n <= 200; n += 1) {
      const { outage, tickets } = generateOutage(random, `o${n}`, START);
      expect(tickets.length).toBe(outage.tickets);
      expect(outage.tickets).toBeGreaterThanOrEqual(OUTAGE_TICKETS.min);
      expect(outage.tickets).toBeLessThanOrEqual(OUTAGE_TICKETS.max);
      expect(outage.durationMs).toBeGreaterThanOrEqual(OUTAGE_MINUTES.min * MINUTE);
      expect(outage.durationMs).toBeLessThanOrEqual(OUTAGE_MINUTES.max * MINUTE);
      expect(tickets[0]!.at).toBe(outage.firstTicketMs);
      expect(outage.firstTicketMs).toBeGreaterThanOrEqual(START);
      for (const [i, ticket] of tickets.entries()) {
        if (i > 0) expect(ticket.at).toBeGreaterThanOrEqual(tickets[i - 1]!.at);
        expect(ticket.at - START).toBeLessThanOrEqual(outage.durationMs + 1000);
        expect(ticket.at % 1000).toBe(0);
        expect(ticket.line).toBe(themeOf(outage.theme).line);
        expect(fromTheme(ticket.subject, outage.theme)).toBe(true);
        // The truth is never in the ticket: only a shared product tag, if any.
        expect(ticket.tags).toEqual(ticket.tags.length === 0 ? [] : [outage.tag]);
        expect(ticket.subject).not.toContain(outage.id);
      }
      expect(new Set(tickets.map((t) => t.key)).size).toBe(tickets.length);
    }
  });

  it('arrives on a ramp: a few first reports, then the rush', () => {
    const random = mulberry32(2);
    const shares = { first5: 0, from10to30: 0, all: 0 };
    for (let n = 0; n < 300; n += 1) {
      const { outage, tickets } = generateOutage(random, `o${n}`, START);
      for (const ticket of tickets) {
        const position = (ticket.at - START) / outage.durationMs;
        if (position < 0.05) shares.first5 += 1;
        else if (position >= 0.1 && position < 0.3) shares.from10to30 += 1;
        shares.all += 1;
      }
    }
    // Per unit of time, the rush (10–30 %) is several times busier than the first 5 %.
    expect(shares.from10to30 / 20).toBeGreaterThan((3 * shares.first5) / 5);
    expect(shares.first5).toBeGreaterThan(0);
  });

  it('words outages in English, Russian or both, and tags some of their tickets only, or none', () => {
    const random = mulberry32(3);
    const seen = { englishOnly: 0, mostlyRussian: 0, both: 0, untagged: 0, partlyTagged: 0 };
    const wordings = new Set<string>();
    for (let n = 0; n < 100; n += 1) {
      const { outage, tickets } = generateOutage(random, `o${n}`, START);
      const russian = tickets.filter((t) => CYRILLIC.test(t.subject)).length;
      if (russian === 0) seen.englishOnly += 1;
      else seen.both += 1;
      if (russian >= 0.7 * tickets.length) seen.mostlyRussian += 1;
      const tagged = tickets.filter((t) => t.tags.length > 0).length;
      if (outage.tag === null) {
        expect(tagged).toBe(0);
        seen.untagged += 1;
      } else if (tagged < tickets.length) seen.partlyTagged += 1;
      for (const t of tickets) wordings.add(`${outage.theme}|${t.subject}`);
    }
    expect(seen.englishOnly).toBeGreaterThan(10);
    expect(seen.mostlyRussian).toBeGreaterThan(5);
    expect(seen.both).toBeGreaterThan(10);
    expect(seen.untagged).toBeGreaterThan(10);
    expect(seen.partlyTagged).toBeGreaterThan(10);
    // Many distinct wordings per theme, not one subject repeated.
    expect(wordings.size).toBeGreaterThan(OUTAGE_THEMES.length * 15);
  });
});

describe('planOutages', () => {
  it('places the outages apart in the span, with a truth that names every ticket’s outage', () => {
    const plan = planOutages({ random: mulberry32(4), fromMs: START, untilMs: START + 7 * DAY, count: 24 });
    expect(plan.outages).toHaveLength(24);
    const starts = plan.outages.map((o) => o.startMs);
    for (let i = 1; i < starts.length; i += 1) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(2 * HOUR);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(START);
    expect(Math.max(...plan.tickets.map((t) => t.at))).toBeLessThan(START + 7 * DAY);
    expect(plan.tickets.length).toBe(plan.outages.reduce((sum, o) => sum + o.tickets, 0));
    expect(plan.truth.size).toBe(plan.tickets.length);
    for (const [i, ticket] of plan.tickets.entries()) {
      if (i > 0) expect(ticket.at).toBeGreaterThanOrEqual(plan.tickets[i - 1]!.at);
      const outage = plan.outages.find((o) => o.id === plan.truth.get(ticket.key));
      expect(outage).toBeDefined();
      expect(ticket.at).toBeGreaterThanOrEqual(outage!.startMs);
      expect(ticket.line).toBe(outage!.line);
    }
    // More than one theme and line in a week.
    expect(new Set(plan.outages.map((o) => o.theme)).size).toBeGreaterThan(3);
    expect(new Set(plan.outages.map((o) => o.line)).size).toBe(2);
  });

  it('is reproducible from its seed, and differs with another', () => {
    const options = { fromMs: START, untilMs: START + 7 * DAY, count: 10 };
    const a = planOutages({ ...options, random: mulberry32(5) });
    expect(planOutages({ ...options, random: mulberry32(5) })).toEqual(a);
    expect(planOutages({ ...options, random: mulberry32(6) }).tickets).not.toEqual(a.tickets);
  });

  it('refuses more outages than the span holds', () => {
    expect(() => planOutages({ random: mulberry32(7), fromMs: START, untilMs: START + 3 * HOUR, count: 5 })).toThrow(/do not fit/);
  });
});

describe('OutageSchedule', () => {
  it('starts at the first time, then every 30–60 minutes, and hands each ticket over once, in order', () => {
    const outages: { id: string; startMs: number; tickets: number }[] = [];
    const schedule = new OutageSchedule({ random: mulberry32(8), firstAtMs: START + 3 * MINUTE, onOutage: (o) => outages.push(o) });
    const taken = [];
    for (let until = START; until <= START + 6 * HOUR; until += MINUTE) taken.push(...schedule.take(until));
    expect(outages[0]!.startMs).toBe(START + 3 * MINUTE);
    expect(outages.map((o) => o.id).slice(0, 3)).toEqual(['o1', 'o2', 'o3']);
    for (let i = 1; i < outages.length; i += 1) {
      const gap = outages[i]!.startMs - outages[i - 1]!.startMs;
      expect(gap).toBeGreaterThanOrEqual(30 * MINUTE);
      expect(gap).toBeLessThanOrEqual(60 * MINUTE);
    }
    expect(outages.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < taken.length; i += 1) expect(taken[i]!.at).toBeGreaterThanOrEqual(taken[i - 1]!.at);
    expect(new Set(taken.map((t) => t.key)).size).toBe(taken.length);
    // Every ticket of the outages already over was handed over.
    const over = outages.filter((o) => o.startMs + OUTAGE_MINUTES.max * MINUTE < START + 6 * HOUR);
    for (const o of over) expect(taken.filter((t) => t.key.startsWith(`${o.id}-`))).toHaveLength(o.tickets);
  });
});

describe('the generator with outages', () => {
  it('creates the outage tickets under the run’s tag, and no catalogue bursts', () => {
    const schedule = new OutageSchedule({ random: mulberry32(9), firstAtMs: START + 10 * HOUR });
    const generator = new TrafficGenerator({ startMs: START, random: mulberry32(10), timeZone: 'UTC', bursts: false, outages: schedule });
    const created = generator
      .step(START + DAY)
      .filter((e): e is Extract<WatchEvent, { type: 'ticket' }> => e.type === 'ticket')
      .map((e) => e.ticket)
      .filter((t) => t.createdAt === t.updatedAt && Date.parse(t.createdAt) >= START);
    const outageTickets = created.filter((t) => t.id.startsWith(`${generator.runTag}-o`));
    expect(outageTickets.length).toBeGreaterThan(100);
    expect(Date.parse(outageTickets[0]!.createdAt)).toBeGreaterThanOrEqual(START + 10 * HOUR);
    expect(Date.parse(outageTickets[0]!.createdAt)).toBeLessThan(START + 10 * HOUR + OUTAGE_MINUTES.max * MINUTE);
    expect(outageTickets.every((t) => /^[A-Z]{3}-o\d+-\d+$/.test(t.id))).toBe(true);
    const burstTags = new Set(BURST_THEMES.map((t) => t.tag));
    expect(created.some((t: TicketPayload) => t.tags.some((tag) => burstTags.has(tag)))).toBe(false);
  });

  it('keeps the catalogue bursts by default', () => {
    const generator = new TrafficGenerator({ startMs: START, random: mulberry32(10), timeZone: 'UTC' });
    const burstTags = new Set(BURST_THEMES.map((t) => t.tag));
    const tickets = generator.step(START + 2 * DAY).filter((e): e is Extract<WatchEvent, { type: 'ticket' }> => e.type === 'ticket');
    expect(tickets.some((e) => e.ticket.tags.some((tag) => burstTags.has(tag)))).toBe(true);
  });
});

describe('DEMO_SCENARIO=outages in the simulator', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('injects an outage minutes after the live start that the surge detector suggests within minutes', async () => {
    const now = START + 10 * HOUR;
    vi.useFakeTimers({ now });
    const detector = new SurgeDetector(SURGE_DEFAULTS);
    const logs: string[] = [];
    const opened: { at: number; tickets: string[] }[] = [];
    const ingest = async (events: unknown[]) => {
      for (const event of events as WatchEvent[]) {
        if (event.type !== 'ticket' || event.ticket.createdAt !== event.ticket.updatedAt) continue;
        const t = event.ticket;
        const suggestion = detector.ticket({ key: t.id, line: t.queue, subject: t.subject, tags: t.tags, at: Date.parse(t.createdAt) });
        if (suggestion !== null && suggestion.history.length === 1 && !opened.some((o) => o.tickets[0] === suggestion.tickets[0]))
          opened.push({ at: Date.parse(t.createdAt), tickets: [...suggestion.tickets] });
      }
      return { accepted: events.length, rejected: [] };
    };
    const simulator = new Simulator({
      ingest,
      now: () => Date.now(),
      random: mulberry32(11),
      timeZone: 'UTC',
      backfill: false,
      speed: 60,
      scenario: 'outages',
      log: (m) => logs.push(m),
    });
    await simulator.start();
    // Half a real minute at 60x: half an hour of simulated time.
    await vi.advanceTimersByTimeAsync(30_000);
    simulator.stop();

    const first = logs.find((m) => m.includes('outage o1'));
    expect(first).toMatch(/outage o1 \(.+\) on l\d: \d+ tickets over \d+ min, the first at /);
    const firstAt = Date.parse(/the first at (\S+)$/.exec(first!)![1]!);
    // Broke 2–5 minutes after the start; its first report follows within the ramp.
    expect(firstAt - now).toBeGreaterThanOrEqual(2 * MINUTE);
    expect(firstAt - now).toBeLessThanOrEqual(15 * MINUTE);
    const suggestion = opened.find((o) => o.tickets.filter((key) => key.includes('-o1-')).length * 2 > o.tickets.length);
    expect(suggestion).toBeDefined();
    expect(suggestion!.at - firstAt).toBeLessThan(10 * MINUTE);
  });

  it('replays the same outages in a run taken over from the same seed, start and outage anchor', async () => {
    const anchor = START + 10 * HOUR;
    const outageTickets = async (now: number, live: boolean): Promise<Map<string, string>> => {
      vi.useFakeTimers({ now });
      const seen = new Map<string, string>();
      const ingest = async (events: unknown[]) => {
        for (const event of events as WatchEvent[])
          if (event.type === 'ticket' && /-o\d+-/.test(event.ticket.id)) seen.set(event.ticket.id, event.ticket.subject);
        return { accepted: events.length, rejected: [] };
      };
      const simulator = new Simulator({
        ingest,
        now: () => Date.now(),
        random: mulberry32(12),
        timeZone: 'UTC',
        startMs: START,
        speed: 60,
        scenario: 'outages',
        outagesFromMs: anchor,
      });
      await simulator.start();
      if (live) await vi.advanceTimersByTimeAsync(30_000);
      simulator.stop();
      vi.useRealTimers();
      return seen;
    };
    // The first instance runs live from the anchor for half an hour; the one taking over an hour
    // later back-fills from the run's start and must send the same outage tickets.
    const first = await outageTickets(anchor, true);
    const takenOver = await outageTickets(anchor + HOUR, false);
    expect(first.size).toBeGreaterThan(5);
    for (const [id, subject] of first) expect(takenOver.get(id)).toBe(subject);
  });

  it('leaves the everyday demo without outages', async () => {
    vi.useFakeTimers({ now: START + 10 * HOUR });
    const ids: string[] = [];
    const logs: string[] = [];
    const ingest = async (events: unknown[]) => {
      for (const event of events as WatchEvent[]) if (event.type === 'ticket') ids.push(event.ticket.id);
      return { accepted: events.length, rejected: [] };
    };
    const simulator = new Simulator({
      ingest,
      now: () => Date.now(),
      random: mulberry32(11),
      timeZone: 'UTC',
      backfill: false,
      speed: 60,
      log: (m) => logs.push(m),
    });
    await simulator.start();
    await vi.advanceTimersByTimeAsync(30_000);
    simulator.stop();
    expect(ids.length).toBeGreaterThan(50);
    expect(ids.some((id) => /-o\d+-/.test(id))).toBe(false);
    expect(logs.some((m) => m.includes('outage'))).toBe(false);
  });
});
