// GET /metrics against the real app, after real traffic: events through POST /api/v1/events, live
// connections from socket.io clients, an incident declared over the API, webhook deliveries and a
// poller round against a fake vendor. Every scrape is read with the strict parser of exposition.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso, ticketEvent, uniqueId } from '../../helpers/events.js';
import { FakeZendesk } from '../../helpers/fake-zendesk.js';
import { baseUrl, LiveRecorder, TOKENS, waitFor } from '../../helpers/live-client.js';
import { ZENDESK_SECRET, fixture, postZendesk } from '../connectors/zendesk-helpers.js';
import { parseExposition, sampleOf, type Family } from './exposition.js';

let t: TestApp | null = null;
const clients: LiveRecorder[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await t?.close();
  t = null;
});

async function start(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  t = await startTestApp(options);
  return t;
}

async function scrape(app: TestApp['app']): Promise<Map<string, Family>> {
  const response = await app.inject({ url: '/metrics', headers: bearer('admin') });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(response.body);
}

/** Every product metric the contract lists, by family name. */
const PRODUCT_FAMILIES = [
  'watchfloor_events_received_total',
  'watchfloor_ingest_request_duration_seconds',
  'watchfloor_live_clients',
  'watchfloor_live_broadcast_delay_seconds',
  'watchfloor_live_deltas_skipped_total',
  'watchfloor_live_connections_cut_total',
  'watchfloor_store_up',
  'watchfloor_store_state',
  'watchfloor_journal_bytes',
  'watchfloor_journal_damaged_records',
  'watchfloor_journal_damaged_events',
  'watchfloor_history_points_buffered',
  'watchfloor_history_points_dropped_total',
  'watchfloor_connector_deliveries_total',
  'watchfloor_poller_lag_seconds',
  'watchfloor_incidents_active',
  'watchfloor_alerts_firing',
  'watchfloor_notifications_pending',
  'watchfloor_notifications_failed_total',
];

/** Per series (labels but `le`): buckets cumulative, the last `+Inf` and equal to `_count`. */
function expectWholeHistogram(family: Family): void {
  const key = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([name]) => name !== 'le')
        .sort(),
    );
  const series = new Map<string, number[]>();
  const les = new Map<string, string[]>();
  for (const sample of family.samples.filter((s) => s.name.endsWith('_bucket'))) {
    series.set(key(sample.labels), [...(series.get(key(sample.labels)) ?? []), sample.value]);
    les.set(key(sample.labels), [...(les.get(key(sample.labels)) ?? []), sample.labels.le!]);
  }
  for (const [labels, values] of series) {
    expect(les.get(labels)!.at(-1), `${family.name} ${labels} ends at +Inf`).toBe('+Inf');
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    const count = family.samples.find((s) => s.name === `${family.name}_count` && key(s.labels) === labels);
    expect(count?.value, `${family.name} ${labels} _count`).toBe(values.at(-1));
  }
}

const value = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number => sampleOf(families, name, labels) ?? 0;

async function postBatch(
  app: TestApp['app'],
  events: readonly unknown[],
): Promise<{ accepted: number; duplicates: number; stale: number; rejected: unknown[] }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { ...bearer('ingest'), 'content-type': 'application/json' },
    payload: JSON.stringify(events),
  });
  expect(response.statusCode).toBe(202);
  return response.json();
}

