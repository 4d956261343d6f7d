// The pure traffic generator: a discrete-event simulation of a support department (tickets arriving
// on a daily curve, agents on shifts picking them up by SLA urgency, replies, pending customers,
// escalations, ratings), returning canonical events (docs/contract.md#events-in). No timers and no I/O: `step(until)`
// advances simulated time and returns what happened, so tests and benchmarks drive it directly.
import type { AgentEvent, AgentStatus, Priority, TicketEvent, TicketStatus, WatchEvent } from '../../contract/domain.js';
import { BURST_PRIORITY_SHARES, BURST_THEMES, CSAT_SHARES, PRIORITY_SHARES, SLA_POLICIES, SUBJECTS } from './catalog.js';
import { curvePeak, dayCurve } from './day-curve.js';
import { LocalTime } from '../domain/local-time.js';
import { between, chance, logNormal, pick, poisson, weighted, type Random } from './random.js';
import { LINES, ROSTER, type Line, type Shift } from './roster.js';
import type { OutageTicket } from './outages.js';
import { Timeline } from './timeline.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `source` of every simulated ticket. */
export const DEMO_SOURCE = 'demo';

/** Arrivals pause beyond this many live tickets: a hard bound on memory whatever the options. */
const MAX_LIVE_TICKETS = 20_000;
/** A ticket waiting this long for its busy or absent assignee may be taken by anyone on the line. */
const CLAIM_AFTER_MS = 30 * MINUTE;
/** Share of picks made by due time; the rest take the oldest ticket in the queue. */
const SLA_ORDERED_PICKS = 0.6;
/** Share of new tickets nobody notices for a while (misrouted, or in an unwatched view). */
const OVERLOOKED_SHARE = 0.06;
/** Unanswered tickets in a line's queue from which it counts as surging. */
const SURGE_UNANSWERED: Record<Line, number> = { l1: 25, l2: 10, l3: 6 };
const SWEEP_EVERY_MS = 2 * MINUTE;
const WORKING_DAY_SHARE = 0.92;
const BURSTS_PER_DAY = 2.5;

/**
 * The run's tag (three letters, the prefix of its ticket ids), drawn first from `random`: a
 * generator built on the same seed has the same tag, so it can be told from the seed alone.
 */
export function runTagOf(random: Random): string {
  return Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(random() * 26))).join('');
}

export interface GeneratorOptions {
  /** Events are returned from this instant on; what happens before it is simulated silently. */
  startMs: number;
  random: Random;
  /** IANA zone for the local day (shifts, the arrival curve); default: the process's zone. */
  timeZone?: string;
  /**
   * Simulated silently before `startMs` so the day opens with a realistic backlog (yesterday's
   * pending tickets, night shift online). Default 24 h.
   */
  warmupMs?: number;
  /** Average everyday arrivals per day, before bursts. Default 740. */
  ticketsPerDay?: number;
  /** The catalogue's daily bursts (default true); off for outages with ground truth instead. */
  bursts?: boolean;
  /** Outage tickets to create as time reaches them (`DEMO_SCENARIO=outages`, server/simulator/outages.ts). */
  outages?: { take(untilMs: number): OutageTicket[] };
}

export interface GeneratorStats {
  clockMs: number;
  /** Tickets held in memory (not yet closed). */
  tickets: number;
  /** Tickets waiting for an agent, per line. */
  queued: Record<Line, number>;
  /** Future actions on the agenda. */
  scheduled: number;
}

interface SimTicket {
  id: string;
  queue: Line;
  priority: Priority;
  status: TicketStatus;
  assignee: string | null;
  subject: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  firstResponseAt: number | null;
  solvedAt: number | null;
  firstResponseDueAt: number;
  resolutionDueAt: number;
  csat: number | null;
  version: number;
  /** The line the ticket belongs to; `queue` differs while it is misrouted. */
  home: Line;
  /** Work sessions so far: the more, the likelier the next one solves it. */
  touches: number;
  /** The line that escalated it here, while it is on the higher line; null otherwise. */
  escalatedFrom: Line | null;
  /** Waiting in its line's queue since; null when not queued. */
  queuedAt: number | null;
  /** A ticket has at most one scheduled action, valid while this matches. */
  token: number;
}

interface SimAgent {
  id: string;
  name: string;
  line: Line;
  shift: Shift;
  status: AgentStatus;
  since: number;
  version: number;
  /** Bumped on every status change; scheduled agent actions carry the token they expect. */
  token: number;
  /** Available and past the short wrap-up after the last piece of work. */
  ready: boolean;
  shiftEndAt: number;
  /** The ticket being worked on; null while idle or on a call. */
  ticketId: string | null;
  /** A break that fell due while busy, taken when the current work is done. */
  pendingBreakMs: number;
  /** Already stayed late on the current shift. */
  overtime: boolean;
}

