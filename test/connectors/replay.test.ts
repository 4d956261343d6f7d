// The demo recording (fixtures/replay/zendesk.ndjson) replayed into a real app through the Zendesk
// connector: the live numbers come out as the recording says they should. The expectations are
// computed here from the recording itself (last version of each ticket and agent, retries and
// late deliveries), not hard-coded, so a regenerated recording is checked the same way.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../server/connectors/registry.js';
import { loadReplay, replay, rewrite } from '../../server/connectors/replay.js';
import { startTestApp, tempDir, type TestApp } from '../helpers/app.js';
import { getState, queueOf } from '../helpers/http.js';
import { RECORDING_FILE, recordingText } from './fixtures/replay/generate-zendesk.js';
import { ZENDESK_SECRET } from './zendesk-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START = Date.parse('2026-03-10T08:30:00Z');
let clock = START;
let t: TestApp;

beforeEach(async () => {
  clock = START;
  const dashboardsDir = tempDir('watchfloor-replay-');
  // The shipped example mapping: the recording's groups and agents are the demo's.
  fs.copyFileSync(path.join(root, 'dashboards/connectors.json'), path.join(dashboardsDir, 'connectors.json'));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET } });
});

afterEach(async () => {
  await t.close();
});

interface Expected {
  tickets: Map<string, { updatedAt: number; status: string; queue: string }>;
  agents: Map<string, { at: number; status: string }>;
  duplicates: number;
  stale: number;
}

/** What the recording should leave behind, by Zendesk's rules read straight off the JSON lines. */
function expectedFrom(text: string): Expected {
  const mapping = JSON.parse(fs.readFileSync(path.join(root, 'dashboards/connectors.json'), 'utf8')).zendesk as { queues: Record<string, string>; defaultQueue: string };
  const queueOf = (group: unknown): string => mapping.queues[Object.keys(mapping.queues).find((k) => k.toLowerCase() === String(group).toLowerCase()) ?? ''] ?? mapping.defaultQueue;
  const statusOf = (raw: string): string => ({ hold: 'pending' })[raw.toLowerCase()] ?? raw.toLowerCase();
  const agentStatusOf: Record<string, string> = { online: 'available', away: 'away', offline: 'offline', transfers_only: 'busy' };
  const expected: Expected = { tickets: new Map(), agents: new Map(), duplicates: 0, stale: 0 };
  const seen = new Set<string>();
  for (const line of text.trim().split('\n').map((l) => JSON.parse(l))) {
    const body = line.body;
    // Not used at all (no event, so not even counted as a duplicate): another channel's state.
    if (body.type === 'zen:event-type:agent.state_changed' && body.event.channel !== 'support') continue;
    const deliveryId = body.id ?? line.headers?.['x-zendesk-webhook-invocation-id'];
    if (seen.has(deliveryId)) {
      expected.duplicates++;
      continue;
    }
    seen.add(deliveryId);
    if (body.source === 'zendesk-trigger' || String(body.type).startsWith('zen:event-type:ticket.')) {
      const trigger = body.source === 'zendesk-trigger';
      const id = trigger ? body.ticket_id : body.detail.id;
      const version = { updatedAt: Date.parse(trigger ? body.updated_at : body.detail.updated_at), status: statusOf(trigger ? body.status : body.detail.status), queue: queueOf(trigger ? body.group : body.detail.group_id) };
      const known = expected.tickets.get(id);
      if (known !== undefined && version.updatedAt < known.updatedAt) expected.stale++;
      else expected.tickets.set(id, version);
    } else {
      const name = body.type === 'zen:event-type:agent.state_changed' ? body.event.new_state : body.event.new_unified_state.name;
      const version = { at: Date.parse(body.event.updated_at), status: agentStatusOf[name]! };
      const known = expected.agents.get(body.detail.agent_id);
      if (known !== undefined && version.at < known.at) expected.stale++;
      else expected.agents.set(body.detail.agent_id, version);
    }
  }
  return expected;
}

