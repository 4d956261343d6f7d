// The flow between lines (docs/contract.md#the-flow-between-lines): escalations, de-escalations,
// reopens and first-contact resolution, today. Types only: imported by the server, the web app
// and the tests alike.

/** Tickets moved from one line (queue) to another today, by the pair. */
export interface FlowMove {
  from: string;
  to: string;
  count: number;
}

/** The state's `flow` section: today (local day) so far. */
export interface FlowState {
  /** Moves to a higher line (l1→l2, l2→l3, l1→l3), at the updatedAt of the event that moved them. */
  escalatedToday: FlowMove[];
  /** Moves to a lower line. */
  deescalatedToday: FlowMove[];
  /** Solved or closed tickets that opened again today. */
  reopenedToday: number;
  /**
   * First-contact resolution: among tickets solved today, the share solved by the line that first
   * took them, never escalated and never reopened; null when none was solved today.
   */
  fcrToday: number | null;
  /** Per line, the median time from a ticket's arrival on the line to its escalation from it, today's escalations; null when none. */
  timeToEscalateMedianSec: { line: string; seconds: number | null }[];
  /** The lines in order, lowest first (dashboards' configuration; default l1, l2, l3). */
  lines: string[];
}

/** `GET /api/v1/flow/escalations?since=` rows: tickets escalated recently, newest first (the supervisor's list). */
export interface EscalatedTicket {
  key: string;
  id: string;
  source: string;
  subject: string;
  from: string;
  to: string;
  at: string;
  priority: string;
  /** Seconds the ticket spent on `from` before moving. */
  onLineSec: number;
}
