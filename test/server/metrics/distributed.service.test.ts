// /metrics in distributed mode (REDIS_URL), two instances on one real Redis: each counts the events
// that came in through it, so summing over instances counts each event once; there is no journal,
// so no journal metrics; and a Redis that stops answering shows as the store down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { sleep, waitFor } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { parseExposition, sampleOf, type Family } from './exposition.js';

let redis: RedisServer;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await redis.stop();
});

async function scrape(t: TestApp): Promise<Map<string, Family>> {
  const response = await t.app.inject({ url: '/metrics', headers: bearer('admin') });
  expect(response.statusCode).toBe(200);
  return parseExposition(response.body);
}

describe('GET /metrics with REDIS_URL', () => {
  it('counts events on the instance they came in through; no journal; store down while Redis does not answer', async () => {
    const env = { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '300' };
    const a = await startTestApp({ env });
    const b = await startTestApp({ env });
    try {
      const response = await a.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { ...bearer('ingest'), 'content-type': 'application/json' },
        payload: JSON.stringify([ticketEvent({ id: 'R-1', source: 'jira' }), ticketEvent({ id: 'R-2', source: 'jira' })]),
      });
      expect(response.statusCode).toBe(202);
      // B applies them from the shared log, but they did not come in through B.
      await waitFor(() => b.app.model.ticket('jira', 'R-2') !== undefined, 'the events on B');
      const [fromA, fromB] = [await scrape(a), await scrape(b)];
      expect(sampleOf(fromA, 'watchfloor_events_received_total', { source: 'jira', result: 'accepted' })).toBe(2);
      expect(sampleOf(fromB, 'watchfloor_events_received_total', { source: 'jira', result: 'accepted' })).toBeUndefined();
      expect([...fromA.keys()].filter((name) => name.startsWith('watchfloor_journal_'))).toEqual([]);
      expect(sampleOf(fromA, 'watchfloor_store_up')).toBe(1);

      redis.pause();
      try {
        await a.app.storeHealth.check();
        const paused = await scrape(a);
        expect(sampleOf(paused, 'watchfloor_store_up')).toBe(0);
        expect(sampleOf(paused, 'watchfloor_store_state', { state: 'down' })).toBe(1);
        expect(sampleOf(paused, 'watchfloor_store_state', { state: 'ok' })).toBe(0);
      } finally {
        redis.resume();
      }
      // The connection may take a moment to come back after the pause.
      const deadline = Date.now() + 10_000;
      while (!(await a.app.storeHealth.check()).ok && Date.now() < deadline) await sleep(100);
      expect(sampleOf(await scrape(a), 'watchfloor_store_up')).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
