// A restart that restores a large live state while the server already listens (issue 18,
// docs/operations.md#restart): until the model is whole, /healthz answers 503 "recovering" with
// its progress, events and webhooks answer 503 with Retry-After, GET /api/v1/state answers 503,
// and a wall that connects gets its first state only once it is whole (never half of it); the
// restore logs its progress and its total time. A close during the restore writes no checkpoint
// (the journal not yet replayed stays for the next start). And a DATA_DIR whose checkpoint was
// written in the format before compact rows still loads.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import { asChanged, type StoredTicket } from '../../../server/domain/live-model.js';
import { LiveReadiness } from '../../../server/ingest/live-readiness.js';
import { EmbeddedStore } from '../../../server/store/embedded-store.js';
import { readJournal } from '../../../server/store/journal-file.js';
import { decodeTicketRow } from '../../../server/store/ticket-row.js';
import { bearer, startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { getState, postEvents } from '../../helpers/http.js';
import { baseUrl, LiveRecorder, TOKENS } from '../../helpers/live-client.js';
import { logSink } from '../../helpers/log-sink.js';
import { at, expectTheNumbers, scenario } from '../../helpers/restart-scenario.js';

const clock = Date.parse(at('10:00'));
const opened: TestApp[] = [];
const recorders: LiveRecorder[] = [];

afterEach(async () => {
  for (const recorder of recorders.splice(0)) recorder.close();
  for (const app of opened.splice(0).reverse()) await app.close();
});

/** Enough tickets for a restore of ~30 slices: many turns of the event loop in which to ask. */
const TICKETS = 60_000;

function openTicket(i: number): StoredTicket {
  const { ticket } = ticketEvent({ id: `R-${i}`, queue: `q${i % 4}`, status: 'open', createdAt: at('08:00'), updatedAt: at('08:30') });
  return { key: `${ticket.source}:${ticket.id}`, ticket, csatAt: null, history: [[Date.parse(ticket.updatedAt), ticket.queue, ticket.status]] };
}

/** A DATA_DIR whose checkpoint holds `tickets` open tickets, written through the store itself. */
async function filledDataDir(tickets: number, journal: readonly ReturnType<typeof ticketEvent>[] = []): Promise<string> {
  const dataDir = tempDir();
  const store = new EmbeddedStore({ dataDir });
  for (let start = 0; start < tickets; start += 20_000) {
    const slice = Array.from({ length: Math.min(20_000, tickets - start) }, (_, k) => openTicket(start + k));
    await store.checkpoint({ tickets: slice.map(asChanged), agents: [], removedTickets: [] }, clock);
  }
  if (journal.length > 0) {
    // Accepted after the last checkpoint: in the journal only, as after a crash.
    await store.commit({ raw: Buffer.from(JSON.stringify(journal)), format: 'json', events: journal }, clock);
    await store.sync();
  }
  await store.close();
  return dataDir;
}

async function startRecovering(dataDir: string, log?: NodeJS.WritableStream): Promise<TestApp> {
  const app = await startTestApp({
    now: () => clock,
    dataDir,
    restoreWhileListening: true,
    ...(log === undefined ? {} : { logger: undefined, logStream: log, env: { LOG_LEVEL: 'info' } }),
  });
  opened.push(app);
  return app;
}

const openTotal = (state: LiveState): number => state.queues.reduce((sum, q) => sum + q.open, 0);

describe('a restart that restores while listening', () => {
  it('says "recovering" and refuses events and reads until the model is whole; walls wait for the whole state', async () => {
    // And one batch in the journal only, accepted after the checkpoint: replayed after the tickets.
    const dataDir = await filledDataDir(TICKETS, [ticketEvent({ id: 'J-1', queue: 'journal', createdAt: at('09:58') }, { id: 'ev-j-1' })]);
    const log = logSink();
    const t = await startRecovering(dataDir, log.stream);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = baseUrl(t.app);
    expect(t.app.live.ready).toBe(false);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; recovery: { step: string; tickets: number; ticketsTotal: number } };
    expect(body.status).toBe('recovering');
    expect(['loading', 'tickets']).toContain(body.recovery.step);
    expect(body.recovery.tickets).toBeLessThan(TICKETS);

    const events = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { ...bearer('ingest'), 'content-type': 'application/json' },
      body: JSON.stringify([ticketEvent({ id: 'NEW-1', queue: 'q0', createdAt: at('09:59') })]),
    });
    expect(events.status).toBe(503);
    expect(Number(events.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await events.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'recovering',
      message: expect.stringMatching(/restoring its live state after a restart .*retry in a few seconds/),
    });
    // A connector's webhook: the vendor retries a 503.
    const webhook = await fetch(`${url}/api/v1/connectors/zendesk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(webhook.status).toBe(503);
    expect(webhook.headers.get('retry-after')).not.toBeNull();
    const state = await fetch(`${url}/api/v1/state`, { headers: bearer('viewer') });
    expect(state.status).toBe(503);

    // A wall that connects now is held: no state at all until the model is whole.
    const wall = new LiveRecorder(url, TOKENS.viewer);
    recorders.push(wall);
    expect(t.app.live.ready).toBe(false); // all of the above was asked while recovering
    const first = await wall.ready(30_000);
    expect(t.app.live.ready).toBe(true);
    expect(openTotal(first)).toBe(TICKETS + 1);
    expect(first.queues.find((q) => q.id === 'journal')?.open).toBe(1);

    const after = await fetch(`${url}/healthz`);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { status: string; recovery?: unknown }).recovery).toBeUndefined();
    expect(openTotal(await getState(t.app))).toBe(TICKETS + 1);
    // Events are taken again.
    expect((await postEvents(t.app, [ticketEvent({ id: 'NEW-2', queue: 'q0', createdAt: at('09:59') })])).accepted).toBe(1);

    const restored = log
      .text()
      .split('\n')
      .filter((line) => line.includes('restored live state in'))
      .map((line) => JSON.parse(line) as { tickets: number; elapsedMs: number });
    expect(restored).toHaveLength(1);
    expect(restored[0]).toMatchObject({ tickets: TICKETS, journalBatches: 1, replayed: 1 });
    expect(restored[0]!.elapsedMs).toBeGreaterThan(0);
  });

  it('writes no checkpoint when closed during the restore: the journal is replayed by the next start', async () => {
    const late = ticketEvent({ id: 'LATE-1', queue: 'late', createdAt: at('09:58') }, { id: 'ev-late-1' });
    const dataDir = await filledDataDir(TICKETS, [late]);
    const t = await startRecovering(dataDir);
    await t.app.ready();
    expect(t.app.live.ready).toBe(false);
    await t.close();
    opened.splice(opened.indexOf(t), 1);
    expect(readJournal(path.join(dataDir, 'journal'))).toHaveLength(1);

    const again = await startTestApp({ now: () => clock, dataDir });
    opened.push(again);
    const state = await getState(again.app);
    expect(openTotal(state)).toBe(TICKETS + 1);
    expect(state.queues.find((q) => q.id === 'late')?.open).toBe(1);
  });
});

describe('a checkpoint written before compact rows', () => {
  it('still loads, and the numbers are the same', async () => {
    const first = await startTestApp({ now: () => clock });
    await postEvents(first.app, [scenario.t1, scenario.t2]);
    await postEvents(first.app, [scenario.t3, ...scenario.agents]);
    await first.close();
    // Every row rewritten as the store wrote it before: the StoredTicket object.
    const db = new Database(path.join(first.dataDir, 'watchfloor.sqlite'));
    const rows = db.prepare('SELECT key, data FROM tickets').all() as { key: string; data: string }[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.data.startsWith('[')).toBe(true);
      db.prepare('UPDATE tickets SET data = ? WHERE key = ?').run(JSON.stringify(decodeTicketRow(row.key, row.data)), row.key);
    }
    db.close();

    const again = await startTestApp({ now: () => clock, dataDir: first.dataDir });
    opened.push(again);
    expectTheNumbers(await getState(again.app));
  });
});

describe('the restore progress', () => {
  it('is logged every couple of seconds with counts and rate, and once at the end with the total time', () => {
    const lines: { details: Record<string, unknown>; message: string }[] = [];
    let ms = 0;
    const live = new LiveReadiness(
      { info: (details, message) => lines.push({ details: details as Record<string, unknown>, message }), error: () => undefined },
      () => ms,
    );
    live.loaded(1_000_000, 3);
    for (let tickets = 100_000; tickets <= 1_000_000; tickets += 100_000) {
      ms += 500;
      live.ticketsRestored(tickets);
    }
    ms += 500;
    live.journalReplayed(3);
    live.markLive({ agents: 20_000, replayedEvents: 1_500 });

    const progress = lines.filter((l) => l.message.startsWith('restoring live state'));
    expect(progress.map((l) => l.details.tickets)).toEqual([400_000, 800_000]);
    expect(progress[0]!.message).toBe('restoring live state: 400000 of 1000000 tickets restored');
    expect(progress[0]!.details).toMatchObject({ step: 'tickets', ticketsTotal: 1_000_000, elapsedMs: 2_000, ticketsPerSec: 200_000 });
    expect(lines.at(-1)).toEqual({
      message: 'restored live state in 5.5 s',
      details: { tickets: 1_000_000, agents: 20_000, journalBatches: 3, replayed: 1_500, elapsedMs: 5_500 },
    });
    expect(live.ready).toBe(true);
  });
});
