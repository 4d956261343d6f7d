// The demo traffic simulator: a simulated day with a fixed seed must be valid per docs/contract.md#events-in event for
// event, and must look like a support day (curve, queues, escalations, breaches, shifts).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENT_STATUSES, EVENT_TYPES, PRIORITIES, TICKET_STATUSES, type TicketPayload, type WatchEvent } from '../../../contract/domain.js';
import { BURST_THEMES, SLA_POLICIES } from '../../../server/simulator/catalog.js';
import { dayCurve } from '../../../server/simulator/day-curve.js';
import { LocalTime } from '../../../server/domain/local-time.js';
import { BATCH_SIZE, Simulator, TrafficGenerator, mulberry32 } from '../../../server/simulator/simulator.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SEED = 20261126;
/** Thursday 26 November 2026, 00:00 UTC; the tests run the simulated day in UTC. */
const START = Date.UTC(2026, 10, 26);

// ---- docs/contract.md#events-in, written out as checks ----

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function isIso(value: unknown): boolean {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Everything docs/contract.md#events-in says an event must be; an empty list when valid. */
function specErrors(event: unknown): string[] {
  const errors: string[] = [];
  if (!isRecord(event)) return ['event: must be an object'];
  if (!isText(event.id)) errors.push('id: must be a non-empty string');
  if (!(EVENT_TYPES as readonly unknown[]).includes(event.type)) errors.push('type: must be ticket or agent');
  if (!isIso(event.at)) errors.push('at: must be ISO-8601');
  if (event.type === 'ticket') {
    const ticket = event.ticket;
    if (!isRecord(ticket)) return [...errors, 'ticket: must be an object'];
    for (const field of ['id', 'source', 'queue'] as const) {
      if (!isText(ticket[field])) errors.push(`ticket.${field}: must be a non-empty string`);
    }
    if (typeof ticket.subject !== 'string') errors.push('ticket.subject: must be a string');
    if (!(PRIORITIES as readonly unknown[]).includes(ticket.priority)) errors.push(`ticket.priority: ${String(ticket.priority)}`);
    if (!(TICKET_STATUSES as readonly unknown[]).includes(ticket.status)) errors.push(`ticket.status: ${String(ticket.status)}`);
    if (ticket.assignee !== null && !isText(ticket.assignee)) errors.push('ticket.assignee: must be a string or null');
    if (!Array.isArray(ticket.tags) || !ticket.tags.every((tag) => typeof tag === 'string')) errors.push('ticket.tags: must be strings');
    for (const field of ['createdAt', 'updatedAt'] as const) {
      if (!isIso(ticket[field])) errors.push(`ticket.${field}: must be ISO-8601`);
    }
    for (const field of ['firstResponseAt', 'solvedAt', 'firstResponseDueAt', 'resolutionDueAt'] as const) {
      if (ticket[field] !== null && !isIso(ticket[field])) errors.push(`ticket.${field}: must be ISO-8601 or null`);
    }
    const csat = ticket.csat;
    if (csat !== null && !(typeof csat === 'number' && Number.isInteger(csat) && csat >= 1 && csat <= 5)) {
      errors.push('ticket.csat: must be 1 to 5 or null');
    }
  } else if (event.type === 'agent') {
    const agent = event.agent;
    if (!isRecord(agent)) return [...errors, 'agent: must be an object'];
    for (const field of ['id', 'name', 'team'] as const) {
      if (!isText(agent[field])) errors.push(`agent.${field}: must be a non-empty string`);
    }
    if (!(AGENT_STATUSES as readonly unknown[]).includes(agent.status)) errors.push(`agent.status: ${String(agent.status)}`);
  }
  return errors;
}

/** What the simulator promises beyond the format: a coherent ticket. */
function coherenceErrors(ticket: TicketPayload, at: string): string[] {
  const errors: string[] = [];
  const created = Date.parse(ticket.createdAt);
  if (ticket.updatedAt !== at) errors.push('updatedAt differs from at');
  if (Date.parse(ticket.updatedAt) < created) errors.push('updated before created');
  if (ticket.source !== 'demo') errors.push('source is not demo');
  if (ticket.firstResponseAt !== null && Date.parse(ticket.firstResponseAt) < created) errors.push('answered before created');
  if (ticket.status === 'new' && (ticket.assignee !== null || ticket.firstResponseAt !== null)) errors.push('new but assigned or answered');
  const solved = ticket.status === 'solved' || ticket.status === 'closed';
  if (solved !== (ticket.solvedAt !== null)) errors.push(`status ${ticket.status} with solvedAt ${String(ticket.solvedAt)}`);
  if (ticket.csat !== null && !solved) errors.push('rated but not solved');
  const policy = SLA_POLICIES[ticket.priority];
  if (ticket.firstResponseDueAt === null || Date.parse(ticket.firstResponseDueAt) - created !== policy.firstResponseMinutes * MINUTE) {
    errors.push('first-response due time does not follow the policy');
  }
  if (ticket.resolutionDueAt === null || Date.parse(ticket.resolutionDueAt) - created !== policy.resolutionMinutes * MINUTE) {
    errors.push('resolution due time does not follow the policy');
  }
  return errors;
}

// ---- one simulated day, shared by the checks ----

interface HourView {
  hour: number;
  open: number;
  breachedOpen: number;
  atRisk: number;
}

interface Day {
  events: WatchEvent[];
  /** How many events came before the first simulated instant (the warm-up's state). */
  snapshotCount: number;
  /** Every step's events, with the instant the step ran to. */
  steps: { until: number; events: WatchEvent[] }[];
  hours: HourView[];
}

function simulateDay(seed: number): Day {
  const generator = new TrafficGenerator({ startMs: START, random: mulberry32(seed), timeZone: 'UTC' });
  const events: WatchEvent[] = [];
  const steps: Day['steps'] = [];
  const tickets = new Map<string, TicketPayload>();
  const hours: HourView[] = [];
  let snapshotCount = 0;
  // Uneven steps (7 min) so that step boundaries fall anywhere, as a timer's would.
  for (let from = START, until = START + 7 * MINUTE; from < START + DAY; from = until, until = Math.min(until + 7 * MINUTE, START + DAY)) {
    const batch = generator.step(until);
    if (steps.length === 0) snapshotCount = batch.filter((event) => Date.parse(event.at) < START).length;
    steps.push({ until, events: batch });
    events.push(...batch);
    for (const event of batch) if (event.type === 'ticket') tickets.set(event.ticket.id, event.ticket);
    const hour = Math.floor((until - START) / HOUR);
    if (hour > Math.floor((from - START) / HOUR)) hours.push({ hour, ...wallNumbers([...tickets.values()], until) });
  }
  return { events, snapshotCount, steps, hours };
}

/** docs/contract.md#the-numbers's breached and at-risk counts (with AT_RISK_MINUTES = 30) over open tickets. */
function wallNumbers(tickets: TicketPayload[], now: number): Omit<HourView, 'hour'> {
  let open = 0;
  let breachedOpen = 0;
  let atRisk = 0;
  for (const ticket of tickets) {
    if (ticket.status !== 'new' && ticket.status !== 'open' && ticket.status !== 'pending') continue;
    open += 1;
    const firstDue = Date.parse(ticket.firstResponseDueAt ?? '');
    const resolutionDue = Date.parse(ticket.resolutionDueAt ?? '');
    const firstMissed = ticket.firstResponseAt === null ? firstDue <= now : Date.parse(ticket.firstResponseAt) > firstDue;
    if (firstMissed || resolutionDue <= now) {
      breachedOpen += 1;
    } else if ((ticket.firstResponseAt === null && firstDue - now <= 30 * MINUTE) || resolutionDue - now <= 30 * MINUTE) {
      atRisk += 1;
    }
  }
  return { open, breachedOpen, atRisk };
}

function ticketEvents(events: readonly WatchEvent[]): TicketPayload[] {
  return events.flatMap((event) => (event.type === 'ticket' ? [event.ticket] : []));
}

describe('simulated day (fixed seed)', () => {
  let day: Day;
  beforeAll(() => {
    day = simulateDay(SEED);
  });

  it('produces only events valid per docs/contract.md#events-in, and coherent tickets', () => {
    const errors: string[] = [];
    for (const event of day.events) {
      for (const error of specErrors(event)) errors.push(`${event.id}: ${error}`);
      if (event.type === 'ticket') for (const error of coherenceErrors(event.ticket, event.at)) errors.push(`${event.id}: ${error}`);
    }
    expect(errors.slice(0, 10)).toEqual([]);
    expect(day.events.length).toBeGreaterThan(5000);
  });

  it('never repeats an event id', () => {
    const ids = new Set(day.events.map((event) => event.id));
    expect(ids.size).toBe(day.events.length);
  });

  it('moves every ticket and agent forward in time, never past the step', () => {
    const lastTicket = new Map<string, number>();
    const lastAgent = new Map<string, number>();
    const backwards: string[] = [];
    for (const event of day.events) {
      const at = Date.parse(event.at);
      const key = event.type === 'ticket' ? event.ticket.id : event.agent.id;
      const last = event.type === 'ticket' ? lastTicket : lastAgent;
      // Strictly increasing: a receiver's stale check (docs/contract.md#events-in) never sees a tie.
      if (at <= (last.get(key) ?? -Infinity)) backwards.push(event.id);
      last.set(key, at);
    }
    expect(backwards).toEqual([]);
    for (const step of day.steps) {
      for (const event of step.events) expect(Date.parse(event.at)).toBeLessThanOrEqual(step.until);
    }
  });

  it('opens the day with the state reached overnight', () => {
    const opening = day.steps[0]?.events.slice(0, day.snapshotCount) ?? [];
    expect(opening.filter((event) => event.type === 'agent')).toHaveLength(40);
    const backlog = ticketEvents(opening).filter((ticket) => ['new', 'open', 'pending'].includes(ticket.status));
    expect(backlog.length).toBeGreaterThan(20);
  });

  it('spreads arrivals over the day like the curve: a busy late morning, a quiet night', () => {
    const perHour = new Array<number>(24).fill(0);
    const seen = new Set<string>();
    for (const ticket of ticketEvents(day.events)) {
      if (seen.has(ticket.id)) continue;
      seen.add(ticket.id);
      const created = Date.parse(ticket.createdAt);
      if (created < START) continue;
      const hour = new Date(created).getUTCHours();
      perHour[hour] = (perHour[hour] ?? 0) + 1;
    }
    const total = perHour.reduce((sum, count) => sum + count, 0);
    const mean = (hours: number[]) => hours.reduce((sum, hour) => sum + (perHour[hour] ?? 0), 0) / hours.length;
    const night = mean([0, 1, 2, 3, 4, 5]);
    const peak = mean([10, 11, 13, 14]);
    expect(total).toBeGreaterThan(500);
    expect(total).toBeLessThan(1200);
    expect(peak).toBeGreaterThan(4 * night);
    expect(peak).toBeGreaterThan(mean([19, 20, 21, 22, 23]));
    // Close to the curve over whole blocks of the day (bursts and noise allowed).
    const expected = (from: number, to: number) => {
      let weight = 0;
      for (let minute = from * 60; minute < to * 60; minute += 1) weight += dayCurve(minute / 60) / (24 * 60);
      return weight * total;
    };
    for (const [from, to] of [
      [0, 6],
      [6, 12],
      [12, 18],
      [18, 24],
    ] as const) {
      let actual = 0;
      for (let hour = from; hour < to; hour += 1) actual += perHour[hour] ?? 0;
      expect(actual).toBeGreaterThan(expected(from, to) * 0.6);
      expect(actual).toBeLessThan(expected(from, to) * 1.5);
    }
  });

  it('has the priority mix, all statuses, ratings and ping-pong of a real queue', () => {
    const tickets = ticketEvents(day.events);
    const firstSeen = new Map<string, TicketPayload>();
    for (const ticket of tickets) if (!firstSeen.has(ticket.id)) firstSeen.set(ticket.id, ticket);
    const shares = Object.fromEntries(PRIORITIES.map((priority) => [priority, 0]));
    for (const ticket of firstSeen.values()) shares[ticket.priority] = (shares[ticket.priority] ?? 0) + 1 / firstSeen.size;
    expect(shares.normal).toBeGreaterThan(0.45);
    expect(shares.urgent).toBeGreaterThan(0.01);
    expect(shares.urgent).toBeLessThan(shares.high ?? 0);
    expect(shares.low).toBeGreaterThan(0.08);

    expect(new Set(tickets.map((ticket) => ticket.status))).toEqual(new Set(TICKET_STATUSES));

    const ratings = new Map<string, number>();
    for (const ticket of tickets) if (ticket.csat !== null) ratings.set(ticket.id, ticket.csat);
    expect(new Set(ratings.values())).toEqual(new Set([1, 2, 3, 4, 5]));
    const good = [...ratings.values()].filter((rating) => rating >= 4).length / ratings.size;
    expect(good).toBeGreaterThan(0.65);
    expect(good).toBeLessThan(0.95);

    // pending → open again when the customer answers
    const history = new Map<string, string[]>();
    for (const ticket of tickets) history.set(ticket.id, [...(history.get(ticket.id) ?? []), ticket.status]);
    const pingPong = [...history.values()].filter((statuses) => statuses.join(' ').includes('pending open')).length;
    expect(pingPong).toBeGreaterThan(50);
  });

  it('uses all three queues and escalates from L1 to L2 and L3', () => {
    const tickets = ticketEvents(day.events);
    expect(new Set(tickets.map((ticket) => ticket.queue))).toEqual(new Set(['l1', 'l2', 'l3']));
    const lastQueue = new Map<string, string>();
    const escalations = new Map<string, number>();
    for (const ticket of tickets) {
      const before = lastQueue.get(ticket.id);
      if (before === 'l1' && ticket.queue !== 'l1' && ticket.tags.includes('escalated')) {
        escalations.set(ticket.queue, (escalations.get(ticket.queue) ?? 0) + 1);
      }
      lastQueue.set(ticket.id, ticket.queue);
    }
    expect(escalations.get('l2') ?? 0).toBeGreaterThan(30);
    expect(escalations.get('l3') ?? 0).toBeGreaterThan(0);
  });

  it('moves tickets between lines and reopens solved ones at a support floor’s rates, each move a later update', () => {
    // docs/contract.md#the-flow-between-lines: ~15–20 % of L1's tickets go up, ~10 % of L2's work
    // goes on to L3, a few come back down, ~3–5 % of solved tickets reopen.
    const LINE_ORDER = ['l1', 'l2', 'l3'];
    const last = new Map<string, TicketPayload>();
    const createdOnL1 = new Set<string>();
    const l2Work = new Set<string>();
    let up = 0;
    let l2ToL3 = 0;
    let handedBack = 0;
    let solved = 0;
    let reopened = 0;
    let earlier = 0;
    for (const ticket of ticketEvents(day.events)) {
      const before = last.get(ticket.id);
      last.set(ticket.id, ticket);
      if (before === undefined) {
        if (Date.parse(ticket.createdAt) >= START && ticket.queue === 'l1') createdOnL1.add(ticket.id);
        if (ticket.queue === 'l2') l2Work.add(ticket.id);
        continue;
      }
      if (Date.parse(ticket.updatedAt) <= Date.parse(before.updatedAt)) earlier += 1;
      if (ticket.queue === 'l2') l2Work.add(ticket.id);
      const escalated = ticket.tags.includes('escalated');
      if (before.queue === 'l1' && ticket.queue !== 'l1' && escalated && createdOnL1.has(ticket.id)) up += 1;
      if (before.queue === 'l2' && ticket.queue === 'l3') l2ToL3 += 1;
      if (escalated && LINE_ORDER.indexOf(ticket.queue) < LINE_ORDER.indexOf(before.queue) && before.status !== 'new') handedBack += 1;
      if (before.status !== 'solved' && ticket.status === 'solved') solved += 1;
      if ((before.status === 'solved' || before.status === 'closed') && ticket.status === 'open') reopened += 1;
    }
    expect(earlier).toBe(0);
    expect(up / createdOnL1.size).toBeGreaterThan(0.13);
    expect(up / createdOnL1.size).toBeLessThan(0.24);
    expect(l2ToL3 / l2Work.size).toBeGreaterThan(0.04);
    expect(l2ToL3 / l2Work.size).toBeLessThan(0.16);
    expect(handedBack).toBeGreaterThan(0);
    expect(reopened / solved).toBeGreaterThan(0.02);
    expect(reopened / solved).toBeLessThan(0.08);
  });

  it('breaches some first-response targets, but not most', () => {
    const latest = new Map<string, TicketPayload>();
    for (const ticket of ticketEvents(day.events)) latest.set(ticket.id, ticket);
    const end = START + DAY;
    let met = 0;
    let missed = 0;
    for (const ticket of latest.values()) {
      const due = Date.parse(ticket.firstResponseDueAt ?? '');
      if (due > end) continue;
      if (ticket.firstResponseAt !== null && Date.parse(ticket.firstResponseAt) <= due) met += 1;
      else missed += 1;
    }
    expect(missed).toBeGreaterThan(5);
    expect(missed / (met + missed)).toBeLessThan(0.2);
  });

  it('shows breached tickets all day and tickets at risk in most hours', () => {
    expect(day.hours).toHaveLength(24);
    for (const hour of day.hours) {
      expect(hour.open).toBeGreaterThan(50);
      expect(hour.breachedOpen).toBeGreaterThan(0);
    }
    expect(day.hours.filter((hour) => hour.atRisk > 0).length).toBeGreaterThanOrEqual(16);
  });

  it('has about 40 agents on three teams whose status changes with shifts, breaks and work', () => {
    const agents = new Map<string, { team: string; name: string }>();
    const statuses = new Set<string>();
    for (const event of day.events) {
      if (event.type !== 'agent') continue;
      agents.set(event.agent.id, { team: event.agent.team, name: event.agent.name });
      statuses.add(event.agent.status);
    }
    expect(agents.size).toBe(40);
    const teams = [...agents.values()].map((agent) => agent.team);
    expect(teams.filter((team) => team === 'l1')).toHaveLength(24);
    expect(teams.filter((team) => team === 'l2')).toHaveLength(11);
    expect(teams.filter((team) => team === 'l3')).toHaveLength(5);
    expect(statuses).toEqual(new Set(AGENT_STATUSES));
    expect(new Set([...agents.values()].map((agent) => agent.name)).size).toBe(40);
  });

  it('sends bursts of similar tickets sharing a tag', () => {
    const burstTags = new Set(BURST_THEMES.map((theme) => theme.tag));
    const perTag = new Map<string, Set<string>>();
    for (const ticket of ticketEvents(day.events)) {
      for (const tag of ticket.tags) {
        if (!burstTags.has(tag)) continue;
        const ids = perTag.get(tag) ?? new Set<string>();
        ids.add(ticket.id);
        perTag.set(tag, ids);
      }
    }
    expect(Math.max(0, ...[...perTag.values()].map((ids) => ids.size))).toBeGreaterThanOrEqual(10);
  });
});

describe('TrafficGenerator', () => {
  it('is deterministic for a seed', () => {
    const run = () => new TrafficGenerator({ startMs: START, random: mulberry32(7), timeZone: 'UTC' }).step(START + 3 * HOUR);
    expect(run()).toEqual(run());
    const other = new TrafficGenerator({ startMs: START, random: mulberry32(8), timeZone: 'UTC' }).step(START + 3 * HOUR);
    expect(other).not.toEqual(run());
  });

  it('keeps its memory bounded over a week: closed tickets are forgotten', () => {
    const generator = new TrafficGenerator({ startMs: START, random: mulberry32(SEED), timeZone: 'UTC' });
    let maxTickets = 0;
    let maxScheduled = 0;
    let closed = 0;
    for (let until = START + HOUR; until <= START + 7 * DAY; until += HOUR) {
      for (const event of generator.step(until)) if (event.type === 'ticket' && event.ticket.status === 'closed') closed += 1;
      const stats = generator.stats();
      maxTickets = Math.max(maxTickets, stats.tickets);
      maxScheduled = Math.max(maxScheduled, stats.scheduled);
    }
    expect(closed).toBeGreaterThan(3000);
    expect(maxTickets).toBeLessThan(1500);
    expect(maxScheduled).toBeLessThan(3000);
  });

  it('follows the local day of its time zone', () => {
    // 00:00 in Moscow is 21:00 UTC the day before: the morning ramp comes 3 h earlier in UTC.
    const zone = 'Europe/Moscow';
    const start = new LocalTime(zone).midnightOf(START + 12 * HOUR);
    expect(start).toBe(START - 3 * HOUR);
    const generator = new TrafficGenerator({ startMs: start, random: mulberry32(SEED), timeZone: zone });
    const perUtcHour = new Array<number>(24).fill(0);
    const seen = new Set<string>();
    for (const ticket of ticketEvents(generator.step(start + DAY))) {
      if (seen.has(ticket.id) || Date.parse(ticket.createdAt) < start) continue;
      seen.add(ticket.id);
      const hour = new Date(ticket.createdAt).getUTCHours();
      perUtcHour[hour] = (perUtcHour[hour] ?? 0) + 1;
    }
    // 08:00–11:00 Moscow is 05:00–08:00 UTC; 00:00–03:00 Moscow is 21:00–24:00 UTC.
    const morning = (perUtcHour[5] ?? 0) + (perUtcHour[6] ?? 0) + (perUtcHour[7] ?? 0);
    const night = (perUtcHour[21] ?? 0) + (perUtcHour[22] ?? 0) + (perUtcHour[23] ?? 0);
    expect(morning).toBeGreaterThan(3 * night);
  });
});

describe('Simulator', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function recorder(fail = false) {
    const batches: unknown[][] = [];
    const ingest = vi.fn(async (events: unknown[]) => {
      batches.push(events);
      if (fail) throw new Error('store down');
      return { accepted: events.length, duplicates: 0, stale: 0, rejected: [] };
    });
    return { batches, ingest };
  }

  const atOf = (event: unknown) => Date.parse((event as WatchEvent).at);

  it('back-fills the day so far in batches of at most 500, then runs live on a timer until stopped', async () => {
    const now = START + 10 * HOUR + 17 * MINUTE;
    vi.useFakeTimers({ now });
    const { batches, ingest } = recorder();
    const logs: string[] = [];
    const simulator = new Simulator({ ingest, now: () => Date.now(), random: mulberry32(SEED), timeZone: 'UTC', log: (message) => logs.push(message) });
    await simulator.start();

    const backfill = batches.flat();
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(BATCH_SIZE);
    expect(backfill.length).toBeGreaterThan(1500);
    for (const event of backfill) expect(specErrors(event)).toEqual([]);
    expect(Math.max(...backfill.map(atOf))).toBeLessThanOrEqual(now);
    // The day since midnight is there, not only the last minutes.
    expect(backfill.filter((event) => atOf(event) >= START && atOf(event) < START + HOUR).length).toBeGreaterThan(10);
    expect(simulator.running).toBe(true);

    const calls = ingest.mock.calls.length;
    let live: unknown[] = [];
    for (let second = 0; second < 120; second += 1) {
      await vi.advanceTimersByTimeAsync(1000);
    }
    live = batches.slice(calls).flat();
    expect(ingest.mock.calls.length).toBeGreaterThan(calls);
    for (const event of live) {
      expect(atOf(event)).toBeGreaterThan(now - 60 * SECOND);
      expect(atOf(event)).toBeLessThanOrEqual(Date.now());
    }

    simulator.stop();
    expect(vi.getTimerCount()).toBe(0);
    const stoppedAt = ingest.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ingest.mock.calls.length).toBe(stoppedAt);
    expect(simulator.running).toBe(false);
  });

  it('runs simulated time faster with speed', async () => {
    const now = START + 11 * HOUR;
    vi.useFakeTimers({ now });
    const { batches, ingest } = recorder();
    const simulator = new Simulator({ ingest, now: () => Date.now(), random: mulberry32(SEED), timeZone: 'UTC', speed: 60 });
    await simulator.start();
    const calls = batches.length;
    await vi.advanceTimersByTimeAsync(60_000);
    simulator.stop();
    const live = batches.slice(calls).flat().map(atOf);
    // One real minute at 60x is a simulated hour of a busy late morning.
    expect(Math.max(...live)).toBeGreaterThan(now + 50 * MINUTE);
    expect(Math.max(...live)).toBeLessThanOrEqual(now + HOUR);
    expect(live.length).toBeGreaterThan(100);
  });

  it('logs ingest failures and keeps going', async () => {
    vi.useFakeTimers({ now: START + 9 * HOUR });
    const { ingest } = recorder(true);
    const logs: string[] = [];
    const simulator = new Simulator({ ingest, now: () => Date.now(), random: mulberry32(SEED), timeZone: 'UTC', log: (message) => logs.push(message) });
    await expect(simulator.start()).resolves.toBeUndefined();
    expect(logs.some((message) => message.includes('store down'))).toBe(true);
    const calls = ingest.mock.calls.length;
    // Five minutes of a morning surely bring events (an empty step sends nothing).
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(ingest.mock.calls.length).toBeGreaterThan(calls);
    simulator.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports events the ingest path rejected', async () => {
    vi.useFakeTimers({ now: START + 9 * HOUR });
    const logs: string[] = [];
    const ingest = async (events: unknown[]) => ({
      accepted: events.length - 1,
      duplicates: 0,
      stale: 0,
      rejected: [{ index: 0, error: 'ticket.status: nope' }],
    });
    const simulator = new Simulator({ ingest, now: () => Date.now(), random: mulberry32(SEED), timeZone: 'UTC', log: (message) => logs.push(message) });
    await simulator.start();
    simulator.stop();
    expect(logs.some((message) => message.includes('ticket.status: nope'))).toBe(true);
  });

  it('stops during the back-fill without starting a timer', async () => {
    vi.useFakeTimers({ now: START + 15 * HOUR });
    let simulator: Simulator | null = null;
    const ingest = vi.fn(async () => {
      simulator?.stop();
      return {};
    });
    simulator = new Simulator({ ingest, now: () => Date.now(), random: mulberry32(SEED), timeZone: 'UTC' });
    await simulator.start();
    expect(ingest).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