describe('GET /metrics', () => {
  it('is valid exposition text: HELP and TYPE for every family, counters named _total, histograms whole', async () => {
    const { app } = await start();
    await postBatch(app, [ticketEvent({ id: 'T-1' })]);
    const families = await scrape(app);
    const ours = [...families.values()].filter((f) => f.name.startsWith('watchfloor_'));
    expect(ours.map((f) => f.name).sort()).toEqual([...PRODUCT_FAMILIES].sort());
    for (const family of families.values()) {
      expect(family.help, `${family.name} has HELP`).not.toBe('');
      expect(family.type, `${family.name} has TYPE`).not.toBe('untyped');
      if (family.type === 'counter') expect(family.name).toMatch(/_total$/);
      if (family.type === 'histogram') expectWholeHistogram(family);
    }
    for (const family of ours) {
      expect(family.name).toMatch(/^watchfloor_[a-z_]+$/);
      for (const sample of family.samples)
        for (const label of Object.keys(sample.labels))
          expect(['source', 'result', 'code', 'le', 'page', 'reason', 'state', 'vendor', 'severity']).toContain(label);
    }
    // The runtime's defaults, under their usual names.
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
  });

  it('counts a batch by source and result: the counters move by exactly its accepted, duplicate, stale and rejected events', async () => {
    const { app } = await start();
    const base = Date.parse('2025-03-03T10:00:00Z');
    const seenId = uniqueId('seen');
    await postBatch(app, [ticketEvent({ id: 'Z-1', source: 'zendesk', updatedAt: iso(base + 60_000), createdAt: iso(base) }, { id: seenId })]);
    const before = await scrape(app);

    const batch = [
      ticketEvent({ id: 'Z-2', source: 'zendesk', updatedAt: iso(base) }),
      ticketEvent({ id: 'Z-3', source: 'zendesk', updatedAt: iso(base) }),
      // Older than the version of Z-1 the model holds: stale.
      ticketEvent({ id: 'Z-1', source: 'zendesk', updatedAt: iso(base + 30_000), createdAt: iso(base) }),
      // An id seen in the first batch: a duplicate, whatever it says.
      ticketEvent({ id: 'Z-4', source: 'zendesk', updatedAt: iso(base) }, { id: seenId }),
      ticketEvent({ id: 'J-1', source: 'jira', updatedAt: iso(base) }),
      ticketEvent({ id: 'J-2', source: 'jira', priority: 'whenever' as never, updatedAt: iso(base) }),
      ticketEvent({ id: 'A-1', updatedAt: iso(base) }),
      agentEvent({ id: 'ag-1' }, iso(base)),
      42,
    ];
    const summary = await postBatch(app, batch);
    expect(summary).toMatchObject({ accepted: 5, duplicates: 1, stale: 1 });
    expect(summary.rejected).toHaveLength(2);

    const after = await scrape(app);
    const moved = (source: string, result: string) =>
      value(after, 'watchfloor_events_received_total', { source, result }) - value(before, 'watchfloor_events_received_total', { source, result });
    expect(moved('zendesk', 'accepted')).toBe(2);
    expect(moved('zendesk', 'stale')).toBe(1);
    expect(moved('zendesk', 'duplicate')).toBe(1);
    expect(moved('zendesk', 'rejected')).toBe(0);
    expect(moved('jira', 'accepted')).toBe(1);
    expect(moved('jira', 'rejected')).toBe(1);
    expect(moved('test', 'accepted')).toBe(1);
    expect(moved('agent', 'accepted')).toBe(1);
    expect(moved('unknown', 'rejected')).toBe(1);
    // Nothing else moved: the sum over every series grew by the batch's length.
    const total = (families: Map<string, Family>) => families.get('watchfloor_events_received_total')!.samples.reduce((sum, s) => sum + s.value, 0);
    expect(total(after) - total(before)).toBe(batch.length);

    // One more request timed, answered 202.
    const timed = (families: Map<string, Family>) => value(families, 'watchfloor_ingest_request_duration_seconds_count', { code: '202' });
    expect(timed(after) - timed(before)).toBe(1);
    expect(value(after, 'watchfloor_ingest_request_duration_seconds_sum', { code: '202' })).toBeGreaterThan(0);
    // The journal holds both batches until the next checkpoint.
    expect(value(after, 'watchfloor_journal_bytes')).toBeGreaterThan(JSON.stringify(batch).length);
  });

  it('times refused ingest requests under their status code', async () => {
    const { app } = await start();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { ...bearer('ingest'), 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    const families = await scrape(app);
    expect(value(families, 'watchfloor_ingest_request_duration_seconds_count', { code: '400' })).toBe(1);
    expect(value(families, 'watchfloor_ingest_request_duration_seconds_count', { code: '202' })).toBe(0);
  });

  it('counts live clients by page: wall, supervisor, command, other; and times the broadcast of what ingest applied', async () => {
    const { app } = await start();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = baseUrl(app);
    const connect = async (auth: Record<string, unknown> = {}) => {
      const client = new LiveRecorder(url, TOKENS.viewer, { auth: { token: TOKENS.viewer, ...auth } });
      clients.push(client);
      await client.ready();
      return client;
    };
    const clientsOf = async () => {
      const families = await scrape(app);
      return Object.fromEntries(['wall', 'supervisor', 'command', 'other'].map((page) => [page, value(families, 'watchfloor_live_clients', { page })]));
    };
    expect(await clientsOf()).toEqual({ wall: 0, supervisor: 0, command: 0, other: 0 });

    const plain = await connect();
    const spoof = await connect({ page: 'anything-else' });
    await connect({ page: 'command' });
    const wall = await connect();
    (wall.socket.emit as (event: string, ...args: unknown[]) => void)('wall', { dashboard: 'support', name: 'lobby' });
    const supervisor = await connect();
    supervisor.socket.emit('watch-agents');
    await waitFor(() => app.hub.walls().length === 1, 'the wall hello');
    await waitFor(() => [...app.hub.clientFacts()].some((c) => c.watchingAgents), 'the agents list request');
    expect(await clientsOf()).toEqual({ wall: 1, supervisor: 1, command: 1, other: 2 });

    plain.close();
    spoof.close();
    await waitFor(() => app.hub.clientCount === 3, 'two disconnects');
    expect(await clientsOf()).toEqual({ wall: 1, supervisor: 1, command: 1, other: 0 });

    // Events applied while clients listen: the broadcast that carries them is timed.
    const delays = async () => value(await scrape(app), 'watchfloor_live_broadcast_delay_seconds_count');
    const counted = await delays();
    const deltas = wall.deltas.length;
    await postBatch(app, [ticketEvent({ id: 'B-1' })]);
    await waitFor(() => wall.deltas.length > deltas, 'the delta with the new ticket');
    const families = await scrape(app);
    expect(value(families, 'watchfloor_live_broadcast_delay_seconds_count')).toBe(counted + 1);
    const sum = value(families, 'watchfloor_live_broadcast_delay_seconds_sum');
    expect(sum).toBeGreaterThan(0);
    // Within the coalescing slot and some slack, never the time since start.
    expect(value(families, 'watchfloor_live_broadcast_delay_seconds_bucket', { le: '1' })).toBe(counted + 1);
  });

  it('does not time broadcasts that reach nobody', async () => {
    const { app } = await start();
    await postBatch(app, [ticketEvent({ id: 'N-1' })]);
    // Past the 250 ms slot: the broadcast ran, to no one.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(value(await scrape(app), 'watchfloor_live_broadcast_delay_seconds_count')).toBe(0);
  });

  it('shows active incidents by severity, and store up', async () => {
    const { app } = await start();
    const declare = (severity: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: bearer('commander'),
        payload: { title: `Outage ${severity}`, severity, services: ['payments'], match: { tags: ['payments'] } },
      });
    expect((await declare('SEV2')).statusCode).toBe(201);
    expect((await declare('SEV2')).statusCode).toBe(201);
    expect((await declare('SEV4')).statusCode).toBe(201);
    const families = await scrape(app);
    expect(value(families, 'watchfloor_incidents_active', { severity: 'SEV1' })).toBe(0);
    expect(value(families, 'watchfloor_incidents_active', { severity: 'SEV2' })).toBe(2);
    expect(value(families, 'watchfloor_incidents_active', { severity: 'SEV4' })).toBe(1);
    expect(value(families, 'watchfloor_store_up')).toBe(1);
    expect(value(families, 'watchfloor_store_state', { state: 'ok' })).toBe(1);
    expect(value(families, 'watchfloor_store_state', { state: 'down' })).toBe(0);
    expect(sampleOf(families, 'watchfloor_notifications_pending')).toBe(0);
  });

  it('counts webhook deliveries by vendor and result', async () => {
    const { app } = await start({ env: { ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET } });
    const at = Date.now();
    const delivered = await postZendesk(app, fixture('ticket-status-changed'), { at });
    expect(delivered.statusCode).toBe(200);
    const { accepted, duplicates, stale } = delivered.json<{ accepted: number; duplicates: number; stale: number }>();
    expect((await postZendesk(app, fixture('ticket-status-changed'), { at, secret: 'not-the-secret-at-all-0001' })).statusCode).toBe(401);
    expect((await postZendesk(app, fixture('ticket-status-changed'), { at, secret: 'not-the-secret-at-all-0001' })).statusCode).toBe(401);
    const families = await scrape(app);
    expect(value(families, 'watchfloor_connector_deliveries_total', { vendor: 'zendesk', result: 'applied' })).toBe(1);
    expect(value(families, 'watchfloor_connector_deliveries_total', { vendor: 'zendesk', result: 'unauthorized' })).toBe(2);
    // The events the delivery carried count under their source as any other.
    const zendesk = families.get('watchfloor_events_received_total')!.samples.filter((s) => s.labels.source === 'zendesk');
    expect(zendesk.reduce((sum, s) => sum + s.value, 0)).toBe(accepted + duplicates + stale);
    expect(accepted + duplicates + stale).toBeGreaterThan(0);
  });

  it("shows a poller's lag: since the start until a round succeeds, then since that round", async () => {
    const fake = await FakeZendesk.start({ email: 'ops@example.com', token: 'zendesk-api-token-0001' });
    try {
      let clock = Date.parse('2025-03-03T10:00:00Z');
      const { app } = await start({ now: () => clock, env: fake.env, connectors: { startPollers: false } });
      expect(sampleOf(await scrape(app), 'watchfloor_poller_lag_seconds', { vendor: 'zendesk' })).toBe(0);
      clock += 90_000;
      expect(sampleOf(await scrape(app), 'watchfloor_poller_lag_seconds', { vendor: 'zendesk' })).toBe(90);
      await app.connectors.poller('zendesk')!.pollNow();
      clock += 5_000;
      expect(sampleOf(await scrape(app), 'watchfloor_poller_lag_seconds', { vendor: 'zendesk' })).toBe(5);
      // No poller for vendors without API settings.
      expect(sampleOf(await scrape(app), 'watchfloor_poller_lag_seconds', { vendor: 'jira' })).toBeUndefined();
    } finally {
      await t?.close();
      t = null;
      await fake.vendor.close();
    }
  });
});
