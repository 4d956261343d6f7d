// The Jira part of the demo recording (fixtures/replay/jira.ndjson) replayed into a real app
// through the Jira connector, signed Jira's way by the replay: the live numbers come out as the
// recording says. Expectations are computed from the recording itself (identifiers seen before
// are retries; an older `updated` than the newest applied is stale), not hard-coded.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../server/connectors/registry.js';
import { loadReplay, replay } from '../../server/connectors/replay.js';
import { startTestApp, tempDir, type TestApp } from '../helpers/app.js';
import { getState, queueOf } from '../helpers/http.js';
import { RECORDING_FILE, recordingText } from './fixtures/replay/generate-jira.js';

const SECRET = 'jira-replay-secret';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START = Date.parse('2026-03-10T08:30:00Z');
let clock = START;
let t: TestApp;

beforeEach(async () => {
  clock = START;
  const dashboardsDir = tempDir('watchfloor-jira-replay-');
  fs.copyFileSync(path.join(root, 'dashboards/connectors.json'), path.join(dashboardsDir, 'connectors.json'));
  t = await startTestApp({ now: () => clock, env: { DASHBOARDS_DIR: dashboardsDir, JIRA_WEBHOOK_SECRET: SECRET } });
});

afterEach(async () => {
  await t.close();
});

interface Version {
  updated: number;
  open: boolean;
  solved: boolean;
  queue: string;
}

function expectedFrom(text: string): { issues: Map<string, Version>; duplicates: number; stale: number } {
  const mapping = JSON.parse(fs.readFileSync(path.join(root, 'dashboards/connectors.json'), 'utf8')).jira as { queues: Record<string, string>; defaultQueue: string };
  const queues = new Map(Object.entries(mapping.queues).map(([k, v]) => [k.toLowerCase(), v]));
  const issues = new Map<string, Version>();
  const seen = new Set<string>();
  let duplicates = 0;
  let stale = 0;
  for (const line of text.trim().split('\n').map((l) => JSON.parse(l))) {
    const body = line.body;
    // Not an issue change: no event, so a retry of it is not even counted as a duplicate.
    if (!String(body.webhookEvent).startsWith('jira:issue_')) continue;
    const id = line.headers['x-atlassian-webhook-identifier'];
    if (seen.has(id)) {
      duplicates++;
      continue;
    }
    seen.add(id);
    const fields = body.issue.fields;
    const deleted = body.webhookEvent === 'jira:issue_deleted';
    const updated = Math.max(Date.parse(fields.updated.replace('+0000', 'Z')), deleted ? body.timestamp : 0);
    const done = fields.status.statusCategory.key === 'done';
    const candidates = [fields.customfield_10010.requestType.name, fields.customfield_10010.requestType.id, fields.project.key, fields.project.name];
    const queue = candidates.map((c: string) => queues.get(c.toLowerCase())).find((q) => q !== undefined) ?? mapping.defaultQueue;
    const known = issues.get(body.issue.key);
    if (known !== undefined && updated < known.updated) stale++;
    else issues.set(body.issue.key, { updated, open: !done && !deleted, solved: done || deleted, queue });
  }
  return { issues, duplicates, stale };
}

describe('npm run replay: Jira', () => {
  it('the committed recording is what its generator makes (deterministic)', () => {
    const text = fs.readFileSync(RECORDING_FILE, 'utf8');
    expect(text).toBe(recordingText());
    expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(200);
  });

  it('replaying it yields the queues and day figures it describes, retries counted once, late deliveries stale', async () => {
    const deliveries = loadReplay([RECORDING_FILE]);
    const summary = await replay({
      deliveries,
      definitions: CONNECTORS,
      secretFor: (vendor) => (vendor === 'jira' ? SECRET : null),
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
    expect(summary).toMatchObject({ sent: deliveries.length, skipped: 0, failed: 0, rejected: 0, duplicates: expected.duplicates, stale: expected.stale, errors: [] });
    expect(expected.duplicates).toBeGreaterThan(0);
    expect(expected.stale).toBeGreaterThan(0);

    const state = await getState(t.app);
    const versions = [...expected.issues.values()];
    for (const queue of new Set(versions.map((v) => v.queue))) {
      expect(queueOf(state, queue).open, queue).toBe(versions.filter((v) => v.queue === queue && v.open).length);
    }
    expect(state.kpis.createdToday).toBe(expected.issues.size);
    expect(state.kpis.solvedToday).toBe(versions.filter((v) => v.solved).length);
    // First responses come from the "Time to first response" SLA cycles of the recording.
    expect(state.kpis.frtMedianSec).toBeGreaterThan(0);
  });
});
