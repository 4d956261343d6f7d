// Plausible times, lengths and characters (hostile input): what the event validator refuses and
// why, what it cuts or removes, the same rules through POST /api/v1/events (a refused event changes
// nothing), the incident API and announcements, and the journal replayed after a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { validateEvent } from '../../../server/domain/validate-event.js';
import { validateAnnouncement } from '../../../server/domain/text-rules.js';
import type { TicketPayload } from '../../../contract/domain.js';
import { bearer, startTestApp, type TestApp } from '../../helpers/app.js';
import { agentEvent, iso, ticketEvent } from '../../helpers/events.js';
import { getAgents, getState, getTickets } from '../../helpers/http.js';

const NOW = Date.parse('2026-11-26T14:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RLO = '\u202e';
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

/** A valid ticket event created an hour before NOW, with `change` over it. */
function ticket(change: Partial<TicketPayload> = {}, at = iso(NOW - HOUR)): unknown {
  const created = iso(NOW - HOUR);
  return ticketEvent({ id: 'T-1', createdAt: created, updatedAt: created, ...change }, { at });
}

function refusal(event: unknown, now = NOW): string {
  const result = validateEvent(event, now);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(event).slice(0, 200)}`);
  return result.error;
}

function accepted(event: unknown, now = NOW) {
  const result = validateEvent(event, now);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.event;
}

describe('plausible times', () => {
  it('refuses times before 2000-01-01, naming the field', () => {
    expect(refusal(ticket({ createdAt: '0001-01-01T00:00:00Z' }))).toBe('ticket.createdAt: before 2000-01-01');
    expect(refusal(ticket({ updatedAt: '1999-12-31T23:59:59Z' }))).toBe('ticket.updatedAt: before 2000-01-01');
    expect(refusal(ticket({ firstResponseDueAt: '1970-01-01T00:00:00Z' }))).toBe('ticket.firstResponseDueAt: before 2000-01-01');
    expect(refusal(agentEvent({ id: 'A' }, '1999-01-01T00:00:00Z'))).toBe('at: before 2000-01-01');
    expect(accepted(ticket({ createdAt: '2000-01-01T00:00:00Z' }))).toBeDefined();
  });

  it("refuses event times more than 24 h ahead of the server's clock, due times more than 400 days ahead", () => {
    expect(refusal(ticket({ updatedAt: '9999-12-31T00:00:00Z' }))).toBe("ticket.updatedAt: more than 24 h ahead of the server's clock");
    expect(refusal(ticket({ createdAt: iso(NOW + DAY + 1000), updatedAt: iso(NOW) }))).toBe("ticket.createdAt: more than 24 h ahead of the server's clock");
    expect(refusal(ticket({ solvedAt: iso(NOW + 2 * DAY), status: 'solved' }))).toBe("ticket.solvedAt: more than 24 h ahead of the server's clock");
    expect(refusal(ticket({}, iso(NOW + 2 * DAY)))).toBe("at: more than 24 h ahead of the server's clock");
    expect(refusal(agentEvent({ id: 'A' }, iso(NOW + 25 * HOUR)))).toBe("at: more than 24 h ahead of the server's clock");
    expect(refusal(ticket({ resolutionDueAt: iso(NOW + 401 * DAY) }))).toBe("ticket.resolutionDueAt: more than 400 days ahead of the server's clock");
    // Within the bounds: a clock 23 h off, a target 399 days away.
    expect(accepted(ticket({ createdAt: iso(NOW + 23 * HOUR), updatedAt: iso(NOW + 23 * HOUR), resolutionDueAt: iso(NOW + 399 * DAY) }))).toBeDefined();
    // The bound moves with the clock it is given.
    expect(accepted(ticket({ updatedAt: iso(NOW + 2 * DAY) }, iso(NOW + 2 * DAY)), NOW + 2 * DAY)).toBeDefined();
  });

  it('refuses a first response or a solution earlier than the creation', () => {
    const created = iso(NOW - HOUR);
    expect(refusal(ticket({ createdAt: created, firstResponseAt: iso(NOW - 2 * HOUR) }))).toBe('ticket.firstResponseAt: earlier than ticket.createdAt');
    expect(refusal(ticket({ createdAt: created, status: 'solved', solvedAt: iso(NOW - 2 * HOUR) }))).toBe('ticket.solvedAt: earlier than ticket.createdAt');
    expect(accepted(ticket({ createdAt: created, firstResponseAt: created, status: 'solved', solvedAt: created }))).toBeDefined();
  });
});

describe('lengths and characters', () => {
  it('takes ids and names up to 200 characters and refuses longer ones with the limit', () => {
    const long = 'x'.repeat(201);
    expect(accepted(ticket({ id: 'x'.repeat(200), queue: 'q'.repeat(200), source: 's'.repeat(200), assignee: 'a'.repeat(200) }))).toBeDefined();
    expect(refusal(ticket({ id: long }))).toBe('ticket.id: at most 200 characters, got 201');
    expect(refusal(ticket({ queue: long }))).toBe('ticket.queue: at most 200 characters, got 201');
    expect(refusal(ticket({ source: long }))).toBe('ticket.source: at most 200 characters, got 201');
    expect(refusal(ticket({ assignee: long }))).toBe('ticket.assignee: at most 200 characters, got 201');
    expect(refusal(agentEvent({ id: 'A', name: 'n'.repeat(1000) }, iso(NOW)))).toBe('agent.name: at most 200 characters, got 1000');
    expect(refusal(agentEvent({ id: 'A', team: long }, iso(NOW)))).toBe('agent.team: at most 200 characters, got 201');
    expect(refusal({ ...(ticket() as object), id: long })).toBe('id: at most 200 characters, got 201');
  });

  it('cuts subjects to 1,000 characters instead of refusing them', () => {
    const event = accepted(ticket({ subject: 's'.repeat(5000) }));
    expect(event.type === 'ticket' && event.ticket.subject.length).toBe(1000);
  });

  it('takes at most 50 tags of at most 100 characters', () => {
    expect(accepted(ticket({ tags: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, 't')) }))).toBeDefined();
    expect(refusal(ticket({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }))).toBe('ticket.tags: at most 50 tags, got 51');
    expect(refusal(ticket({ tags: ['ok', 'x'.repeat(1_000_000)] }))).toBe('ticket.tags[1]: at most 100 characters, got 1000000');
    expect(refusal(ticket({ tags: ['ok', 5 as unknown as string] }))).toBe('ticket.tags[1]: must be a string');
  });

  it('refuses C0, DEL and C1 control characters in ids and names', () => {
    for (const c of ['\u0000', '\n', '\u001f', '\u007f', '\u0085', '\u009b']) {
      expect(refusal(ticket({ id: `T${c}1` }))).toBe('ticket.id: must not contain control characters');
      expect(refusal(ticket({ queue: `l${c}1` }))).toBe('ticket.queue: must not contain control characters');
      expect(refusal(agentEvent({ id: 'A', name: `Ann${c}a` }, iso(NOW)))).toBe('agent.name: must not contain control characters');
      expect(refusal(ticket({ tags: [`t${c}`] }))).toBe('ticket.tags[0]: must not contain control characters');
    }
  });

  it('removes bidirectional controls from every displayed text, and refuses a name that was nothing else', () => {
    for (const b of BIDI) {
      const event = accepted(
        ticket({ id: `T${b}9`, subject: `Invoice ${b}fdp.exe`, queue: `l${b}1`, source: `mail${b}`, assignee: `A${b}7`, tags: [`vip${b}`, 'ok'] }),
      );
      if (event.type !== 'ticket') throw new Error('a ticket event');
      expect(event.ticket).toMatchObject({ id: 'T9', subject: 'Invoice fdp.exe', queue: 'l1', source: 'mail', assignee: 'A7', tags: ['vip', 'ok'] });
      const agent = accepted(agentEvent({ id: `A${b}1`, name: `Ann${b}a`, team: `l${b}2` }, iso(NOW)));
      expect(agent.type === 'agent' && agent.agent).toMatchObject({ id: 'A1', name: 'Anna', team: 'l2' });
    }
    expect(refusal(ticket({ queue: RLO }))).toBe('ticket.queue: required, a non-empty string');
  });
});

describe('the same rules through POST /api/v1/events', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('answers each refused event with its reason, and a refused event changes nothing', async () => {
    t = await startTestApp({ now: () => NOW });
    const good = ticket({ id: 'GOOD', subject: `Refund ${RLO}gnp.exe` });
    const events = [
      ticket({ id: 'OLD', createdAt: '0001-01-01T00:00:00Z' }),
      good,
      ticket({ id: 'FUTURE', updatedAt: '9999-12-31T23:59:59Z' }),
      ticket({ id: 'BACKWARDS', status: 'solved', solvedAt: iso(NOW - 2 * HOUR) }),
      ticket({ id: 'TAGGED', tags: ['x'.repeat(1_000_000)] }),
      agentEvent({ id: 'A-LONG', name: 'W'.repeat(1000) }, iso(NOW)),
    ];
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      stale: 0,
      rejected: [
        { index: 0, error: 'ticket.createdAt: before 2000-01-01' },
        { index: 2, error: "ticket.updatedAt: more than 24 h ahead of the server's clock" },
        { index: 3, error: 'ticket.solvedAt: earlier than ticket.createdAt' },
        { index: 4, error: 'ticket.tags[0]: at most 100 characters, got 1000000' },
        { index: 5, error: 'agent.name: at most 200 characters, got 1000' },
      ],
    });
    const waiting = await getTickets(t.app, 'waiting');
    expect(waiting.map((row) => row.id)).toEqual(['GOOD']);
    expect(waiting[0]!.subject).toBe('Refund gnp.exe');
    // The oldest wait is the good ticket's hour, not two thousand years.
    expect((await getState(t.app)).queues).toEqual([{ id: 'l1', open: 1, waiting: 1, oldestWaitingSec: 3600, breached: 0, atRisk: 0 }]);
    expect(await getAgents(t.app)).toEqual([]);
  });

  it.each([
    { when: '10 h later (LATER would now be within 24 h)', restartAt: NOW + 10 * HOUR },
    { when: 'on a clock set back by 2 h (AHEAD would now be 25 h ahead)', restartAt: NOW - 2 * HOUR },
  ])('replays after a crash exactly what was accepted, restarted $when', async ({ restartAt }) => {
    let clock = NOW;
    t = await startTestApp({ now: () => clock });
    const ahead = iso(NOW + 23 * HOUR);
    const later = iso(NOW + 30 * HOUR);
    const batch = [
      ticket({ id: 'AHEAD', createdAt: ahead, updatedAt: ahead }, ahead),
      ticket({ id: 'OLD', createdAt: '0001-01-01T00:00:00Z' }),
      ticket({ id: 'LATER', createdAt: later, updatedAt: later }, later),
    ];
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: batch });
    expect(response.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1 }, { index: 2 }] });
    // As after a kill -9: the first instance is never closed before the next reads its journal.
    clock = restartAt;
    const next = await startTestApp({ now: () => clock, dataDir: t.dataDir });
    try {
      expect((await getTickets(next.app, 'waiting')).map((row) => row.id)).toEqual(['AHEAD']);
    } finally {
      await next.close();
    }
  });
});

describe('free text', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('removes bidi controls from incident titles, summaries, updates and tasks, refuses C1 in a title, and caps free text at 10,000', async () => {
    t = await startTestApp({ now: () => NOW });
    const commander = bearer('commander');
    const declared = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: commander,
      payload: { title: `Payments ${RLO}nwod`, severity: 'SEV2', summary: `Card ${RLO}payments\nfailing`, services: [`pay${RLO}`] },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const id = declared.json().id as string;
    expect(declared.json()).toMatchObject({ title: 'Payments nwod', summary: 'Card payments\nfailing', services: ['pay'] });
    const update = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/updates`,
      headers: commander,
      payload: { audience: 'internal', text: `We ${'\u2067'}know${'\u2069'}` },
    });
    expect(update.statusCode, update.body).toBeLessThan(300);
    const task = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/tasks`, headers: commander, payload: { title: `Call ${RLO}bank` } });
    expect(task.statusCode, task.body).toBeLessThan(300);
    const incident = (await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: bearer('viewer') })).json();
    expect(incident.updates.at(-1).text).toBe('We know');
    expect(incident.tasks.at(-1).title).toBe('Call bank');
    expect(JSON.stringify(incident)).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);

    const c1 = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: commander, payload: { title: 'Bad\u009btitle', severity: 'SEV3' } });
    expect(c1.statusCode).toBe(400);
    expect(c1.json().error.message).toContain('title');
    const long = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/updates`,
      headers: commander,
      payload: { audience: 'internal', text: 'x'.repeat(10_001) },
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toBe('text: at most 10000 characters, got 10001');
  });

  it('announces through POST /api/v1/walls/announce without the override, and refuses control characters', async () => {
    t = await startTestApp({ now: () => NOW });
    const announce = (text: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/walls/announce', headers: bearer('supervisor'), payload: { text, seconds: 30 } });
    const shown = await announce(`Drill ${RLO}won`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json().announcement.text).toBe('Drill won');
    const refused = await announce('Drill\u0000now');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe('text: a non-empty string of at most 280 characters, without control characters');
  });

  it('validates announcements: bidi controls removed, control characters and over-long text refused with the limit', () => {
    expect(validateAnnouncement(`  Fire drill ${RLO}at 15:00 `, 280)).toEqual({ ok: true, text: 'Fire drill at 15:00' });
    expect(validateAnnouncement('x'.repeat(281), 280)).toEqual({
      ok: false,
      error: 'text: a non-empty string of at most 280 characters, without control characters',
    });
    expect(validateAnnouncement('y'.repeat(10_001), 20_000)).toMatchObject({ ok: false, error: expect.stringContaining('at most 10000 characters') });
    expect(validateAnnouncement('line\u0085two', 280).ok).toBe(false);
    expect(validateAnnouncement(RLO, 280).ok).toBe(false);
    expect(validateAnnouncement(42, 280).ok).toBe(false);
  });
});
