// The real entry point as an operator runs it: a bad variable stops it with the variable's
// name; SIGTERM with a live client connected finishes in-flight work, flushes, exits 0 in < 10 s.
import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../server/store/journal-file.js';
import { TOKENS, TOKEN_ENV, tempDir } from '../helpers/app.js';
import { ticketEvent } from '../helpers/events.js';
import { killServerProcesses, startServerProcess } from '../helpers/server-process.js';

afterEach(() => {
  killServerProcesses();
});

const start = (env: Record<string, string>) => startServerProcess(env);

describe('the server process', () => {
  it('refuses a bad variable with its name and exit code 2', async () => {
    const { output, exited } = start({ PORT: 'eighty', DATA_DIR: tempDir() });
    expect(await exited).toBe(2);
    expect(output()).toContain('configuration error: PORT: must be a whole number, got "eighty"');
  });

  it('stops on SIGTERM within 10 s, with a live client connected, and keeps what it accepted', async () => {
    const dataDir = tempDir();
    const server = start({ PORT: '0', DATA_DIR: dataDir, WATCHFLOOR_TOKENS: TOKEN_ENV });
    const base = await server.listening();

    const response = await fetch(`${base}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.ingest}`, 'content-type': 'application/json' },
      body: JSON.stringify([ticketEvent({ id: 'P-1', queue: 'l2' }), ticketEvent({ id: 'P-2', queue: 'l2' })]),
    });
    expect(response.status).toBe(202);
    const client = io(`${base}/live`, { auth: { token: TOKENS.viewer }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve) => client.once('state', () => resolve()));
    const disconnected = new Promise<string>((resolve) => client.once('disconnect', (reason) => resolve(reason)));

    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Dropped, not told to go away: a socket.io client reconnects after "transport close".
    expect(await disconnected).toBe('transport close');
    client.close();
    // Flushed: the checkpoint took the journal's batches into SQLite.
    expect(readJournal(path.join(dataDir, 'journal'))).toHaveLength(0);
    expect(fs.existsSync(path.join(dataDir, 'watchfloor.sqlite'))).toBe(true);

    const again = start({ PORT: '0', DATA_DIR: dataDir, WATCHFLOOR_TOKENS: TOKEN_ENV });
    const base2 = await again.listening();
    const state = (await (await fetch(`${base2}/api/v1/state`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } })).json()) as {
      queues: { id: string; open: number }[];
    };
    expect(state.queues.find((q) => q.id === 'l2')?.open).toBe(2);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
