// The arrivals of the tickets a restart puts back (docs/operations.md#restart): after a crash, a
// ticket whose checkpoint was written before its arrival was stored is counted then; after a clean
// stop the store holds every arrival already and the restored tickets are not counted again.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketOf } from '../../../server/arrivals/arrivals-store.js';
import { asChanged, type StoredTicket } from '../../../server/domain/live-model.js';
import { EmbeddedStore } from '../../../server/store/embedded-store.js';
import { startTestApp, type TestApp, tempDir } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';

const NOW = Date.parse('2026-12-03T10:05:00Z');
const CREATED = '2026-12-03T09:40:00Z';
const opened: TestApp[] = [];

afterEach(async () => {
  for (const t of opened.splice(0).reverse()) await t.close();
});

async function start(dataDir: string): Promise<TestApp> {
  const t = await startTestApp({ now: () => NOW, dataDir });
  opened.push(t);
  await t.app.ready();
  return t;
}

async function stop(t: TestApp): Promise<void> {
  opened.splice(opened.indexOf(t), 1);
  await t.close();
}

/** A checkpoint holding the ticket and nothing stored of its arrival: what a crash right after that checkpoint leaves. */
async function checkpointOnly(dataDir: string, id: string): Promise<void> {
  const { ticket } = ticketEvent({ id, queue: 'l1', createdAt: CREATED, updatedAt: CREATED });
  const stored: StoredTicket = { key: `${ticket.source}:${ticket.id}`, ticket, csatAt: null, history: [[Date.parse(CREATED), 'l1', ticket.status]] };
  const store = new EmbeddedStore({ dataDir });
  await store.checkpoint({ tickets: [asChanged(stored)], agents: [], removedTickets: [] }, NOW);
  await store.close();
}

/** Arrivals of l1 counted in CREATED's bucket, once the app has handed over what it holds. */
async function counted(t: TestApp): Promise<number> {
  await t.app.flushArrivals();
  const bucket = bucketOf(Date.parse(CREATED));
  return (await t.app.arrivals.counts('l1', bucket, bucket + 1)).get(bucket) ?? 0;
}

describe('the arrivals of restored tickets', () => {
  it('are counted after a crash, not after a clean stop, and never twice', async () => {
    const dataDir = tempDir();
    await checkpointOnly(dataDir, 'A');
    // A DATA_DIR that never saw a clean stop: the restored ticket is counted.
    const first = await start(dataDir);
    expect(first.app.model.ticketCount).toBe(1);
    expect(await counted(first)).toBe(1);
    await stop(first);

    // After that clean stop, a ticket in the checkpoint is taken as counted: B, put there behind
    // the store's back, proves that nothing restored was counted again.
    await checkpointOnly(dataDir, 'B');
    const second = await start(dataDir);
    expect(second.app.model.ticketCount).toBe(2);
    expect(await counted(second)).toBe(1);
    // The DATA_DIR as a crash of this process would leave it: the clean stop was forgotten at start.
    const crashed = tempDir();
    fs.cpSync(dataDir, crashed, { recursive: true });
    await stop(second);

    const third = await start(crashed);
    expect(await counted(third)).toBe(2);
    await stop(third);
    // And once more after its clean stop: A and B once each.
    const fourth = await start(crashed);
    expect(await counted(fourth)).toBe(2);
  });
});
