// Names from input are data: a ticket source, queue, agent (id, name, team), tag or wall called
// `constructor`, `__proto__`, `toString`, `valueOf` or `hasOwnProperty` works like any other name,
// through POST /api/v1/events and every read (state, ticket views, agents, history, KPIs, alerts),
// and still after a restart (graceful, and a crash whose journal is replayed). Before the fix, one
// ticket with such a source made every ticket view answer 500 from then on, restarts included.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentView, LiveState, ListedTicket } from '../../../contract/domain.js';
import { bearer, startTestApp, tempDir, TOKENS, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso, ticketEvent } from '../../helpers/events.js';
import { baseUrl, LiveRecorder, waitFor } from '../../helpers/live-client.js';

const NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'] as const;
const NOW = Date.parse('2026-11-26T14:00:00Z');
const MIN = 60_000;
let clock = NOW;

/** A DASHBOARDS_DIR with one board and alert rules that name the hostile queues and sources. */
function dashboardsDir(): string {
  const dir = tempDir('watchfloor-names-');
  const board = { id: 'names', title: 'Names', pages: [{ widgets: [{ type: 'queue-table', x: 0, y: 0, w: 6, h: 4 }] }] };
  fs.writeFileSync(path.join(dir, 'names.json'), JSON.stringify(board));
  const rules = NAMES.flatMap((name, i) => [
    { id: `queue-${i}`, title: `${name} open`, metric: `queues.${name}.open`, op: '>=', value: 1, forSec: 0, severity: 'warning' },
    { id: `silent-${i}`, kind: 'no-events', title: `${name} silent`, source: name, forSec: 60, severity: 'warning' },
  ]);
  // A rule id that is an Object method too: the alert state is kept per rule id across restarts.
  rules.push({ id: 'constructor', title: 'constructor rule', metric: 'agents.busy', op: '>=', value: 1, forSec: 0, severity: 'critical' });
  fs.writeFileSync(path.join(dir, 'alerts.json'), JSON.stringify({ rules }));
  return dir;
}

const DASHBOARDS = dashboardsDir();

async function start(dataDir?: string): Promise<TestApp> {
  return startTestApp({ now: () => clock, dataDir, env: { DASHBOARDS_DIR: DASHBOARDS } });
}

async function post(t: TestApp, events: unknown[]): Promise<void> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
  expect(response.statusCode, response.body).toBe(202);
  expect(response.json().rejected).toEqual([]);
}

async function read<T>(t: TestApp, url: string): Promise<T> {
  const response = await t.app.inject({ method: 'GET', url, headers: bearer('viewer') });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return response.json<T>();
}

const tickets = async (t: TestApp, view: string): Promise<ListedTicket[]> =>
  (await read<{ tickets: ListedTicket[] }>(t, `/api/v1/tickets?view=${view}`)).tickets;

/** Per name: one ticket in each ticket view (at risk, waiting, breached) and an agent, all named after it. */
function eventsFor(name: string, n: number): unknown[] {
  const created = iso(NOW - 30 * MIN);
  const base = { source: name, queue: name, assignee: name, tags: [name, `${name}-2`], createdAt: created, updatedAt: created };
  return [
    ticketEvent({ ...base, id: `${name}-risk`, subject: `${name} at risk`, firstResponseDueAt: iso(NOW + 5 * MIN) }, { id: `ev-${n}-risk` }),
    ticketEvent({ ...base, id: `${name}-late`, subject: `${name} breached`, firstResponseDueAt: iso(NOW - 5 * MIN) }, { id: `ev-${n}-late` }),
    agentEvent({ id: name, name, team: name, status: 'busy' }, created, `ev-${n}-agent`),
  ];
}

/** As a ticket source: every ticket view lists the tickets (with no link: no template for that source). */
async function expectSource(t: TestApp, name: string): Promise<void> {
  const risk = await tickets(t, 'at-risk');
  expect(
    risk.find((row) => row.id === `${name}-risk`),
    `at-risk ${name}`,
  ).toMatchObject({ source: name, url: null });
  const late = await tickets(t, 'breached');
  expect(
    late.find((row) => row.id === `${name}-late`),
    `breached ${name}`,
  ).toMatchObject({ source: name, breached: true });
  const waiting = await tickets(t, 'waiting');
  expect(
    waiting
      .filter((row) => row.source === name)
      .map((row) => row.id)
      .sort(),
    `waiting ${name}`,
  ).toEqual([`${name}-late`, `${name}-risk`]);
}

