// The supervisor's reads (issue 6): ticket links from TICKET_URLS on GET /api/v1/tickets, today's
// figures against yesterday's (whole day from the model, "by this time" from the history store),
// and roles. The clock is the test's, so "yesterday" is a known day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { ConfigError } from '../../../server/config-error.js';
import { parseTicketUrlTemplates, ticketUrl } from '../../../server/links/ticket-links.js';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { iso, ticketEvent } from '../../helpers/events.js';

const HOUR = 3600_000;
// 14:00 UTC (vitest runs with TZ=UTC): yesterday is 2026-11-25.
const NOW = Date.parse('2026-11-26T14:00:00Z');
const clock = NOW;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    now: () => clock,
    env: { TICKET_URLS: 'zendesk=https://acme.zendesk.com/agent/tickets/{id}, jira=https://acme.atlassian.net/browse/{id}' },
  });
});
afterAll(async () => t?.close());

async function ingest(events: unknown[]): Promise<void> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
  expect(response.statusCode).toBe(202);
  expect(response.json().rejected).toEqual([]);
}

describe('ticket links', () => {
  it('parses templates and refuses bad ones naming TICKET_URLS', () => {
    expect(parseTicketUrlTemplates('a=https://x.test/t/{id}')).toEqual({ a: 'https://x.test/t/{id}' });
    expect(parseTicketUrlTemplates(null)).toEqual({});
    expect(ticketUrl({ a: 'https://x.test/t/{id}' }, 'a', 'ITS 42/x')).toBe('https://x.test/t/ITS%2042%2Fx');
    expect(ticketUrl({ a: 'https://x.test/t/{id}' }, 'b', '1')).toBeNull();
    for (const bad of [
      'zendesk',
      'zendesk=https://acme.zendesk.com/agent/tickets',
      'zendesk=ftp://x/{id}',
      'a=https://x/{id},a=https://y/{id}',
      'a=not a url {id}',
    ]) {
      expect(() => loadConfig({ TICKET_URLS: bad })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ TICKET_URLS: 'zendesk' })).toThrow(/TICKET_URLS/);
  });

  it('gives each listed ticket the page in its helpdesk, or null for a source without a template', async () => {
    await ingest([
      ticketEvent({ id: '881', source: 'zendesk', firstResponseDueAt: iso(NOW + 10 * 60_000), updatedAt: iso(NOW - HOUR), createdAt: iso(NOW - HOUR) }),
      ticketEvent({ id: 'ITS-42', source: 'jira', firstResponseDueAt: iso(NOW + 5 * 60_000), updatedAt: iso(NOW - HOUR), createdAt: iso(NOW - HOUR) }),
      ticketEvent({ id: 'x-1', source: 'email', firstResponseDueAt: iso(NOW + 20 * 60_000), updatedAt: iso(NOW - HOUR), createdAt: iso(NOW - HOUR) }),
    ]);
    const response = await t.app.inject({ url: '/api/v1/tickets?view=at-risk', headers: bearer('viewer') });
    expect(response.statusCode).toBe(200);
    const urls = Object.fromEntries((response.json().tickets as { id: string; url: string | null }[]).map((row) => [row.id, row.url]));
    expect(urls).toEqual({
      '881': 'https://acme.zendesk.com/agent/tickets/881',
      'ITS-42': 'https://acme.atlassian.net/browse/ITS-42',
      'x-1': null,
    });
  });
});

describe('GET /api/v1/kpis/compare', () => {
  it('needs a token', async () => {
    expect((await t.app.inject({ url: '/api/v1/kpis/compare' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/kpis/compare', headers: bearer('ingest') })).statusCode).toBe(403);
  });

  it('puts today beside the whole of yesterday and beside yesterday at this time', async () => {
    const before = (await t.app.inject({ url: '/api/v1/kpis/compare', headers: bearer('viewer') })).json();
    expect(before.yesterdayByNow).toBeNull(); // no history reaches back 24 h yet
    // Yesterday: three tickets created (10:00, 12:00, 20:00), two solved; today: the ones above plus one.
    const yesterday = (h: number): number => Date.parse('2026-11-25T00:00:00Z') + h * HOUR;
    await ingest([
      ticketEvent({
        id: 'y1',
        createdAt: iso(yesterday(10)),
        updatedAt: iso(yesterday(11)),
        status: 'solved',
        solvedAt: iso(yesterday(11)),
        firstResponseAt: iso(yesterday(10.5)),
      }),
      ticketEvent({
        id: 'y2',
        createdAt: iso(yesterday(12)),
        updatedAt: iso(yesterday(16)),
        status: 'solved',
        solvedAt: iso(yesterday(16)),
        firstResponseAt: iso(yesterday(13)),
      }),
      ticketEvent({ id: 'y3', createdAt: iso(yesterday(20)), updatedAt: iso(yesterday(20)) }),
      ticketEvent({ id: 't1', createdAt: iso(NOW - 2 * HOUR), updatedAt: iso(NOW - 2 * HOUR) }),
    ]);
    // What the sampler would have stored yesterday at 13:58: two created, one solved by then.
    t.app.history.store.write([
      { metric: 'kpis.createdToday', t: NOW - 24 * HOUR - 2 * 60_000, v: 2 },
      { metric: 'kpis.solvedToday', t: NOW - 24 * HOUR - 2 * 60_000, v: 1 },
      // Older than the 15 min tolerance: not "by this time".
      { metric: 'kpis.csatToday', t: NOW - 25 * HOUR, v: 0.5 },
    ]);
    const answer = (await t.app.inject({ url: '/api/v1/kpis/compare', headers: bearer('viewer') })).json();
    expect(answer.today).toMatchObject({ day: '2026-11-26', createdToday: 4, solvedToday: 0 });
    expect(answer.yesterday).toMatchObject({ day: '2026-11-25', createdToday: 3, solvedToday: 2, frtMedianSec: (1800 + 3600) / 2 });
    expect(answer.yesterdayByNow).toEqual({ createdToday: 2, solvedToday: 1 });
  });
});
