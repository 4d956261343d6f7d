// The connectors keep the ticket when one field breaks the core's rules: an implausible time, a
// reply before the creation, too many or too long tags, a name with control characters are
// dropped (the known value, else none, stands in) and said in `ignored`, where the core would
// refuse the whole event. Through a signed Zendesk delivery on the real app, and the pure fit.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fitToRules } from '../../../server/connectors/merge.js';
import type { AgentEvent, TicketEvent, TicketPayload } from '../../../contract/domain.js';
import { startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { agentEvent, ticketEvent } from '../../helpers/events.js';
import { ok } from './delivery.js';
import { ZENDESK_SECRET, fixtureJson, postZendesk } from './zendesk-helpers.js';

const NOW = Date.parse('2025-01-08T13:05:00Z');
const NOW_ISO = '2025-01-08T13:05:00.000Z';

describe('a Zendesk delivery with fields the core would refuse', () => {
  let t: TestApp;
  beforeEach(async () => {
    const dir = tempDir('watchfloor-fit-');
    fs.writeFileSync(path.join(dir, 'connectors.json'), JSON.stringify({ zendesk: { queues: { 'L1 Support': 'l1' } } }));
    t = await startTestApp({ now: () => NOW, env: { DASHBOARDS_DIR: dir, ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET }, connectors: { mappingCheckEveryMs: 0 } });
  });
  afterEach(async () => t.close());

  const post = (body: object, invocation: string) =>
    postZendesk(t.app, body, { at: NOW, secret: ZENDESK_SECRET, headers: { 'x-zendesk-webhook-invocation-id': invocation } });

  it('keeps the ticket, drops a creation time of year 1 and oversized tags, and says so', async () => {
    const tags = ['vpn', 'x'.repeat(300), ...Array.from({ length: 60 }, (_, i) => `t${i}`)].join(' ');
    const body = { ...fixtureJson('trigger-body'), created_at: '0001-01-01T00:00:00Z', tags };
    const answer = ok(await post(body, 'inv-1'));
    expect(answer).toMatchObject({ accepted: 1, rejected: [] });
    expect(answer.ignored).toEqual([
      'ticket 5201: createdAt "0001-01-01T00:00:00.000Z" before 2000-01-01; 2025-01-08T12:02:00.000Z kept instead',
      `ticket 5201: tag "${'x'.repeat(40)}" is over 100 characters; dropped`,
      'ticket 5201: 61 tags, at most 50 are kept; the rest dropped',
    ]);
    const ticket = t.app.model.ticket('zendesk', '5201');
    expect(ticket).toMatchObject({ createdAt: '2025-01-08T12:02:00.000Z', updatedAt: '2025-01-08T12:02:00.000Z' });
    expect(ticket!.tags).toHaveLength(50);
    expect(ticket!.tags[0]).toBe('vpn');
  });

  it("takes the server's time for an update time of year 9999 rather than losing the ticket", async () => {
    const answer = ok(await post({ ...fixtureJson('trigger-body'), updated_at: '9999-12-31T00:00:00Z' }, 'inv-2'));
    expect(answer).toMatchObject({ accepted: 1, rejected: [] });
    expect(answer.ignored).toContain(
      `ticket 5201: updatedAt "9999-12-31T00:00:00.000Z" more than 24 h ahead of the server's clock; the server's time ${NOW_ISO} kept instead`,
    );
    expect(t.app.model.ticket('zendesk', '5201')).toMatchObject({ updatedAt: NOW_ISO, createdAt: '2025-01-08T11:40:00.000Z' });
    // A real later update is not "stale" behind a time in the year 9999.
    const next = ok(await post({ ...fixtureJson('trigger-body'), updated_at: '2025-01-08T13:06:00Z', status: 'Pending' }, 'inv-3'));
    expect(next).toMatchObject({ accepted: 1, stale: 0 });
  });
});

describe('fitToRules', () => {
  const base = (change: Partial<TicketPayload>): TicketEvent =>
    ticketEvent(
      { id: '7', source: 'zendesk', createdAt: '2025-01-08T10:00:00.000Z', updatedAt: '2025-01-08T12:00:00.000Z', ...change },
      { id: 'e', at: '2025-01-08T12:00:00.000Z' },
    );

  it('drops a reply or solution before the creation and far-off due times, keeping the known value where there is one', () => {
    const known = base({ firstResponseAt: '2025-01-08T10:30:00.000Z' }).ticket;
    const event = base({
      status: 'solved',
      firstResponseAt: '2025-01-08T09:00:00.000Z',
      solvedAt: '2025-01-08T09:30:00.000Z',
      firstResponseDueAt: '2027-06-01T00:00:00.000Z',
      resolutionDueAt: '2025-01-09T10:00:00.000Z',
    });
    const fitted = fitToRules({ events: [event], ignored: ['earlier note'] }, { now: NOW, knownTicket: () => known });
    expect((fitted.events[0] as TicketEvent).ticket).toMatchObject({
      firstResponseAt: '2025-01-08T10:30:00.000Z',
      // Solved by this update, as a payload without a solution time would have it.
      solvedAt: '2025-01-08T12:00:00.000Z',
      firstResponseDueAt: null,
      resolutionDueAt: '2025-01-09T10:00:00.000Z',
    });
    expect(fitted.ignored).toEqual([
      'earlier note',
      'ticket 7: firstResponseAt "2025-01-08T09:00:00.000Z" is earlier than createdAt; 2025-01-08T10:30:00.000Z kept instead',
      'ticket 7: solvedAt "2025-01-08T09:30:00.000Z" is earlier than createdAt; 2025-01-08T12:00:00.000Z kept instead',
      `ticket 7: firstResponseDueAt "2027-06-01T00:00:00.000Z" more than 400 days ahead of the server's clock; dropped`,
    ]);
    // The mapper's event is left as it was.
    expect(event.ticket.firstResponseAt).toBe('2025-01-08T09:00:00.000Z');
  });

  it("gives an agent event of an implausible time the server's time, and cleans a name with control characters", () => {
    const event = agentEvent({ id: '11', name: `Anna\u0007 ${'P'.repeat(300)}` }, '1990-01-01T00:00:00.000Z', 'e') as AgentEvent;
    const fitted = fitToRules({ events: [event], ignored: [] }, { now: NOW, knownTicket: () => null });
    const agent = fitted.events[0] as AgentEvent;
    expect(agent.at).toBe(NOW_ISO);
    expect(agent.agent.name).toBe(`Anna  ${'P'.repeat(194)}`);
    expect(fitted.ignored).toHaveLength(2);
  });

  it('leaves a plausible event untouched', () => {
    const event = base({ firstResponseAt: '2025-01-08T11:00:00.000Z', tags: ['a', 'b'] });
    const fitted = fitToRules({ events: [event], ignored: [] }, { now: NOW, knownTicket: () => null });
    expect(fitted).toEqual({ events: [event], ignored: [] });
  });
});
