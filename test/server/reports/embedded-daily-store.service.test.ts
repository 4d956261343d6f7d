// The embedded daily store writes tickets' parts many rows to a statement and skips a ticket's
// index of days when its days did not change: what it reads back must be exactly what writing
// each ticket alone would give, checked against a plain map of the latest parts of each ticket
// through more tickets than one statement holds, days moved and dropped, a ticket given twice in
// one call, and a restart in between.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketParts } from '../../../server/reports/daily-store.js';
import type { DayPart } from '../../../server/reports/day-parts.js';
import { EmbeddedDailyStore } from '../../../server/reports/embedded-daily-store.js';
import { tempDir } from '../../helpers/tokens.js';

const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];

function part(line: string, n: number): DayPart {
  return {
    line,
    priority: 'normal',
    created: n % 2 === 0,
    resolutionSec: n,
    frtSec: null,
    csatGood: null,
    met: n % 3,
    missed: 0,
    reopened: 0,
    escalatedFrom: [],
  };
}

/** The parts of ticket `key` on the days picked by `mask` (bit i: DAYS[i]), their values from `version`. */
function ticket(key: string, mask: number, version: number): TicketParts {
  const parts = new Map<string, DayPart>();
  DAYS.forEach((day, i) => {
    if (mask & (1 << i)) parts.set(day, part(`line-${key}`, version * 10 + i));
  });
  return { key, parts };
}

/** Parts by day, each day's sorted: [day, parts] in day order, comparable with toEqual. */
function byDay(parts: Iterable<[string, DayPart]>): [string, DayPart[]][] {
  const days = new Map<string, DayPart[]>();
  for (const [day, p] of parts) {
    const list = days.get(day);
    if (list === undefined) days.set(day, [p]);
    else list.push(p);
  }
  for (const list of days.values()) list.sort(byLine);
  return [...days].sort(([a], [b]) => (a < b ? -1 : 1));
}

const byLine = (a: DayPart, b: DayPart): number => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0);

/** What the store should hold: the latest parts of each ticket. */
function expected(latest: Map<string, TicketParts>): [string, DayPart[]][] {
  return byDay([...latest.values()].flatMap(({ parts }) => [...parts]));
}

async function held(store: EmbeddedDailyStore): Promise<[string, DayPart[]][]> {
  const { parts } = await store.read('2026-01-01', '2027-01-01');
  return byDay([...parts].flatMap(([day, list]) => list.map((p): [string, DayPart] => [day, p])));
}

describe('EmbeddedDailyStore.writeTickets', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds exactly the latest parts of each ticket through many writes, moves, removals and a restart', async () => {
    const dataDir = tempDir('watchfloor-daily-');
    dirs.push(dataDir);
    let store = new EmbeddedDailyStore({ dataDir });
    const latest = new Map<string, TicketParts>();
    const write = async (tickets: TicketParts[]): Promise<void> => {
      await store.writeTickets(tickets);
      for (const t of tickets) latest.set(t.key, t);
    };

    // 300 tickets: two full statements and a remainder, on one to four days each.
    await write(Array.from({ length: 300 }, (_, i) => ticket(`t-${i}`, 1 + (i % 15), 1)));
    expect(await held(store)).toEqual(expected(latest));

    // New values on the same days (the index of days stays), other days (old parts must go), no
    // parts at all, and a ticket given twice in one call: the later one wins.
    let seed = 5;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 2; round < 8; round++) {
      const batch: TicketParts[] = [];
      for (let n = 0; n < 200; n++) {
        const key = `t-${Math.floor(random() * 350)}`;
        const mask = random() < 0.15 ? 0 : 1 + Math.floor(random() * 15);
        batch.push(ticket(key, mask, round * 100 + n));
      }
      batch.push(ticket('t-7', 0b0101, round), ticket('t-7', 0b1010, round + 1));
      await write(batch);
      expect(await held(store)).toEqual(expected(latest));
      if (round === 4) {
        // The index of days is read back after a restart: a later change still removes old days.
        await store.close();
        store = new EmbeddedDailyStore({ dataDir });
      }
    }
    await store.close();
  });
});
