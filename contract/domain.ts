// The canonical event format (docs/contract.md#events-in) and the live numbers (docs/contract.md#the-numbers).
// Types and their constant lists only: imported by the server, the web app and the tests alike.
import type { Audience, IncidentStatus, Severity } from './incidents.js';
import type { StaffingNow } from './staffing.js';
import type { FlowState } from './flow.js';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const AGENT_STATUSES = ['available', 'busy', 'away', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** A ticket's whole current state as the helpdesk sends it. Times are ISO-8601 strings or null. */
export interface TicketPayload {
  id: string;
  source: string;
  queue: string;
  priority: Priority;
  status: TicketStatus;
  assignee: string | null;
  subject: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  solvedAt: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  csat: number | null;
}

export interface AgentPayload {
  id: string;
  name: string;
  team: string;
  status: AgentStatus;
}

export interface TicketEvent {
  id: string;
  type: 'ticket';
  at: string;
  ticket: TicketPayload;
}

export interface AgentEvent {
  id: string;
  type: 'agent';
  at: string;
  agent: AgentPayload;
}

export type WatchEvent = TicketEvent | AgentEvent;
export const EVENT_TYPES = ['ticket', 'agent'] as const;

/** Per-queue live numbers. */
export interface QueueState {
  id: string;
  open: number;
  waiting: number;
  /** Seconds the longest-waiting unanswered open ticket has waited; 0 when none waits. */
  oldestWaitingSec: number;
  breached: number;
  atRisk: number;
}

export interface AgentCounts {
  available: number;
  busy: number;
  away: number;
  offline: number;
}

export interface SlaState {
  breachedOpen: number;
  breachedToday: number;
  atRisk: number;
  complianceToday: number | null;
}

export interface KpiState {
  createdToday: number;
  solvedToday: number;
  frtMedianSec: number | null;
  frtP90Sec: number | null;
  resolutionMedianSec: number | null;
  csatToday: number | null;
}

/**
 * The short form of an active (unresolved) incident on the state (docs/contract.md#the-numbers, #major-incidents): what a wall shows in
 * incident mode. The whole incident, with its timeline, is `GET /api/v1/incidents/:id` and the
 * live `incident` event.
 */
export interface IncidentSummary {
  id: string;
  number: number;
  title: string;
  /** An id of the severity scale (docs/contract.md#severities). */
  severity: Severity;
  /** The severity is major on the scale in force: walls switch to incident mode (decided by the server, so walls never need the scale). */
  major: boolean;
  status: IncidentStatus;
  declaredAt: string;
  /** Who holds the commander role, or null. */
  commander: string | null;
  /** The latest update of either audience, or null. */
  latestUpdate: { at: string; actor: string; audience: Audience; text: string } | null;
  /** When the next customer update is owed (countdown; red once past); null for a severity without cadence. */
  nextUpdateDueAt: string | null;
  /** Open tickets linked now. */
  linkedTickets: number;
  /** Linked tickets created in the last 15 minutes, per hour. */
  linkedRatePerHour: number;
  tasksDone: number;
  tasksTotal: number;
  /** The incident's version: a console holding an older one refetches it. */
  version: number;
}

/** The state's `followUps` section: counted over every incident, resolved ones too (follow-ups outlive them). */
export interface FollowUpCounts {
  open: number;
  /** Open and past their due time. */
  overdue: number;
}

/** `GET /api/v1/state` and the live channel's whole-state message. */
export interface LiveState {
  seq: number;
  at: string;
  queues: QueueState[];
  agents: AgentCounts;
  sla: SlaState;
  kpis: KpiState;
  incidents: IncidentSummary[];
  /** Per staffed line (dashboards/staffing.json), the current interval's plan and who is on the line now. */
  staffing: StaffingNow[];
  /** The incidents' follow-ups (docs/contract.md#follow-ups): open, and open past their due time. */
  followUps: FollowUpCounts;
  /** The flow between lines today (docs/contract.md#the-flow-between-lines). */
  flow: FlowState;
}

/** The sections of the state that a delta may replace wholesale. */
export type StateSection = 'queues' | 'agents' | 'sla' | 'kpis' | 'incidents' | 'staffing' | 'followUps' | 'flow';
export const STATE_SECTIONS: readonly StateSection[] = ['queues', 'agents', 'sla', 'kpis', 'incidents', 'staffing', 'followUps', 'flow'];

/** `GET /api/v1/agents` rows. */
export interface AgentView {
  id: string;
  name: string;
  team: string;
  status: AgentStatus;
  since: string;
}

/** `GET /api/v1/tickets` rows. */
export interface TicketView {
  key: string;
  id: string;
  source: string;
  queue: string;
  priority: Priority;
  status: TicketStatus;
  assignee: string | null;
  subject: string;
  createdAt: string;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  /**
   * The one due time screens count to (or, once breached, from): for a breached ticket the
   * earliest target it missed, otherwise the earliest target still pending; null when none.
   * Screens tick their countdown from this and never pick a target themselves.
   */
  dueAt: string | null;
  /** Seconds from the answer's `at` until `dueAt`; negative once breached. */
  secondsToBreach: number | null;
  breached: boolean;
  atRisk: boolean;
}

/** A ticket as GET /api/v1/tickets lists it: with its page in its helpdesk (`TICKET_URLS`), or null. */
export type ListedTicket = TicketView & { url: string | null };

export const TICKET_VIEWS = ['at-risk', 'breached', 'waiting'] as const;
export type TicketViewName = (typeof TICKET_VIEWS)[number];

/** Ingest's 202 summary. */
export interface IngestSummary {
  accepted: number;
  duplicates: number;
  stale: number;
  rejected: { index: number; error: string }[];
}