interface Draft {
  /** An outage's ticket: the run's tag and its ground-truth key (`QKT-o3-12`); otherwise the run's next number. */
  id?: string;
  line: Line;
  subject: string;
  tags: string[];
  priority: Priority;
}

type TicketStep = 'triage' | 'customer-reply' | 'auto-solve' | 'resume' | 'rate' | 'reopen' | 'close';
type AgentStep = 'ready' | 'break-end' | 'work-done';

type Action =
  | { kind: 'plan-day'; dayStart: number }
  | { kind: 'arrivals' }
  | { kind: 'sweep' }
  | { kind: 'create'; draft: Draft | null }
  | { kind: 'ticket'; ticketId: string; token: number; step: TicketStep }
  | { kind: 'agent'; agentId: string; token: number; step: AgentStep }
  | { kind: 'shift-start'; agentId: string; endAt: number }
  | { kind: 'shift-end'; agentId: string; endAt: number }
  | { kind: 'break'; agentId: string; durationMs: number; postponed: number }
  | { kind: 'call'; agentId: string }
  | { kind: 'pickup'; agentId: string; token: number; ticketId: string };

type Outcome = 'solve' | 'pending' | 'escalate' | 'deescalate' | 'investigate';

/**
 * The flow between lines (docs/contract.md#the-flow-between-lines), per work session: L1 escalates
 * most on the first look (what it cannot solve it sees at once), less later; about 17 % of L1's
 * tickets end up on L2 or L3 and about a tenth of L2's work on L3, as support departments report.
 * A few escalated tickets come back down: the higher line finds a known fix and hands it back.
 */
const ESCALATE_L1_FIRST = 0.14;
const ESCALATE_L1_LATER = 0.06;
const ESCALATE_L2 = 0.06;
/** An escalated ticket's session on the higher line that sends it back down. */
const DEESCALATE = 0.04;
/** Solved tickets that reopen within hours (the customer says it is not fixed). */
const REOPEN_SHARE = 0.04;

/** Breaks within a shift: hours after its start, jitter and length in minutes. */
const BREAKS = [
  { afterHours: 2, jitterMinutes: 20, minMinutes: 10, maxMinutes: 15 },
  { afterHours: 4.25, jitterMinutes: 30, minMinutes: 30, maxMinutes: 45 },
  { afterHours: 6.75, jitterMinutes: 20, minMinutes: 10, maxMinutes: 15 },
] as const;

/** Handling time of one work session per line, in minutes (log-normal). */
const WORK_MINUTES: Record<Line, { median: number; sigma: number; min: number; max: number }> = {
  l1: { median: 5, sigma: 0.55, min: 2, max: 45 },
  l2: { median: 12, sigma: 0.6, min: 4, max: 90 },
  l3: { median: 22, sigma: 0.6, min: 8, max: 180 },
};

const SUBJECT_CHOICES = SUBJECTS.map((entry) => [entry, entry.weight ?? 1] as const);

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

export class TrafficGenerator {
  readonly startMs: number;
  /**
   * Three letters that prefix this run's ticket ids (`QKT-1042`) and tag its agent event ids, so a
   * restarted demo does not replay ids the server remembers (dedup keys live 24 h, docs/contract.md#configuration).
   */
  readonly runTag: string;
  private clock: number;
  private readonly random: Random;
  private readonly localTime: LocalTime;
  private readonly timeline = new Timeline<Action>();
  private readonly tickets = new Map<string, SimTicket>();
  private readonly agents: SimAgent[];
  private readonly agentsById = new Map<string, SimAgent>();
  private readonly queues: Record<Line, SimTicket[]> = { l1: [], l2: [], l3: [] };
  private readonly arrivalsPerMinute: number;
  private readonly bursts: boolean;
  private readonly outages: GeneratorOptions['outages'];
  private nextTicketNumber = 1001;
  private out: WatchEvent[] = [];
  private emitting = false;
  private noiseHour = Number.NaN;
  private noise = 1;

