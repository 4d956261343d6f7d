// A restart on the same DATA_DIR (docs/contract.md#configuration, embedded mode) keeps tickets, agents, the daily
// figures and the dedup keys: after a graceful close (which checkpoints), and after a crash
// (batches accepted since the last checkpoint come back from the journal).
import Database from 'better-sqlite3';
import { readJournal } from '../../../server/store/journal-file.js';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../contract/domain.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { at, expectTheNumbers, expectedAgents, scenario } from '../../helpers/restart-scenario.js';
import { getAgents, getState, postEvents, queueOf } from '../../helpers/http.js';

let clock = Date.parse('2026-11-26T10:00:00Z');
const opened: TestApp[] = [];

async function start(dataDir?: string): Promise<TestApp> {
  const app = await startTestApp({ now: () => clock, dataDir });
  opened.push(app);
  return app;
}

afterEach(async () => {
  // Newest first; each app is closed once.
  for (const app of opened.splice(0).reverse()) await app.close();
});

// Without `seq` (per process) and `staffing`, a plan re-derived from the arrivals and the clock (the staffing tests cover it).
const withoutSeq = ({ seq: _seq, staffing: _staffing, ...rest }: LiveState) => rest;

async function ingestScenario(app: TestApp): Promise<void> {
  // Three batches, so that a replay has to keep their order.
  await postEvents(app.app, [scenario.t1, scenario.t2]);
  await postEvents(app.app, [scenario.t3, scenario.agents[0]]);
  await postEvents(app.app, scenario.agents.slice(1));
}

/** What DATA_DIR holds right now (journal batches, checkpointed tickets), to check which path a restart takes. */
function stored(dataDir: string): { journal: number; tickets: number } {
  const db = new Database(path.join(dataDir, 'watchfloor.sqlite'), { readonly: true });
  try {
    const tickets = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    return { journal: readJournal(path.join(dataDir, 'journal')).length, tickets };
  } finally {
    db.close();
  }
}

describe('a graceful restart', () => {
  it('keeps tickets, agents, daily figures and dedup keys', async () => {
    clock = Date.parse(at('10:00'));
    const first = await start();
    await ingestScenario(first);
    const before = await getState(first.app);
    expectTheNumbers(before);
    expect(await getAgents(first.app)).toEqual(expectedAgents);
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    // The close folded everything into the tables: nothing is left to replay.
    expect(stored(first.dataDir)).toEqual({ journal: 0, tickets: 3 });

    const second = await start(first.dataDir);
    const after = await getState(second.app);
    expectTheNumbers(after);
    expect(withoutSeq(after)).toEqual(withoutSeq(before));
    expect(await getAgents(second.app)).toEqual(expectedAgents);

    // Old event ids are still known; an older update of T1 is still stale.
    const t1Older = ticketEvent({ ...scenario.t1.ticket, status: 'pending', updatedAt: at('09:20') }, { id: 'ev-t1-older' });
    expect(await postEvents(second.app, [scenario.t3, scenario.agents[0], t1Older])).toEqual({ accepted: 0, duplicates: 2, stale: 1, rejected: [] });

    // The SLA clock was rebuilt too: T1's first response (due 10:20) breaches with no event.
    clock = Date.parse('2026-11-26T10:20:01Z');
    second.app.tick();
    const later = await getState(second.app);
    // Missed now: T2 FR, T1 FR; met: T3 FR, T3 resolution → 2 / 4.
    expect(later.sla).toEqual({ breachedOpen: 2, breachedToday: 2, atRisk: 0, complianceToday: 0.5 });
  });
});

describe('a crash', () => {
  it('replays the batches accepted after the last checkpoint', async () => {
    clock = Date.parse(at('10:00'));
    const first = await start();
    await ingestScenario(first);
    // No checkpoint yet (it runs every 5 s and on close): the batches live only in the journal.
    expect(stored(first.dataDir)).toEqual({ journal: 3, tickets: 0 });

    // The first instance is never closed before the second reads the same directory: as after
    // a kill -9, nothing was checkpointed.
    const second = await start(first.dataDir);
    expectTheNumbers(await getState(second.app));
    expect(await getAgents(second.app)).toEqual(expectedAgents);
    // Ids from the journal are known as duplicates.
    expect(await postEvents(second.app, [scenario.t1, scenario.agents[2]])).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('rebuilds from the last checkpoint plus the journal after it', async () => {
    clock = Date.parse(at('10:00'));
    const first = await start();
    await postEvents(first.app, [scenario.t1, scenario.t2, scenario.agents[0]]);
    // The periodic checkpoint, run now rather than waiting 5 s for it.
    await first.app.checkpoint();
    expect(stored(first.dataDir)).toEqual({ journal: 0, tickets: 2 });
    // After the checkpoint: T3 arrives, A-1 repeats its status, A-2 appears.
    await postEvents(first.app, [scenario.t3, ...scenario.agents.slice(1)]);
    expect(stored(first.dataDir)).toEqual({ journal: 1, tickets: 2 });

    const second = await start(first.dataDir);
    expectTheNumbers(await getState(second.app));
    expect(await getAgents(second.app)).toEqual(expectedAgents);
    // Ids from both sides of the checkpoint are known.
    expect(await postEvents(second.app, [scenario.t1, scenario.t3])).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('does not replay a duplicate that was ignored when it arrived', async () => {
    clock = Date.parse(at('10:00'));
    const first = await start();
    // X is updated twice within the same second (09:00:00), the second update moving it to l2;
    // then the helpdesk retries the first event together with a new one. The retry is a
    // duplicate (docs/contract.md#events-in: ignored), so X stays in l2.
    const fields = { id: 'X', status: 'open' as const, createdAt: at('08:59'), updatedAt: at('09:00') };
    const inL1 = ticketEvent({ ...fields, queue: 'l1' }, { id: 'ev-x-1' });
    const inL2 = ticketEvent({ ...fields, queue: 'l2' }, { id: 'ev-x-2' });
    const other = ticketEvent({ id: 'Y', queue: 'l3', status: 'open', createdAt: at('09:01') }, { id: 'ev-y-1' });
    await postEvents(first.app, [inL1]);
    await postEvents(first.app, [inL2]);
    expect(await postEvents(first.app, [inL1, other])).toMatchObject({ accepted: 1, duplicates: 1 });
    const before = await getState(first.app);
    expect([queueOf(before, 'l1').open, queueOf(before, 'l2').open, queueOf(before, 'l3').open]).toEqual([0, 1, 1]);
    expect(stored(first.dataDir).tickets).toBe(0);

    const second = await start(first.dataDir);
    const after = await getState(second.app);
    expect([queueOf(after, 'l1').open, queueOf(after, 'l2').open, queueOf(after, 'l3').open]).toEqual([0, 1, 1]);
  });
});
