// GET /api/v1/alerts and POST /api/v1/alerts/:id/ack on the real app (shipped rules), with a
// controllable clock; state is driven by ingesting events and the evaluation is called directly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso } from '../../helpers/events.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
let clock = T0;
let t: TestApp;

beforeEach(async () => {
  clock = T0;
  t = await startTestApp({ now: () => clock });
});
afterEach(async () => {
  await t.close();
});

async function ingest(events: unknown[]): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
  expect(res.statusCode).toBe(202);
}

describe('alerts API', () => {
  it('fires "available agents < 2" after 1 min, lets a supervisor acknowledge it, and clears on agents coming back', async () => {
    await ingest([agentEvent({ id: 'a1', status: 'available' }, iso(clock))]);
    await t.app.alerts.evaluate();
    clock += 59_000;
    await t.app.alerts.evaluate();
    let res = await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer('viewer') });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toEqual([]);

    clock += 1_000;
    await t.app.alerts.evaluate();
    res = await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer('viewer') });
    expect(res.json().active).toMatchObject([{ id: 'agents-available-low', state: 'firing', value: 1, acknowledged: null }]);

    expect((await t.app.inject({ method: 'POST', url: '/api/v1/alerts/agents-available-low/ack' })).statusCode).toBe(401);
    const denied = await t.app.inject({ method: 'POST', url: '/api/v1/alerts/agents-available-low/ack', headers: bearer('viewer') });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ error: { code: 'forbidden' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/alerts/nope/ack', headers: bearer('supervisor') });
    expect(unknown.statusCode).toBe(404);
    const notFiring = await t.app.inject({ method: 'POST', url: '/api/v1/alerts/l1-waiting/ack', headers: bearer('supervisor') });
    expect(notFiring.statusCode).toBe(409);

    clock += 5_000;
    const ack = await t.app.inject({ method: 'POST', url: '/api/v1/alerts/agents-available-low/ack', headers: bearer('supervisor') });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ id: 'agents-available-low', acknowledged: { by: 'supervisor-user', at: iso(clock) } });

    // Two more available agents: 3 ≥ clearValue 3, so it clears.
    await ingest([agentEvent({ id: 'a2' }, iso(clock)), agentEvent({ id: 'a3' }, iso(clock))]);
    await t.app.alerts.evaluate();
    res = await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer('viewer') });
    const body = res.json();
    expect(body.active).toEqual([]);
    expect(body.history.map((h: { type: string; alertId: string }) => `${h.type}:${h.alertId}`)).toEqual([
      'fire:agents-available-low',
      'ack:agents-available-low',
      'clear:agents-available-low',
    ]);
    expect(body.problems).toEqual([]);
  });

  it('fires "no events for 5 min" after five silent minutes and clears on the next event', async () => {
    await ingest([agentEvent({ id: 'a1' }, iso(clock)), agentEvent({ id: 'a2' }, iso(clock)), agentEvent({ id: 'a3' }, iso(clock))]);
    clock += 300_000;
    await t.app.alerts.evaluate();
    expect(t.app.alerts.active().map((a) => a.id)).toEqual(['no-events']);
    await ingest([agentEvent({ id: 'a4' }, iso(clock))]);
    await t.app.alerts.evaluate();
    expect(t.app.alerts.active()).toEqual([]);
  });

  it('needs a token to read', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/alerts' })).statusCode).toBe(401);
  });
});