  constructor(options: GeneratorOptions) {
    this.startMs = options.startMs;
    this.random = options.random;
    this.localTime = new LocalTime(options.timeZone);
    this.arrivalsPerMinute = (options.ticketsPerDay ?? 740) / (24 * 60);
    this.runTag = runTagOf(this.random);
    this.bursts = options.bursts ?? true;
    this.outages = options.outages;
    this.clock = this.startMs - (options.warmupMs ?? DAY);

    this.agents = ROSTER.map((entry) => ({
      id: entry.id,
      name: entry.name,
      line: entry.line,
      shift: entry.shift,
      status: 'offline',
      since: this.clock,
      version: 0,
      token: 0,
      ready: false,
      shiftEndAt: this.clock,
      ticketId: null,
      pendingBreakMs: 0,
      overtime: false,
    }));
    for (const agent of this.agents) this.agentsById.set(agent.id, agent);

    const today = this.localTime.midnightOf(this.clock);
    // Yesterday's plan too: its night shift is still on when the simulation begins.
    this.planDay(this.localTime.midnightOf(today - 12 * HOUR));
    this.planDay(today);
    const tomorrow = this.localTime.nextMidnight(this.clock);
    this.schedule(tomorrow, { kind: 'plan-day', dayStart: tomorrow });
    this.schedule(Math.ceil(this.clock / MINUTE) * MINUTE, { kind: 'arrivals' });
    this.schedule(this.clock, { kind: 'sweep' });

    this.run(this.startMs);
    this.emitting = true;
    this.snapshot();
  }

  /** Simulated time reached so far. */
  get clockMs(): number {
    return this.clock;
  }

  /**
   * Advances simulated time to `untilMs` and returns the events of the interval in time order
   * (the first call also returns the state reached by the warm-up, one event per ticket and agent).
   */
  step(untilMs: number): WatchEvent[] {
    this.run(untilMs);
    const events = this.out;
    this.out = [];
    return events;
  }

  stats(): GeneratorStats {
    return {
      clockMs: this.clock,
      tickets: this.tickets.size,
      queued: { l1: this.queues.l1.length, l2: this.queues.l2.length, l3: this.queues.l3.length },
      scheduled: this.timeline.size,
    };
  }

  private run(untilMs: number): void {
    for (let next = this.timeline.peekTime(); next !== undefined && next <= untilMs; next = this.timeline.peekTime()) {
      const entry = this.timeline.pop();
      if (entry === undefined) break;
      this.clock = Math.max(this.clock, entry.at);
      this.handle(entry.action);
    }
    this.clock = Math.max(this.clock, untilMs);
  }

  /** Helpdesks report whole seconds; never schedules into the past. */
  private schedule(at: number, action: Action): void {
    this.timeline.push(Math.max(this.clock, Math.round(at / SECOND) * SECOND), action);
  }

  private handle(action: Action): void {
    switch (action.kind) {
      case 'plan-day': {
        this.planDay(action.dayStart);
        const next = this.localTime.nextMidnight(action.dayStart);
        this.schedule(next, { kind: 'plan-day', dayStart: next });
        return;
      }
      case 'arrivals':
        this.arrivals();
        return;
      case 'sweep':
        for (const line of LINES) this.dispatch(line);
        this.schedule(this.clock + SWEEP_EVERY_MS, { kind: 'sweep' });
        return;
      case 'create':
        this.create(action.draft ?? this.everydayDraft());
        return;
      case 'ticket': {
        const ticket = this.tickets.get(action.ticketId);
        if (ticket !== undefined && ticket.token === action.token) this.ticketStep(ticket, action.step);
        return;
      }
      case 'agent': {
        const agent = this.agentsById.get(action.agentId);
        if (agent !== undefined && agent.token === action.token) this.agentStep(agent, action.step);
        return;
      }
      case 'shift-start':
        this.shiftStart(this.agent(action.agentId), action.endAt);
        return;
      case 'shift-end':
        this.shiftEnd(this.agent(action.agentId), action.endAt);
        return;
      case 'break': {
        const agent = this.agent(action.agentId);
        if (action.postponed < 2 && this.surging(agent.line)) {
          // All hands while the queue is long: the break waits a little.
          this.schedule(this.clock + 20 * MINUTE, { ...action, postponed: action.postponed + 1 });
        } else {
          this.breakDue(agent, action.durationMs);
        }
        return;
      }
      case 'call':
        this.call(this.agent(action.agentId));
        return;
      case 'pickup':
        this.pickup(action);
        return;
    }
  }

  private agent(id: string): SimAgent {
    const agent = this.agentsById.get(id);
    if (agent === undefined) throw new Error(`simulator: unknown agent ${id}`);
    return agent;
  }

  // ---- the day's plan: shifts, breaks, calls, bursts ----