/** As a queue: its row in the state, its tickets in the views, and today's figures count them. */
async function expectQueue(t: TestApp, name: string): Promise<void> {
  const state = await read<LiveState>(t, '/api/v1/state');
  expect(
    state.queues.find((q) => q.id === name),
    `queue ${name}`,
  ).toEqual({ id: name, open: 2, waiting: 2, oldestWaitingSec: 1800, breached: 1, atRisk: 1 });
  expect((await tickets(t, 'waiting')).filter((row) => row.queue === name)).toHaveLength(2);
  const kpis = await read<{ today: { createdToday: number } }>(t, '/api/v1/kpis/compare');
  expect(kpis.today.createdToday).toBe(2 * NAMES.length);
}

/** As an agent id, name and team, and as the assignee of tickets. */
async function expectAgent(t: TestApp, name: string): Promise<void> {
  const agents = (await read<{ agents: AgentView[] }>(t, '/api/v1/agents')).agents;
  expect(
    agents.find((a) => a.id === name),
    `agent ${name}`,
  ).toMatchObject({ name, team: name, status: 'busy' });
  expect((await read<LiveState>(t, '/api/v1/state')).agents.busy).toBe(NAMES.length);
  expect((await tickets(t, 'at-risk')).find((row) => row.id === `${name}-risk`)?.assignee).toBe(name);
}

/** Everything a screen reads shows each name as it was sent. */
async function expectNamesEverywhere(t: TestApp): Promise<void> {
  for (const name of NAMES) {
    await expectSource(t, name);
    await expectQueue(t, name);
    await expectAgent(t, name);
  }
}

describe('names that are Object methods, through ingest and every read', () => {
  let t: TestApp;
  let url: string;
  const walls: LiveRecorder[] = [];

  beforeAll(async () => {
    clock = NOW;
    t = await start();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = baseUrl(t.app);
    await post(
      t,
      NAMES.flatMap((name, n) => eventsFor(name, n)),
    );
    t.app.history.sampler.sample();
    await t.app.alerts.evaluate();
    clock = NOW + 61_000;
    await t.app.alerts.evaluate();
    clock = NOW;
  });
  afterAll(async () => {
    for (const wall of walls) wall.close();
    await t?.close();
  });

  describe.each(NAMES.map((name, i) => ({ name, i })))('"$name"', ({ name, i }) => {
    it('as a ticket source: state, every ticket view, and the silence alert of that source', async () => {
      await expectSource(t, name);
      const active = (await read<{ active: { id: string; value: number }[] }>(t, '/api/v1/alerts')).active;
      // The source sent its events at NOW (the server's clock): 61 s of silence at the last evaluation.
      expect(active.find((a) => a.id === `silent-${i}`)?.value, `silence alert ${name}`).toBe(61);
    });

    it('as a queue: state, ticket views, KPIs, history and a threshold alert on it', async () => {
      await expectQueue(t, name);
      const history = await read<{ metric: string; points: { v: number }[] }>(
        t,
        `/api/v1/history?metric=${encodeURIComponent(`queues.${name}.open`)}&from=-10m&to=now`,
      );
      expect(history.metric).toBe(`queues.${name}.open`);
      expect(history.points.at(-1)?.v, `history of ${name}`).toBe(2);
      const active = (await read<{ active: { id: string; value: number }[] }>(t, '/api/v1/alerts')).active;
      expect(active.find((a) => a.id === `queue-${i}`)?.value, `queue alert ${name}`).toBe(2);
    });

    it('as agent id, agent name, team and assignee', async () => {
      await expectAgent(t, name);
    });

    it('as a tag: an incident matching it links the tagged tickets', async () => {
      const declared = await t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: bearer('commander'),
        payload: { title: `Outage ${name}`, severity: 'SEV3', match: { tags: [name] } },
      });
      expect(declared.statusCode, declared.body).toBe(201);
      const incident = await read<{ linkedTickets: { count: number }; match: { tags: string[] } }>(t, `/api/v1/incidents/${declared.json().id}`);
      expect(incident.match.tags).toEqual([name]);
      expect(incident.linkedTickets.count, `tickets tagged ${name}`).toBe(2);
    });

    it('as a wall name: the wall connects, is listed and can be switched', async () => {
      const wall = new LiveRecorder(url, TOKENS.viewer);
      walls.push(wall);
      const shown: string[] = [];
      wall.socket.on('dashboard', ({ dashboard }) => shown.push(dashboard.id));
      const switched: string[] = [];
      wall.socket.on('show-dashboard', ({ dashboard }) => switched.push(dashboard));
      await wall.ready();
      wall.socket.emit('wall', { dashboard: 'names', name });
      await waitFor(() => shown.length > 0, `the dashboard of wall ${name}`);
      const listed = await read<{ walls: { name: string | null }[] }>(t, '/api/v1/walls');
      expect(
        listed.walls.some((w) => w.name === name),
        `wall ${name} listed`,
      ).toBe(true);
      const show = await t.app.inject({
        method: 'POST',
        url: `/api/v1/walls/${encodeURIComponent(name)}/show`,
        headers: bearer('supervisor'),
        payload: { dashboard: 'names' },
      });
      expect(show.statusCode, `show on ${name}: ${show.body}`).toBe(200);
      expect(show.json()).toMatchObject({ wall: name, walls: 1 });
      await waitFor(() => switched.length > 0, `the switch of wall ${name}`);
    });
  });

  it('keeps the state of an alert whose rule id is "constructor"', async () => {
    const active = (await read<{ active: { id: string; value: number }[] }>(t, '/api/v1/alerts')).active;
    expect(active.find((a) => a.id === 'constructor')?.value).toBe(NAMES.length);
  });
});

