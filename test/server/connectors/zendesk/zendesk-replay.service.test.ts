// The demo recording (fixtures/replay/zendesk.ndjson) replayed into a real app through the Zendesk
// connector: the live numbers come out as the recording says they should. The expectations are
// computed here from the recording itself (last version of each ticket and agent, retries and
// late deliveries), not hard-coded, so a regenerated recording is checked the same way.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReplay, rewrite } from '../../../../server/connectors/replay.js';
import { RECORDING_FILE, recordingText } from '../fixtures/replay/generate-zendesk.js';
import { exampleMapping, expectGeneratorOutput, expectReplayed, ReplayApp, START, type Expected } from '../replay-harness.js';
import { ZENDESK_SECRET } from '../zendesk-helpers.js';

let r: ReplayApp;

beforeEach(async () => {
  r = await ReplayApp.start('watchfloor-replay-', { ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET });
});

afterEach(async () => {
  await r.close();
});

/** What the recording should leave behind, by Zendesk's rules read straight off the JSON lines. */
function expectedFrom(text: string): Expected & { agents: Map<string, { at: number; status: string }> } {
  const mapping = exampleMapping('zendesk');
  const queueOf = (group: unknown): string =>
    mapping.queues[Object.keys(mapping.queues).find((k) => k.toLowerCase() === String(group).toLowerCase()) ?? ''] ?? mapping.defaultQueue;
  const statusOf = (raw: string): string => ({ hold: 'pending' })[raw.toLowerCase()] ?? raw.toLowerCase();
  const agentStatusOf: Record<string, string> = { online: 'available', away: 'away', offline: 'offline', transfers_only: 'busy' };
  const tickets = new Map<string, { updatedAt: number; status: string; queue: string }>();
  const agents = new Map<string, { at: number; status: string }>();
  let duplicates = 0;
  let stale = 0;
  const seen = new Set<string>();
  for (const line of text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))) {
    const body = line.body;
    // Not used at all (no event, so not even counted as a duplicate): another channel's state.
    if (body.type === 'zen:event-type:agent.state_changed' && body.event.channel !== 'support') continue;
    const deliveryId = body.id ?? line.headers?.['x-zendesk-webhook-invocation-id'];
    if (seen.has(deliveryId)) {
      duplicates++;
      continue;
    }
    seen.add(deliveryId);
    if (body.source === 'zendesk-trigger' || String(body.type).startsWith('zen:event-type:ticket.')) {
      const trigger = body.source === 'zendesk-trigger';
      const id = trigger ? body.ticket_id : body.detail.id;
      const version = {
        updatedAt: Date.parse(trigger ? body.updated_at : body.detail.updated_at),
        status: statusOf(trigger ? body.status : body.detail.status),
        queue: queueOf(trigger ? body.group : body.detail.group_id),
      };
      const known = tickets.get(id);
      if (known !== undefined && version.updatedAt < known.updatedAt) stale++;
      else tickets.set(id, version);
    } else {
      const name = body.type === 'zen:event-type:agent.state_changed' ? body.event.new_state : body.event.new_unified_state.name;
      const version = { at: Date.parse(body.event.updated_at), status: agentStatusOf[name]! };
      const known = agents.get(body.detail.agent_id);
      if (known !== undefined && version.at < known.at) stale++;
      else agents.set(body.detail.agent_id, version);
    }
  }
  return {
    tickets: [...tickets.values()].map(({ status, queue }) => ({ queue, open: ['new', 'open', 'pending'].includes(status), solved: status === 'solved' })),
    agents,
    duplicates,
    stale,
  };
}

describe('npm run replay', () => {
  it('the committed recording is what its generator makes (deterministic), a few hundred deliveries', () => {
    expectGeneratorOutput(RECORDING_FILE, recordingText, 300);
  });

  it.each([1, 'max'] as const)('replaying the recording at speed %s yields the queue, agent and KPI numbers it describes', async (speed) => {
    const text = fs.readFileSync(RECORDING_FILE, 'utf8');
    const deliveries = loadReplay([RECORDING_FILE]);
    const summary = await r.replay({ deliveries, secretFor: () => ZENDESK_SECRET, speed, run: 'test-run' });
    const expected = expectedFrom(text);
    const state = await expectReplayed({ t: r.t, summary, sent: deliveries.length, expected, queues: ['l1', 'l2', 'l3'] });
    expect(expected.stale).toBeGreaterThan(0);
    // Paced as recorded: the replay's clock moved as far as the recording spans ('max': not at all).
    expect(r.clock - START).toBe(speed === 'max' ? 0 : deliveries.at(-1)!.at - deliveries[0]!.at);

    expect(r.t.app.model.ticketCount).toBe(expected.tickets.length);
    const agents = { available: 0, busy: 0, away: 0, offline: 0 };
    for (const { status } of expected.agents.values()) agents[status as keyof typeof agents]++;
    expect(state.agents).toEqual(agents);
    expect(expected.tickets.filter((v) => v.open && ['l1', 'l2', 'l3'].includes(v.queue)).length).toBeGreaterThan(5);
  });

  it('a second run with another run id is not deduplicated away', async () => {
    const options = { deliveries: loadReplay([RECORDING_FILE]).slice(0, 20), secretFor: () => ZENDESK_SECRET, speed: 'max' as const };
    const first = await r.replay({ ...options, run: 'one' });
    r.clock += 60 * 60_000;
    const second = await r.replay({ ...options, run: 'two' });
    expect(first.failed + second.failed).toBe(0);
    expect(second.accepted).toBe(first.accepted);
  });

  it('rebases ISO times and epoch fields and fills in the run id', () => {
    const rebase = { recordedStart: Date.parse('2025-01-08T08:00:00Z'), replayStart: Date.parse('2026-03-10T08:00:00Z'), speed: 60, run: 'r1' };
    expect(
      rewrite(
        {
          id: '{{run}}-x',
          at: '2025-01-08T09:00:00Z',
          jira: '2025-01-08T09:00:00.000+0000',
          timestamp: Date.parse('2025-01-08T10:00:00Z'),
          n: 5,
          label: 'Open',
        },
        rebase,
      ),
    ).toEqual({
      id: 'r1-x',
      at: '2026-03-10T08:01:00.000Z',
      jira: '2026-03-10T08:01:00.000Z',
      timestamp: Date.parse('2026-03-10T08:02:00Z'),
      n: 5,
      label: 'Open',
    });
  });
});
