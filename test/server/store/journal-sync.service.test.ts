// A 202 means the batch is on disk (JOURNAL_SYNC=always, the default): the answer never comes
// before an fdatasync that covers the batch's record, and concurrent requests share syncs
// (group commit). JOURNAL_SYNC=interval answers first and syncs within a second. A failed sync
// is an unknown outcome, never a silent success, and a retry is not taken for a duplicate.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveModel } from '../../../server/domain/live-model.js';
import { IngestService } from '../../../server/ingest/ingest-service.js';
import { EmbeddedStore } from '../../../server/store/embedded-store.js';
import { JournalFile } from '../../../server/store/journal-file.js';
import { loadConfig } from '../../../server/config.js';
import { StoreOutcomeUnknownError, outcomeUnknown } from '../../../server/store/live-store.js';
import { bearer, startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';

const opened: TestApp[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
  for (const close of closers.splice(0)) await close();
});

async function start(env: Record<string, string> = {}): Promise<{ app: TestApp; store: EmbeddedStore }> {
  const app = await startTestApp({ env });
  opened.push(app);
  const store = app.app.store;
  if (!(store instanceof EmbeddedStore)) throw new Error('expected the embedded store');
  return { app, store };
}

const post = (app: TestApp, events: unknown[]) =>
  app.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events as object[] });

const fdatasync = (fd: number): Promise<void> => new Promise((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JOURNAL_SYNC=always (the default)', () => {
  it('answers 202 only after a sync that covers the batch', async () => {
    const { app, store } = await start();
    for (let i = 0; i < 5; i++) {
      const before = { ...store.journalStats() };
      const response = await post(app, [ticketEvent({ id: `S-${i}` })]);
      expect(response.statusCode).toBe(202);
      const after = store.journalStats();
      expect(after.appends).toBe(before.appends + 1);
      expect(after.durableAppends).toBe(after.appends);
      expect(after.syncs).toBeGreaterThan(before.syncs);
    }
    expect((await app.app.inject({ method: 'GET', url: '/healthz' })).json<{ journal: { sync: string } }>().journal.sync).toBe('always');
  });

  it('shares one sync among concurrent requests (group commit)', async () => {
    const { app, store } = await start();
    const before = { ...store.journalStats() };
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => post(app, [ticketEvent({ id: `G-${i}` })])));
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 202));
    const after = store.journalStats();
    expect(after.appends - before.appends).toBe(40);
    expect(after.durableAppends).toBe(after.appends);
    expect(after.syncs - before.syncs).toBeLessThan(40);
  });
});

describe('JOURNAL_SYNC=interval', () => {
  it('answers before the sync and syncs within a second', async () => {
    const { app, store } = await start({ JOURNAL_SYNC: 'interval' });
    const response = await post(app, [ticketEvent({ id: 'I-1' })]);
    expect(response.statusCode).toBe(202);
    const stats = store.journalStats();
    expect(stats.durableAppends).toBeLessThan(stats.appends);
    await sleep(1_300);
    expect(store.journalStats().durableAppends).toBe(store.journalStats().appends);
  });
});

describe('the sync, observed where the store makes it', () => {
  function service(syncFd: (fd: number) => Promise<void>) {
    const dataDir = tempDir();
    const store = new EmbeddedStore({ dataDir, syncFd });
    closers.push(() => store.close());
    const ingest = new IngestService({ model: new LiveModel({ atRiskMinutes: 30 }), store, now: Date.now });
    return { ingest, store, dataDir };
  }

  it('never answers before the fdatasync has finished', async () => {
    const order: string[] = [];
    const { ingest } = service(async (fd) => {
      order.push('sync started');
      await sleep(100);
      await fdatasync(fd);
      order.push('sync finished');
    });
    const answered = ingest.ingestRaw(Buffer.from(JSON.stringify([ticketEvent({ id: 'O-1' })])), 'json').then(() => order.push('answered'));
    await answered;
    expect(order.indexOf('answered')).toBeGreaterThan(order.lastIndexOf('sync finished'));
    expect(order.lastIndexOf('sync finished')).toBeGreaterThanOrEqual(0);
  });

  it('reports a failed sync as an unknown outcome, and takes the retry as new', async () => {
    let fail = true;
    const { ingest } = service(async (fd) => {
      if (fail) throw new Error('EIO: input/output error');
      await fdatasync(fd);
    });
    const body = Buffer.from(JSON.stringify([ticketEvent({ id: 'F-1' }, { id: 'ev-f-1' })]));
    await expect(ingest.ingestRaw(body, 'json')).rejects.toBeInstanceOf(StoreOutcomeUnknownError);
    fail = false;
    // Not a "duplicate": the record is written again (into a new segment) and synced.
    expect(await ingest.ingestRaw(body, 'json')).toMatchObject({ duplicates: 0 });
    expect(await ingest.ingestRaw(body, 'json')).toMatchObject({ duplicates: 1 });
  });

  it('syncs a sealed segment at once, before closing it (even in interval mode)', async () => {
    const dir = path.join(tempDir(), 'journal');
    const synced: number[] = [];
    const journal = new JournalFile(dir, {
      sync: 'interval',
      syncFd: async (fd) => {
        // Still open while it is synced: fstat throws EBADF on a closed descriptor.
        fs.fstatSync(fd);
        synced.push(fd);
        await fdatasync(fd);
      },
    });
    closers.push(() => journal.close());
    journal.append({ format: 'json', raw: Buffer.from('[]') }, 0);
    journal.seal();
    // Well before the interval timer (1 s): the seal itself started the sync.
    await sleep(200);
    expect(journal.stats.durableAppends).toBe(1);
    expect(synced.length).toBeGreaterThanOrEqual(1);
  });
});

describe('the configuration and the error contract', () => {
  it('refuses an unknown JOURNAL_SYNC with the variable named', () => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), JOURNAL_SYNC: 'never' })).toThrow('JOURNAL_SYNC: must be always or interval, got "never"');
    expect(loadConfig({ DATA_DIR: tempDir() }).journalSync).toBe('always');
  });

  it('tells an unknown outcome (the class, or a flag on any error) from a failure that kept nothing', () => {
    expect(outcomeUnknown(new StoreOutcomeUnknownError('timeout'))).toBe(true);
    expect(outcomeUnknown(Object.assign(new Error('Command timed out'), { outcomeUnknown: true }))).toBe(true);
    expect(outcomeUnknown(new Error('ECONNREFUSED'))).toBe(false);
  });
});