  private planDay(dayStart: number): void {
    // Shift hours count elapsed time from the local midnight: on a DST day they slip by an hour.
    for (const agent of this.agents) {
      if (!chance(this.random, WORKING_DAY_SHARE)) continue;
      const start = dayStart + agent.shift.start * HOUR + between(this.random, -10, 10) * MINUTE;
      // People rarely leave early and often stay a little late.
      const end = dayStart + agent.shift.end * HOUR + between(this.random, -5, 20) * MINUTE;
      if (end <= this.clock) continue;
      this.schedule(start, { kind: 'shift-start', agentId: agent.id, endAt: end });
      this.schedule(end, { kind: 'shift-end', agentId: agent.id, endAt: end });
      for (const pause of BREAKS) {
        const at = start + pause.afterHours * HOUR + between(this.random, -pause.jitterMinutes, pause.jitterMinutes) * MINUTE;
        const durationMs = between(this.random, pause.minMinutes, pause.maxMinutes) * MINUTE;
        if (at > this.clock) this.schedule(at, { kind: 'break', agentId: agent.id, durationMs, postponed: 0 });
      }
      if (agent.line === 'l1') {
        // L1 also answers the phone: a call makes an agent busy without a ticket.
        const calls = poisson(this.random, ((end - start) / HOUR) * 0.25);
        for (let i = 0; i < calls; i += 1) {
          const at = between(this.random, start, end);
          if (at > this.clock) this.schedule(at, { kind: 'call', agentId: agent.id });
        }
      } else if (chance(this.random, 0.35)) {
        const at = between(this.random, start + HOUR, end - 2 * HOUR);
        const durationMs = between(this.random, 30, 60) * MINUTE;
        if (at > this.clock) this.schedule(at, { kind: 'break', agentId: agent.id, durationMs, postponed: 0 });
      }
    }
    // At least one a day: the wall should show what a burst looks like whenever it is watched.
    if (!this.bursts) return;
    const bursts = 1 + poisson(this.random, BURSTS_PER_DAY - 1);
    for (let i = 0; i < bursts; i += 1) this.planBurst(dayStart);
  }

  /** Many similar tickets in a short time, sharing the theme's tag: an outage, a bad release. */
  private planBurst(dayStart: number): void {
    const theme = pick(this.random, BURST_THEMES);
    const peak = curvePeak().value;
    let hour = between(this.random, 8, 19);
    // Rejection sampling: bursts follow the day curve too (people notice outages when at work).
    while (this.random() * peak > dayCurve(hour)) hour = between(this.random, 8, 19);
    const start = dayStart + hour * HOUR;
    const durationMs = between(this.random, 20, 60) * MINUTE;
    const size = Math.round(between(this.random, 10, 30));
    for (let i = 0; i < size; i += 1) {
      // Squaring front-loads the burst: most reports come in the first minutes.
      const at = start + durationMs * this.random() ** 2;
      if (at <= this.clock) continue;
      const draft: Draft = {
        line: 'l1',
        subject: pick(this.random, theme.subjects),
        tags: [...theme.tags, theme.tag],
        priority: weighted(this.random, BURST_PRIORITY_SHARES),
      };
      this.schedule(at, { kind: 'create', draft });
    }
  }

  private arrivals(): void {
    const hourKey = Math.floor(this.clock / HOUR);
    if (hourKey !== this.noiseHour) {
      // Hour-to-hour variation, so no two days look alike.
      this.noiseHour = hourKey;
      this.noise = logNormal(this.random, { median: 1, sigma: 0.15, min: 0.7, max: 1.4 });
    }
    const lambda = this.arrivalsPerMinute * dayCurve(this.localTime.hourOf(this.clock)) * this.noise;
    const count = poisson(this.random, lambda);
    for (let i = 0; i < count; i += 1) this.schedule(this.clock + this.random() * MINUTE, { kind: 'create', draft: null });
    for (const ticket of this.outages?.take(this.clock + MINUTE) ?? []) {
      const draft: Draft = { id: `${this.runTag}-${ticket.key}`, line: ticket.line, subject: ticket.subject, tags: ticket.tags, priority: ticket.priority };
      this.schedule(ticket.at, { kind: 'create', draft });
    }
    this.schedule(this.clock + MINUTE, { kind: 'arrivals' });
  }

  private everydayDraft(): Draft {
    const subject = weighted(this.random, SUBJECT_CHOICES);
    return {
      line: subject.line ?? 'l1',
      subject: subject.subject,
      tags: [...subject.tags],
      priority: weighted(this.random, PRIORITY_SHARES),
    };
  }

  // ---- tickets ----

