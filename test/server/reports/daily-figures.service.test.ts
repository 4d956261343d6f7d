// The daily figures kept for reports (docs/contract.md#reports-to-management) against what the
// wall showed: a scripted day crossing midnight, on the embedded store and on Redis. At 23:59:59
// the state's numbers are read; after midnight the day's figures must equal them, and the
// hand-computed values below. Then a late delivery for that day, a duplicate, a restart.
//
// The day, 2026-11-24 (UTC):
//   T1 l1 high    created 09:00, answered 09:10 (600 s; due 10:00, met), solved 11:00 (7,200 s; due 17:00, met), CSAT 5
//   T2 l1 normal  created 10:00, answered 10:30 (1,800 s; due 10:15, missed), still open at midnight, solved 00:20 next day
//   T3 l2 urgent  created 12:00, answered 12:05 (300 s), solved 13:00 (3,600 s), CSAT 2
//   T4 l2 normal  created the day before 20:00, answered then, solved 08:00 (43,200 s)
//   T5 l1 low     created 23:50, not answered (due 01:00 next day: no outcome yet)
// All lines: created 4 (T1 T2 T3 T5); solved 3 (T1 T3 T4), resolution [3,600 7,200 43,200] → median
// 7,200, p90 (rank ⌈0.9·3⌉ = 3) 43,200; first responses [300 600 1,800] → median 600, p90 1,800;
// CSAT 1 good of 2 = 0.5; targets met 2, missed 1 → compliance 2/3; backlog at midnight 2 (T2, T5 on l1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import type { DailyRow } from '../../../contract/reports.js';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { RedisServer } from '../../helpers/redis-server.js';

const at = (time: string): string => new Date(Date.parse(time)).toISOString();

function dayScript(): ReturnType<typeof ticketEvent>[] {
  return [
    ticketEvent({
      id: 'T1',
      queue: 'l1',
      priority: 'high',
      status: 'solved',
      createdAt: at('2026-11-24T09:00:00Z'),
      updatedAt: at('2026-11-24T11:00:00Z'),
      firstResponseAt: at('2026-11-24T09:10:00Z'),
      firstResponseDueAt: at('2026-11-24T10:00:00Z'),
      solvedAt: at('2026-11-24T11:00:00Z'),
      resolutionDueAt: at('2026-11-24T17:00:00Z'),
      csat: 5,
    }),
    ticketEvent({
      id: 'T2',
      queue: 'l1',
      priority: 'normal',
      createdAt: at('2026-11-24T10:00:00Z'),
      updatedAt: at('2026-11-24T10:30:00Z'),
      firstResponseAt: at('2026-11-24T10:30:00Z'),
      firstResponseDueAt: at('2026-11-24T10:15:00Z'),
    }),
    ticketEvent({
      id: 'T3',
      queue: 'l2',
      priority: 'urgent',
      status: 'solved',
      createdAt: at('2026-11-24T12:00:00Z'),
      updatedAt: at('2026-11-24T13:00:00Z'),
      firstResponseAt: at('2026-11-24T12:05:00Z'),
      solvedAt: at('2026-11-24T13:00:00Z'),
      csat: 2,
    }),
    ticketEvent({
      id: 'T4',
      queue: 'l2',
      priority: 'normal',
      status: 'solved',
      createdAt: at('2026-11-23T20:00:00Z'),
      updatedAt: at('2026-11-24T08:00:00Z'),
      firstResponseAt: at('2026-11-23T20:30:00Z'),
      solvedAt: at('2026-11-24T08:00:00Z'),
    }),
    ticketEvent({
      id: 'T5',
      queue: 'l1',
      priority: 'low',
      createdAt: at('2026-11-24T23:50:00Z'),
      updatedAt: at('2026-11-24T23:50:00Z'),
      firstResponseDueAt: at('2026-11-25T01:00:00Z'),
    }),
  ];
}

const EXPECTED_ALL = {
  created: 4,
  solved: 3,
  backlog: 2,
  targetsMet: 2,
  targetsMissed: 1,
  compliance: 2 / 3,
  frtMedianSec: 600,
  frtP90Sec: 1800,
  resolutionMedianSec: 7200,
  resolutionP90Sec: 43200,
  csatGood: 1,
  csatRated: 2,
  csat: 0.5,
  incidents: 0,
};

