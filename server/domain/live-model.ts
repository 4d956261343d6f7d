// The live model of one support department: tickets, agents, queues and every number of
// docs/contract.md#the-numbers, kept incrementally so that an event costs microseconds and a snapshot does not
// scan the tickets. Tickets are rows of a column table (ticket-table.ts), a few hundred bytes each, so
// that one instance holds a million. Pure: no I/O, no timers; the caller passes the time in.
import { Calendar } from './calendar.js';
import type { DayFigures } from '../../contract/day-figures.js';
import { DailyStats, emptyContribution, type Contribution } from './daily-stats.js';
import { IndexedHeap, RowPositions } from './indexed-heap.js';
import {
  clockBitsAt,
  contributionAt,
  contributionOf,
  dueAtMs,
  emptyFlags,
  flagsOf,
  isOpen,
  nextChangeMs,
  parseTicketTimes,
  sameContribution,
  sameFlags,
  timeTicket,
  type TicketFlags,
  type TicketTimes,
  type TimedTicket,
} from './ticket-clock.js';
import { TicketCursor, TicketTable } from './ticket-table.js';
import { isoFromMs } from './iso-format.js';
import { parseIsoTime } from './iso-time.js';
import type { ParsedTimes } from './validate-event.js';
import { deriveFlow, firstContact, type History, observe, QueueCodes } from './ticket-flow.js';
import { FlowStats, NO_FLOW, sameFlow, touchesDay, type FlowContribution } from './flow-stats.js';
import type { EscalatedTicket } from '../../contract/flow.js';
import { STATE_SECTIONS } from '../../contract/domain.js';
import type {
  AgentCounts,
  AgentPayload,
  AgentView,
  FollowUpCounts,
  IncidentSummary,
  Priority,
  LiveState,
  TicketStatus,
  QueueState,
  StateSection,
  TicketPayload,
  TicketView,
  TicketViewName,
  WatchEvent,
} from '../../contract/domain.js';
import type { StaffingNow, StaffingPlan } from '../../contract/staffing.js';
import type { FlowState } from '../../contract/flow.js';
import type { NewTicketSeen } from './arrival.js';

export type ApplyOutcome = 'accepted' | 'stale';

/** The persisted form of a ticket: what a restart needs to rebuild it exactly. */
export interface StoredTicket {
  key: string;
  ticket: TicketPayload;
  csatAt: string | null;
  /**
   * What the ticket was seen as, by updatedAt (ms), oldest first: its flow between lines is derived
   * from it (server/domain/ticket-flow.ts). Absent in checkpoints written before it was kept: the
   * ticket then starts with one observation, itself.
   */
  history?: [updatedMs: number, queue: string, status: TicketStatus][];
}

export interface StoredAgent {
  agent: AgentPayload;
  /** When the agent entered the current status. */
  since: string;
  /** The `at` of the latest event applied, for the stale check. */
  lastAt: string;
}

/**
 * A changed ticket, read only when the store writes it: a checkpoint after a load of a million
 * tickets holds a million of these (~100 bytes each), not a million copies (~1 KB each).
 */
export interface ChangedTicket {
  readonly key: string;
  /**
   * The ticket as it stands when read, or null once forgotten (its removal comes with a later
   * checkpoint's changes). It may be newer than when it was taken: the journal or log replayed
   * after that checkpoint leaves such a ticket the same (stale or repeated updates change nothing).
   */
  read(): StoredTicket | null;
}

/** Changed tickets read at once (tests, and a reload that needs them all). */
export function readAll(tickets: readonly ChangedTicket[]): StoredTicket[] {
  const read: StoredTicket[] = [];
  for (const ticket of tickets) {
    const stored = ticket.read();
    if (stored !== null) read.push(stored);
  }
  return read;
}

/** A stored ticket as a change (a store fed from elsewhere than a model: tools, tests). */
export function asChanged(stored: StoredTicket): ChangedTicket {
  return { key: stored.key, read: () => stored };
}

export interface ModelChanges {
  tickets: ChangedTicket[];
  agents: StoredAgent[];
  removedTickets: string[];
}

/** The sections of the state that changed, as the screens receive them, at one instant. */
export interface StateDelta {
  at: string;
  sections: Partial<Pick<LiveState, StateSection>>;
  /**
   * For each section given, the change mark of its latest change (see `changeMark`): a screen
   * whose whole state was taken at that mark or later has it already.
   */
  marks: Partial<Record<StateSection, number>>;
}

/** The whole state, and the change mark it includes every change up to. */
export interface StateSnapshot {
  state: LiveState;
  mark: number;
}

export interface LiveModelOptions {
  atRiskMinutes: number;
  /** Closed and solved tickets are forgotten this long after their last update. */
  retentionDays?: number;
  /** Collect the tickets new to the model for `takeArrivals` (the app does; a bench of the model alone need not). */
  collectArrivals?: boolean;
  /** Collect each ticket whose daily contribution, line or priority changed, for `takeTicketDays` (the daily figures' ledger). */
  collectTicketDays?: boolean;
}

/**
 * A ticket's daily contribution as it now stands, with the line (queue) and priority it counts
 * under: what the daily figures kept for reports (server/reports) hold of it, replacing what they held.
 */
export interface TicketDays {
  key: string;
  line: string;
  priority: Priority;
  contribution: Contribution;
  /** Its moves between lines and reopens, by day (the reports' reopened and escalated). */
  flow: FlowContribution;
}

/** The default order of the lines, lowest first, when dashboards/flow.json says none. */
export const DEFAULT_FLOW_LINES: readonly string[] = ['l1', 'l2', 'l3'];

/**
 * Arrivals waiting to be taken: beyond this many (a store that has not been reachable for a long
 * while), the newest are dropped and counted rather than let memory grow without bound.
 */
export const MAX_PENDING_ARRIVALS = 200_000;

interface LiveAgent {
  agent: AgentPayload;
  since: string;
  lastAt: string;
  lastAtMs: number;
}

class QueueCounters {
  open = 0;
  waiting = 0;
  breached = 0;
  atRisk = 0;
  /** Waiting tickets by createdAt: the top is the oldest wait. */
  readonly waitingSince: IndexedHeap;

