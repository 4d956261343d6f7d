// Alerts survive a restart (embedded mode, issue 6): an alert fires, a supervisor acknowledges it,
// the app is closed and started again on the same DATA_DIR. The same firing instance comes back
// with its acknowledgement, over the API and to a wall that connects, and the history (fire, ack)
// goes on from where it was.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertsMessage } from '../../../contract/live-events.js';
import { ALERTS_DB_FILE } from '../../../server/store/embedded-alert-store.js';
import { bearer, startTestApp, TOKENS, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso } from '../../helpers/events.js';
import { postEvents } from '../../helpers/http.js';
import { baseUrl, LiveRecorder, waitFor } from '../../helpers/live-client.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
let clock = T0;
const apps: TestApp[] = [];
const clients: LiveRecorder[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const t of apps.splice(0)) await t.close();
});

async function start(dataDir?: string): Promise<TestApp> {
  const t = await startTestApp({ now: () => clock, ...(dataDir === undefined ? {} : { dataDir }) });
  apps.push(t);
  return t;
}

async function alertsOf(t: TestApp, query = ''): Promise<{ active: Array<Record<string, unknown>>; history: Array<Record<string, unknown>> }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/alerts${query}`, headers: bearer('viewer') });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const ofHistory = (history: Array<Record<string, unknown>>): string[] => history.map((h) => `${String(h.type)}:${String(h.alertId)}#${String(h.instance)}`);

describe('alerts across a restart (embedded)', () => {
  it('keep the firing instance, its acknowledgement and the history; the numbering goes on', async () => {
    clock = T0;
    const first = await start();
    await postEvents(first.app, [agentEvent({ id: 'a1', status: 'available' }, iso(clock))]);
    await first.app.alerts.evaluate();
    clock += 60_000;
    await first.app.alerts.evaluate(); // available 1 < 2 for 1 min: fires
    clock += 5_000;
    const ack = await first.app.inject({ method: 'POST', url: '/api/v1/alerts/agents-available-low/ack', headers: bearer('supervisor') });
    expect(ack.statusCode).toBe(200);
    const before = await alertsOf(first);
    expect(before.active).toMatchObject([
      {
        id: 'agents-available-low',
        state: 'firing',
        instance: 1,
        firedAt: iso(T0 + 60_000),
        value: 1,
        acknowledged: { by: 'supervisor-user', at: iso(clock) },
      },
    ]);
    await first.close();
    apps.splice(0);
    expect(fs.existsSync(path.join(first.dataDir, ALERTS_DB_FILE))).toBe(true);

    clock += 30_000;
    const second = await start(first.dataDir);
    // Before any evaluation: straight from the store.
    const after = await alertsOf(second);
    expect(after.active).toEqual(before.active);
    expect(after.history).toEqual(before.history);
    expect(ofHistory(after.history)).toEqual(['fire:agents-available-low#1', 'ack:agents-available-low#1']);

    // A wall connecting now is told of it (the active list went to the live hub at start).
    await second.app.listen({ host: '127.0.0.1', port: 0 });
    const wall = new LiveRecorder(baseUrl(second.app), TOKENS.viewer);
    clients.push(wall);
    const heard: AlertsMessage[] = [];
    wall.socket.on('alerts', (message) => heard.push(message));
    await waitFor(() => heard.length > 0, 'the alerts message on connect');
    expect(heard[0]!.active).toEqual(before.active);

    // The restored agents still number 1: evaluating keeps the same instance, acknowledged.
    await second.app.alerts.evaluate();
    expect((await alertsOf(second)).active).toMatchObject([{ id: 'agents-available-low', instance: 1, acknowledged: { by: 'supervisor-user' } }]);
    // Agents come back: it clears; one short again: a new firing, #2, needing a new acknowledgement.
    await postEvents(second.app, [agentEvent({ id: 'a2' }, iso(clock)), agentEvent({ id: 'a3' }, iso(clock))]);
    await second.app.alerts.evaluate();
    await postEvents(second.app, [agentEvent({ id: 'a2', status: 'away' }, iso(clock + 1)), agentEvent({ id: 'a3', status: 'away' }, iso(clock + 1))]);
    await second.app.alerts.evaluate();
    clock += 60_000;
    await second.app.alerts.evaluate();
    const last = await alertsOf(second);
    expect(last.active).toMatchObject([{ id: 'agents-available-low', instance: 2, acknowledged: null }]);
    expect(ofHistory(last.history)).toEqual([
      'fire:agents-available-low#1',
      'ack:agents-available-low#1',
      'clear:agents-available-low#1',
      'fire:agents-available-low#2',
    ]);
    expect(ofHistory((await alertsOf(second, '?limit=2')).history)).toEqual(['clear:agents-available-low#1', 'fire:agents-available-low#2']);
    const wrongLimit = await second.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=abc', headers: bearer('viewer') });
    expect(wrongLimit.statusCode).toBe(400);
    // The wall heard every change of the list.
    await waitFor(() => JSON.stringify(heard.at(-1)?.active) === JSON.stringify(last.active), 'the wall hearing the new firing');
  });
});
