// The small department both restart suites (embedded and Redis) ingest, and the numbers it must
// show at 10:00, worked out by hand in the comments.
import { expect } from 'vitest';
import type { LiveState } from '../../contract/domain.js';
import { agentEvent, ticketEvent } from './events.js';
import { queueOf } from './http.js';

export const at = (time: string) => `2026-11-26T${time}:00Z`;

/** A small department; the numbers it must show at 10:00 are worked out in `expectTheNumbers`. */
export const scenario = {
  // T1: l1, waiting since 09:30, first response due 10:20 (at risk at 10:00).
  t1: ticketEvent(
    { id: 'T1', queue: 'l1', status: 'open', createdAt: at('09:30'), updatedAt: at('09:30'), firstResponseDueAt: at('10:20'), resolutionDueAt: at('18:00') },
    { id: 'ev-t1' },
  ),
  // T2: l2, waiting since 09:00, first response due 09:45: missed, breached.
  t2: ticketEvent(
    { id: 'T2', queue: 'l2', status: 'open', createdAt: at('09:00'), updatedAt: at('09:00'), firstResponseDueAt: at('09:45'), resolutionDueAt: at('18:00') },
    { id: 'ev-t2' },
  ),
  // T3: answered 09:10 (due 09:30, met; FRT 600 s), solved 09:40 (due 12:00, met; 2400 s), rated 5 at 09:50.
  t3: ticketEvent(
    {
      id: 'T3',
      queue: 'l1',
      status: 'solved',
      createdAt: at('09:00'),
      updatedAt: at('09:50'),
      firstResponseAt: at('09:10'),
      solvedAt: at('09:40'),
      firstResponseDueAt: at('09:30'),
      resolutionDueAt: at('12:00'),
      csat: 5,
    },
    { id: 'ev-t3' },
  ),
  agents: [
    agentEvent({ id: 'A-1', status: 'busy' }, at('09:00'), 'ev-a1-1'),
    agentEvent({ id: 'A-1', status: 'busy' }, at('09:30'), 'ev-a1-2'), // repeated: since stays 09:00
    agentEvent({ id: 'A-2', status: 'away', team: 'l2' }, at('09:15'), 'ev-a2-1'),
  ],
};

export const expectedAgents = [
  { id: 'A-1', name: 'Agent A-1', team: 'l1', status: 'busy', since: at('09:00') },
  { id: 'A-2', name: 'Agent A-2', team: 'l2', status: 'away', since: at('09:15') },
];

export function expectTheNumbers(state: LiveState): void {
  expect(queueOf(state, 'l1')).toEqual({ id: 'l1', open: 1, waiting: 1, oldestWaitingSec: 1800, breached: 0, atRisk: 1 });
  expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 1, waiting: 1, oldestWaitingSec: 3600, breached: 1, atRisk: 0 });
  expect(state.agents).toEqual({ available: 0, busy: 1, away: 1, offline: 0 });
  // Decided today: T3 FR met, T3 resolution met, T2 FR missed → 2 / 3.
  expect(state.sla).toEqual({ breachedOpen: 1, breachedToday: 1, atRisk: 1, complianceToday: 2 / 3 });
  expect(state.kpis).toEqual({ createdToday: 3, solvedToday: 1, frtMedianSec: 600, frtP90Sec: 600, resolutionMedianSec: 2400, csatToday: 1 });
}
