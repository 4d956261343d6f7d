// GET /api/v1/history on the real app (embedded mode): roles, the 400s, numbers sampled from
// ingested events on a controlled clock, /healthz's history field, and a restart that keeps it.
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { agentEvent, ticketEvent } from '../../helpers/events.js';
import { postEvents } from '../../helpers/http.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();
let clock = T0;
const opened: TestApp[] = [];

async function start(dataDir?: string): Promise<TestApp> {
  const app = await startTestApp({ now: () => clock, dataDir });
  opened.push(app);
  return app;
}

afterEach(async () => {
  for (const app of opened.splice(0).reverse()) await app.close();
  clock = T0;
});

async function history(app: TestApp, query: string, role: 'viewer' | 'ingest' | null = 'viewer') {
  const response = await app.app.inject({ method: 'GET', url: `/api/v1/history?${query}`, headers: role === null ? {} : bearer(role) });
  return { status: response.statusCode, body: response.json() };
}

/**
 * Three samples a minute apart: 10:00 one ticket waits in l1, 10:01 two wait, 10:02 one of them
 * is solved (createdToday stays 2, solvedToday becomes 1). One agent busy throughout.
 */
async function sampleScenario(app: TestApp): Promise<void> {
  await postEvents(app.app, [ticketEvent({ id: 'H1', queue: 'l1', createdAt: at(T0), updatedAt: at(T0) }), agentEvent({ id: 'A-1', status: 'busy' }, at(T0))]);
  app.app.history.sampler.sample();
  clock = T0 + 60_000;
  await postEvents(app.app, [ticketEvent({ id: 'H2', queue: 'l1', createdAt: at(clock), updatedAt: at(clock) })]);
  app.app.history.sampler.sample();
  clock = T0 + 120_000;
  await postEvents(app.app, [
    ticketEvent({ id: 'H1', queue: 'l1', status: 'solved', createdAt: at(T0), updatedAt: at(clock), firstResponseAt: at(clock), solvedAt: at(clock) }),
  ]);
  app.app.history.sampler.sample();
}

describe('GET /api/v1/history', () => {
  it('needs a viewer token: 401 without, 403 for ingest', async () => {
    const app = await start();
    expect(await history(app, 'metric=agents.busy', null)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await history(app, 'metric=agents.busy', 'ingest')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });

  it('answers 400 with what is wrong', async () => {
    const app = await start();
    const cases: [string, RegExp][] = [
      ['', /metric/],
      ['metric=queues.l1', /^metric: "queues\.l1" is not a number; use queues\.<queue>\./],
      ['metric=tickets.at-risk', /^metric: unknown metric "tickets\.at-risk"/],
      ['metric=sla.nope', /^metric: unknown sla field "nope"/],
      ['metric=agents.busy&from=last-week', /^from: "last-week" is not a time/],
      ['metric=agents.busy&to=2026-11-31T00:00:00Z', /^to: /],
      ['metric=agents.busy&step=fast', /^step: "fast" is not a step/],
      ['metric=agents.busy&step=1', /^step: must be between 10s and 1w/],
      ['metric=agents.busy&from=-1h&to=-2h', /must be before to/],
      ['metric=agents.busy&from=-30d&step=10', /^step: 10s over this range makes 259200 points; at most 2000: use step=30m or more$/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await history(app, query);
      expect({ query, status, code: body.error?.code }).toEqual({ query, status: 400, code: 'invalid_request' });
      expect(body.error.message).toMatch(message);
    }
  });

  it('returns what the sampler took, per step, by the wall path', async () => {
    const app = await start();
    await sampleScenario(app);
    const range = `from=${at(T0)}&to=${at(T0 + 120_000)}`;

    const waiting = await history(app, `metric=queues.l1.waiting&${range}&step=1m`);
    expect(waiting).toEqual({
      status: 200,
      body: {
        metric: 'queues.l1.waiting',
        from: at(T0),
        to: at(T0 + 120_000),
        step: 60,
        aggregate: 'mean',
        points: [
          { t: at(T0), v: 1 },
          { t: at(T0 + 60_000), v: 2 },
          { t: at(T0 + 120_000), v: 1 },
        ],
      },
    });
    // Over one 5-minute step: the mean of the level, the last of the daily counters.
    const wide = `from=${at(T0)}&to=${at(T0 + 120_000)}&step=5m`;
    expect((await history(app, `metric=queues.l1.waiting&${wide}`)).body.points).toEqual([{ t: at(T0), v: 4 / 3 }]);
    expect((await history(app, `metric=kpis.createdToday&${wide}`)).body).toMatchObject({ aggregate: 'last', points: [{ t: at(T0), v: 2 }] });
    expect((await history(app, `metric=kpis.solvedToday&${wide}`)).body.points).toEqual([{ t: at(T0), v: 1 }]);
    expect((await history(app, `metric=agents.busy&${wide}`)).body.points).toEqual([{ t: at(T0), v: 1 }]);
    // Relative times against the app's clock (10:02); default step for an hour is 10 s.
    const relative = await history(app, 'metric=queues.l1.open&from=-90s');
    expect(relative.body).toMatchObject({ step: 10, from: at(T0 + 30_000), to: at(T0 + 120_000) });
    expect(relative.body.points).toEqual([
      { t: at(T0 + 60_000), v: 2 },
      { t: at(T0 + 120_000), v: 1 },
    ]);
    // A queue never seen has no history: an empty series, not an error.
    expect((await history(app, `metric=queues.l9.open&${range}`)).body.points).toEqual([]);
  });

  it('reports the history in /healthz, and keeps it across a restart on the same DATA_DIR', async () => {
    const first = await start();
    await sampleScenario(first);
    const health = await first.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json().history).toEqual({ kind: 'embedded', ok: true, bufferedPoints: 0, droppedPoints: 0 });
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await start(first.dataDir);
    const { body } = await history(second, `metric=queues.l1.waiting&from=${at(T0)}&to=${at(T0 + 120_000)}&step=1m`);
    expect(body.points.map((p: { v: number }) => p.v)).toEqual([1, 2, 1]);
  });
});
