// Scripted scenarios for every number of docs/contract.md#the-numbers, run through the real app (ingest over HTTP,
// store, live model) on a clock the test moves, once on each store: embedded (SQLite) and Redis
// (a throwaway redis-server). Every expected value is worked out by hand in the comment beside
// it, from the scenario's times; none is read back from the code.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TicketPayload } from '../../../contract/domain.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { agentEvent, ticketEvent } from '../../helpers/events.js';
import { getAgents, getState, getTickets, postEvents, queueOf } from '../../helpers/http.js';
import { RedisServer } from '../../helpers/redis-server.js';

const TODAY = '2026-11-26';
const YESTERDAY = '2026-11-25';
/** `at('09:40')` is 09:40 UTC today; seconds may be given, and another day. */
const at = (time: string, day = TODAY): string => `${day}T${time.length === 5 ? `${time}:00` : time}Z`;

let clock = Date.parse(at('10:00'));
let t: TestApp;

function setClock(time: string, day = TODAY): void {
  clock = Date.parse(at(time, day));
  t.app.tick();
}

/** A ticket event whose `at` is its `updatedAt`, as helpdesks send them. */
function ticket(fields: Partial<TicketPayload> & { id: string; createdAt: string }, eventId?: string) {
  const updatedAt = fields.updatedAt ?? fields.createdAt;
  return ticketEvent({ ...fields, updatedAt }, { id: eventId, at: updatedAt });
}

let redis: RedisServer | null = null;

/** One suite, two stores: each entry gives the environment that selects its store. */
const stores = [
  { store: 'embedded', env: (): Record<string, string> => ({}) },
  { store: 'redis', env: (): Record<string, string> => ({ REDIS_URL: redis!.url }) },
] as const;

