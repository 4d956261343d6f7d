// The embedded store's checkpoint read back through `load` (server/store/embedded-store.ts): in
// slices of at most RESTORE_SLICE, every ticket once, exactly as written, hostile keys and text
// included; a table that mixes rows of the format before (objects) with compact rows loads both;
// a ticket written twice keeps one row, the newer.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { asChanged, type StoredTicket } from '../../../server/domain/live-model.js';
import { EmbeddedStore } from '../../../server/store/embedded-store.js';
import { RESTORE_SLICE } from '../../../server/store/live-store.js';
import { tempDir } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const HOSTILE = ['__proto__', 'constructor', 'a"quote', 'back\\slash', 'new\nline', 'ünï 🚨', "o'brien", ',', ']'];

function stored(source: string, id: string, subject = `Ticket ${id}`): StoredTicket {
  const { ticket } = ticketEvent({ id, source, subject, createdAt: '2026-11-26T09:00:00Z' });
  return { key: `${source}:${id}`, ticket, csatAt: null, history: [[Date.parse(ticket.updatedAt), ticket.queue, ticket.status]] };
}

async function loadAll(dataDir: string): Promise<{ slices: StoredTicket[][]; count: number }> {
  const store = new EmbeddedStore({ dataDir });
  try {
    const loaded = await store.load(NOW);
    return { slices: [...loaded.tickets], count: loaded.ticketCount };
  } finally {
    await store.close();
  }
}

const byKey = (tickets: readonly StoredTicket[]) => [...tickets].sort((a, b) => (a.key < b.key ? -1 : 1));

describe('the checkpointed tickets, loaded', () => {
  it('come back in slices, every ticket once and as written, hostile names and text included', async () => {
    const dataDir = tempDir();
    const tickets = [
      ...Array.from({ length: RESTORE_SLICE * 2 + 7 }, (_, i) => stored('zendesk', String(i))),
      ...HOSTILE.map((name) => stored(name, name, `${name} "subject" \\ ${name}`)),
    ];
    const store = new EmbeddedStore({ dataDir });
    await store.checkpoint({ tickets: tickets.map(asChanged), agents: [], removedTickets: [] }, NOW);
    // Written again, changed: one row, the newer.
    await store.checkpoint(
      { tickets: [asChanged({ ...tickets[0]!, ticket: { ...tickets[0]!.ticket, status: 'solved' } })], agents: [], removedTickets: [] },
      NOW,
    );
    await store.close();

    const { slices, count } = await loadAll(dataDir);
    expect(count).toBe(tickets.length);
    expect(slices.length).toBe(3);
    for (const slice of slices) expect(slice.length).toBeLessThanOrEqual(RESTORE_SLICE);
    const expected = [{ ...tickets[0]!, ticket: { ...tickets[0]!.ticket, status: 'solved' as const } }, ...tickets.slice(1)];
    expect(byKey(slices.flat())).toEqual(byKey(expected));
  });

  it('read rows of the format before (objects) beside compact ones', async () => {
    const dataDir = tempDir();
    const tickets = Array.from({ length: 10 }, (_, i) => stored('jira', `OLD-${i}`));
    const store = new EmbeddedStore({ dataDir });
    await store.checkpoint({ tickets: tickets.map(asChanged), agents: [], removedTickets: [] }, NOW);
    await store.close();
    const db = new Database(path.join(dataDir, 'watchfloor.sqlite'));
    for (const ticket of tickets.slice(0, 5)) db.prepare('UPDATE tickets SET data = ? WHERE key = ?').run(JSON.stringify(ticket), ticket.key);
    // As the format before wrote it: without history (checkpoints older still).
    const { history: _history, ...withoutHistory } = tickets[5]!;
    db.prepare('UPDATE tickets SET data = ? WHERE key = ?').run(JSON.stringify(withoutHistory), withoutHistory.key);
    db.close();

    const { slices } = await loadAll(dataDir);
    expect(byKey(slices.flat())).toEqual(byKey([...tickets.slice(0, 5), withoutHistory, ...tickets.slice(6)]));
  });

  it('come back whole however long the rows are (the restore reads a slice in parts of about the same text)', async () => {
    const dataDir = tempDir();
    // Short rows, then rows of long histories, one row far past a part's text, short ones again.
    const long = (id: string, observations: number): StoredTicket => {
      const ticket = stored('zendesk', id);
      const at = Date.parse(ticket.ticket.updatedAt);
      return {
        ...ticket,
        history: Array.from({ length: observations }, (_, k) => [at - (observations - k) * 60_000, k % 2 === 0 ? 'l1' : 'l2', 'open'] as const),
      };
    };
    const tickets = [
      ...Array.from({ length: 700 }, (_, i) => stored('zendesk', `S-${i}`)),
      ...Array.from({ length: 900 }, (_, i) => long(`L-${i}`, 40)),
      stored('zendesk', 'HUGE', 'x'.repeat(200_000)),
      ...Array.from({ length: 1_500 }, (_, i) => stored('zendesk', `T-${i}`)),
    ];
    const store = new EmbeddedStore({ dataDir });
    await store.checkpoint({ tickets: tickets.map(asChanged), agents: [], removedTickets: [] }, NOW);
    await store.close();

    const { slices, count } = await loadAll(dataDir);
    expect(count).toBe(tickets.length);
    expect(slices.map((slice) => slice.length)).toEqual([RESTORE_SLICE, tickets.length - RESTORE_SLICE]);
    expect(byKey(slices.flat())).toEqual(byKey(tickets));
  });

  it('are none for an empty DATA_DIR', async () => {
    expect(await loadAll(tempDir())).toEqual({ slices: [], count: 0 });
  });
});
