// The model knows which sections of the state changed (LiveModel.takeDelta): the live feed hands
// only those to the hub. Each case is computed by hand: what an event or the passing of time
// changes on the screens, and nothing else.
import { describe, expect, it } from 'vitest';
import { LiveModel, type StateDelta } from '../../../server/domain/live-model.js';
import type { WatchEvent } from '../../../contract/domain.js';
import { agentEvent, iso, ticketEvent } from '../../helpers/events.js';

// TZ=UTC (vitest.config.ts): local midnight is 00:00Z.
const NOW = Date.parse('2026-12-02T12:00:00Z');
const SEC = 1_000;
const MIN = 60_000;

/** A model at NOW with everything it had to say already taken (a new model has all eight sections to tell). */
function quietModel(): LiveModel {
  const model = new LiveModel({ atRiskMinutes: 15 });
  model.advance(NOW);
  model.takeDelta(NOW);
  return model;
}

function apply(model: LiveModel, event: WatchEvent, now = NOW): void {
  expect(model.apply(event, now)).toBe('accepted');
}

/** What the feed does every slot: the clock first, then the changed sections. */
function slot(model: LiveModel, now: number): StateDelta['sections'] {
  model.advance(now);
  return model.takeDelta(now).sections;
}

const sectionsOf = (sections: StateDelta['sections']): string[] => Object.keys(sections).sort();

