// The Freshdesk part of the demo recording (fixtures/replay/freshdesk.ndjson) replayed into a real
// app through the Freshdesk connector, with the shared secret: the live numbers come out as the
// recording says. Freshdesk bodies carry no version, so the later arrival wins and a repeated
// body (Freshdesk's retry) is counted once; expectations are computed from the recording.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { loadReplay } from '../../../../server/connectors/replay.js';
import { RECORDING_FILE, recordingText } from '../fixtures/replay/generate-freshdesk.js';
import { exampleMapping, expectGeneratorOutput, expectReplayed, ReplayApp, type Expected } from '../replay-harness.js';

const SECRET = 'freshdesk-replay-secret';
let r: ReplayApp;

beforeEach(async () => {
  r = await ReplayApp.start('watchfloor-freshdesk-replay-', { FRESHDESK_WEBHOOK_SECRET: SECRET });
});

afterEach(async () => {
  await r.close();
});

function expectedFrom(text: string): Expected {
  const mapping = exampleMapping('freshdesk');
  const queues = new Map(Object.entries(mapping.queues).map(([k, v]) => [k.toLowerCase(), v]));
  const tickets = new Map<string, { status: string; queue: string }>();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const line of text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))) {
    const key = JSON.stringify(line.body);
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    tickets.set(line.body.ticket_id, { status: line.body.status.toLowerCase(), queue: queues.get(line.body.group.toLowerCase()) ?? mapping.defaultQueue });
  }
  const isOpen = (status: string) => !['resolved', 'closed'].includes(status);
  // No version in the body: nothing is ever stale.
  return { tickets: [...tickets.values()].map(({ status, queue }) => ({ queue, open: isOpen(status), solved: !isOpen(status) })), duplicates, stale: 0 };
}

describe('npm run replay: Freshdesk', () => {
  it('the committed recording is what its generator makes (deterministic)', () => {
    expectGeneratorOutput(RECORDING_FILE, recordingText, 100);
  });

  it('replaying it yields the queues and day figures it describes, retries counted once', async () => {
    const deliveries = loadReplay([RECORDING_FILE]);
    const summary = await r.replay({ deliveries, secretFor: (vendor) => (vendor === 'freshdesk' ? SECRET : null), speed: 1, run: 'test-run' });
    await expectReplayed({ t: r.t, summary, sent: deliveries.length, expected: expectedFrom(fs.readFileSync(RECORDING_FILE, 'utf8')) });
  });
});
