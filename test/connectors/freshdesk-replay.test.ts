// The Freshdesk part of the demo recording (fixtures/replay/freshdesk.ndjson) replayed into a real
// app through the Freshdesk connector, with the shared secret: the live numbers come out as the
// recording says. Freshdesk bodies carry no version, so the later arrival wins and a repeated
// body (Freshdesk's retry) is counted once; expectations are computed from the recording.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../server/connectors/registry.js';
import { loadReplay, replay } from '../../server/connectors/replay.js';
import { startTestApp, tempDir, type TestApp } from '../helpers/app.js';
import { getState, queueOf } from '../helpers/http.js';
import { RECORDING_FILE, recordingText } from './fixtures/replay/generate-freshdesk.js';

const SECRET = 'freshdesk-replay-secret';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START = Date.parse('2026-03-10T08:30:00Z');
let clock = START;
let t: TestApp;

beforeEach(async () => {
  clock = START;
  const dashboardsDir = tempDir('watchfloor-freshdesk-replay-');
  fs.copyFileSync(path.join(root, 'dashboards/connectors.json'), path.join(dashboardsDir, 'connectors.json'));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, FRESHDESK_WEBHOOK_SECRET: SECRET } });
});

afterEach(async () => {
  await t.close();
});

function expectedFrom(text: string): { tickets: Map<string, { status: string; queue: string }>; duplicates: number } {
  const mapping = JSON.parse(fs.readFileSync(path.join(root, 'dashboards/connectors.json'), 'utf8')).freshdesk as { queues: Record<string, string>; defaultQueue: string };
  const queues = new Map(Object.entries(mapping.queues).map(([k, v]) => [k.toLowerCase(), v]));
  const tickets = new Map<string, { status: string; queue: string }>();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const line of text.trim().split('\n').map((l) => JSON.parse(l))) {
    const key = JSON.stringify(line.body);
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    tickets.set(line.body.ticket_id, { status: line.body.status.toLowerCase(), queue: queues.get(line.body.group.toLowerCase()) ?? mapping.defaultQueue });
  }
  return { tickets, duplicates };
}

describe('npm run replay: Freshdesk', () => {
  it('the committed recording is what its generator makes (deterministic)', () => {
    const text = fs.readFileSync(RECORDING_FILE, 'utf8');
    expect(text).toBe(recordingText());
    expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(100);
  });

  it('replaying it yields the queues and day figures it describes, retries counted once', async () => {
    const deliveries = loadReplay([RECORDING_FILE]);
    const summary = await replay({
      deliveries,
      definitions: CONNECTORS,
      secretFor: (vendor) => (vendor === 'freshdesk' ? SECRET : null),
      speed: 1,
      run: 'test-run',
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      send: async (vendor, headers, body) => {
        const response = await t.app.inject({ method: 'POST', url: `/api/v1/connectors/${vendor}`, headers, payload: body });
        return { status: response.statusCode, body: response.json() };
      },
    });
    const expected = expectedFrom(fs.readFileSync(RECORDING_FILE, 'utf8'));
    expect(summary).toMatchObject({ sent: deliveries.length, skipped: 0, failed: 0, rejected: 0, duplicates: expected.duplicates, stale: 0, errors: [] });
    expect(expected.duplicates).toBeGreaterThan(0);

    const state = await getState(t.app);
    const versions = [...expected.tickets.values()];
    const isOpen = (status: string) => !['resolved', 'closed'].includes(status);
    for (const queue of new Set(versions.map((v) => v.queue))) {
      expect(queueOf(state, queue).open, queue).toBe(versions.filter((v) => v.queue === queue && isOpen(v.status)).length);
    }
    expect(state.kpis.createdToday).toBe(expected.tickets.size);
    expect(state.kpis.solvedToday).toBe(versions.filter((v) => !isOpen(v.status)).length);
  });
});