for (const kind of ['embedded', 'redis'] as const) {
  describe(`daily figures on the ${kind} store`, () => {
    let redis: RedisServer | null = null;
    let t: TestApp;
    let clock = Date.parse('2026-11-24T09:00:00Z');
    let dataDir: string | undefined;
    const env = (): Record<string, string> => ({ TZ: 'UTC', ...(redis === null ? {} : { REDIS_URL: redis.url }) });

    async function start(): Promise<void> {
      t = await startTestApp({ now: () => clock, env: env(), ...(dataDir === undefined ? {} : { dataDir }) });
      dataDir = t.dataDir;
      await t.app.ready();
    }

    async function post(events: unknown[]): Promise<void> {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
      expect(response.statusCode, response.body).toBe(202);
    }

    async function day(date: string): Promise<Map<string, DailyRow['figures']>> {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/reports/daily?from=${date}&to=${date}`, headers: bearer('viewer') });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json() as { rows: DailyRow[] };
      return new Map(body.rows.map((row) => [row.line, row.figures]));
    }

    beforeAll(async () => {
      if (kind === 'redis') redis = await RedisServer.start();
      await start();
    });
    afterAll(async () => {
      await t?.close();
      await redis?.stop();
    });

    let stateAtEnd: LiveState;

    it('at 23:59:59 the state shows the day; after midnight the day’s figures equal it, and the hand-computed values', async () => {
      clock = Date.parse('2026-11-24T23:55:00Z');
      await post(dayScript());
      // A duplicate delivery of T1 (a new event id, the same ticket): counted once.
      await post([dayScript()[0]]);
      clock = Date.parse('2026-11-24T23:59:59Z');
      await t.app.daily.beat();
      const state = await t.app.inject({ method: 'GET', url: '/api/v1/state', headers: bearer('viewer') });
      stateAtEnd = state.json() as LiveState;

      clock = Date.parse('2026-11-25T00:00:01Z');
      await t.app.daily.beat();
      const figures = await day('2026-11-24');
      const all = figures.get('all')!;
      expect(all).toMatchObject(EXPECTED_ALL);
      // The same numbers the wall showed at the end of the day.
      expect(all.created).toBe(stateAtEnd.kpis.createdToday);
      expect(all.solved).toBe(stateAtEnd.kpis.solvedToday);
      expect(all.frtMedianSec).toBe(stateAtEnd.kpis.frtMedianSec);
      expect(all.frtP90Sec).toBe(stateAtEnd.kpis.frtP90Sec);
      expect(all.resolutionMedianSec).toBe(stateAtEnd.kpis.resolutionMedianSec);
      expect(all.csat).toBe(stateAtEnd.kpis.csatToday);
      expect(all.targetsMissed).toBe(stateAtEnd.sla.breachedToday);
      expect(all.compliance).toBe(stateAtEnd.sla.complianceToday);
      for (const queue of stateAtEnd.queues) expect(figures.get(queue.id)?.backlog, queue.id).toBe(queue.open);

      expect(figures.get('l1')).toMatchObject({ created: 3, solved: 1, backlog: 2, targetsMet: 2, targetsMissed: 1, frtMedianSec: 1200 });
      expect(figures.get('l2')).toMatchObject({ created: 1, solved: 2, backlog: 0, resolutionMedianSec: (3600 + 43200) / 2, csat: 0 });
      // Incidents are the department's, not a line's.
      expect(figures.get('l1')?.incidents).toBeNull();
    });

    it('the next day counts what happened after midnight, and none of it moves the day before', async () => {
      clock = Date.parse('2026-11-25T00:30:00Z');
      await post([
        ticketEvent({
          id: 'T2',
          queue: 'l1',
          status: 'solved',
          createdAt: at('2026-11-24T10:00:00Z'),
          updatedAt: at('2026-11-25T00:20:00Z'),
          firstResponseAt: at('2026-11-24T10:30:00Z'),
          firstResponseDueAt: at('2026-11-24T10:15:00Z'),
          solvedAt: at('2026-11-25T00:20:00Z'),
        }),
        ticketEvent({ id: 'T6', queue: 'l2', createdAt: at('2026-11-25T00:10:00Z') }),
      ]);
      await t.app.daily.flush();
      expect((await day('2026-11-24')).get('all')).toMatchObject(EXPECTED_ALL);
      expect((await day('2026-11-25')).get('all')).toMatchObject({ created: 1, solved: 1, resolutionMedianSec: 14 * 3600 + 20 * 60 });
    });

    it('a late delivery for the day before goes into that day by its own times', async () => {
      await post([
        ticketEvent({
          id: 'T7',
          queue: 'l2',
          status: 'solved',
          createdAt: at('2026-11-24T15:00:00Z'),
          updatedAt: at('2026-11-24T16:00:00Z'),
          solvedAt: at('2026-11-24T16:00:00Z'),
        }),
      ]);
      await t.app.daily.flush();
      const all = (await day('2026-11-24')).get('all')!;
      expect(all).toMatchObject({ created: 5, solved: 4, resolutionMedianSec: (3600 + 7200) / 2, backlog: 2 });
    });

    it('keeps them across a restart', async () => {
      await t.close();
      await start();
      const all = (await day('2026-11-24')).get('all')!;
      expect(all).toMatchObject({ created: 5, solved: 4, backlog: 2, targetsMet: 2, targetsMissed: 1 });
    });

    it('refuses a bad span with a 400 that says what is wrong', async () => {
      const bad = await t.app.inject({ method: 'GET', url: '/api/v1/reports/daily?from=2026-02-30&to=2026-03-01', headers: bearer('viewer') });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('from: "2026-02-30" is not a date');
      const reversed = await t.app.inject({ method: 'GET', url: '/api/v1/reports/daily?from=2026-03-02&to=2026-03-01', headers: bearer('viewer') });
      expect(reversed.statusCode).toBe(400);
      const long = await t.app.inject({ method: 'GET', url: '/api/v1/reports/daily?from=2024-01-01&to=2026-03-01', headers: bearer('viewer') });
      expect(long.statusCode).toBe(400);
      expect(long.json().error.message).toContain('at most 430 days');
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/reports/daily?from=2026-03-01&to=2026-03-01' });
      expect(anonymous.statusCode).toBe(401);
    });
  });
}

describe('days the server was down over', () => {
  let t: TestApp;
  let clock = Date.parse('2026-11-23T12:00:00Z');
  let dataDir: string | undefined;

  async function start(): Promise<void> {
    t = await startTestApp({ now: () => clock, env: { TZ: 'UTC' }, ...(dataDir === undefined ? {} : { dataDir }) });
    dataDir = t.dataDir;
    await t.app.ready();
  }
  afterAll(async () => {
    await t?.close();
  });

  it('get each line’s backlog rebuilt from the tickets’ times at the next start, marked as rebuilt', async () => {
    await start();
    // The 23rd ends with the server up: counted then.
    clock = Date.parse('2026-11-24T00:00:01Z');
    await t.app.daily.beat();
    clock = Date.parse('2026-11-24T16:00:00Z');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: bearer('ingest'),
      payload: [
        ticketEvent({ id: 'A', queue: 'l1', createdAt: at('2026-11-24T10:00:00Z') }),
        ticketEvent({ id: 'B', queue: 'l2', status: 'solved', createdAt: at('2026-11-24T11:00:00Z'), solvedAt: at('2026-11-24T15:00:00Z') }),
      ],
    });
    expect(response.statusCode).toBe(202);
    // Down from 18:00 on the 24th to 09:00 on the 27th: the ends of the 24th, 25th and 26th were not counted.
    clock = Date.parse('2026-11-24T18:00:00Z');
    await t.close();
    clock = Date.parse('2026-11-27T09:00:00Z');
    await start();
    const lineDays = await t.app.daily.store.readLineDays('2026-11-23', '2026-11-27');
    const seen = lineDays.map((d) => `${d.day} ${d.line} ${d.backlog}${d.reconstructed ? ' rebuilt' : ''}`);
    // The shipped staffing.json names l1, l2 and l3: each gets its row (forecast and hours), open tickets or not.
    expect(seen).toEqual([
      '2026-11-23 l1 0',
      '2026-11-23 l2 0',
      '2026-11-23 l3 0',
      '2026-11-24 l1 1 rebuilt',
      '2026-11-24 l2 0 rebuilt',
      '2026-11-24 l3 0 rebuilt',
      '2026-11-25 l1 1 rebuilt',
      '2026-11-25 l2 0 rebuilt',
      '2026-11-25 l3 0 rebuilt',
      '2026-11-26 l1 1 rebuilt',
      '2026-11-26 l2 0 rebuilt',
      '2026-11-26 l3 0 rebuilt',
    ]);
  });
});
