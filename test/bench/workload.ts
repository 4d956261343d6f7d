// Realistic ticket and agent events for the benchmarks (docs/contract.md#events-in), generated before any clock
// starts. Tickets live through new → open → pending → solved → closed (with reopenings), their
// times only move forward, and a seeded generator makes every run send the same traffic.
import { mulberry32 } from '../../server/simulator/random.js';
import type { AgentEvent, AgentPayload, Priority, TicketEvent, TicketPayload, TicketStatus } from '../../contract/domain.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

const SUBJECTS = [
  'Cannot log in after password reset',
  'VPN drops every few minutes',
  'Invoice PDF is blank',
  'SSO redirect loop on the admin console',
  'Export to CSV times out',
  'Mobile app crashes on start',
  'Webhook deliveries failing with 502',
  'Two-factor codes not arriving',
  'Report shows yesterday\u2019s numbers',
  'API rate limit hit unexpectedly',
  'Printer queue stuck on floor 3',
  'Cannot attach files larger than 10 MB',
];
const TAGS = ['login', 'billing', 'vpn', 'sso', 'mobile', 'api', 'export', 'printer', 'network', 'vip'];
const QUEUES = ['l1', 'l1', 'l1', 'l1', 'l1', 'l1', 'l2', 'l2', 'l2', 'l3'];
const PRIORITY_TABLE: Priority[] = [
  'urgent',
  'high',
  'high',
  'high',
  'high',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'low',
  'low',
  'low',
];
const FIRST_RESPONSE_SLA: Record<Priority, number> = { urgent: 15 * MIN, high: HOUR, normal: 4 * HOUR, low: 8 * HOUR };
const RESOLUTION_SLA: Record<Priority, number> = { urgent: 4 * HOUR, high: 8 * HOUR, normal: 24 * HOUR, low: 72 * HOUR };
const AGENT_STATUSES: AgentPayload['status'][] = ['available', 'busy', 'busy', 'busy', 'away', 'offline'];

export class EventFactory {
  private readonly random: () => number;
  private readonly tickets = new Map<number, TicketPayload>();
  private eventSeq = 0;

  constructor(
    private readonly runId: string,
    seed: number,
  ) {
    this.random = mulberry32(seed);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private eventId(prefix: string): string {
    this.eventSeq++;
    return `${prefix}-${this.runId}-${this.eventSeq}`;
  }

  /** A ticket created at `atMs`; due times from the priority's SLA unless given. */
  create(n: number, atMs: number, due?: { firstResponseDueMs: number; resolutionDueMs: number }): TicketEvent {
    const priority = this.pick(PRIORITY_TABLE);
    const ticket: TicketPayload = {
      id: String(100_000 + n),
      source: n % 5 === 0 ? 'jira' : 'zendesk',
      queue: this.pick(QUEUES),
      priority,
      status: 'new',
      assignee: null,
      subject: this.pick(SUBJECTS),
      tags: this.random() < 0.5 ? [this.pick(TAGS)] : [this.pick(TAGS), this.pick(TAGS)],
      createdAt: iso(atMs),
      updatedAt: iso(atMs),
      firstResponseAt: null,
      solvedAt: null,
      firstResponseDueAt: iso(due?.firstResponseDueMs ?? atMs + FIRST_RESPONSE_SLA[priority]),
      resolutionDueAt: iso(due?.resolutionDueMs ?? atMs + RESOLUTION_SLA[priority]),
      csat: null,
    };
    this.tickets.set(n, ticket);
    return { id: this.eventId('t'), type: 'ticket', at: ticket.updatedAt, ticket };
  }

  /** The next update of ticket `n` (its creation if it does not exist yet). */
  update(n: number, atMs: number): TicketEvent {
    const previous = this.tickets.get(n);
    if (previous === undefined) return this.create(n, atMs);
    const at = iso(atMs);
    const next: TicketPayload = { ...previous, updatedAt: at };
    const roll = this.random();
    const moveTo = (status: TicketStatus): void => {
      next.status = status;
    };
    switch (previous.status) {
      case 'new':
        moveTo('open');
        next.assignee = `A-${Math.floor(this.random() * 300)}`;
        if (roll < 0.7) next.firstResponseAt = at;
        break;
      case 'open':
        if (next.firstResponseAt === null) next.firstResponseAt = at;
        if (roll < 0.4) moveTo('pending');
        else if (roll < 0.7) {
          moveTo('solved');
          next.solvedAt = at;
        }
        break;
      case 'pending':
        if (roll < 0.6) moveTo('open');
        else {
          moveTo('solved');
          next.solvedAt = at;
        }
        break;
      case 'solved':
        if (roll < 0.7) {
          moveTo('closed');
          if (this.random() < 0.3) next.csat = this.random() < 0.85 ? 5 : 1;
        } else {
          moveTo('open');
          next.solvedAt = null;
        }
        break;
      case 'closed':
        // Late edits (a tag, a rating) keep arriving on closed tickets.
        if (next.csat === null && roll < 0.2) next.csat = roll < 0.17 ? 5 : 1;
        break;
    }
    this.tickets.set(n, next);
    return { id: this.eventId('t'), type: 'ticket', at, ticket: next };
  }

  agent(n: number, atMs: number): AgentEvent {
    const agent: AgentPayload = { id: `A-${n}`, name: `Agent ${n}`, team: QUEUES[n % QUEUES.length]!, status: this.pick(AGENT_STATUSES) };
    return { id: this.eventId('a'), type: 'agent', at: iso(atMs), agent };
  }

  /** Answers with the same seeded stream the factory uses. */
  chance(p: number): boolean {
    return this.random() < p;
  }

  index(n: number): number {
    return Math.floor(this.random() * n);
  }
}

export function serialise(events: readonly (TicketEvent | AgentEvent)[]): Buffer {
  return Buffer.from(JSON.stringify(events));
}

/**
 * Batches of mixed traffic: mostly ticket upserts over `tickets` distinct tickets, a share of
 * agent events, times spread evenly over [fromMs, toMs] and only moving forward.
 */
export function mixedBatches(options: {
  factory: EventFactory;
  batches: number;
  batchSize: number;
  tickets: number;
  agents: number;
  agentShare: number;
  fromMs: number;
  toMs: number;
}): Buffer[] {
  const { factory, batches, batchSize, tickets, agents, agentShare, fromMs, toMs } = options;
  const total = batches * batchSize;
  const step = (toMs - fromMs) / total;
  const bodies: Buffer[] = [];
  let k = 0;
  for (let b = 0; b < batches; b++) {
    const events: (TicketEvent | AgentEvent)[] = [];
    for (let i = 0; i < batchSize; i++, k++) {
      const atMs = Math.floor(fromMs + k * step);
      events.push(factory.chance(agentShare) ? factory.agent(factory.index(agents), atMs) : factory.update(factory.index(tickets), atMs));
    }
    bodies.push(serialise(events));
  }
  return bodies;
}