describe('npm run replay', () => {
  it('the committed recording is what its generator makes (deterministic), a few hundred deliveries', () => {
    const text = fs.readFileSync(RECORDING_FILE, 'utf8');
    expect(text).toBe(recordingText());
    expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(300);
  });

  it.each([1, 'max'] as const)('replaying the recording at speed %s yields the queue, agent and KPI numbers it describes', async (speed) => {
    const text = fs.readFileSync(RECORDING_FILE, 'utf8');
    const deliveries = loadReplay([RECORDING_FILE]);
    const summary = await replay({
      deliveries,
      definitions: CONNECTORS,
      secretFor: () => ZENDESK_SECRET,
      speed,
      run: 'test-run',
      now: () => clock,
      // The recorded pace on the test's clock: every wait moves the app's clock too.
      sleep: async (ms) => {
        clock += ms;
      },
      send: async (vendor, headers, body) => {
        const response = await t.app.inject({ method: 'POST', url: `/api/v1/connectors/${vendor}`, headers, payload: body });
        return { status: response.statusCode, body: response.json() };
      },
    });
    const expected = expectedFrom(text);
    expect(summary).toMatchObject({ sent: deliveries.length, skipped: 0, failed: 0, rejected: 0, duplicates: expected.duplicates, stale: expected.stale, errors: [] });
    expect(expected.duplicates).toBeGreaterThan(0);
    expect(expected.stale).toBeGreaterThan(0);
    // Paced as recorded: the replay's clock moved as far as the recording spans ('max': not at all).
    expect(clock - START).toBe(speed === 'max' ? 0 : deliveries.at(-1)!.at - deliveries[0]!.at);

    const state = await getState(t.app);
    const open = (queue: string) => [...expected.tickets.values()].filter((v) => v.queue === queue && ['new', 'open', 'pending'].includes(v.status)).length;
    for (const queue of ['l1', 'l2', 'l3']) expect(queueOf(state, queue).open, queue).toBe(open(queue));
    expect(t.app.watch.model.ticketCount).toBe(expected.tickets.size);
    expect(state.kpis.createdToday).toBe(expected.tickets.size);
    expect(state.kpis.solvedToday).toBe([...expected.tickets.values()].filter((v) => v.status === 'solved').length);
    const agents = { available: 0, busy: 0, away: 0, offline: 0 };
    for (const { status } of expected.agents.values()) agents[status as keyof typeof agents]++;
    expect(state.agents).toEqual(agents);
    expect(open('l1') + open('l2') + open('l3')).toBeGreaterThan(5);
  });

  it('a second run with another run id is not deduplicated away', async () => {
    const deliveries = loadReplay([RECORDING_FILE]).slice(0, 20);
    const send = async (vendor: string, headers: Record<string, string>, body: Buffer) => {
      const response = await t.app.inject({ method: 'POST', url: `/api/v1/connectors/${vendor}`, headers, payload: body });
      return { status: response.statusCode, body: response.json() };
    };
    const options = { deliveries, definitions: CONNECTORS, secretFor: () => ZENDESK_SECRET, speed: 'max' as const, now: () => clock, sleep: async () => {}, send };
    const first = await replay({ ...options, run: 'one' });
    clock += 60 * 60_000;
    const second = await replay({ ...options, run: 'two' });
    expect(first.failed + second.failed).toBe(0);
    expect(second.accepted).toBe(first.accepted);
  });

  it('rebases ISO times and epoch fields and fills in the run id', () => {
    const rebase = { recordedStart: Date.parse('2025-01-08T08:00:00Z'), replayStart: Date.parse('2026-03-10T08:00:00Z'), speed: 60, run: 'r1' };
    expect(
      rewrite({ id: '{{run}}-x', at: '2025-01-08T09:00:00Z', jira: '2025-01-08T09:00:00.000+0000', timestamp: Date.parse('2025-01-08T10:00:00Z'), n: 5, label: 'Open' }, rebase),
    ).toEqual({ id: 'r1-x', at: '2026-03-10T08:01:00.000Z', jira: '2026-03-10T08:01:00.000Z', timestamp: Date.parse('2026-03-10T08:02:00Z'), n: 5, label: 'Open' });
  });
});
