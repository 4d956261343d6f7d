// docs/contract.md#the-numbers: a breach shows within one second of its due time, on the server's own clock, with
// no event. docs/contract.md#targets: that must hold with 100,000 open tickets, so advancing the clock may not
// scan them. Real time here, no controllable clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveModel } from '../../../server/domain/live-model.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { iso, ticketEvent } from '../../helpers/events.js';
import { getState, postEvents, queueOf } from '../../helpers/http.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the SLA clock on real time', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  /** A ticket created now whose first response is due `inMs` from now; returns the due time. */
  async function ticketDueIn(id: string, inMs: number): Promise<number> {
    const now = Date.now();
    const due = now + inMs;
    await postEvents(t.app, [ticketEvent({ id, queue: 'l1', status: 'new', createdAt: iso(now), updatedAt: iso(now), firstResponseDueAt: iso(due) })]);
    return due;
  }

  it('shows a breach on GET /api/v1/state within 1 s of the due time, with no event', async () => {
    // Two seconds ahead: a loaded machine (CI beside other work) can take more than half a second
    // between the post and the first read, and the read must see it before it is due.
    const due = await ticketDueIn('RT-1', 2000);
    const before = await getState(t.app);
    // Due in ~2 s: at risk, not breached yet.
    expect(before.sla).toMatchObject({ breachedOpen: 0, atRisk: 1 });

    let seenAt: number | null = null;
    while (seenAt === null && Date.now() < due + 3000) {
      const state = await getState(t.app);
      if (state.sla.breachedOpen === 1) seenAt = Date.now();
      else await sleep(20);
    }
    expect(seenAt).not.toBeNull();
    expect(seenAt! - due).toBeLessThanOrEqual(1000);
    const after = await getState(t.app);
    expect(queueOf(after, 'l1')).toMatchObject({ open: 1, waiting: 1, breached: 1, atRisk: 0 });
    expect(after.sla).toMatchObject({ breachedOpen: 1, breachedToday: 1, atRisk: 0, complianceToday: 0 });
  });

  it('finds the breach on its own clock, without a reader advancing it', async () => {
    // GET /api/v1/state advances the clock itself; the wall's live channel does not ask. So
    // here only the model's counters are read, as they stand, to see the server's own tick.
    const due = await ticketDueIn('RT-2', 600);
    const model = t.app.model;
    let seenAt: number | null = null;
    while (seenAt === null && Date.now() < due + 3000) {
      if (model.state(Date.now()).sla.breachedOpen === 1) seenAt = Date.now();
      else await sleep(20);
    }
    expect(seenAt).not.toBeNull();
    expect(seenAt! - due).toBeLessThanOrEqual(1000);
  });
});

describe('LiveModel.advance with 100,000 open tickets', () => {
  it('costs far less than a scan when nothing comes due', () => {
    const start = Date.parse('2026-11-26T10:00:00Z');
    const model = new LiveModel({ atRiskMinutes: 30 });
    model.advance(start);
    // 100,000 open tickets whose targets are a day away: none changes in the next hour.
    for (let i = 0; i < 100_000; i++) {
      model.apply(
        ticketEvent({
          id: `far-${i}`,
          queue: `l${(i % 3) + 1}`,
          status: 'open',
          createdAt: iso(start - 60_000),
          updatedAt: iso(start - 60_000),
          firstResponseDueAt: iso(start + 24 * 3600_000 + i),
          resolutionDueAt: iso(start + 48 * 3600_000 + i),
        }),
        start,
      );
    }
    // One ticket due in 10 s, to show that the clock still works among them.
    model.apply(
      ticketEvent({ id: 'near', queue: 'l1', status: 'open', createdAt: iso(start), updatedAt: iso(start), firstResponseDueAt: iso(start + 10_000) }),
      start,
    );
    expect(model.state(start).sla).toMatchObject({ breachedOpen: 0, atRisk: 1 });

    for (let i = 0; i < 20; i++) model.advance(start + i); // warm-up for the JIT
    const calls = 100;
    const began = performance.now();
    for (let i = 0; i < calls; i++) model.advance(start + 1000 + i * 50); // 1.0 s … 5.95 s: nothing due
    const averageMs = (performance.now() - began) / calls;
    // One pass over 100,000 tickets costs about 5 ms on the 2-core machine; an advance that looks only at the
    // top of the SLA clock costs microseconds. 0.5 ms leaves room for a busy CI machine.
    expect(averageMs).toBeLessThan(0.5);
    expect(model.state(start + 6000).sla).toMatchObject({ breachedOpen: 0, atRisk: 1 });

    // 10.001 s: only the near ticket turns breached, and only it is touched.
    expect(model.advance(start + 10_001)).toBe(1);
    expect(model.state(start + 10_001).sla).toMatchObject({ breachedOpen: 1, atRisk: 0 });
  });
});