describe('the sections the model marks as changed', () => {
  it('a new model has all eight to tell, once', () => {
    const model = new LiveModel({ atRiskMinutes: 15 });
    expect(sectionsOf(slot(model, NOW))).toEqual(['agents', 'flow', 'followUps', 'incidents', 'kpis', 'queues', 'sla', 'staffing']);
    expect(slot(model, NOW)).toEqual({});
  });

  it('a quiet tick with no waiting ticket marks nothing', () => {
    const model = quietModel();
    // An answered ticket with no target: open, not waiting, nothing due.
    apply(model, ticketEvent({ id: 'T-1', createdAt: iso(NOW - 10 * MIN), firstResponseAt: iso(NOW - 5 * MIN), updatedAt: iso(NOW - 5 * MIN) }));
    slot(model, NOW);
    expect(slot(model, NOW + 250)).toEqual({});
    expect(slot(model, NOW + 5 * SEC)).toEqual({});
    expect(slot(model, NOW + 10 * MIN)).toEqual({});
  });

  it('an agent event marks only agents, and only when the counts by status move', () => {
    const model = quietModel();
    apply(model, agentEvent({ id: 'A-1', status: 'available' }, iso(NOW - 3 * SEC)));
    expect(slot(model, NOW)).toEqual({ agents: { available: 1, busy: 0, away: 0, offline: 0 } });
    // The same status again (a new name, say): the counts do not move.
    apply(model, agentEvent({ id: 'A-1', status: 'available', name: 'Ada' }, iso(NOW - 2 * SEC)));
    expect(slot(model, NOW)).toEqual({});
    apply(model, agentEvent({ id: 'A-1', status: 'busy' }, iso(NOW - 1 * SEC)));
    expect(slot(model, NOW)).toEqual({ agents: { available: 0, busy: 1, away: 0, offline: 0 } });
    // The agents list of the supervisor is drained on its own: both changes are there.
    expect(model.takeChangedAgents().map((a) => [a.id, a.status])).toEqual([['A-1', 'busy']]);
  });

  it('a new waiting ticket due in 10 minutes marks queues, sla and kpis with their new values', () => {
    const model = quietModel();
    apply(model, ticketEvent({ id: 'T-1', queue: 'l1', createdAt: iso(NOW - 10 * MIN), firstResponseDueAt: iso(NOW + 10 * MIN) }));
    expect(slot(model, NOW)).toEqual({
      // Waiting since 10 minutes ago: 600 s; due within AT_RISK (15 min): at risk.
      queues: [{ id: 'l1', open: 1, waiting: 1, oldestWaitingSec: 600, breached: 0, atRisk: 1 }],
      sla: { breachedOpen: 0, breachedToday: 0, atRisk: 1, complianceToday: null },
      kpis: { createdToday: 1, solvedToday: 0, frtMedianSec: null, frtP90Sec: null, resolutionMedianSec: null, csatToday: null },
    });
  });

  it('a ticket with no target marks queues and kpis, not sla', () => {
    const model = quietModel();
    apply(model, ticketEvent({ id: 'T-1', queue: 'l2', createdAt: iso(NOW - 30 * SEC) }));
    expect(sectionsOf(slot(model, NOW))).toEqual(['kpis', 'queues']);
  });

  it('an update that changes no number (a new subject) marks nothing', () => {
    const model = quietModel();
    const createdAt = iso(NOW - 10 * MIN);
    apply(model, ticketEvent({ id: 'T-1', createdAt, updatedAt: iso(NOW - 2 * MIN), firstResponseAt: iso(NOW - 5 * MIN) }));
    slot(model, NOW);
    apply(model, ticketEvent({ id: 'T-1', createdAt, updatedAt: iso(NOW - 1 * MIN), firstResponseAt: iso(NOW - 5 * MIN), subject: 'Printer on fire, still' }));
    expect(slot(model, NOW)).toEqual({});
  });

  it('the first answer to a waiting ticket marks queues (no longer waiting) and kpis (a first response time today)', () => {
    const model = quietModel();
    const createdAt = iso(NOW - 10 * MIN);
    apply(model, ticketEvent({ id: 'T-1', createdAt, updatedAt: createdAt }));
    slot(model, NOW);
    apply(model, ticketEvent({ id: 'T-1', createdAt, updatedAt: iso(NOW - 4 * MIN), firstResponseAt: iso(NOW - 4 * MIN) }));
    expect(slot(model, NOW)).toEqual({
      queues: [{ id: 'l1', open: 1, waiting: 0, oldestWaitingSec: 0, breached: 0, atRisk: 0 }],
      // Answered 6 minutes after creation: 360 s, the only one today.
      kpis: { createdToday: 1, solvedToday: 0, frtMedianSec: 360, frtP90Sec: 360, resolutionMedianSec: null, csatToday: null },
    });
  });

  it('a waiting ticket marks queues once per whole second of its wait, and only then', () => {
    const model = quietModel();
    // Created 10 min and 0.3 s ago: the oldest wait reads 600 s until NOW + 0.7 s.
    apply(model, ticketEvent({ id: 'T-1', createdAt: iso(NOW - 10 * MIN - 300) }));
    expect(slot(model, NOW).queues?.[0]?.oldestWaitingSec).toBe(600);
    expect(slot(model, NOW + 250)).toEqual({});
    expect(slot(model, NOW + 699)).toEqual({});
    expect(slot(model, NOW + 700)).toEqual({ queues: [{ id: 'l1', open: 1, waiting: 1, oldestWaitingSec: 601, breached: 0, atRisk: 0 }] });
    expect(slot(model, NOW + 950)).toEqual({});
    // Three seconds later, one delta carries the latest second.
    expect(slot(model, NOW + 3_700)).toEqual({ queues: [{ id: 'l1', open: 1, waiting: 1, oldestWaitingSec: 604, breached: 0, atRisk: 0 }] });
  });

  it('the clock marks queues and sla when a target comes within the at-risk window, and again when it is missed', () => {
    const model = quietModel();
    // Answered (not waiting), resolution due in 20 minutes: at risk from NOW + 5 min, breached after NOW + 20 min.
    apply(
      model,
      ticketEvent({
        id: 'T-1',
        createdAt: iso(NOW - 30 * MIN),
        firstResponseAt: iso(NOW - 25 * MIN),
        updatedAt: iso(NOW - 25 * MIN),
        resolutionDueAt: iso(NOW + 20 * MIN),
      }),
    );
    slot(model, NOW);
    expect(slot(model, NOW + 4 * MIN)).toEqual({});
    expect(slot(model, NOW + 5 * MIN)).toEqual({
      queues: [{ id: 'l1', open: 1, waiting: 0, oldestWaitingSec: 0, breached: 0, atRisk: 1 }],
      sla: { breachedOpen: 0, breachedToday: 0, atRisk: 1, complianceToday: null },
    });
    expect(slot(model, NOW + 20 * MIN)).toEqual({});
    // Missed: breached, no longer at risk, and one target missed today (compliance 0 of 1).
    expect(slot(model, NOW + 20 * MIN + 1)).toEqual({
      queues: [{ id: 'l1', open: 1, waiting: 0, oldestWaitingSec: 0, breached: 1, atRisk: 0 }],
      sla: { breachedOpen: 1, breachedToday: 1, atRisk: 0, complianceToday: 0 },
    });
  });

  it('local midnight marks kpis, sla and flow: today starts again', () => {
    const model = quietModel();
    apply(model, ticketEvent({ id: 'T-1', createdAt: iso(NOW - MIN), firstResponseAt: iso(NOW - MIN) }));
    expect(slot(model, NOW).kpis?.createdToday).toBe(1);
    const midnight = Date.parse('2026-12-03T00:00:00Z');
    expect(slot(model, midnight - 1)).toEqual({});
    expect(slot(model, midnight)).toEqual({
      sla: { breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: null },
      kpis: { createdToday: 0, solvedToday: 0, frtMedianSec: null, frtP90Sec: null, resolutionMedianSec: null, csatToday: null },
      flow: {
        escalatedToday: [],
        deescalatedToday: [],
        reopenedToday: 0,
        fcrToday: null,
        timeToEscalateMedianSec: [
          { line: 'l1', seconds: null },
          { line: 'l2', seconds: null },
          { line: 'l3', seconds: null },
        ],
        lines: ['l1', 'l2', 'l3'],
      },
    });
  });

  it('setIncidents marks incidents only; takeIncidents takes it alone and leaves the rest for the slot', () => {
    const model = quietModel();
    model.setIncidents([]);
    apply(model, agentEvent({ id: 'A-1', status: 'away' }, iso(NOW - SEC)));
    const incidents = model.takeIncidents(NOW);
    expect(incidents.sections).toEqual({ incidents: [] });
    expect(model.takeIncidents(NOW).sections).toEqual({});
    expect(slot(model, NOW)).toEqual({ agents: { available: 0, busy: 0, away: 1, offline: 0 } });
  });

  it('a whole state carries the mark of the changes it holds: a delta’s sections changed before it are older', () => {
    const model = quietModel();
    apply(model, agentEvent({ id: 'A-1', status: 'available' }, iso(NOW - 2 * SEC)));
    const snapshot = model.snapshot(NOW);
    expect(snapshot.state.agents.available).toBe(1);
    apply(model, ticketEvent({ id: 'T-1', createdAt: iso(NOW - MIN), firstResponseAt: iso(NOW - MIN) }));
    const delta = model.takeDelta(NOW);
    expect(sectionsOf(delta.sections)).toEqual(['agents', 'kpis', 'queues']);
    // The agents change is in the snapshot already; the ticket's came after it.
    expect(delta.marks.agents).toBeLessThanOrEqual(snapshot.mark);
    expect(delta.marks.queues).toBeGreaterThan(snapshot.mark);
    expect(delta.marks.kpis).toBeGreaterThan(snapshot.mark);
  });

  it('a read of the whole state takes nothing: the next delta still has what changed', () => {
    const model = quietModel();
    apply(model, agentEvent({ id: 'A-1', status: 'offline' }, iso(NOW - SEC)));
    model.state(NOW);
    model.snapshot(NOW);
    expect(slot(model, NOW)).toEqual({ agents: { available: 0, busy: 0, away: 0, offline: 1 } });
  });
});