  private create(draft: Draft): void {
    if (this.tickets.size >= MAX_LIVE_TICKETS) return;
    const now = this.clock;
    const policy = SLA_POLICIES[draft.priority];
    // A few tickets slip through: filed to the wrong group or into a view nobody watches, they
    // wait unnoticed until triage finds them. These are the ones that breach on a quiet day.
    const overlooked = chance(this.random, OVERLOOKED_SHARE);
    const misrouted = overlooked && chance(this.random, 0.5);
    const ticket: SimTicket = {
      id: draft.id ?? `${this.runTag}-${this.nextTicketNumber++}`,
      queue: misrouted
        ? pick(
            this.random,
            LINES.filter((line) => line !== draft.line),
          )
        : draft.line,
      home: draft.line,
      priority: draft.priority,
      status: 'new',
      assignee: null,
      subject: draft.subject,
      tags: draft.tags,
      createdAt: now,
      updatedAt: now,
      firstResponseAt: null,
      solvedAt: null,
      firstResponseDueAt: now + policy.firstResponseMinutes * MINUTE,
      resolutionDueAt: now + policy.resolutionMinutes * MINUTE,
      csat: null,
      version: 0,
      touches: 0,
      escalatedFrom: null,
      queuedAt: null,
      token: 0,
    };
    this.tickets.set(ticket.id, ticket);
    this.emitTicket(ticket);
    if (overlooked) {
      const delay = logNormal(this.random, { median: 100 * MINUTE, sigma: 0.6, min: 20 * MINUTE, max: 6 * HOUR });
      this.scheduleTicket(ticket, now + delay, 'triage');
    } else {
      this.enqueue(ticket);
    }
  }

  private enqueue(ticket: SimTicket): void {
    ticket.token += 1;
    ticket.queuedAt = this.clock;
    this.queues[ticket.queue].push(ticket);
    this.dispatch(ticket.queue);
  }

  private unqueue(ticket: SimTicket): void {
    const queue = this.queues[ticket.queue];
    const index = queue.indexOf(ticket);
    if (index >= 0) queue.splice(index, 1);
    ticket.queuedAt = null;
  }

  private scheduleTicket(ticket: SimTicket, at: number, step: TicketStep): void {
    ticket.token += 1;
    this.schedule(at, { kind: 'ticket', ticketId: ticket.id, token: ticket.token, step });
  }

  private ticketStep(ticket: SimTicket, step: TicketStep): void {
    switch (step) {
      case 'triage':
        if (ticket.queue !== ticket.home) {
          ticket.queue = ticket.home;
          this.emitTicket(ticket);
        }
        this.enqueue(ticket);
        return;
      case 'customer-reply':
      case 'reopen':
        ticket.status = 'open';
        ticket.solvedAt = null;
        ticket.csat = null;
        this.emitTicket(ticket);
        this.enqueue(ticket);
        return;
      case 'auto-solve':
        // The helpdesk's automation solves tickets whose customer never came back.
        this.solve(ticket);
        return;
      case 'resume':
        this.enqueue(ticket);
        return;
      case 'rate':
        ticket.csat = weighted(this.random, CSAT_SHARES);
        this.emitTicket(ticket);
        this.scheduleTicket(ticket, this.clock + between(this.random, 1, 4) * HOUR, 'close');
        return;
      case 'close':
        ticket.status = 'closed';
        this.emitTicket(ticket);
        // Nothing happens to a closed ticket any more: forget it, so memory stays bounded.
        this.tickets.delete(ticket.id);
        return;
    }
  }

  private solve(ticket: SimTicket): void {
    const now = this.clock;
    ticket.status = 'solved';
    ticket.solvedAt = now;
    this.emitTicket(ticket);
    if (chance(this.random, REOPEN_SHARE)) {
      this.scheduleTicket(ticket, now + logNormal(this.random, { median: 75 * MINUTE, sigma: 0.8, min: 5 * MINUTE, max: 6 * HOUR }), 'reopen');
    } else if (chance(this.random, 0.32)) {
      this.scheduleTicket(ticket, now + logNormal(this.random, { median: 35 * MINUTE, sigma: 0.8, min: 3 * MINUTE, max: 3 * HOUR }), 'rate');
    } else {
      // Real helpdesks close days after solving; hours keep the demo's memory small.
      this.scheduleTicket(ticket, now + between(this.random, 2, 6) * HOUR, 'close');
    }
  }

  /** What one work session ends in, by line and by how often the ticket was worked already. */
  private outcome(ticket: SimTicket): Outcome {
    const boost = Math.min(ticket.touches - 1, 4) * 0.08;
    const roll = this.random();
    // Handed back down comes first and is rare; a ticket that was never escalated stays.
    const down = ticket.escalatedFrom !== null ? DEESCALATE : 0;
    switch (ticket.queue) {
      case 'l1': {
        const escalate = ticket.touches === 1 ? ESCALATE_L1_FIRST : ESCALATE_L1_LATER;
        if (roll < escalate) return 'escalate';
        if (roll < escalate + 0.32 + boost) return 'solve';
        return 'pending';
      }
      case 'l2':
        if (roll < down) return 'deescalate';
        if (roll < down + ESCALATE_L2) return 'escalate';
        if (roll < 0.4 + boost) return 'solve';
        if (roll < 0.58 + boost) return 'investigate';
        return 'pending';
      case 'l3':
        if (roll < down) return 'deescalate';
        if (roll < 0.42 + boost) return 'solve';
        if (roll < 0.67 + boost) return 'investigate';
        return 'pending';
    }
  }