describe('names that are Object methods survive a restart', () => {
  const opened: TestApp[] = [];
  afterEach(async () => {
    for (const app of opened.splice(0).reverse()) await app.close();
  });

  it('after a graceful restart (checkpointed tables)', async () => {
    clock = NOW;
    const first = await start();
    opened.push(first);
    await post(
      first,
      NAMES.flatMap((name, n) => eventsFor(name, n)),
    );
    await first.close();
    opened.splice(0);
    const second = await start(first.dataDir);
    opened.push(second);
    await expectNamesEverywhere(second);
  });

  it('after a crash (the journal replayed)', async () => {
    clock = NOW;
    const first = await start();
    opened.push(first);
    await post(
      first,
      NAMES.flatMap((name, n) => eventsFor(name, n)),
    );
    // Never closed before the second reads the directory: as after a kill -9, nothing was checkpointed.
    const second = await start(first.dataDir);
    opened.push(second);
    await expectNamesEverywhere(second);
  });

  it('keeps the alert state of rule "constructor" and the silence of source "constructor" over a restart', async () => {
    clock = NOW;
    const first = await start();
    opened.push(first);
    await post(
      first,
      NAMES.flatMap((name, n) => eventsFor(name, n)),
    );
    await first.app.alerts.evaluate();
    const before = (await read<{ active: { id: string; instance: number; firedAt: string }[] }>(first, '/api/v1/alerts')).active;
    const fired = before.find((a) => a.id === 'constructor');
    expect(fired).toBeDefined();
    await first.close();
    opened.splice(0);
    clock = NOW + 61_000;
    const second = await start(first.dataDir);
    opened.push(second);
    await second.app.alerts.evaluate();
    const after = (await read<{ active: { id: string; instance: number; firedAt: string; value: number }[] }>(second, '/api/v1/alerts')).active;
    // The same firing, not a new one: its state was found again under the id "constructor".
    expect(after.find((a) => a.id === 'constructor')).toMatchObject({ instance: fired!.instance, firedAt: fired!.firedAt });
    // The silence counts from the source's last event before the restart (index 0 is "constructor").
    expect(after.find((a) => a.id === 'silent-0')?.value).toBe(61);
  });
});
