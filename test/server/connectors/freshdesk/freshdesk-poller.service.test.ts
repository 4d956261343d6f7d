// The Freshdesk reconciliation poller against a fake of Freshdesk's ticket and agent lists on a
// real local HTTP server: pages (re-anchored on updated_at; page=N within one second), agents'
// availability and the assignee's e-mail, Retry-After, and the stored cursor after a restart.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TestApp } from '../../../helpers/app.js';
import { FakeFreshdesk, freshdeskTicket } from '../../../helpers/fake-freshdesk.js';
import { getAgents, getState, getTickets, queueOf } from '../../../helpers/http.js';
import { PollerApps } from '../poller-apps.js';
import { fixture } from '../vendor-fixtures.js';

const NOW = Date.parse('2026-06-18T10:00:00Z');
const MINUTE = 60_000;
let fake: FakeFreshdesk;
let dashboardsDir: string;
let apps: PollerApps;

beforeEach(async () => {
  fake = await FakeFreshdesk.start('fd-api-key-1');
  dashboardsDir = tempDir('watchfloor-freshdesk-poll-');
  fs.writeFileSync(path.join(dashboardsDir, 'connectors.json'), JSON.stringify({ freshdesk: { queues: { '84000293343': 'l2' } } }));
  apps = new PollerApps(() => ({ now: () => NOW, env: { DASHBOARDS_DIR: dashboardsDir, ...fake.env } }));
});

afterEach(async () => {
  await apps.closeAll();
  await fake.close();
});

const pollNow = (app: TestApp) => app.app.connectors.poller('freshdesk')!.pollNow();
const pages = () => fake.ticketQueries().map((q) => [q.updated_since, q.page]);

describe('Freshdesk poller', () => {
  it('pages 150 tickets from 24 h back, re-anchoring updated_since on the last updated_at of each full page', async () => {
    // One a second from 08:00:00.
    fake.put(...Array.from({ length: 150 }, (_, i) => freshdeskTicket(i + 1, Date.parse('2026-06-18T08:00:00Z') + i * 1000)));
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ polled: true, pages: 2, records: 151, accepted: 150, duplicates: 1, rejected: 0 });
    expect(fake.ticketQueries()[0]).toEqual({
      updated_since: '2026-06-17T10:00:00Z',
      order_by: 'updated_at',
      order_type: 'asc',
      per_page: '100',
      page: '1',
      include: 'stats',
    });
    // Ticket 100 was updated at 08:01:39: the second request starts there (ticket 100 again: a duplicate).
    expect(pages()).toEqual([
      ['2026-06-17T10:00:00Z', '1'],
      ['2026-06-18T08:01:39Z', '1'],
    ]);
    expect(queueOf(await getState(t.app), 'l1')).toMatchObject({ open: 150, waiting: 150 });
  });

  it('asks for page=2 when a whole page shares one second', async () => {
    fake.put(...Array.from({ length: 120 }, (_, i) => freshdeskTicket(i + 1, Date.parse('2026-06-18T08:00:00Z'))));
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ pages: 3, records: 220, accepted: 120, duplicates: 100 });
    // Anchored on 08:00:00, page 1 is that second only: page 2 of the same anchor follows.
    expect(pages()).toEqual([
      ['2026-06-17T10:00:00Z', '1'],
      ['2026-06-18T08:00:00Z', '1'],
      ['2026-06-18T08:00:00Z', '2'],
    ]);
  });

  it('reads agents: availability on the wall, and tickets assigned by the agent e-mail the webhook body uses', async () => {
    fake.agents = fixture<unknown[]>('freshdesk', 'agents.json');
    fake.put(
      fixture<Parameters<FakeFreshdesk['put']>[0]>('freshdesk', 'rest-ticket.json'),
      freshdeskTicket(375, NOW - 5 * MINUTE, { group_id: 84000293343, responder_id: 84054016729 }),
    );
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ records: 4, accepted: 4 });
    const agents = await getAgents(t.app);
    expect(agents.map((a) => [a.id, a.name, a.status])).toEqual(
      expect.arrayContaining([
        ['mia.lopez@acme.example', 'Mia Lopez', 'available'],
        ['tom.berg@acme.example', 'Tom Berg', 'away'],
      ]),
    );
    expect((await getState(t.app)).agents).toMatchObject({ available: 1, away: 1 });
    expect(t.app.model.ticket('freshdesk', '375')).toMatchObject({ queue: 'l2', assignee: 'mia.lopez@acme.example' });
    // The research's example ticket, closed: first response and resolution count for its day.
    expect(t.app.model.ticket('freshdesk', '374')).toMatchObject({
      status: 'closed',
      firstResponseAt: '2026-06-18T09:20:00.000Z',
      solvedAt: '2026-06-18T09:50:00.000Z',
    });
    // The agent list is read at most once a minute: the next round asks for tickets only.
    await pollNow(t);
    expect(fake.vendor.requestsTo('/api/v2/agents')).toHaveLength(1);
  });

  it('waits out a 429 per its Retry-After, then goes on', async () => {
    fake.put(freshdeskTicket(1, NOW - 10 * MINUTE));
    fake.vendor.script(
      { method: 'GET', path: '/api/v2/tickets' },
      { status: 429, headers: { 'retry-after': '3', 'x-ratelimit-remaining': '0' }, body: { message: 'rate limited' } },
    );
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ pages: 1, records: 1, accepted: 1 });
    expect(apps.sleeps).toContain(3_000);
    expect(fake.ticketQueries()).toHaveLength(2);
  });

  it('resumes from the stored cursor after a restart on the same DATA_DIR', async () => {
    fake.put(freshdeskTicket(1, NOW - 30 * MINUTE), freshdeskTicket(2, NOW - 20 * MINUTE));
    const dataDir = tempDir('watchfloor-freshdesk-cursor-');
    const first = await apps.start({ dataDir });
    await pollNow(first);
    await apps.stop(first);

    fake.put(freshdeskTicket(3, NOW - 5 * MINUTE), freshdeskTicket(1, NOW - 4 * MINUTE, { status: 3 }));
    const second = await apps.start({ dataDir });
    const before = fake.ticketQueries().length;
    // From ticket 2's updated_at (09:40:00): ticket 2 again (a duplicate), 3, and 1's new version.
    expect(await pollNow(second)).toMatchObject({ pages: 1, records: 3, accepted: 2, duplicates: 1 });
    expect(fake.ticketQueries()[before]).toMatchObject({ updated_since: '2026-06-18T09:40:00Z', page: '1' });
    expect(second.app.model.ticket('freshdesk', '1')).toMatchObject({ status: 'pending' });
    expect((await getTickets(second.app, 'waiting')).map((row) => row.id).sort()).toEqual(['1', '2', '3']);
  });
});
