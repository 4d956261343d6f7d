// Builders of canonical events (docs/contract.md#events-in) for tests and benchmarks.
import type { AgentEvent, AgentPayload, TicketEvent, TicketPayload } from '../../contract/domain.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

let counter = 0;
export function uniqueId(prefix = 'ev'): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

export function ticketEvent(ticket: Partial<TicketPayload> & { id: string }, options: { id?: string; at?: string } = {}): TicketEvent {
  // A ticket given only its creation time was last updated then: the server refuses times more
  // than a day ahead of its clock, and a test's clock is often not today's.
  const updatedAt = ticket.updatedAt ?? options.at ?? ticket.createdAt ?? new Date().toISOString();
  const payload: TicketPayload = {
    source: 'test',
    queue: 'l1',
    priority: 'normal',
    status: 'open',
    assignee: null,
    subject: `Ticket ${ticket.id}`,
    tags: [],
    createdAt: updatedAt,
    updatedAt,
    firstResponseAt: null,
    solvedAt: null,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    csat: null,
    ...ticket,
  };
  return { id: options.id ?? uniqueId('t'), type: 'ticket', at: options.at ?? updatedAt, ticket: payload };
}

export function agentEvent(agent: Partial<AgentPayload> & { id: string }, at: string, id?: string): AgentEvent {
  return {
    id: id ?? uniqueId('a'),
    type: 'agent',
    at,
    agent: { name: `Agent ${agent.id}`, team: 'l1', status: 'available', ...agent },
  };
}
