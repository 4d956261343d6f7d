// The real server process: `kill -9` in the middle of a stream of batches loses no event that got
// a 202, and a damaged journal neither stops it nor goes unreported (log, /healthz, admin ack).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, TOKEN_ENV, tempDir } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { killServerProcesses, startServerProcess } from '../../helpers/server-process.js';
import { batches, writeSegment } from './journal-files.js';

afterEach(() => {
  killServerProcesses();
});

const start = (dataDir: string) => startServerProcess({ DATA_DIR: dataDir, WATCHFLOOR_TOKENS: TOKEN_ENV, JOURNAL_SYNC: '' });

const auth = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });

describe('kill -9 during a stream of batches', () => {
  it('keeps every event that was answered 202', async () => {
    const dataDir = tempDir();
    const first = start(dataDir);
    const base = await first.listening();

    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    // Three clients in a loop, 10 new tickets a batch, each id recorded once its 202 is in.
    const client = async (n: number): Promise<void> => {
      for (let b = 0; !killed; b++) {
        const events = Array.from({ length: 10 }, (_, i) => ticketEvent({ id: `K-${n}-${b}-${i}`, queue: 'crash' }, { id: `ev-K-${n}-${b}-${i}` }));
        sent += events.length;
        try {
          const response = await fetch(`${base}/api/v1/events`, {
            method: 'POST',
            headers: { ...auth('ingest'), 'content-type': 'application/json' },
            body: JSON.stringify(events),
          });
          if (response.status === 202) acknowledged.push(...events.map((e) => e.ticket.id));
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = [client(1), client(2), client(3)];
    while (acknowledged.length < 1_500) await new Promise((resolve) => setTimeout(resolve, 20));
    // In the middle of the stream: requests are in flight when the process dies.
    first.child.kill('SIGKILL');
    killed = true;
    await first.exited;
    await Promise.all(clients);
    expect(sent).toBeGreaterThan(acknowledged.length);
    expect(acknowledged.length).toBeLessThan(5_000);

    const second = start(dataDir);
    const base2 = await second.listening();
    const listed = (await (await fetch(`${base2}/api/v1/tickets?view=waiting&limit=5000`, { headers: auth('viewer') })).json()) as {
      tickets: { id: string }[];
    };
    const present = new Set(listed.tickets.map((t) => t.id));
    const missing = acknowledged.filter((id) => !present.has(id));
    expect(missing).toEqual([]);
    // Each record is one write(): a killed process leaves none half written, so nothing is damaged.
    const healthz = (await (await fetch(`${base2}/healthz`)).json()) as { journal: { damaged: unknown } };
    expect(healthz.journal.damaged).toEqual({ records: 0, events: 0, files: 0 });
    second.child.kill('SIGTERM');
    await second.exited;
  }, 90_000);
});

describe('a damaged journal, on the real process', () => {
  it('starts, logs the file and the counts, shows them in /healthz until an admin acknowledges', async () => {
    const dataDir = tempDir();
    const segment = await writeSegment(dataDir, batches());
    // A torn tail: C loses its last 10 bytes.
    fs.truncateSync(segment.file, segment.length - 10);

    const server = start(dataDir);
    const base = await server.listening();
    const health = async () => ((await (await fetch(`${base}/healthz`)).json()) as { journal: { damaged: unknown } }).journal.damaged;
    expect(await health()).toEqual({ records: 1, events: 3, files: 1 });
    const warning = server
      .output()
      .split('\n')
      .find((line) => line.includes('is damaged'));
    expect(warning).toContain(path.join(dataDir, 'journal', 'journal-0000000001.log'));
    expect(warning).toContain('1 record(s) with 3 event(s) could not be replayed');
    expect(fs.existsSync(path.join(dataDir, 'journal', 'damaged', 'journal-0000000001.log'))).toBe(true);

    expect((await fetch(`${base}/api/v1/admin/journal/ack`, { method: 'POST', headers: auth('supervisor') })).status).toBe(403);
    expect((await fetch(`${base}/api/v1/admin/journal/ack`, { method: 'POST', headers: auth('admin') })).status).toBe(200);
    expect(await health()).toEqual({ records: 0, events: 0, files: 0 });
    server.child.kill('SIGTERM');
    await server.exited;
  }, 60_000);
});