  /** `positions`: shared by every queue's waiting heap (a ticket waits in one queue at a time). */
  constructor(positions: RowPositions) {
    this.waitingSince = new IndexedHeap(positions);
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** On a restore, tickets created this recently are handed to the arrivals store again (after a crash: see staffing-plugin.ts). */
export const RECOUNT_ARRIVALS_MS = DAY_MS;

/** Whether the agent counts as staffing its line: taking tickets or able to. */
function onTheLine(agent: AgentPayload): boolean {
  return agent.status === 'available' || agent.status === 'busy';
}

export function ticketKey(ticket: Pick<TicketPayload, 'source' | 'id'>): string {
  return `${ticket.source}:${ticket.id}`;
}

export class LiveModel {
  /**
   * The tickets as rows (ticket-table.ts). Every structure below refers to a ticket by its row
   * number; a row's flags and daily contribution are not kept but rebuilt from its fields and its
   * clock bits when it changes.
   */
  private readonly tickets = new TicketTable();
  /** Each ticket's flow contribution, for those that have one (most have none: NO_FLOW). */
  private readonly flows = new Map<number, FlowContribution>();
  /** Reused to read a row in a change: `previous` holds it before, `current` after. */
  private readonly current = new TicketCursor(this.tickets);
  private readonly previous = new TicketCursor(this.tickets);
  private readonly agents = new Map<string, LiveAgent>();
  private readonly queues = new Map<string, QueueCounters>();
  private readonly daily = new DailyStats();
  private readonly flowStats = new FlowStats();
  private flowLines: readonly string[] = DEFAULT_FLOW_LINES;
  private readonly queueCodes = new QueueCodes();
  private readonly calendar = new Calendar();
  /** Each open ticket with a pending target, by the next instant its flags change. */
  private readonly slaClock = new IndexedHeap();
  /** Where each row sits in its queue's waiting heap. */
  private readonly waitingPositions = new RowPositions();
  private readonly atRiskMs: number;
  private readonly retentionMs: number;
  private today = '';
  /** Reused by putTicket: the flags and contribution a change starts from, and those it ends at. */
  private readonly fromFlags = emptyFlags();
  private readonly toFlags = emptyFlags();
  private readonly fromContribution = emptyContribution();
  private readonly toContribution = emptyContribution();
  private incidents: IncidentSummary[] = [];
  private followUps: FollowUpCounts = { open: 0, overdue: 0 };
  private staffingPlan: StaffingPlan[] = [];
  /**
   * Per line, the tickets new to the model since the plan was set that were created in the plan's
   * interval: `actual` moves with each one instead of waiting for the next plan (the store's count
   * catches up with them then).
   */
  private readonly arrivedSincePlan = new Map<string, number>();
  /** Each planned line's current interval in ms, parsed once per plan: every new ticket looks it up. */
  private readonly planIntervals = new Map<string, { start: number; end: number }>();
  /** Per team (= line), the agents available or busy now: the staffing section's `staffedNow`. */
  private readonly onLine = new Map<string, number>();
  private readonly collectArrivals: boolean;
  private pendingArrivals: NewTicketSeen[] = [];
  /** Tickets a restore put back that were created lately, apart from the new ones (takeRestoredArrivals). */
  private restoredArrivals: NewTicketSeen[] = [];
  /** How lately: what the takers ask for (NewTicketsFeed), the arrivals' recount unless told less. */
  restoredArrivalsWithinMs = RECOUNT_ARRIVALS_MS;
  /** Arrivals dropped because MAX_PENDING_ARRIVALS were waiting. */
  droppedArrivals = 0;
  private readonly collectTicketDays: boolean;
  /** Inside restoreTickets: nothing restored goes to the daily figures' ledger. */
  private restoring = false;
  /** By ticket key: a ticket changed twice before the ledger took it is written once, as it stands. */
  private pendingTicketDays = new Map<string, TicketDays>();
  /** Ticket days dropped because MAX_PENDING_ARRIVALS were waiting. */
  droppedTicketDays = 0;

  /** Rows changed since the last checkpoint. */
  private dirtyTickets = new Set<number>();
  private dirtyAgents = new Set<string>();
  private removedTickets = new Set<string>();
  /** Agents changed since the screens last heard (separate from the checkpoint's dirty set). */
  private agentsForScreens = new Set<string>();
  /** Counts the changes a screen could see; each dirty section holds the count of its latest one. */
  private changes = 0;
  /**
   * The sections of the state the screens have not heard since they changed (takeDelta), each
   * with the mark of its latest change. A new model has told nobody anything, so all of them.
   */
  private readonly dirtySections = new Map<StateSection, number>(STATE_SECTIONS.map((section) => [section, 0]));
  /**
   * Each queue's oldest wait, in whole seconds, as last handed out: the one number of the state
   * that moves with time alone, so takeDelta compares it instead of marking it.
   */
  private readonly handedOldestSec = new Map<string, number>();
  /** Grows by one with every change a screen could see. */
  version = 0;

  constructor(options: LiveModelOptions) {
    this.atRiskMs = options.atRiskMinutes * 60_000;
    this.retentionMs = (options.retentionDays ?? 7) * DAY_MS;
    this.collectArrivals = options.collectArrivals ?? false;
    this.collectTicketDays = options.collectTicketDays ?? false;
  }

  get ticketCount(): number {
    return this.tickets.size;
  }

  /** Distinct shared names and side structures held (tests: forgotten tickets leave nothing behind). */
  ticketPools(): ReturnType<TicketTable['poolSizes']> & { flows: number } {
    return { ...this.tickets.poolSizes(), flows: this.flows.size };
  }

  get agentCount(): number {
    return this.agents.size;
  }

  /** The ticket as last applied, or null: connectors merge a vendor's partial payload over it. */
  ticket(source: string, id: string): TicketPayload | null {
    const row = this.tickets.find(source, id);
    return row < 0 ? null : this.tickets.payload(row);
  }

  /** The agent as last applied, or null. */
  agent(id: string): AgentPayload | null {
    return this.agents.get(id)?.agent ?? null;
  }

  /**
   * Applies one valid event. Duplicates are the caller's business (they need the store).
   * `times` are the event's times as validation parsed them; without, they are parsed here.
   */
  apply(event: WatchEvent, now: number, times?: ParsedTimes): ApplyOutcome {
    const atMs = times?.atMs ?? Date.parse(event.at);
    if (event.type === 'agent') return this.applyAgent(event.agent, event.at, atMs);
    return this.applyTicket(event.ticket, atMs, now, times?.ticket ?? parseTicketTimes(event.ticket));
  }

  private applyTicket(payload: TicketPayload, atMs: number, now: number, times: TicketTimes): ApplyOutcome {
    const table = this.tickets;
    const row = table.find(payload.source, payload.id);
    const updatedMs = times.updatedMs;
    if (row >= 0 && updatedMs < table.updatedMs(row)) {
      // Too old to change the ticket, but it says where the ticket was then: its flow takes it in.
      const history = table.history(row);
      if (observe(history, updatedMs, this.queueCodes.code(payload.queue, payload.status))) {
        table.setHistory(row, history);
        this.refreshFlow(row);
        this.dirtyTickets.add(row);
        this.version++;
      }
      return 'stale';
    }
    if (row < 0) {
      const key = ticketKey(payload);
      this.arrived(key, payload, times.createdMs);
      this.countInInterval(payload.queue, times.createdMs);
    }
    const closed = payload.status === 'solved' || payload.status === 'closed';
    // A closed ticket older than retention would be forgotten at once, so it is not kept; it is
    // still an arrival of its day (a backfill builds the forecast's history), so it is accepted.
    if (row < 0 && closed && updatedMs < now - this.retentionMs) {
      if (this.collectTicketDays) {
        const timed = timeTicket(ticketKey(payload), payload, payload.csat === null ? null : atMs, times);
        const contribution = contributionAt(timed, now, this.calendar, emptyContribution());
        const history = [updatedMs, this.queueCodes.code(payload.queue, payload.status)];
        this.pendTicketDays(timed.key, payload.queue, payload.priority, contribution, this.flowOf(timed, contribution, history));
      }
      return 'accepted';
    }

    let csatAtMs: number | null = null;
    if (payload.csat !== null) {
      const sameRating = row >= 0 && table.csatOf(row) === payload.csat;
      csatAtMs = sameRating ? table.csatAtMs(row) : atMs;
    }
    const code = this.queueCodes.code(payload.queue, payload.status);
    if (row < 0) {
      this.putTicket(-1, payload, times, csatAtMs, now);
      return 'accepted';
    }
    // Most updates (a reply, a tag) repeat the queue and status at a later time: the history keeps
    // when it was seen, but that moves no flow, so the flow is derived again only when it may.
    const flowMayMove = table.lastSeenMs(row) === updatedMs || table.lastSeenCode(row) !== code;
    const history = table.history(row);
    observe(history, updatedMs, code);
    table.setHistory(row, history);
    this.putTicket(row, payload, times, csatAtMs, now, flowMayMove ? history : undefined);
    return 'accepted';
  }

  private arrived(key: string, ticket: Pick<TicketPayload, 'queue' | 'subject' | 'tags'>, createdAt: number): void {
    if (!this.collectArrivals) return;
    if (this.pendingArrivals.length >= MAX_PENDING_ARRIVALS) this.droppedArrivals++;
    else this.pendingArrivals.push({ key, line: ticket.queue, createdAt, subject: ticket.subject, tags: ticket.tags });
  }

  private pendTicketDays(key: string, line: string, priority: Priority, contribution: Contribution, flow: FlowContribution): void {
    if (!this.pendingTicketDays.has(key) && this.pendingTicketDays.size >= MAX_PENDING_ARRIVALS) {
      this.droppedTicketDays++;
      return;
    }
    this.pendingTicketDays.set(key, { key, line, priority, contribution: { ...contribution }, flow });
  }

  /** Hands a row as it stands to the daily figures' ledger. */
  private recordTicketDays(row: number): void {
    const t = this.tickets.read(row, this.current);
    const contribution = contributionOf(t, this.tickets.clockBitsOf(row), this.calendar, emptyContribution());
    this.pendTicketDays(t.key, t.queue, this.tickets.priorityOf(row), contribution, this.flowOfRow(row));
  }

  private flowOfRow(row: number): FlowContribution {
    return this.flows.get(row) ?? NO_FLOW;
  }

  /** A ticket's flow contribution: its history's moves and reopens by local day, and its first-contact solve. */
  private flowOf(timed: TimedTicket, contribution: Contribution, history: History): FlowContribution {
    const solvedDay = contribution.solvedDay;
    // One observation moves nowhere and reopens nothing: unsolved, it has no flow at all (most
    // tickets at a restart and on arrival).
    if (solvedDay === null && history.length <= 2) return NO_FLOW;
    const derived = deriveFlow(history, timed.createdMs, this.flowLines, this.queueCodes);
    // Most tickets never move nor reopen: they share one empty contribution.
    if (solvedDay === null && derived.moves.length === 0 && derived.reopenedMs.length === 0) return NO_FLOW;
    return {
      moves: derived.moves.map((move) => ({
        day: this.calendar.dayKey(move.atMs),
        from: move.from,
        to: move.to,
        up: move.up,
        atMs: move.atMs,
        onLineSec: Math.round((move.atMs - move.arrivedMs) / 1000),
      })),
      reopenDays: derived.reopenedMs.map((ms) => this.calendar.dayKey(ms)),
      solvedDay,
      firstContact: solvedDay !== null && firstContact(derived, timed.queue),
    };
  }

  /**
   * Derives a row's flow again (its history or solve changed) and replaces its old contribution
   * with the new one; answers whether it moved. `record`: hand it to the daily figures' ledger too.
   */
  private refreshFlow(row: number, record = true): boolean {
    const t = this.tickets.read(row, this.current);
    const contribution = contributionOf(t, this.tickets.clockBitsOf(row), this.calendar, this.fromContribution);
    const flow = this.flowOf(t, contribution, this.tickets.history(row));
    const before = this.flowOfRow(row);
    if (sameFlow(before, flow)) return false;
    this.flowStats.replace(before, flow);
    this.markFlow(before, flow);
    this.setFlow(row, flow);
    if (record && this.collectTicketDays) this.recordTicketDays(row);
    return true;
  }

  private setFlow(row: number, flow: FlowContribution): void {
    if (flow === NO_FLOW) this.flows.delete(row);
    else this.flows.set(row, flow);
  }

  /** The flow section changes when a contribution touching today moves. */
  private markFlow(from: FlowContribution, to: FlowContribution): void {
    if (this.today === '' || touchesDay(from, this.today) || touchesDay(to, this.today)) this.mark('flow');
  }

  /** The lines' order (dashboards/flow.json, lowest first): when it changes, every ticket's flow is derived again. */
  setFlowLines(lines: readonly string[]): void {
    if (lines.length === this.flowLines.length && lines.every((line, i) => line === this.flowLines[i])) return;
    this.flowLines = [...lines];
    this.flowStats.clear();
    this.tickets.forEachRow((row) => {
      const t = this.tickets.read(row, this.current);
      const contribution = contributionOf(t, this.tickets.clockBitsOf(row), this.calendar, this.fromContribution);
      const flow = this.flowOf(t, contribution, this.tickets.history(row));
      this.setFlow(row, flow);
      this.flowStats.add(flow);
    });
    this.mark('flow');
    this.version++;
  }

  /**
   * The escalations at or after `sinceMs`, newest first, at most `limit` (the supervisor's list).
   * O(tickets with a flow): most tickets have none.
   */
  escalations(sinceMs: number, limit: number): EscalatedTicket[] {
    const rows: { atMs: number; row: EscalatedTicket }[] = [];
    const table = this.tickets;
    for (const [row, flow] of this.flows) {
      for (const move of flow.moves) {
        if (!move.up || move.atMs < sinceMs) continue;
        rows.push({
          atMs: move.atMs,
          row: {
            key: table.key(row),
            id: table.idOf(row),
            source: table.sourceOf(row),
            subject: table.subjectOf(row),
            from: move.from,
            to: move.to,
            at: new Date(move.atMs).toISOString(),
            priority: table.priorityOf(row),
            onLineSec: move.onLineSec,
          },
        });
      }
    }
    rows.sort((a, b) => b.atMs - a.atMs || (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0));
    return rows.slice(0, limit).map((r) => r.row);
  }

  /** Takes the tickets whose daily contribution, line or priority changed since the last call (the daily figures' ledger). */
  takeTicketDays(): TicketDays[] {
    if (this.pendingTicketDays.size === 0) return [];
    const taken = [...this.pendingTicketDays.values()];
    this.pendingTicketDays = new Map();
    return taken;
  }

  /** Takes the tickets new to the model since the last call, for the arrivals store and surge detection. */
  takeArrivals(): NewTicketSeen[] {
    const taken = this.pendingArrivals;
    this.pendingArrivals = [];
    return taken;
  }

  /**
   * Takes the tickets restored since the last call that were created within restoredArrivalsWithinMs.
   * Apart from the new ones: the arrivals store holds them already unless the process before
   * crashed, and surge detection wants only the last minutes of them. Bounded as the new ones
   * are (a restore with nobody taking them, or in one turn, collects at most MAX_PENDING_ARRIVALS).
   */
  takeRestoredArrivals(): NewTicketSeen[] {
    const taken = this.restoredArrivals;
    this.restoredArrivals = [];
    return taken;
  }

  private applyAgent(agent: AgentPayload, at: string, atMs: number): ApplyOutcome {
    const previous = this.agents.get(agent.id);
    if (previous !== undefined && atMs < previous.lastAtMs) return 'stale';
    if (previous === undefined || previous.agent.team !== agent.team || onTheLine(previous.agent) !== onTheLine(agent)) {
      if (previous !== undefined) this.countOnLine(previous.agent, -1);
      this.countOnLine(agent, 1);
    }
    // A repeated status keeps its original "since": the agent has been in it all along.
    const unchanged = previous !== undefined && previous.agent.status === agent.status;
    this.agents.set(agent.id, { agent, since: unchanged ? previous.since : at, lastAt: at, lastAtMs: atMs });
    // The state holds counts by status: only a new agent or a new status moves them.
    if (!unchanged) this.mark('agents');
    this.dirtyAgents.add(agent.id);
    this.agentsForScreens.add(agent.id);
    this.version++;
    return 'accepted';
  }

  /**
   * Puts a ticket's new fields (or, without a payload, its same fields at a later instant: the SLA
   * clock) into its row, moving its counts, daily figures, flow and clock entry. The flags and
   * contribution it had are rebuilt from the row before it is written: most updates (a reply, a
   * new tag) change neither, and then no heap, map or figure is touched. `row` -1: a new ticket.
   */
  private putTicket(row: number, payload: TicketPayload | null, times: TicketTimes | null, csatAtMs: number | null, now: number, history?: History): number {
    const table = this.tickets;
    const isNew = row < 0;
    let movedLine = false;
    if (isNew) {
      row = table.insert(payload!.source, payload!.id);
      table.write(row, payload!, times!, csatAtMs);
      // A new ticket without a saved history has seen one observation: itself.
      table.setHistory(row, history ?? [times!.updatedMs, this.queueCodes.code(payload!.queue, payload!.status)]);
      const t = table.read(row, this.current);
      const bits = clockBitsAt(t, now, this.atRiskMs);
      table.setClockBits(row, bits);
      const flags = flagsOf(t, bits, this.toFlags);
      const contribution = contributionOf(t, bits, this.calendar, this.toContribution);
      const flow = this.flowOf(t, contribution, table.history(row));
      this.setFlow(row, flow);
      this.countFlags(row, flags, 1);
      this.markFlags(CLOSED, flags);
      this.daily.add(row, contribution);
      this.markContribution(null, contribution);
      this.flowStats.add(flow);
      this.markFlow(NO_FLOW, flow);
      if (this.removedTickets.size > 0) this.removedTickets.delete(this.current.key);
      if (this.collectTicketDays && !this.restoring) this.pendTicketDays(this.current.key, t.queue, payload!.priority, contribution, flow);
    } else {
      const before = table.read(row, this.previous);
      const beforeBits = table.clockBitsOf(row);
      if (payload !== null) {
        movedLine = before.queue !== payload.queue || table.priorityOf(row) !== payload.priority;
        table.write(row, payload, times!, csatAtMs);
      }
      if (history !== undefined) table.setHistory(row, history);
      const t = table.read(row, this.current);
      const bits = clockBitsAt(t, now, this.atRiskMs);
      table.setClockBits(row, bits);
      // Flags and contribution are functions of these fields and the bits: most updates (a reply,
      // a tag) change none of them, and then neither is built.
      const moved = bits !== beforeBits || !sameClockFields(before, t);
      let contributionMoved = false;
      if (moved) {
        const fromFlags = flagsOf(before, beforeBits, this.fromFlags);
        const flags = flagsOf(t, bits, this.toFlags);
        if (!sameFlags(fromFlags, flags)) {
          this.moveFlags(row, fromFlags, flags);
          this.markFlags(fromFlags, flags);
        }
        const fromContribution = contributionOf(before, beforeBits, this.calendar, this.fromContribution);
        const contribution = contributionOf(t, bits, this.calendar, this.toContribution);
        contributionMoved = !sameContribution(fromContribution, contribution);
        if (contributionMoved) {
          this.daily.replace(row, fromContribution, contribution);
          this.markContribution(fromContribution, contribution);
        }
      }
      // The flow moves with the history, and its first-contact solve with the solved day.
      const flowMayMove = history !== undefined || (moved && before.solvedMs !== t.solvedMs);
      const flowMoved = flowMayMove && this.refreshFlow(row, false);
      if (this.collectTicketDays && !this.restoring && (contributionMoved || movedLine || flowMoved)) this.recordTicketDays(row);
    }
    this.schedule(row, now);
    this.dirtyTickets.add(row);
    this.version++;
    return row;
  }

  /**
   * Marks what a ticket's move from one set of flags to another changes on the screens: the
   * queues when it is counted differently there, the SLA totals when its breached or at-risk
   * count moves. A closed ticket counts nowhere.
   */
  private markFlags(from: TicketFlags, to: TicketFlags): void {
    if (!from.open && !to.open) return;
    const sameQueueCounts =
      from.open === to.open &&
      from.queue === to.queue &&
      from.waiting === to.waiting &&
      from.waitingSinceMs === to.waitingSinceMs &&
      from.breached === to.breached &&
      from.atRisk === to.atRisk;
    if (!sameQueueCounts) this.mark('queues');
    const breachedMoves = (from.open && from.breached) !== (to.open && to.breached);
    const atRiskMoves = (from.open && from.atRisk) !== (to.open && to.atRisk);
    if (breachedMoves || atRiskMoves) this.mark('sla');
  }

  /**
   * Marks what moving a ticket's daily contribution from one to another changes on the screens
   * (adding one moves it from nothing, removing one to nothing). The state shows today only, so a
   * change to other days changes nothing there. The KPIs hold created, solved, first response and
   * CSAT; the SLA section the targets met or missed.
   */
  private markContribution(from: Contribution | null, to: Contribution | null): void {
    const today = this.today;
    const a = from ?? NO_CONTRIBUTION;
    const b = to ?? NO_CONTRIBUTION;
    const kpisMove =
      a.createdDay !== b.createdDay ||
      a.solvedDay !== b.solvedDay ||
      a.resolutionSec !== b.resolutionSec ||
      a.firstResponseDay !== b.firstResponseDay ||
      a.firstResponseSec !== b.firstResponseSec ||
      a.csatDay !== b.csatDay ||
      a.csatGood !== b.csatGood;
    const kpisToday =
      a.createdDay === today ||
      a.solvedDay === today ||
      a.firstResponseDay === today ||
      a.csatDay === today ||
      b.createdDay === today ||
      b.solvedDay === today ||
      b.firstResponseDay === today ||
      b.csatDay === today;
    if (kpisMove && (today === '' || kpisToday)) this.mark('kpis');
    const targetsMove =
      a.firstResponseTargetDay !== b.firstResponseTargetDay ||
      a.firstResponseTargetMet !== b.firstResponseTargetMet ||
      a.resolutionTargetDay !== b.resolutionTargetDay ||
      a.resolutionTargetMet !== b.resolutionTargetMet;
    const targetsToday =
      a.firstResponseTargetDay === today || a.resolutionTargetDay === today || b.firstResponseTargetDay === today || b.resolutionTargetDay === today;
    if (targetsMove && (today === '' || targetsToday)) this.mark('sla');
  }

  private mark(section: StateSection): void {
    this.dirtySections.set(section, ++this.changes);
  }

  /** The mark of the latest change a screen could see: a whole state taken now includes every change up to it. */
  get changeMark(): number {
    return this.changes;
  }

  private schedule(row: number, now: number): void {
    const next = nextChangeMs(this.tickets.read(row, this.current), now, this.atRiskMs);
    if (next === null) this.slaClock.delete(row);
    else this.slaClock.set(row, next);
  }

  private queue(id: string): QueueCounters {
    let queue = this.queues.get(id);
    if (queue === undefined) {
      queue = new QueueCounters(this.waitingPositions);
      this.queues.set(id, queue);
    }
    return queue;
  }

  /** countFlags(from, -1) then countFlags(to, +1), leaving the waiting heap alone when it can. */
  private moveFlags(row: number, from: TicketFlags, to: TicketFlags): void {
    const sameWait = from.queue === to.queue && from.waiting === to.waiting && from.waitingSinceMs === to.waitingSinceMs;
    if (!sameWait || from.open !== to.open) {
      this.countFlags(row, from, -1);
      this.countFlags(row, to, 1);
      return;
    }
    if (!to.open) return;
    const queue = this.queue(to.queue);
    queue.breached += Number(to.breached) - Number(from.breached);
    queue.atRisk += Number(to.atRisk) - Number(from.atRisk);
  }

  private countFlags(row: number, flags: TicketFlags, sign: 1 | -1): void {
    if (!flags.open) return;
    const queue = this.queue(flags.queue);
    queue.open += sign;
    if (flags.breached) queue.breached += sign;
    if (flags.atRisk) queue.atRisk += sign;
    if (flags.waiting) {
      queue.waiting += sign;
      if (sign === 1) queue.waitingSince.set(row, flags.waitingSinceMs);
      else queue.waitingSince.delete(row);
    }
  }

  /**
   * Moves the model's clock to `now`: targets that came due turn breached, targets that came
   * within AT_RISK_MINUTES turn at risk, and the day rolls over at local midnight. Costs
   * O(log n) per ticket whose flags change, nothing for the others.
   */
  advance(now: number): number {
    let changed = 0;
    for (;;) {
      const due = this.slaClock.peekPriority();
      if (due === undefined || due > now) break;
      const row = this.slaClock.pop()!;
      this.putTicket(row, null, null, null, now);
      changed++;
    }
    const today = this.calendar.dayKey(now);
    if (today !== this.today) {
      this.rollOver(today, now);
      changed++;
    }
    return changed;
  }

  private rollOver(today: string, now: number): void {
    const firstRun = this.today === '';
    this.today = today;
    this.version++;
    // A new day: today's figures start again.
    this.mark('kpis');
    this.mark('sla');
    this.mark('flow');
    if (firstRun) return;
    // Once a day: forget closed tickets past retention, and the daily figures of old days.
    const horizon = now - this.retentionMs;
    this.tickets.forEachRow((row) => {
      const t = this.tickets.read(row, this.current);
      if (!isOpen(t) && t.updatedMs < horizon) this.forgetTicket(row);
    });
    this.daily.prune(this.calendar.dayKey(horizon));
    this.flowStats.prune(this.calendar.dayKey(horizon));
  }

  private forgetTicket(row: number): void {
    const table = this.tickets;
    const t = table.read(row, this.current);
    const bits = table.clockBitsOf(row);
    const key = t.key;
    this.countFlags(row, flagsOf(t, bits, this.fromFlags), -1);
    this.markFlags(this.fromFlags, CLOSED);
    const contribution = contributionOf(t, bits, this.calendar, this.fromContribution);
    this.daily.remove(row, contribution);
    this.markContribution(contribution, null);
    const flow = this.flowOfRow(row);
    this.flowStats.remove(flow);
    this.markFlow(flow, NO_FLOW);
    this.flows.delete(row);
    this.slaClock.delete(row);
    table.remove(row);
    this.dirtyTickets.delete(row);
    this.removedTickets.add(key);
    this.version++;
  }

  /**
   * Forgets every ticket of a source, except those whose id `keep` accepts (the demo clears its
   * previous runs' tickets).
   */
  forgetSource(source: string, keep: (id: string) => boolean = () => false): number {
    let forgotten = 0;
    this.tickets.forEachRow((row) => {
      if (this.tickets.sourceOf(row) !== source || keep(this.tickets.idOf(row))) return;
      this.forgetTicket(row);
      forgotten++;
    });
    return forgotten;
  }

  /** Counts an agent in or out of its line's `staffedNow`; marks the section when the count moves. */
  private countOnLine(agent: AgentPayload, sign: 1 | -1): void {
    if (!onTheLine(agent)) return;
    const count = (this.onLine.get(agent.team) ?? 0) + sign;
    if (count === 0) this.onLine.delete(agent.team);
    else this.onLine.set(agent.team, count);
    if (this.staffingPlan.some((row) => row.line === agent.team)) this.mark('staffing');
  }

  /** The staffing service's plan of the current interval; the model adds who is on each line now. */
  setStaffingPlan(plan: StaffingPlan[]): void {
    this.staffingPlan = plan;
    this.arrivedSincePlan.clear();
    this.planIntervals.clear();
    for (const row of plan) this.planIntervals.set(row.line, { start: Date.parse(row.intervalStart), end: Date.parse(row.intervalEnd) });
    this.mark('staffing');
    this.version++;
  }

  /** When the plan's current interval ends (the earliest of its lines), or null without a plan. */
  staffingPlanEndsMs(): number | null {
    let ends: number | null = null;
    for (const { end } of this.planIntervals.values()) if (ends === null || end < ends) ends = end;
    return ends;
  }

  private countInInterval(line: string, createdMs: number): void {
    const interval = this.planIntervals.get(line);
    if (interval === undefined || createdMs < interval.start || createdMs >= interval.end) return;
    this.arrivedSincePlan.set(line, (this.arrivedSincePlan.get(line) ?? 0) + 1);
    this.mark('staffing');
  }

  private staffingRows(): StaffingNow[] {
    return this.staffingPlan.map((row) => {
      const staffedNow = this.onLine.get(row.line) ?? 0;
      return { ...row, actual: row.actual + (this.arrivedSincePlan.get(row.line) ?? 0), staffedNow, gap: staffedNow - row.required };
    });
  }

  setIncidents(incidents: IncidentSummary[]): void {
    this.incidents = incidents;
    this.mark('incidents');
    this.version++;
  }

  /** The incidents' follow-up counts (the incident service recounts them on every change and once a minute). */
  setFollowUps(counts: FollowUpCounts): void {
    if (counts.open === this.followUps.open && counts.overdue === this.followUps.overdue) return;
    this.followUps = { ...counts };
    this.mark('followUps');
    this.version++;
  }

  /**
   * Visits every ticket held (open ones, and closed ones within retention), read-only, for scans
   * that the model does not keep counts for (tickets linked to an incident). O(tickets): callers
   * throttle it. The ticket handed over is one object refilled for each: a visitor must not keep it.
   */
  scanTickets(visit: (ticket: Readonly<TimedTicket>) => void): void {
    // Its own cursor: a visitor may ask the model for something that reads rows itself.
    const cursor = new TicketCursor(this.tickets);
    this.tickets.forEachRow((row) => visit(this.tickets.read(row, cursor)));
  }

  /** The numbers of docs/contract.md#the-numbers at `now`. Call `advance(now)` first for an exact answer. */
  state(now: number): LiveState {
    const day = this.daily.figures(this.calendar.dayKey(now));
    return {
      seq: this.version,
      at: new Date(now).toISOString(),
      queues: this.queueStates(now, false),
      agents: this.agentCounts(),
      sla: this.slaState(day),
      kpis: kpisOf(day),
      incidents: this.incidents,
      staffing: this.staffingRows(),
      followUps: this.followUps,
      flow: this.flowState(now),
    };
  }

  private flowState(now: number): FlowState {
    return this.flowStats.state(this.calendar.dayKey(now), this.flowLines);
  }

  /**
   * The sections that changed since the last call, at `now` (call `advance(now)` first), and
   * forgets them: what the screens are sent. A quiet call (nothing applied, no target come due,
   * no queue's oldest wait past a whole second) returns no section and costs a look at each
   * queue. The whole state (`state`) is for a screen that has nothing yet.
   */
  takeDelta(now: number): StateDelta {
    if (!this.dirtySections.has('queues') && this.oldestWaitMoved(now)) this.mark('queues');
    const sections: StateDelta['sections'] = {};
    const marks: StateDelta['marks'] = {};
    const wanted = this.dirtySections;
    if (wanted.size > 0) {
      const day = wanted.has('sla') || wanted.has('kpis') ? this.daily.figures(this.calendar.dayKey(now)) : null;
      if (wanted.has('queues')) sections.queues = this.queueStates(now, true);
      if (wanted.has('agents')) sections.agents = this.agentCounts();
      if (day !== null && wanted.has('sla')) sections.sla = this.slaState(day);
      if (day !== null && wanted.has('kpis')) sections.kpis = kpisOf(day);
      if (wanted.has('incidents')) sections.incidents = this.incidents;
      if (wanted.has('staffing')) sections.staffing = this.staffingRows();
      if (wanted.has('followUps')) sections.followUps = this.followUps;
      if (wanted.has('flow')) sections.flow = this.flowState(now);
      for (const [section, mark] of wanted) marks[section] = mark;
      wanted.clear();
    }
    return { at: new Date(now).toISOString(), sections, marks };
  }

  /** Takes the `incidents` section alone, if it changed (an incident's change goes out at once, outside the slots). */
  takeIncidents(now: number): StateDelta {
    const mark = this.dirtySections.get('incidents');
    const at = new Date(now).toISOString();
    if (mark === undefined) return { at, sections: {}, marks: {} };
    this.dirtySections.delete('incidents');
    return { at, sections: { incidents: this.incidents }, marks: { incidents: mark } };
  }

  /** The whole state at `now` with its change mark (call `advance(now)` first), for a screen that has nothing yet. */
  snapshot(now: number): StateSnapshot {
    return { state: this.state(now), mark: this.changes };
  }

  /** Whether some queue's oldest wait shows another whole second than it was last handed out with. */
  private oldestWaitMoved(now: number): boolean {
    for (const [id, q] of this.queues) {
      if (q.waiting === 0) continue;
      if (oldestWaitSec(q, now) !== this.handedOldestSec.get(id)) return true;
    }
    return false;
  }

  /** `handOut`: these go to the screens as a delta (a whole state for one reader changes nothing for the others). */
  private queueStates(now: number, handOut: boolean): QueueState[] {
    const queues: QueueState[] = [];
    for (const [id, q] of [...this.queues].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const oldestWaitingSec = oldestWaitSec(q, now);
      if (handOut) this.handedOldestSec.set(id, oldestWaitingSec);
      queues.push({ id, open: q.open, waiting: q.waiting, oldestWaitingSec, breached: q.breached, atRisk: q.atRisk });
    }
    return queues;
  }

  private slaState(day: ReturnType<DailyStats['figures']>): LiveState['sla'] {
    let breachedOpen = 0;
    let atRisk = 0;
    for (const q of this.queues.values()) {
      breachedOpen += q.breached;
      atRisk += q.atRisk;
    }
    return { breachedOpen, breachedToday: day.breachedToday, atRisk, complianceToday: day.complianceToday };
  }

  private agentCounts(): AgentCounts {
    const counts: AgentCounts = { available: 0, busy: 0, away: 0, offline: 0 };
    for (const { agent } of this.agents.values()) counts[agent.status]++;
    return counts;
  }

  agentList(): AgentView[] {
    return [...this.agents.values()].map(({ agent, since }) => ({ ...agent, since })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Open tickets in a view, soonest breach first (the longest-breached first once breached). */
  ticketList(view: TicketViewName, now: number, limit: number): TicketView[] {
    const rows: TicketView[] = [];
    const table = this.tickets;
    const cursor = new TicketCursor(table);
    const f = emptyFlags();
    table.forEachRow((row) => {
      const t = table.read(row, cursor);
      flagsOf(t, table.clockBitsOf(row), f);
      const wanted = view === 'at-risk' ? f.atRisk : view === 'breached' ? f.breached : f.waiting;
      if (wanted) rows.push(ticketView(table, row, t, f, now));
    });
    rows.sort((a, b) => (a.secondsToBreach ?? Infinity) - (b.secondsToBreach ?? Infinity) || (a.key < b.key ? -1 : 1));
    return rows.slice(0, limit);
  }

  /**
   * The daily figures of the local day `daysAgo` before today (0: today so far, 1: yesterday as
   * a whole), derived from the tickets still held: exact for the retention period (7 days), as
   * far as this server saw those tickets.
   */
  dayFigures(now: number, daysAgo: number): { day: string } & DayFigures {
    const day = this.calendar.dayKeyBefore(now, daysAgo);
    return { day, ...this.daily.figures(day) };
  }

  /** Takes the agents changed since the last call, for the screens that list agents. */
  takeChangedAgents(): AgentView[] {
    if (this.agentsForScreens.size === 0) return [];
    const changed: AgentView[] = [];
    for (const id of this.agentsForScreens) {
      const live = this.agents.get(id);
      if (live !== undefined) changed.push({ ...live.agent, since: live.since });
    }
    this.agentsForScreens.clear();
    return changed;
  }

  /** Takes the tickets and agents changed since the last call, for persistence. */
  takeChanges(): ModelChanges {
    const changes: ModelChanges = {
      tickets: [...this.dirtyTickets].map((row) => this.changedTicket(row)),
      agents: [...this.dirtyAgents].map((id) => {
        const { agent, since, lastAt } = this.agents.get(id)!;
        return { agent, since, lastAt };
      }),
      removedTickets: [...this.removedTickets],
    };
    this.dirtyTickets = new Set();
    this.dirtyAgents = new Set();
    this.removedTickets = new Set();
    return changes;
  }

  /** Rebuilds from persisted state at once; what is restored is not dirty. See restoreTickets for a state too big for one turn. */
  restore(tickets: StoredTicket[], agents: StoredAgent[], now: number): void {
    this.restoreTickets(tickets, now);
    this.finishRestore(agents, now);
  }

  /**
   * Puts one slice of a saved state's tickets back (a restart streams a million in slices, with a
   * turn of the event loop between them); call finishRestore once after the last slice.
   */
  restoreTickets(tickets: readonly StoredTicket[], now: number): void {
    // A restore is the model's start: tickets created lately are handed over again, in case the
    // process stopped before it had stored their arrivals, and for surge detection's memory.
    const recent = now - this.restoredArrivalsWithinMs;
    // What is restored was handed to the daily figures before its checkpoint was written (they are
    // written every second, checkpoints far less often): not again.
    this.restoring = true;
    try {
      for (const stored of tickets) this.restoreTicket(stored, now, recent);
    } finally {
      this.restoring = false;
    }
  }

  private restoreTicket(stored: StoredTicket, now: number, recent: number): void {
    const csatAtMs = stored.csatAt === null ? null : parseIsoTime(stored.csatAt);
    const history = stored.history && this.queueCodes.packEntries(stored.history);
    const times = parseTicketTimes(stored.ticket);
    const { source, id } = stored.ticket;
    const row = this.tickets.find(source, id);
    const restored = this.putTicket(row, stored.ticket, times, csatAtMs, now, history);
    // What is restored is not dirty; what the journal replays after this is, and is handed to
    // the daily figures again. Writing a million unchanged tickets on every start would only slow it.
    this.dirtyTickets.delete(restored);
    if (this.collectArrivals && times.createdMs >= recent) {
      const { queue: line, subject, tags } = stored.ticket;
      if (this.restoredArrivals.length >= MAX_PENDING_ARRIVALS) this.droppedArrivals++;
      else this.restoredArrivals.push({ key: stored.key, line, createdAt: times.createdMs, subject, tags });
    }
  }

  /** Ends a restore: the agents, then every section marked (a restore replaces what screens show) and the clock advanced. */
  finishRestore(agents: readonly StoredAgent[], now: number): void {
    for (const { agent, since, lastAt } of agents) {
      const previous = this.agents.get(agent.id);
      if (previous !== undefined) this.countOnLine(previous.agent, -1);
      this.countOnLine(agent, 1);
      this.agents.set(agent.id, { agent, since, lastAt, lastAtMs: Date.parse(lastAt) });
      this.agentsForScreens.add(agent.id);
      this.dirtyAgents.delete(agent.id);
    }
    for (const section of STATE_SECTIONS) this.mark(section);
    this.advance(now);
  }

  private allRows(): number[] {
    const rows: number[] = [];
    this.tickets.forEachRow((row) => rows.push(row));
    return rows;
  }

  private changedTicket(row: number): ChangedTicket {
    const table = this.tickets;
    const source = table.sourceOf(row);
    const id = table.idOf(row);
    return {
      key: table.key(row),
      read: () => {
        const now = table.find(source, id);
        return now < 0 ? null : this.storedTicket(now);
      },
    };
  }

  private storedTicket(row: number): StoredTicket {
    const table = this.tickets;
    const csatAtMs = table.csatAtMs(row);
    return {
      key: table.key(row),
      ticket: table.payload(row),
      csatAt: csatAtMs === null ? null : isoFromMs(csatAtMs),
      history: this.queueCodes.entries(table.history(row)),
    };
  }

  /** All tickets and agents, for a full checkpoint. */
  everything(): ModelChanges {
    return {
      tickets: this.allRows().map((row) => this.changedTicket(row)),
      agents: [...this.agents.values()].map(({ agent, since, lastAt }) => ({ agent, since, lastAt })),
      removedTickets: [],
    };
  }
}

/** Whether two readings of a ticket agree on every field its flags and daily contribution depend on. */
function sameClockFields(a: TimedTicket, b: TimedTicket): boolean {
  return (
    a.queue === b.queue &&
    a.createdMs === b.createdMs &&
    a.firstResponseMs === b.firstResponseMs &&
    a.solvedMs === b.solvedMs &&
    a.firstResponseDueMs === b.firstResponseDueMs &&
    a.resolutionDueMs === b.resolutionDueMs &&
    a.csat === b.csat &&
    a.csatAtMs === b.csatAtMs
  );
}

/** A ticket's contribution when it contributes nowhere (not held, or forgotten). */
const NO_CONTRIBUTION = emptyContribution();

/** How a ticket counts when it counts nowhere (not held, or forgotten). */
const CLOSED: TicketFlags = { queue: '', open: false, waiting: false, breached: false, atRisk: false, waitingSinceMs: 0 };

function oldestWaitSec(queue: QueueCounters, now: number): number {
  const oldest = queue.waitingSince.peekPriority();
  return oldest === undefined ? 0 : Math.max(0, Math.floor((now - oldest) / 1000));
}

function kpisOf(day: ReturnType<DailyStats['figures']>): LiveState['kpis'] {
  return {
    createdToday: day.createdToday,
    solvedToday: day.solvedToday,
    frtMedianSec: day.frtMedianSec,
    frtP90Sec: day.frtP90Sec,
    resolutionMedianSec: day.resolutionMedianSec,
    csatToday: day.csatToday,
  };
}

function ticketView(table: TicketTable, row: number, t: TimedTicket, flags: TicketFlags, now: number): TicketView {
  const p = table.payload(row);
  const dueMs = dueAtMs(t, now);
  return {
    key: t.key,
    id: p.id,
    source: p.source,
    queue: p.queue,
    priority: p.priority,
    status: p.status,
    assignee: p.assignee,
    subject: p.subject,
    createdAt: p.createdAt,
    firstResponseDueAt: p.firstResponseDueAt,
    resolutionDueAt: p.resolutionDueAt,
    dueAt: dueMs === null ? null : isoFromMs(dueMs),
    secondsToBreach: dueMs === null ? null : Math.round((dueMs - now) / 1000),
    breached: flags.breached,
    atRisk: flags.atRisk,
  };
}
