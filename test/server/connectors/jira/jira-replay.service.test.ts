// The Jira part of the demo recording (fixtures/replay/jira.ndjson) replayed into a real app
// through the Jira connector, signed Jira's way by the replay: the live numbers come out as the
// recording says. Expectations are computed from the recording itself (identifiers seen before
// are retries; an older `updated` than the newest applied is stale), not hard-coded.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReplay } from '../../../../server/connectors/replay.js';
import { RECORDING_FILE, recordingText } from '../fixtures/replay/generate-jira.js';
import { exampleMapping, expectGeneratorOutput, expectReplayed, ReplayApp, type Expected, type ExpectedTicket } from '../replay-harness.js';

const SECRET = 'jira-replay-secret';
let r: ReplayApp;

beforeEach(async () => {
  r = await ReplayApp.start('watchfloor-jira-replay-', { JIRA_WEBHOOK_SECRET: SECRET });
});

afterEach(async () => {
  await r.close();
});

interface Version extends ExpectedTicket {
  updated: number;
}

function expectedFrom(text: string): Expected {
  const mapping = exampleMapping('jira');
  const queues = new Map(Object.entries(mapping.queues).map(([k, v]) => [k.toLowerCase(), v]));
  const issues = new Map<string, Version>();
  const seen = new Set<string>();
  let duplicates = 0;
  let stale = 0;
  for (const line of text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))) {
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
  return { tickets: [...issues.values()], duplicates, stale };
}

describe('npm run replay: Jira', () => {
  it('the committed recording is what its generator makes (deterministic)', () => {
    expectGeneratorOutput(RECORDING_FILE, recordingText, 200);
  });

  it('replaying it yields the queues and day figures it describes, retries counted once, late deliveries stale', async () => {
    const deliveries = loadReplay([RECORDING_FILE]);
    const summary = await r.replay({ deliveries, secretFor: (vendor) => (vendor === 'jira' ? SECRET : null), speed: 1, run: 'test-run' });
    const expected = expectedFrom(fs.readFileSync(RECORDING_FILE, 'utf8'));
    const state = await expectReplayed({ t: r.t, summary, sent: deliveries.length, expected });
    expect(expected.stale).toBeGreaterThan(0);
    // First responses come from the "Time to first response" SLA cycles of the recording.
    expect(state.kpis.frtMedianSec).toBeGreaterThan(0);
  });
});