  private finishWork(ticket: SimTicket): void {
    const now = this.clock;
    ticket.touches += 1;
    if (ticket.firstResponseAt === null) ticket.firstResponseAt = now;
    switch (this.outcome(ticket)) {
      case 'solve':
        this.solve(ticket);
        return;
      case 'pending':
        ticket.status = 'pending';
        this.emitTicket(ticket);
        if (chance(this.random, 0.72)) {
          this.scheduleTicket(ticket, this.customerReplyAt(), 'customer-reply');
        } else {
          this.scheduleTicket(ticket, now + between(this.random, 10, 20) * HOUR, 'auto-solve');
        }
        return;
      case 'escalate': {
        const target: Line = ticket.queue === 'l1' && chance(this.random, 0.9) ? 'l2' : 'l3';
        ticket.escalatedFrom = ticket.queue;
        ticket.queue = target;
        ticket.home = target;
        ticket.assignee = null;
        ticket.status = 'open';
        if (!ticket.tags.includes('escalated')) ticket.tags.push('escalated');
        this.emitTicket(ticket);
        this.enqueue(ticket);
        return;
      }
      case 'deescalate': {
        // A known fix: back to the line it came from, to the queue (no assignee), the customer's
        // answer owed again.
        const target = ticket.escalatedFrom ?? ticket.queue;
        ticket.escalatedFrom = null;
        ticket.queue = target;
        ticket.home = target;
        ticket.assignee = null;
        ticket.status = 'open';
        this.emitTicket(ticket);
        this.enqueue(ticket);
        return;
      }
      case 'investigate':
        // Still the agent's: an internal note now, more work after some digging.
        ticket.status = 'open';
        this.emitTicket(ticket);
        this.scheduleTicket(ticket, now + logNormal(this.random, { median: 50 * MINUTE, sigma: 0.6, min: 15 * MINUTE, max: 4 * HOUR }), 'resume');
        return;
    }
  }

