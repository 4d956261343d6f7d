// A damaged journal (a changed body byte, a changed header, a torn tail, a zero-filled tail)
// never stops the server and is never dropped silently: the readable batches are replayed, the
// segment is kept under journal/damaged/, the log and /healthz count what could not be
// replayed, the notice survives restarts until an admin acknowledges it, and no checkpoint
// deletes the damaged bytes.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../server/store/embedded-store.js';
import { readJournal } from '../../../server/store/journal-file.js';
import { bearer, startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { getState, postEvents, queueOf } from '../../helpers/http.js';
import { batches, logSink, writeOldSegment, writeSegment, type Segment } from './journal-files.js';

const opened: TestApp[] = [];
afterEach(async () => {
  for (const app of opened.splice(0).reverse()) await app.close();
});

async function start(dataDir: string, log?: ReturnType<typeof logSink>): Promise<TestApp> {
  const app = await startTestApp({ dataDir, ...(log ? { logger: { level: 'warn', stream: log.stream } } : {}) });
  opened.push(app);
  return app;
}

async function closeApp(app: TestApp): Promise<void> {
  opened.splice(opened.indexOf(app), 1);
  await app.close();
}

interface Health {
  journal: { damaged: { records: number; events: number; files: number }; sync: string };
}
const health = async (app: TestApp): Promise<Health> => (await app.app.inject({ method: 'GET', url: '/healthz' })).json<Health>();

const openIn = async (app: TestApp): Promise<number[]> => {
  const state = await getState(app.app);
  return ['qa', 'qb', 'qc'].map((q) => queueOf(state, q).open);
};

function damage(segment: Segment, change: (bytes: Buffer) => Buffer): Buffer {
  const original = fs.readFileSync(segment.file);
  const changed = change(Buffer.from(original));
  fs.writeFileSync(segment.file, changed);
  return changed;
}

const cases: { name: string; change: (bytes: Buffer, s: Segment) => Buffer; lost: { records: number; events: number }; open: number[] }[] = [
  {
    name: 'a changed byte in a record body',
    // Inside B's JSON body: a letter of a subject changes, the JSON still parses.
    change: (bytes, s) => {
      const at = bytes.indexOf('Ticket qb-2', s.starts[1]);
      bytes[at] = 'X'.charCodeAt(0);
      return bytes;
    },
    lost: { records: 1, events: 5 },
    open: [4, 0, 3],
  },
  {
    name: 'a changed record header',
    // B's length field: a digit changed, so the header no longer matches its checksum.
    change: (bytes, s) => {
      const at = bytes.indexOf(' ', bytes.indexOf(' ', s.starts[1]) + 1) + 1;
      bytes[at] = bytes[at] === 0x39 ? 0x31 : bytes[at]! + 1;
      return bytes;
    },
    lost: { records: 1, events: 5 },
    open: [4, 0, 3],
  },
  {
    name: 'a torn tail (C cut in the middle of its body)',
    change: (bytes, s) => bytes.subarray(0, s.starts[2]! + Math.floor((s.length - s.starts[2]!) / 2)),
    lost: { records: 1, events: 3 },
    open: [4, 5, 0],
  },
  {
    name: 'a zero-filled tail (C zeroed from its middle on, the file extended by zeros)',
    change: (bytes, s) => {
      const from = s.starts[2]! + Math.floor((s.length - s.starts[2]!) / 2);
      return Buffer.concat([bytes.subarray(0, from), Buffer.alloc(s.length - from + 4096)]);
    },
    lost: { records: 1, events: 3 },
    open: [4, 5, 0],
  },
];

describe('a damaged journal segment', () => {
  for (const c of cases) {
    it(`${c.name}: starts, replays the rest, keeps the file aside and counts exactly what was lost`, async () => {
      const dataDir = tempDir();
      const segment = await writeSegment(dataDir, batches());
      const damaged = damage(segment, (bytes) => c.change(bytes, segment));
      const log = logSink();

      const app = await start(dataDir, log);
      expect(await openIn(app)).toEqual(c.open);
      expect((await health(app)).journal.damaged).toEqual({ ...c.lost, files: 1 });
      const aside = path.join(dataDir, 'journal', 'damaged', 'journal-0000000001.log');
      expect(fs.readFileSync(aside).equals(damaged)).toBe(true);
      const warning = log.text();
      expect(warning).toContain('journal-0000000001.log');
      expect(warning).toContain(`${c.lost.records} record(s) with ${c.lost.events} event(s) could not be replayed`);

      // The checkpoint holds the replayed batches now; the damaged bytes stay aside.
      await app.app.checkpoint();
      expect(fs.existsSync(segment.file)).toBe(false);
      expect(fs.readFileSync(aside).equals(damaged)).toBe(true);
    });
  }

  it('keeps the notice across restarts, counts a segment found twice once, and an admin clears it', async () => {
    const dataDir = tempDir();
    const segment = await writeSegment(dataDir, batches());
    damage(segment, (bytes) => bytes.subarray(0, segment.length - 10));

    // A crash before the first checkpoint: the segment is read again, and counted once.
    const first = await start(dataDir);
    expect((await health(first)).journal.damaged).toEqual({ records: 1, events: 3, files: 1 });
    const second = await start(dataDir);
    expect((await health(second)).journal.damaged).toEqual({ records: 1, events: 3, files: 1 });
    await closeApp(second);
    await closeApp(first);

    const third = await start(dataDir);
    expect((await health(third)).journal.damaged).toEqual({ records: 1, events: 3, files: 1 });
    expect(await openIn(third)).toEqual([4, 5, 0]);

    const denied = await third.app.inject({ method: 'POST', url: '/api/v1/admin/journal/ack', headers: bearer('supervisor') });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ error: { message: string } }>().error.message).toContain('admin');
    expect((await health(third)).journal.damaged.files).toBe(1);

    const ack = await third.app.inject({ method: 'POST', url: '/api/v1/admin/journal/ack', headers: bearer('admin') });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toEqual({ acknowledged: { records: 1, events: 3, files: 1 }, journal: { damaged: { records: 0, events: 0, files: 0 } } });
    expect((await health(third)).journal.damaged).toEqual({ records: 0, events: 0, files: 0 });
    await closeApp(third);

    const fourth = await start(dataDir);
    expect((await health(fourth)).journal.damaged).toEqual({ records: 0, events: 0, files: 0 });
    expect(fs.existsSync(path.join(dataDir, 'journal', 'damaged', 'journal-0000000001.log'))).toBe(true);
    expect(await openIn(fourth)).toEqual([4, 5, 0]);
    // The replayed batches' ids were checkpointed too: sent again, they are duplicates.
    const [a] = batches();
    const again = a!.entry.raw
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(await postEvents(fourth.app, again)).toMatchObject({ accepted: 0, duplicates: 4 });
  });

  it('resynchronises after a damaged record in the middle of several', async () => {
    const dataDir = tempDir();
    const segment = await writeSegment(dataDir, batches());
    // Two damaged records in a row (A's body, B's header): C still comes back.
    damage(segment, (bytes) => {
      const inA = segment.starts[0]! + 40;
      bytes[inA] = bytes[inA]! ^ 0x01;
      bytes[segment.starts[1]! + 1] = 0x21;
      return bytes;
    });
    const app = await start(dataDir);
    expect(await openIn(app)).toEqual([0, 0, 3]);
    expect((await health(app)).journal.damaged).toEqual({ records: 2, events: 9, files: 1 });
  });
});

