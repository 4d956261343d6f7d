// The connector framework's shared pieces (issue 7): connectors.json validation and merging,
// the pure merge helpers, VendorHttp against a real local HTTP server, and the configuration.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { defaultMapping, parseConnectorsFile } from '../../../server/connectors/mapping-config.js';
import { batchContext, csatScore, isoTime, mapPriority, mapQueue, mapStatus, mergeTicket, safeDeliveryId } from '../../../server/connectors/merge.js';
import { VendorHttpError } from '../../../server/connectors/types.js';
import { FetchVendorHttp, MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../server/connectors/vendor-http.js';
import type { TicketPayload } from '../../../contract/domain.js';
import { FakeVendor } from '../../helpers/fake-vendor.js';

describe('connectors.json', () => {
  it('merges a vendor section key by key over the defaults, keys case-insensitive', () => {
    const result = parseConnectorsFile(
      JSON.stringify({
        $comment: 'ok',
        zendesk: {
          queues: { 'L2 Support': 'l2' },
          priorities: { P1: 'URGENT' },
          statuses: { 'Waiting on vendor': 'pending' },
          defaultQueue: 'triage',
          pollSeconds: 30,
        },
        jira: { slaFields: { firstResponse: ['customfield_10030'] } },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const zendesk = result.settings.zendesk;
    expect(zendesk.pollSeconds).toBe(30);
    expect(zendesk.mapping.queues).toEqual({ 'l2 support': 'l2' });
    expect(zendesk.mapping.defaultQueue).toBe('triage');
    expect(zendesk.mapping.priorities).toMatchObject({ p1: 'urgent', urgent: 'urgent', low: 'low' });
    expect(zendesk.mapping.statuses).toMatchObject({ 'waiting on vendor': 'pending', hold: 'pending', solved: 'solved' });
    expect(result.settings.jira.mapping.slaFields).toEqual({ firstResponse: ['customfield_10030'], resolution: ['time to resolution'] });
    expect(result.settings.freshdesk.pollSeconds).toBe(60);
  });

  it('has per-vendor defaults where codes collide', () => {
    expect(defaultMapping('freshdesk').priorities['1']).toBe('low');
    expect(defaultMapping('freshdesk').statuses['4']).toBe('solved');
    expect(defaultMapping('jira').priorities.highest).toBe('urgent');
    expect(defaultMapping('jira').statuses.indeterminate).toBe('open');
    expect(defaultMapping('zendesk').statuses.hold).toBe('pending');
    expect(defaultMapping('zendesk').agentStatuses.online).toBe('available');
    expect(defaultMapping('zendesk').defaultQueue).toBe('l1');
    expect(defaultMapping('zendesk').defaultTeam).toBe('l1');
  });

  it('refuses a bad file with every JSON path and reason', () => {
    const result = parseConnectorsFile(
      JSON.stringify({
        zendesk: { statuses: { x: 'done' }, agentStatuses: 'online', pollSeconds: 1.5, defaultTeam: '' },
        jira: { slaFields: { firstResponse: [] } },
        servicenow: {},
      }),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: 'zendesk.statuses["x"]', message: 'must be one of new, open, pending, solved, closed, got "done"' },
        { path: 'zendesk.agentStatuses', message: 'must be an object of vendor value → one of available, busy, away, offline, got "online"' },
        { path: 'zendesk.pollSeconds', message: 'must be a whole number of seconds from 5 to 86400, got 1.5' },
        { path: 'zendesk.defaultTeam', message: 'must be a team id (letters, digits, - and _), got ""' },
        { path: 'jira.slaFields.firstResponse', message: 'must be a non-empty array of field names or ids (strings)' },
        { path: 'servicenow', message: 'unknown vendor; must be one of zendesk, jira, freshdesk (or $comment)' },
      ],
    });
    expect(parseConnectorsFile('{"zendesk": {')).toMatchObject({ ok: false, problems: [{ path: '', message: expect.stringMatching(/^not valid JSON/) }] });
  });
});

describe('merge helpers', () => {
  const mapping = { ...defaultMapping('zendesk'), queues: { '123': 'l2', 'l3 engineering': 'l3' } };
  const known: TicketPayload = {
    id: '9',
    source: 'zendesk',
    queue: 'l2',
    priority: 'high',
    status: 'open',
    assignee: 'A-1',
    subject: 'Known subject',
    tags: ['x'],
    createdAt: '2025-01-08T09:00:00.000Z',
    updatedAt: '2025-01-08T10:00:00.000Z',
    firstResponseAt: '2025-01-08T09:10:00.000Z',
    solvedAt: null,
    firstResponseDueAt: '2025-01-08T09:30:00.000Z',
    resolutionDueAt: '2025-01-08T17:00:00.000Z',
    csat: null,
  };

  it('maps words case-insensitively and says what it could not map', () => {
    const ignored: string[] = [];
    expect(mapQueue(mapping, 123, ignored)).toBe('l2');
    expect(mapQueue(mapping, 'L3 Engineering', ignored)).toBe('l3');
    expect(mapQueue(mapping, null, ignored)).toBe('l1');
    expect(mapStatus(mapping, 'HOLD', undefined, ignored)).toBe('pending');
    expect(mapPriority(mapping, '-', 'high', ignored)).toBe('high');
    expect(ignored).toEqual([]);
    expect(mapQueue(mapping, 'Sales', ignored)).toBe('l1');
    expect(mapStatus(mapping, 'Waiting on vendor', 'open', ignored)).toBe('open');
    expect(ignored).toEqual(['group "Sales" is not in connectors.json queues; queue l1', 'status "Waiting on vendor" is not in the mapping; kept open']);
    // A vendor word that names an Object.prototype member is just an unknown word.
    expect(mapQueue(mapping, 'constructor', [])).toBe('l1');
    expect(mapStatus(mapping, '__proto__', 'open', [])).toBe('open');
  });

  it('keeps due times, first response, CSAT and creation from the known ticket; solves at updatedAt', () => {
    const solved = mergeTicket('zendesk', '9', { updatedAt: '2025-01-08T11:00:00.000Z', status: 'solved', assignee: null }, known, { queue: 'l1' });
    expect(solved).toEqual({ ...known, status: 'solved', assignee: null, updatedAt: '2025-01-08T11:00:00.000Z', solvedAt: '2025-01-08T11:00:00.000Z' });
    const reopened = mergeTicket('zendesk', '9', { updatedAt: '2025-01-08T12:00:00.000Z', status: 'open' }, solved, { queue: 'l1' });
    expect(reopened.solvedAt).toBeNull();
    const fresh = mergeTicket('zendesk', '10', { updatedAt: '2025-01-08T12:00:00.000Z' }, null, { queue: 'l3' });
    expect(fresh).toMatchObject({ queue: 'l3', status: 'open', priority: 'normal', createdAt: '2025-01-08T12:00:00.000Z', firstResponseDueAt: null, tags: [] });
  });

  it('reads vendor times, ratings and ids', () => {
    expect(isoTime('2023-04-05T23:30:58.642630335Z')).toBe('2023-04-05T23:30:58.642Z');
    expect(isoTime('2024-07-03T10:40:00.000+0000')).toBe('2024-07-03T10:40:00.000Z');
    expect(isoTime(1720000000000)).toBe('2024-07-03T09:46:40.000Z');
    expect(isoTime({ epochMillis: 1720000000000 })).toBe('2024-07-03T09:46:40.000Z');
    expect(isoTime('soon')).toBeNull();
    // No zone: never read in the server's own zone.
    expect(isoTime('2026-11-26T10:00:00')).toBeNull();
    expect(isoTime('2026-11-26')).toBe('2026-11-26T00:00:00.000Z');
    expect([csatScore('Good'), csatScore('bad'), csatScore(4), csatScore('offered'), csatScore({ score: 'good' }), csatScore(9)]).toEqual([
      5,
      1,
      4,
      null,
      5,
      null,
    ]);
    expect(safeDeliveryId('abc')).toBe('abc');
    const long = safeDeliveryId('x'.repeat(1000));
    expect(long.length).toBeLessThan(120);
    expect(safeDeliveryId('x'.repeat(1000))).toBe(long);
    expect(safeDeliveryId(`${'x'.repeat(999)}y`)).not.toBe(long);
  });

  it('a batch context sees the tickets mapped earlier in the same batch, newest kept', () => {
    const base = { mapping, now: 0, knownTicket: () => null, knownAgent: () => null };
    const context = batchContext(base);
    const event = (updatedAt: string) => ({ id: updatedAt, type: 'ticket' as const, at: updatedAt, ticket: { ...known, updatedAt } });
    context.remember({ events: [event('2025-01-08T10:00:00.000Z')], ignored: [] });
    context.remember({ events: [event('2025-01-08T09:00:00.000Z')], ignored: [] });
    expect(context.knownTicket('9')!.updatedAt).toBe('2025-01-08T10:00:00.000Z');
  });
});

describe('VendorHttp', () => {
  let fake: FakeVendor;
  const sleeps: number[] = [];
  const http = (options: { requestsPerMinute?: number; now?: () => number } = {}) =>
    new FetchVendorHttp({
      vendor: 'acme',
      api: { baseUrl: `${fake.url}/base`, username: 'user@example.com/token', password: 's3cret', requestsPerMinute: options.requestsPerMinute ?? 100 },
      sleep: async (ms) => void sleeps.push(ms),
      ...(options.now ? { now: options.now } : {}),
    });

  beforeEach(async () => {
    sleeps.length = 0;
    fake = await FakeVendor.start();
  });

  afterEach(async () => {
    await fake.close();
  });

  it('sends basic auth and the query, resolves paths against the base URL, parses JSON', async () => {
    fake.route({ path: '/base/api/things' }, (request) => ({ body: { query: request.query } }));
    expect(await http().get('/api/things', { a: '1', b: 'x y' })).toEqual({ query: { a: '1', b: 'x y' } });
    expect(fake.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('user@example.com/token:s3cret').toString('base64')}`);
    expect(await http().get(`${fake.url}/base/api/things?c=3`)).toEqual({ query: { c: '3' } });
  });

  it('refuses to send credentials to another origin', async () => {
    await expect(http().get('http://example.invalid/steal')).rejects.toThrow(/refusing to send credentials/);
    expect(fake.requests).toHaveLength(0);
  });

  it('waits Retry-After (seconds or a date, capped), three times at most, then fails with the status', async () => {
    fake.script({}, { status: 429, headers: { 'retry-after': '2' } }, { status: 503, headers: { 'retry-after': '99999' } }, { status: 429 });
    fake.route({}, () => ({ body: { ok: true } }));
    expect(await http().get('/x')).toEqual({ ok: true });
    expect(sleeps).toEqual([2_000, MAX_RETRY_AFTER_MS, 30_000]);
    fake.script({}, { status: 429 }, { status: 429 }, { status: 429 }, { status: 429, body: { error: 'slow down' } });
    const error = await http()
      .get('/x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorHttpError);
    expect((error as VendorHttpError).status).toBe(429);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
  });

  it('turns other failures into VendorHttpError without the credentials', async () => {
    fake.script({}, { status: 401, body: { error: "Couldn't authenticate you" } }, { status: 200, body: 'not json' });
    const unauthorized = (await http()
      .get('/x')
      .catch((e: unknown) => e)) as VendorHttpError;
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.message).toMatch(/^acme GET \/base\/x answered 401/);
    expect(unauthorized.message).not.toContain('s3cret');
    await expect(http().get('/x')).rejects.toThrow(/not JSON/);
    const down = await new FetchVendorHttp({ vendor: 'acme', api: { baseUrl: 'http://127.0.0.1:1', username: 'u', password: 'p', requestsPerMinute: 10 } })
      .get('/x')
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(VendorHttpError);
    expect((down as VendorHttpError).status).toBeNull();
  });

  it('spends at most the per-minute budget, waiting for the oldest request to leave the window', async () => {
    fake.route({}, () => ({ body: {} }));
    let now = 1_000_000;
    const client = http({ requestsPerMinute: 3, now: () => now });
    for (let i = 0; i < 3; i++) {
      await client.get('/x');
      now += 1_000;
    }
    await client.get('/x');
    expect(sleeps).toEqual([57_000]);
  });
});

describe('configuration', () => {
  const base = { DATA_DIR: '/tmp/wf-config-test', WATCHFLOOR_TOKENS: 'admin:a:0123456789abcdef0123' };
  const error = (env: Record<string, string>): string => {
    try {
      loadConfig({ ...base, ...env });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads the vendor API variables, with the Jira JQL default', () => {
    const config = loadConfig({
      ...base,
      ZENDESK_URL: 'https://acme.zendesk.com',
      ZENDESK_EMAIL: 'ops@acme.com',
      ZENDESK_API_TOKEN: 't',
      FRESHDESK_URL: 'https://acme.freshdesk.com',
      FRESHDESK_API_KEY: 'k',
    });
    expect(config).toMatchObject({
      zendeskUrl: 'https://acme.zendesk.com',
      zendeskEmail: 'ops@acme.com',
      zendeskApiToken: 't',
      jiraUrl: null,
      freshdeskApiKey: 'k',
      jiraJql: 'updated >= -1d ORDER BY updated ASC',
    });
  });

  it('names the variable when a poller is half configured or its URL is wrong', () => {
    expect(error({ ZENDESK_URL: 'https://acme.zendesk.com', ZENDESK_EMAIL: 'ops@acme.com' })).toBe('ZENDESK_API_TOKEN: required when ZENDESK_URL is set');
    expect(error({ JIRA_API_TOKEN: 't' })).toBe('JIRA_URL: required when JIRA_API_TOKEN is set');
    expect(error({ FRESHDESK_URL: 'acme.freshdesk.com', FRESHDESK_API_KEY: 'k' })).toBe('FRESHDESK_URL: must be a URL, got "acme.freshdesk.com"');
    expect(error({ ZENDESK_URL: 'ftp://acme', ZENDESK_EMAIL: 'e', ZENDESK_API_TOKEN: 't' })).toMatch(/^ZENDESK_URL: must use https: or http:/);
  });
});