  /** Customers answer in their own working day: a reply that would come at night mostly waits. */
  private customerReplyAt(): number {
    const peak = curvePeak().value;
    let at = 0;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      at = this.clock + logNormal(this.random, { median: 70 * MINUTE, sigma: 1, min: 4 * MINUTE, max: 20 * HOUR });
      if (this.random() * peak < dayCurve(this.localTime.hourOf(at))) return at;
    }
    return at;
  }

  // ---- agents ----

  /** Too many unanswered tickets on the line: breaks wait, phones wait, L2 helps L1. */
  private surging(line: Line): boolean {
    let unanswered = 0;
    for (const ticket of this.queues[line]) if (ticket.firstResponseAt === null) unanswered += 1;
    return unanswered >= SURGE_UNANSWERED[line];
  }

  /**
   * Idle agents of the line take the most urgent tickets they may take, longest idle first; while
   * L1 surges, idle L2 engineers take its unanswered tickets too (swarming keeps a burst from
   * snowballing into the evening).
   */
  private dispatch(line: Line): void {
    const queue = this.queues[line];
    if (queue.length === 0) return;
    const idle = this.idleAgents(line);
    if (line === 'l1' && this.surging('l1')) {
      this.dispatch('l2');
      idle.push(...this.idleAgents('l2'));
    }
    for (const agent of idle) {
      if (queue.length === 0) return;
      const ticket = this.choose(agent, queue, agent.line !== line);
      if (ticket !== undefined) this.reserve(agent, ticket);
    }
  }

  private idleAgents(line: Line): SimAgent[] {
    const idle = this.agents.filter((agent) => agent.line === line && agent.status === 'available' && agent.ready);
    return idle.sort((a, b) => a.since - b.since);
  }

  private dispatchFor(agent: SimAgent): void {
    this.dispatch(agent.line);
    if (agent.line === 'l2') this.dispatch('l1');
  }

  private choose(agent: SimAgent, queue: readonly SimTicket[], helping: boolean): SimTicket | undefined {
    // Mostly by SLA (the view sorted by due time), sometimes simply the oldest in the queue: real
    // agents are not perfect schedulers, which is why busy hours show tickets at risk and breached.
    const byDue = chance(this.random, SLA_ORDERED_PICKS);
    let best: SimTicket | undefined;
    let bestScore = Infinity;
    for (const ticket of queue) {
      const own = ticket.assignee === agent.id;
      if (!own && ticket.assignee !== null && !this.claimable(ticket)) continue;
      if (helping && ticket.firstResponseAt !== null) continue;
      const key = byDue ? this.replyDueAt(ticket) : (ticket.queuedAt ?? this.clock);
      // Agents favour their own customers a little.
      const score = own ? key - CLAIM_AFTER_MS : key;
      if (score < bestScore) {
        best = ticket;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * When the next reply is due: the first-response target for new tickets; for a customer's
   * follow-up, the same target counted from when it came in (a "next reply time" SLA, as most
   * helpdesks run), so follow-ups compete with new tickets in a busy hour as they do for real.
   */
  private replyDueAt(ticket: SimTicket): number {
    if (ticket.firstResponseAt === null) return ticket.firstResponseDueAt;
    const since = ticket.queuedAt ?? this.clock;
    return Math.min(ticket.resolutionDueAt, since + SLA_POLICIES[ticket.priority].firstResponseMinutes * MINUTE);
  }

  private claimable(ticket: SimTicket): boolean {
    if (ticket.assignee === null) return true;
    const assignee = this.agentsById.get(ticket.assignee);
    if (assignee === undefined || assignee.status === 'offline') return true;
    return ticket.queuedAt !== null && this.clock - ticket.queuedAt >= CLAIM_AFTER_MS;
  }

  /**
   * The agent has chosen the ticket and opens it a few seconds later: the ticket leaves the queue
   * now, the assignment shows when the agent starts. (Also keeps a ticket's creation and its
   * assignment apart in time, as they are in a helpdesk's event stream.)
   */
  private reserve(agent: SimAgent, ticket: SimTicket): void {
    this.unqueue(ticket);
    ticket.token += 1;
    agent.ready = false;
    const at = this.clock + between(this.random, 3, 20) * SECOND;
    this.schedule(at, { kind: 'pickup', agentId: agent.id, token: agent.token, ticketId: ticket.id });
  }

  private pickup(action: { agentId: string; token: number; ticketId: string }): void {
    const agent = this.agent(action.agentId);
    const ticket = this.tickets.get(action.ticketId);
    if (ticket === undefined) {
      if (agent.token === action.token && agent.status === 'available') this.becomeAvailable(agent, 0);
      return;
    }
    if (agent.token === action.token && agent.status === 'available') {
      this.startWork(agent, ticket);
    } else {
      // The agent went on a break or home in between: the ticket goes back to the queue.
      this.enqueue(ticket);
    }
  }

  private startWork(agent: SimAgent, ticket: SimTicket): void {
    ticket.token += 1;
    const changed = ticket.status === 'new' || ticket.assignee !== agent.id;
    if (ticket.status === 'new') ticket.status = 'open';
    ticket.assignee = agent.id;
    if (changed) this.emitTicket(ticket);
    this.setStatus(agent, 'busy');
    agent.ticketId = ticket.id;
    const minutes = logNormal(this.random, WORK_MINUTES[ticket.queue]);
    this.schedule(this.clock + minutes * MINUTE, { kind: 'agent', agentId: agent.id, token: agent.token, step: 'work-done' });
  }

  private call(agent: SimAgent): void {
    if (agent.status !== 'available' || !agent.ready || this.surging(agent.line)) return;
    this.setStatus(agent, 'busy');
    agent.ticketId = null;
    const minutes = logNormal(this.random, { median: 6, sigma: 0.5, min: 2, max: 25 });
    this.schedule(this.clock + minutes * MINUTE, { kind: 'agent', agentId: agent.id, token: agent.token, step: 'work-done' });
  }

  private agentStep(agent: SimAgent, step: AgentStep): void {
    switch (step) {
      case 'ready':
        if (agent.status !== 'available') return;
        agent.ready = true;
        this.dispatchFor(agent);
        return;
      case 'break-end':
        if (this.clock >= agent.shiftEndAt) {
          this.setStatus(agent, 'offline');
          return;
        }
        this.becomeAvailable(agent, 0);
        return;
      case 'work-done': {
        const ticket = agent.ticketId === null ? undefined : this.tickets.get(agent.ticketId);
        agent.ticketId = null;
        if (ticket !== undefined) this.finishWork(ticket);
        this.afterWork(agent);
        return;
      }
    }
  }

  private afterWork(agent: SimAgent): void {
    if (this.clock >= agent.shiftEndAt) {
      agent.pendingBreakMs = 0;
      this.setStatus(agent, 'offline');
    } else if (agent.pendingBreakMs > 0) {
      this.takeBreak(agent, agent.pendingBreakMs);
    } else {
      // A short wrap-up between tickets: notes, a sip of coffee. Walls show some agents available.
      this.becomeAvailable(agent, between(this.random, 15 * SECOND, 2 * MINUTE));
    }
  }

  private becomeAvailable(agent: SimAgent, wrapUpMs: number): void {
    this.setStatus(agent, 'available');
    agent.ready = false;
    if (wrapUpMs <= 0) {
      agent.ready = true;
      this.dispatchFor(agent);
    } else {
      this.schedule(this.clock + wrapUpMs, { kind: 'agent', agentId: agent.id, token: agent.token, step: 'ready' });
    }
  }

  private takeBreak(agent: SimAgent, durationMs: number): void {
    agent.pendingBreakMs = 0;
    this.setStatus(agent, 'away');
    agent.ready = false;
    this.schedule(this.clock + durationMs, { kind: 'agent', agentId: agent.id, token: agent.token, step: 'break-end' });
  }

  private breakDue(agent: SimAgent, durationMs: number): void {
    if (agent.status === 'available') this.takeBreak(agent, durationMs);
    else if (agent.status === 'busy') agent.pendingBreakMs = Math.max(agent.pendingBreakMs, durationMs);
  }

  private shiftStart(agent: SimAgent, endAt: number): void {
    if (agent.status === 'offline') agent.overtime = false;
    agent.shiftEndAt = Math.max(agent.shiftEndAt, endAt);
    if (agent.status === 'offline') this.becomeAvailable(agent, 0);
  }

  private shiftEnd(agent: SimAgent, endAt: number): void {
    // A later shift took over.
    if (endAt < agent.shiftEndAt) return;
    if (endAt === agent.shiftEndAt && agent.status !== 'offline' && this.surging(agent.line) && !agent.overtime) {
      // Staying late once to clear a long queue, as people do; also keeps a heavy day from
      // snowballing into the night.
      agent.overtime = true;
      agent.shiftEndAt = endAt + between(this.random, 30, 60) * MINUTE;
      this.schedule(agent.shiftEndAt, { kind: 'shift-end', agentId: agent.id, endAt: agent.shiftEndAt });
      return;
    }
    // Busy agents finish the ticket first (work-done sends them home).
    if (agent.status === 'busy') return;
    agent.pendingBreakMs = 0;
    this.setStatus(agent, 'offline');
  }

  // ---- events ----

  private emitTicket(ticket: SimTicket): void {
    // Two changes of one ticket at the same instant (rare: pickups are seconds apart) still get
    // increasing `updatedAt`, so a receiver's stale check (docs/contract.md#events-in) never has to break a tie.
    const at = ticket.version > 0 && this.clock <= ticket.updatedAt ? ticket.updatedAt + 1 : this.clock;
    ticket.updatedAt = at;
    ticket.version += 1;
    if (this.emitting) this.out.push(this.ticketEvent(ticket));
  }

  private ticketEvent(ticket: SimTicket): TicketEvent {
    return {
      id: `sim-${ticket.id}-${ticket.version}`,
      type: 'ticket',
      at: iso(ticket.updatedAt),
      ticket: {
        id: ticket.id,
        source: DEMO_SOURCE,
        queue: ticket.queue,
        priority: ticket.priority,
        status: ticket.status,
        assignee: ticket.assignee,
        subject: ticket.subject,
        tags: [...ticket.tags],
        createdAt: iso(ticket.createdAt),
        updatedAt: iso(ticket.updatedAt),
        firstResponseAt: isoOrNull(ticket.firstResponseAt),
        solvedAt: isoOrNull(ticket.solvedAt),
        firstResponseDueAt: iso(ticket.firstResponseDueAt),
        resolutionDueAt: iso(ticket.resolutionDueAt),
        csat: ticket.csat,
      },
    };
  }

  private setStatus(agent: SimAgent, status: AgentStatus): void {
    if (agent.status === status) return;
    const at = agent.version > 0 && this.clock <= agent.since ? agent.since + 1 : this.clock;
    agent.status = status;
    agent.since = at;
    agent.version += 1;
    agent.token += 1;
    if (this.emitting) this.out.push(this.agentEvent(agent));
  }

  private agentEvent(agent: SimAgent): AgentEvent {
    return {
      id: `sim-${this.runTag}-${agent.id}-${agent.version}`,
      type: 'agent',
      at: iso(agent.since),
      agent: { id: agent.id, name: agent.name, team: agent.line, status: agent.status },
    };
  }

  /** The state the warm-up reached, as the latest event of every agent and live ticket. */
  private snapshot(): void {
    for (const agent of this.agents) this.out.push(this.agentEvent(agent));
    const tickets = [...this.tickets.values()].sort((a, b) => a.updatedAt - b.updatedAt);
    for (const ticket of tickets) this.out.push(this.ticketEvent(ticket));
  }
}