describe('a damaged segment that cannot be kept aside', () => {
  it('stays in the journal through checkpoints and is reported again on the next start', async () => {
    const dataDir = tempDir();
    const segment = await writeSegment(dataDir, batches());
    const damaged = damage(segment, (bytes) => bytes.subarray(0, segment.length - 10));
    // A file where the damaged/ directory should be: nothing can be kept aside.
    fs.writeFileSync(path.join(dataDir, 'journal', 'damaged'), 'in the way');
    const log = logSink();
    const first = await start(dataDir, log);
    expect(log.text()).toContain('could not keep the damaged journal segment aside');
    await first.app.checkpoint();
    expect(fs.readFileSync(segment.file).equals(damaged)).toBe(true);
    await closeApp(first);

    const second = await start(dataDir);
    expect(fs.readFileSync(segment.file).equals(damaged)).toBe(true);
    expect((await health(second)).journal.damaged).toEqual({ records: 1, events: 3, files: 1 });
    expect(await openIn(second)).toEqual([4, 5, 0]);
  });
});

describe('the old journal format', () => {
  it('still replays records written before checksums', async () => {
    const dataDir = tempDir();
    writeOldSegment(dataDir, batches());
    expect(readJournal(path.join(dataDir, 'journal'))).toHaveLength(3);
    const app = await start(dataDir);
    expect(await openIn(app)).toEqual([4, 5, 3]);
    expect((await health(app)).journal.damaged).toEqual({ records: 0, events: 0, files: 0 });
    // New records go into a new segment in the new format.
    expect(app.app.store).toBeInstanceOf(EmbeddedStore);
  });

  it('reports an old record whose body is no longer a batch, and replays the others', async () => {
    const dataDir = tempDir();
    const segment = writeOldSegment(dataDir, batches());
    // B's JSON array loses its closing bracket: no checksum to catch it, but it is no batch.
    damage(segment, (bytes) => {
      bytes[segment.starts[2]! - 2] = 0x20;
      return bytes;
    });
    const app = await start(dataDir);
    expect(await openIn(app)).toEqual([4, 0, 3]);
    expect((await health(app)).journal.damaged).toEqual({ records: 1, events: 5, files: 1 });
  });
});