describe.each(stores)('$store store', ({ store, env }) => {
  beforeAll(async () => {
    if (store === 'redis') redis = await RedisServer.start();
  });

  afterAll(async () => {
    await redis?.stop();
    redis = null;
  });

  beforeEach(async () => {
    // Each test starts from an empty Redis, as the embedded store starts from an empty DATA_DIR.
    await redis?.flush();
    clock = Date.parse(at('10:00'));
    t = await startTestApp({ now: () => clock, env: env() });
    expect(t.app.store.kind).toBe(store);
  });

  afterEach(async () => {
    await t.close();
  });

  describe('a department at 10:00 with three queues', () => {
    it('gives every number of docs/contract.md#the-numbers', async () => {
      const summary = await postEvents(t.app, [
        // l1/A: waiting since 09:40, first response due 10:40 (40 min away: not at risk).
        ticket({ id: 'A', queue: 'l1', status: 'open', createdAt: at('09:40'), firstResponseDueAt: at('10:40'), resolutionDueAt: at('17:40') }),
        // l1/B: waiting since 09:50, first response due 10:20 (20 min away: at risk).
        ticket({ id: 'B', queue: 'l1', status: 'new', createdAt: at('09:50'), firstResponseDueAt: at('10:20'), resolutionDueAt: at('17:50') }),
        // l1/C: pending, answered 09:10 (FRT 600 s, due 09:30: met); resolution due 10:10 (at risk).
        ticket({
          id: 'C',
          queue: 'l1',
          status: 'pending',
          createdAt: at('09:00'),
          updatedAt: at('09:10'),
          firstResponseAt: at('09:10'),
          firstResponseDueAt: at('09:30'),
          resolutionDueAt: at('10:10'),
        }),
        // l1/D: solved 09:30 (resolution 5400 s, due 12:00: met); answered 08:20 (FRT 1200 s, due 08:30: met).
        ticket({
          id: 'D',
          queue: 'l1',
          status: 'solved',
          createdAt: at('08:00'),
          updatedAt: at('09:30'),
          firstResponseAt: at('08:20'),
          solvedAt: at('09:30'),
          firstResponseDueAt: at('08:30'),
          resolutionDueAt: at('12:00'),
        }),
        // l2/E: waiting since 09:00, first response due 09:45 and passed: breached, missed today.
        ticket({ id: 'E', queue: 'l2', status: 'open', createdAt: at('09:00'), firstResponseDueAt: at('09:45'), resolutionDueAt: at('17:00') }),
        // l2/F: answered 09:58 (FRT 180 s), no SLA.
        ticket({ id: 'F', queue: 'l2', status: 'open', createdAt: at('09:55'), updatedAt: at('09:58'), firstResponseAt: at('09:58') }),
        // l3/G: closed, solved 08:00 (resolution 3600 s), no SLA, never answered.
        ticket({ id: 'G', queue: 'l3', status: 'closed', createdAt: at('07:00'), updatedAt: at('08:00'), solvedAt: at('08:00') }),
        agentEvent({ id: 'A-1', status: 'available' }, at('09:00')),
        agentEvent({ id: 'A-2', status: 'busy' }, at('09:00')),
        agentEvent({ id: 'A-3', status: 'busy', team: 'l2' }, at('09:00')),
        agentEvent({ id: 'A-4', status: 'away' }, at('09:00')),
        agentEvent({ id: 'A-5', status: 'offline', team: 'l2' }, at('09:00')),
      ]);
      expect(summary).toEqual({ accepted: 12, duplicates: 0, stale: 0, rejected: [] });

      const state = await getState(t.app);
      expect(state.at).toBe('2026-11-26T10:00:00.000Z');
      // l1 open: A, B, C. Waiting: A, B; the oldest is A (09:40 → 10:00 = 1200 s). At risk: B (FR in 20 min), C (resolution in 10 min).
      expect(queueOf(state, 'l1')).toEqual({ id: 'l1', open: 3, waiting: 2, oldestWaitingSec: 1200, breached: 0, atRisk: 2 });
      // l2 open: E, F. Waiting: E (09:00 → 10:00 = 3600 s). Breached: E. At risk: none (E is breached, F has no SLA).
      expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 2, waiting: 1, oldestWaitingSec: 3600, breached: 1, atRisk: 0 });
      // l3 holds only a closed ticket.
      expect(queueOf(state, 'l3')).toEqual({ id: 'l3', open: 0, waiting: 0, oldestWaitingSec: 0, breached: 0, atRisk: 0 });
      expect(state.agents).toEqual({ available: 1, busy: 2, away: 1, offline: 1 });
      // Targets due today and decided: met C-FR, D-FR, D-res; missed E-FR. 3 / 4 = 0.75.
      expect(state.sla).toEqual({ breachedOpen: 1, breachedToday: 1, atRisk: 2, complianceToday: 0.75 });
      expect(state.kpis).toEqual({
        createdToday: 7, // A..G were all created today
        solvedToday: 2, // D (09:30), G (08:00)
        frtMedianSec: 600, // FRTs today: F 180, C 600, D 1200 → middle of three
        frtP90Sec: 1200, // rank ⌈0.9·3⌉ = 3 → 1200
        resolutionMedianSec: 4500, // G 3600, D 5400 → (3600 + 5400) / 2
        csatToday: null, // no ratings
      });
      expect(state.incidents).toEqual([]);
    });
  });

  describe('medians and the nearest-rank p90', () => {
    /** A ticket created at 08:00 and first answered `sec` seconds later, today. */
    const answered = (id: string, sec: number) =>
      ticket({
        id,
        queue: 'l1',
        status: 'open',
        createdAt: at('08:00'),
        updatedAt: new Date(Date.parse(at('08:00')) + sec * 1000).toISOString(),
        firstResponseAt: new Date(Date.parse(at('08:00')) + sec * 1000).toISOString(),
      });

    it('uses the mean of the two middle values for 10 values and rank 9 for p90', async () => {
      // FRTs 60, 120, …, 600 s, delivered out of order so that nothing relies on arrival order.
      const secs = [300, 60, 600, 240, 120, 540, 360, 480, 180, 420];
      await postEvents(
        t.app,
        secs.map((sec, i) => answered(`T${i}`, sec)),
      );
      const { kpis } = await getState(t.app);
      // Sorted: 60 120 180 240 300 360 420 480 540 600. Median (300 + 360) / 2 = 330.
      expect(kpis.frtMedianSec).toBe(330);
      // ⌈0.9·10⌉ = 9 → the 9th value, 540.
      expect(kpis.frtP90Sec).toBe(540);
    });

    it('uses the middle value for 11 values and rank 10 for p90', async () => {
      const secs = [660, 60, 600, 240, 120, 540, 360, 480, 180, 420, 300];
      await postEvents(
        t.app,
        secs.map((sec, i) => answered(`U${i}`, sec)),
      );
      const { kpis } = await getState(t.app);
      // Sorted: 60 … 660 in steps of 60; the 6th is 360.
      expect(kpis.frtMedianSec).toBe(360);
      // ⌈0.9·11⌉ = ⌈9.9⌉ = 10 → the 10th value, 600.
      expect(kpis.frtP90Sec).toBe(600);
    });

    it('takes the resolution median over tickets solved today, odd and even', async () => {
      const solved = (id: string, created: string, solvedAt: string) =>
        ticket({ id, queue: 'l1', status: 'solved', createdAt: at(created), updatedAt: at(solvedAt), solvedAt: at(solvedAt) });
      // Resolutions: R1 09:00→09:10 600 s, R2 08:00→09:00 3600 s, R3 07:00→09:30 9000 s.
      await postEvents(t.app, [solved('R1', '09:00', '09:10'), solved('R2', '08:00', '09:00'), solved('R3', '07:00', '09:30')]);
      expect((await getState(t.app)).kpis.resolutionMedianSec).toBe(3600);
      // R4 06:00→09:40 = 13200 s: 600, 3600, 9000, 13200 → (3600 + 9000) / 2 = 6300.
      await postEvents(t.app, [solved('R4', '06:00', '09:40')]);
      const { kpis } = await getState(t.app);
      expect(kpis.resolutionMedianSec).toBe(6300);
      expect(kpis.solvedToday).toBe(4);
      // Solved yesterday: not today's figure, and not in today's median.
      await postEvents(t.app, [
        ticket({
          id: 'R5',
          queue: 'l1',
          status: 'solved',
          createdAt: at('20:00', YESTERDAY),
          updatedAt: at('21:00', YESTERDAY),
          solvedAt: at('21:00', YESTERDAY),
        }),
      ]);
      expect((await getState(t.app)).kpis).toMatchObject({ solvedToday: 4, resolutionMedianSec: 6300 });
    });
  });

  describe('CSAT', () => {
    it('counts the share of 4 and 5 among ratings whose event is dated today', async () => {
      await postEvents(t.app, [
        // Q1: rated 5 in an event of yesterday 23:59: yesterday's rating.
        ticket({
          id: 'Q1',
          queue: 'l1',
          status: 'solved',
          createdAt: at('20:00', YESTERDAY),
          updatedAt: at('23:59', YESTERDAY),
          solvedAt: at('22:00', YESTERDAY),
          csat: 5,
        }),
        // Q2: rated 4 today: good.
        ticket({ id: 'Q2', queue: 'l1', status: 'solved', createdAt: at('07:00'), updatedAt: at('08:00'), solvedAt: at('07:30'), csat: 4 }),
        // Q3: rated 2 today: bad.
        ticket({ id: 'Q3', queue: 'l1', status: 'solved', createdAt: at('07:00'), updatedAt: at('09:00'), solvedAt: at('08:00'), csat: 2 }),
        // Q5: rated 3 yesterday, changed to 5 below.
        ticket({
          id: 'Q5',
          queue: 'l2',
          status: 'solved',
          createdAt: at('10:00', YESTERDAY),
          updatedAt: at('12:00', YESTERDAY),
          solvedAt: at('11:00', YESTERDAY),
          csat: 3,
        }),
      ]);
      // Today: Q2 good, Q3 bad → 1 / 2.
      expect((await getState(t.app)).kpis.csatToday).toBe(0.5);

      await postEvents(t.app, [
        // Q1 touched today with the same rating: still yesterday's rating.
        ticket({
          id: 'Q1',
          queue: 'l1',
          status: 'closed',
          createdAt: at('20:00', YESTERDAY),
          updatedAt: at('09:00'),
          solvedAt: at('22:00', YESTERDAY),
          csat: 5,
        }),
        // Q4: rated 5 today: good.
        ticket({ id: 'Q4', queue: 'l1', status: 'solved', createdAt: at('09:00'), updatedAt: at('09:30'), solvedAt: at('09:20'), csat: 5 }),
        // Q5 re-rated 5 today: the new rating arrived today, good.
        ticket({
          id: 'Q5',
          queue: 'l2',
          status: 'solved',
          createdAt: at('10:00', YESTERDAY),
          updatedAt: at('09:45'),
          solvedAt: at('11:00', YESTERDAY),
          csat: 5,
        }),
      ]);
      // Today: Q2 good, Q3 bad, Q4 good, Q5 good → 3 / 4.
      expect((await getState(t.app)).kpis.csatToday).toBe(0.75);
    });

    it('is null when no rating arrived today', async () => {
      await postEvents(t.app, [
        ticket({
          id: 'N1',
          queue: 'l1',
          status: 'solved',
          createdAt: at('09:00', YESTERDAY),
          updatedAt: at('10:00', YESTERDAY),
          solvedAt: at('10:00', YESTERDAY),
          csat: 5,
        }),
      ]);
      expect((await getState(t.app)).kpis.csatToday).toBeNull();
    });
  });

  describe('duplicates, stale updates and out-of-order delivery', () => {
    it('counts and ignores an event id seen before, in another batch or the same one', async () => {
      const first = ticket({ id: 'X', queue: 'l1', status: 'open', createdAt: at('09:00') }, 'dup-1');
      expect(await postEvents(t.app, [first])).toEqual({ accepted: 1, duplicates: 0, stale: 0, rejected: [] });
      // The same id again, even carrying different content: a duplicate, not applied.
      const retry = ticket({ id: 'X', queue: 'l2', status: 'open', createdAt: at('09:00'), updatedAt: at('09:30') }, 'dup-1');
      const fresh = ticket({ id: 'Y', queue: 'l1', status: 'open', createdAt: at('09:10') }, 'dup-2');
      // dup-1: seen before; dup-2: new; dup-2 again in the same batch: a duplicate.
      expect(await postEvents(t.app, [retry, fresh, fresh])).toEqual({ accepted: 1, duplicates: 2, stale: 0, rejected: [] });
      const state = await getState(t.app);
      // X stayed in l1; l1 holds X and Y; created today: 2 (not 3).
      expect(queueOf(state, 'l1')).toMatchObject({ open: 2, waiting: 2 });
      expect(queueOf(state, 'l2').open).toBe(0);
      expect(state.kpis.createdToday).toBe(2);
    });

    it('ignores a ticket update older than the one held, across batches', async () => {
      // Newer first: X answered at 09:20 (FRT 1200 s), pending, updated 09:30.
      const newer = ticket({ id: 'X', queue: 'l1', status: 'pending', createdAt: at('09:00'), updatedAt: at('09:30'), firstResponseAt: at('09:20') });
      // Then the older update (09:15, still unanswered) arrives late.
      const older = ticket({ id: 'X', queue: 'l1', status: 'open', createdAt: at('09:00'), updatedAt: at('09:15') });
      expect(await postEvents(t.app, [newer])).toMatchObject({ accepted: 1, stale: 0 });
      expect(await postEvents(t.app, [older])).toMatchObject({ accepted: 0, stale: 1, duplicates: 0 });
      const state = await getState(t.app);
      // The final state is the newer one: open (pending), answered, not waiting.
      expect(queueOf(state, 'l1')).toMatchObject({ open: 1, waiting: 0, oldestWaitingSec: 0 });
      expect(state.kpis.frtMedianSec).toBe(1200);
    });

    it('keeps the newer state when newer and older come in one batch', async () => {
      const older = ticket({ id: 'Z', queue: 'l1', status: 'open', createdAt: at('08:00'), updatedAt: at('08:30') });
      const newer = ticket({ id: 'Z', queue: 'l2', status: 'solved', createdAt: at('08:00'), updatedAt: at('09:00'), solvedAt: at('09:00') });
      expect(await postEvents(t.app, [newer, older])).toEqual({ accepted: 1, duplicates: 0, stale: 1, rejected: [] });
      const state = await getState(t.app);
      // Solved at 09:00: nothing open; solved today with resolution 3600 s.
      expect(queueOf(state, 'l1').open).toBe(0);
      expect(queueOf(state, 'l2').open).toBe(0);
      expect(state.kpis).toMatchObject({ solvedToday: 1, resolutionMedianSec: 3600 });
    });

    it('ignores an agent event older than the one held', async () => {
      expect(await postEvents(t.app, [agentEvent({ id: 'A-1', status: 'busy' }, at('09:50'))])).toMatchObject({ accepted: 1 });
      expect(await postEvents(t.app, [agentEvent({ id: 'A-1', status: 'available' }, at('09:40'))])).toMatchObject({ accepted: 0, stale: 1 });
      expect((await getState(t.app)).agents).toEqual({ available: 0, busy: 1, away: 0, offline: 0 });
      expect(await getAgents(t.app)).toEqual([{ id: 'A-1', name: 'Agent A-1', team: 'l1', status: 'busy', since: at('09:50') }]);
    });
  });

  describe('the SLA clock with no event', () => {
    it('turns a first-response target breached once its due time passes', async () => {
      // Created 09:50, first response due 10:05, resolution due 18:00.
      await postEvents(t.app, [
        ticket({ id: 'S', queue: 'l2', status: 'new', createdAt: at('09:50'), firstResponseDueAt: at('10:05'), resolutionDueAt: at('18:00') }),
      ]);
      let state = await getState(t.app);
      // 10:00: first response due in 5 min: at risk; nothing decided yet.
      expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 1, waiting: 1, oldestWaitingSec: 600, breached: 0, atRisk: 1 });
      expect(state.sla).toEqual({ breachedOpen: 0, breachedToday: 0, atRisk: 1, complianceToday: null });

      // Exactly at the due time it has not passed yet.
      setClock('10:05:00');
      expect((await getState(t.app)).sla).toEqual({ breachedOpen: 0, breachedToday: 0, atRisk: 1, complianceToday: null });

      // One second later: missed. Breached replaces at risk; 0 met of 1 decided target → 0.
      setClock('10:05:01');
      state = await getState(t.app);
      expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 1, waiting: 1, oldestWaitingSec: 901, breached: 1, atRisk: 0 });
      expect(state.sla).toEqual({ breachedOpen: 1, breachedToday: 1, atRisk: 0, complianceToday: 0 });
      expect((await getTickets(t.app, 'breached')).map((row) => [row.id, row.secondsToBreach])).toEqual([['S', -1]]);

      // A late answer at 10:10 does not undo the miss: the ticket stays breached while open.
      setClock('10:10');
      await postEvents(t.app, [
        ticket({
          id: 'S',
          queue: 'l2',
          status: 'open',
          createdAt: at('09:50'),
          updatedAt: at('10:10'),
          firstResponseAt: at('10:10'),
          firstResponseDueAt: at('10:05'),
          resolutionDueAt: at('18:00'),
        }),
      ]);
      state = await getState(t.app);
      expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 1, waiting: 0, oldestWaitingSec: 0, breached: 1, atRisk: 0 });
      expect(state.sla).toEqual({ breachedOpen: 1, breachedToday: 1, atRisk: 0, complianceToday: 0 });
      // FRT 09:50 → 10:10 = 1200 s.
      expect(state.kpis.frtMedianSec).toBe(1200);
    });

    it('turns a target at risk by time alone, AT_RISK_MINUTES (30) before it is due', async () => {
      await postEvents(t.app, [
        ticket({ id: 'R', queue: 'l1', status: 'open', createdAt: at('09:55'), firstResponseDueAt: at('11:00'), resolutionDueAt: at('20:00') }),
      ]);
      // 10:00: due in 60 min.
      expect((await getState(t.app)).sla.atRisk).toBe(0);
      // 10:29:59: due in 30 min 1 s, still outside the window.
      setClock('10:29:59');
      expect((await getState(t.app)).sla.atRisk).toBe(0);
      // 10:30: due in exactly 30 min: within the window.
      setClock('10:30:00');
      let state = await getState(t.app);
      expect(state.sla.atRisk).toBe(1);
      expect(queueOf(state, 'l1').atRisk).toBe(1);
      expect((await getTickets(t.app, 'at-risk')).map((row) => [row.id, row.secondsToBreach])).toEqual([['R', 1800]]);
      // Answered at 10:40: first response met; resolution due 20:00 is far: no longer at risk.
      setClock('10:40');
      await postEvents(t.app, [
        ticket({
          id: 'R',
          queue: 'l1',
          status: 'open',
          createdAt: at('09:55'),
          updatedAt: at('10:40'),
          firstResponseAt: at('10:40'),
          firstResponseDueAt: at('11:00'),
          resolutionDueAt: at('20:00'),
        }),
      ]);
      state = await getState(t.app);
      expect(state.sla).toEqual({ breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: 1 });
    });

    it('honours AT_RISK_MINUTES', async () => {
      const ten = await startTestApp({ now: () => clock, env: { ...env(), AT_RISK_MINUTES: '10' } });
      try {
        // Due at 10:20 and 10:08: with a 10-minute window only the second is at risk at 10:00.
        await postEvents(ten.app, [
          ticket({ id: 'P', queue: 'l1', status: 'open', createdAt: at('09:00'), firstResponseDueAt: at('10:20') }),
          ticket({ id: 'Q', queue: 'l1', status: 'open', createdAt: at('09:00'), firstResponseDueAt: at('10:08') }),
        ]);
        expect((await getState(ten.app)).sla.atRisk).toBe(1);
      } finally {
        await ten.close();
      }
    });
  });

  describe('targets met and missed', () => {
    it('counts a resolution after its due time as missed and one before as met', async () => {
      await postEvents(t.app, [
        // M1: FR 08:10 (due 08:30: met); solved 09:30 (due 09:00: missed). Resolution 5400 s, FRT 600 s.
        ticket({
          id: 'M1',
          queue: 'l1',
          status: 'solved',
          createdAt: at('08:00'),
          updatedAt: at('09:30'),
          firstResponseAt: at('08:10'),
          solvedAt: at('09:30'),
          firstResponseDueAt: at('08:30'),
          resolutionDueAt: at('09:00'),
        }),
        // M2: FR 08:05 (due 08:30: met); solved 09:00 (due 12:00: met). Resolution 3600 s, FRT 300 s.
        ticket({
          id: 'M2',
          queue: 'l1',
          status: 'solved',
          createdAt: at('08:00'),
          updatedAt: at('09:00'),
          firstResponseAt: at('08:05'),
          solvedAt: at('09:00'),
          firstResponseDueAt: at('08:30'),
          resolutionDueAt: at('12:00'),
        }),
      ]);
      const state = await getState(t.app);
      // Decided targets due today: 3 met, 1 missed. Nothing open, so nothing breached now.
      expect(state.sla).toEqual({ breachedOpen: 0, breachedToday: 1, atRisk: 0, complianceToday: 0.75 });
      expect(state.kpis).toEqual({
        createdToday: 2,
        solvedToday: 2,
        frtMedianSec: 450, // (300 + 600) / 2
        frtP90Sec: 600, // ⌈0.9·2⌉ = 2
        resolutionMedianSec: 4500, // (3600 + 5400) / 2
        csatToday: null,
      });
    });

    it('counts a ticket solved without a reply as a met first response when solved in time', async () => {
      await postEvents(t.app, [
        // W1: solved 09:20 with no reply; first response due 09:30 → met by solving; resolution due 17:00 → met.
        ticket({
          id: 'W1',
          queue: 'l1',
          status: 'solved',
          createdAt: at('09:00'),
          updatedAt: at('09:20'),
          solvedAt: at('09:20'),
          firstResponseDueAt: at('09:30'),
          resolutionDueAt: at('17:00'),
        }),
      ]);
      let state = await getState(t.app);
      expect(state.sla).toEqual({ breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: 1 });
      // Never answered: no first-response time to count.
      expect(state.kpis).toMatchObject({ frtMedianSec: null, frtP90Sec: null, solvedToday: 1, resolutionMedianSec: 1200 });

      await postEvents(t.app, [
        // W2: solved 09:40 with no reply; first response was due 09:30 → missed; resolution due 17:00 → met.
        ticket({
          id: 'W2',
          queue: 'l1',
          status: 'solved',
          createdAt: at('09:00'),
          updatedAt: at('09:40'),
          solvedAt: at('09:40'),
          firstResponseDueAt: at('09:30'),
          resolutionDueAt: at('17:00'),
        }),
      ]);
      state = await getState(t.app);
      // Met: W1 FR, W1 res, W2 res; missed: W2 FR → 3 / 4.
      expect(state.sla).toEqual({ breachedOpen: 0, breachedToday: 1, atRisk: 0, complianceToday: 0.75 });
    });

    it('counts targets on the day they are due, not the day they are met', async () => {
      // Answered today, first response due tomorrow 09:00: not decided "today" yet, even though met.
      await postEvents(t.app, [
        ticket({
          id: 'D1',
          queue: 'l1',
          status: 'open',
          createdAt: at('09:00'),
          updatedAt: at('09:10'),
          firstResponseAt: at('09:10'),
          firstResponseDueAt: at('09:00', '2026-11-27'),
        }),
      ]);
      expect((await getState(t.app)).sla.complianceToday).toBeNull();
    });
  });

  describe('tickets changing shape', () => {
    it('moves every count when a ticket is escalated from l1 to l2', async () => {
      const fields = { id: 'E1', status: 'open' as const, createdAt: at('09:30'), firstResponseDueAt: at('10:15'), resolutionDueAt: at('18:00') };
      await postEvents(t.app, [ticket({ ...fields, queue: 'l1' })]);
      // 10:00: waiting 1800 s, first response in 15 min: at risk.
      expect(queueOf(await getState(t.app), 'l1')).toEqual({ id: 'l1', open: 1, waiting: 1, oldestWaitingSec: 1800, breached: 0, atRisk: 1 });

      await postEvents(t.app, [ticket({ ...fields, queue: 'l2', updatedAt: at('09:59') })]);
      const state = await getState(t.app);
      expect(queueOf(state, 'l1')).toEqual({ id: 'l1', open: 0, waiting: 0, oldestWaitingSec: 0, breached: 0, atRisk: 0 });
      expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 1, waiting: 1, oldestWaitingSec: 1800, breached: 0, atRisk: 1 });
      // Still one ticket created today, one target at risk.
      expect(state.kpis.createdToday).toBe(1);
      expect(state.sla.atRisk).toBe(1);
    });

    it('takes a reopened ticket out of solvedToday', async () => {
      const fields = {
        id: 'O1',
        queue: 'l1',
        createdAt: at('08:00'),
        firstResponseAt: at('08:10'),
        firstResponseDueAt: at('09:00'),
        resolutionDueAt: at('12:00'),
      };
      await postEvents(t.app, [ticket({ ...fields, status: 'solved', updatedAt: at('09:00'), solvedAt: at('09:00') })]);
      let state = await getState(t.app);
      // Solved 09:00: resolution 3600 s; both targets met.
      expect(state.kpis).toMatchObject({ solvedToday: 1, resolutionMedianSec: 3600 });
      expect(state.sla.complianceToday).toBe(1);
      expect(queueOf(state, 'l1').open).toBe(0);

      // Reopened at 09:30; helpdesks keep the old solvedAt on a reopened ticket.
      await postEvents(t.app, [ticket({ ...fields, status: 'open', updatedAt: at('09:30'), solvedAt: at('09:00') })]);
      state = await getState(t.app);
      expect(state.kpis).toMatchObject({ solvedToday: 0, resolutionMedianSec: null, createdToday: 1, frtMedianSec: 600 });
      // Resolution due 12:00 is pending again; only the first response (met) is decided.
      expect(state.sla).toEqual({ breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: 1 });
      expect(queueOf(state, 'l1')).toMatchObject({ open: 1, waiting: 0 });
    });
  });

  describe('midnight (TZ=UTC)', () => {
    it('starts the daily figures fresh while open work carries over', async () => {
      setClock('23:55', YESTERDAY);
      await postEvents(t.app, [
        // N: created 23:50, unanswered, first response due 00:02 tomorrow.
        ticket({ id: 'N', queue: 'l1', status: 'open', createdAt: at('23:50', YESTERDAY), firstResponseDueAt: at('00:02') }),
        // Y: created 23:00, unanswered, first response was due 23:30: missed yesterday.
        ticket({ id: 'Y', queue: 'l1', status: 'open', createdAt: at('23:00', YESTERDAY), firstResponseDueAt: at('23:30', YESTERDAY) }),
        // V: created 22:00, answered 22:10, solved 23:52.
        ticket({
          id: 'V',
          queue: 'l2',
          status: 'solved',
          createdAt: at('22:00', YESTERDAY),
          updatedAt: at('23:52', YESTERDAY),
          firstResponseAt: at('22:10', YESTERDAY),
          solvedAt: at('23:52', YESTERDAY),
          csat: 5,
        }),
        agentEvent({ id: 'A-1', status: 'busy' }, at('23:00', YESTERDAY)),
      ]);
      let state = await getState(t.app);
      // 23:55: l1 holds N and Y, both waiting, oldest Y (23:00 → 23:55 = 3300 s); Y breached, N due in 7 min: at risk.
      expect(queueOf(state, 'l1')).toEqual({ id: 'l1', open: 2, waiting: 2, oldestWaitingSec: 3300, breached: 1, atRisk: 1 });
      expect(state.sla).toEqual({ breachedOpen: 1, breachedToday: 1, atRisk: 1, complianceToday: 0 });
      // V: resolution 22:00 → 23:52 = 6720 s, FRT 600 s, one good rating.
      expect(state.kpis).toEqual({ createdToday: 3, solvedToday: 1, frtMedianSec: 600, frtP90Sec: 600, resolutionMedianSec: 6720, csatToday: 1 });

      setClock('00:05');
      state = await getState(t.app);
      // 00:05: N's first response (due 00:02) is missed today; Y's miss was yesterday's.
      expect(queueOf(state, 'l1')).toEqual({ id: 'l1', open: 2, waiting: 2, oldestWaitingSec: 3900, breached: 2, atRisk: 0 });
      expect(state.sla).toEqual({ breachedOpen: 2, breachedToday: 1, atRisk: 0, complianceToday: 0 });
      expect(state.kpis).toEqual({ createdToday: 0, solvedToday: 0, frtMedianSec: null, frtP90Sec: null, resolutionMedianSec: null, csatToday: null });
      expect(state.agents).toEqual({ available: 0, busy: 1, away: 0, offline: 0 });

      // The first ticket of the new day.
      await postEvents(t.app, [ticket({ id: 'F', queue: 'l2', status: 'new', createdAt: at('00:03') })]);
      state = await getState(t.app);
      expect(state.kpis.createdToday).toBe(1);
      // l2 waiting: F (00:03 → 00:05 = 120 s).
      expect(queueOf(state, 'l2')).toEqual({ id: 'l2', open: 1, waiting: 1, oldestWaitingSec: 120, breached: 0, atRisk: 0 });
    });
  });

  describe('agents', () => {
    it('keeps "since" through a repeated status and resets it on a change', async () => {
      await postEvents(t.app, [agentEvent({ id: 'A-7', name: 'Anna Petrova', status: 'busy' }, at('09:00'))]);
      await postEvents(t.app, [agentEvent({ id: 'A-7', name: 'Anna Petrova', status: 'busy' }, at('09:30'))]);
      expect(await getAgents(t.app)).toEqual([{ id: 'A-7', name: 'Anna Petrova', team: 'l1', status: 'busy', since: at('09:00') }]);

      await postEvents(t.app, [agentEvent({ id: 'A-7', name: 'Anna Petrova', status: 'away' }, at('09:45'))]);
      expect(await getAgents(t.app)).toEqual([{ id: 'A-7', name: 'Anna Petrova', team: 'l1', status: 'away', since: at('09:45') }]);
      expect((await getState(t.app)).agents).toEqual({ available: 0, busy: 0, away: 1, offline: 0 });
    });
  });

  describe('GET /api/v1/tickets', () => {
    it('lists each view soonest breach first', async () => {
      await postEvents(t.app, [
        // Due 10:20 and 10:10 (at risk, waiting); 09:50 and 09:40 (breached, waiting); H1 answered, due 19:00.
        ticket({ id: 'K1', queue: 'l1', status: 'open', createdAt: at('09:00'), firstResponseDueAt: at('10:20') }),
        ticket({ id: 'K2', queue: 'l1', status: 'open', createdAt: at('09:00'), firstResponseDueAt: at('10:10') }),
        ticket({ id: 'K3', queue: 'l2', status: 'open', createdAt: at('09:00'), firstResponseDueAt: at('09:50') }),
        ticket({ id: 'K4', queue: 'l2', status: 'open', createdAt: at('09:00'), firstResponseDueAt: at('09:40') }),
        ticket({
          id: 'H1',
          queue: 'l2',
          status: 'open',
          createdAt: at('09:00'),
          updatedAt: at('09:05'),
          firstResponseAt: at('09:05'),
          resolutionDueAt: at('19:00'),
        }),
      ]);
      const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
      expect(ids(await getTickets(t.app, 'at-risk'))).toEqual(['K2', 'K1']);
      // Longest-breached first: K4 (−1200 s), then K3 (−600 s).
      const breached = await getTickets(t.app, 'breached');
      expect(breached.map((row) => [row.id, row.secondsToBreach])).toEqual([
        ['K4', -1200],
        ['K3', -600],
      ]);
      expect(ids(await getTickets(t.app, 'waiting'))).toEqual(['K4', 'K3', 'K2', 'K1']);
    });
  });
});
