// Surge detection after a restart (docs/contract.md#surge-detection): the detector's memory goes with
// the process, and the restored tickets created within it rebuild it, in the order they were
// created: the same group is suggested again, under the same id, with the same tickets.
import { afterEach, describe, expect, it } from 'vitest';
import type { Suggestion } from '../../../contract/suggestions.js';
import { bearer, startTestApp, type TestApp, tempDir } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { PAYMENT_OUTAGE } from './streams.js';

const MINUTE = 60_000;
const opened: TestApp[] = [];

afterEach(async () => {
  for (const t of opened.splice(0).reverse()) await t.close();
});

async function start(dataDir: string): Promise<TestApp> {
  const t = await startTestApp({ dataDir });
  opened.push(t);
  await t.app.ready();
  return t;
}

async function suggestions(t: TestApp): Promise<Suggestion[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/suggestions?status=open', headers: bearer('viewer') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('a restart', () => {
  it('suggests the group again from the restored tickets, the same id and tickets; the older ones stay out', async () => {
    const now = Date.now();
    // Two hours ago: beyond the detector's memory (windowMinutes × 2), so not restored into it.
    const old = Array.from({ length: 6 }, (_, i) => {
      const [subject, tags] = PAYMENT_OUTAGE[i % PAYMENT_OUTAGE.length]!;
      const created = new Date(now - 120 * MINUTE + i * MINUTE).toISOString();
      return ticketEvent({ id: `OLD-${i}`, queue: 'l1', subject, tags: [...tags], createdAt: created, updatedAt: created });
    });
    const recent = Array.from({ length: 8 }, (_, i) => {
      const [subject, tags] = PAYMENT_OUTAGE[i % PAYMENT_OUTAGE.length]!;
      const created = new Date(now - (8 - i) * MINUTE).toISOString();
      return ticketEvent({ id: `PAY-${i}`, queue: 'l1', subject, tags: [...tags].map((t) => t.trim().toLowerCase()), createdAt: created, updatedAt: created });
    });
    const dataDir = tempDir();
    const first = await start(dataDir);
    for (const event of recent) {
      const response = await first.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: [event] });
      expect(response.statusCode, response.body).toBe(202);
    }
    first.app.newTickets.drain();
    const before = await suggestions(first);
    expect(before.map((s) => [s.kind, s.count])).toEqual([['cluster', 8]]);
    // The old ones after the suggestion: in the checkpoint, but too old for the detector's memory.
    const response = await first.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: old });
    expect(response.statusCode, response.body).toBe(202);
    opened.splice(0);
    await first.close();

    const second = await start(dataDir);
    expect(second.app.model.ticketCount).toBe(14);
    const after = await suggestions(second);
    expect(after.map((s) => [s.id, s.kind, s.count])).toEqual([[before[0]!.id, 'cluster', 8]]);
    expect(after[0]!.tickets).toEqual(before[0]!.tickets);
    expect(second.app.surge.skipped).toBe(0);
  });
});
