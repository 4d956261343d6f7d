// Makes docs/sample-incident-report.md: a demo morning of simulated support traffic (the seeded
// generator of the demo, so the output is the same on every run), an SSO outage scripted on top of
// it, and the incident run through the real API by several people, from declaration to resolution.
//
//   npx tsx test/server/incidents/make-sample-report.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TicketEvent, TicketPayload } from '../../../contract/domain.js';
import { BURST_THEMES } from '../../../server/simulator/catalog.js';
import { mulberry32, TrafficGenerator } from '../../../server/simulator/simulator.js';
import { startTestApp } from '../../helpers/app.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '../../../docs/sample-incident-report.md');
const DAY = '2026-11-26';
const at = (time: string): number => Date.parse(`${DAY}T${time}:00.000Z`);
const iso = (ms: number): string => new Date(ms).toISOString();

/** The people of the demo and their tokens (the actor in the timeline is the token's name). */
const PEOPLE = {
  anna: { role: 'commander', name: 'anna.petrova' },
  marc: { role: 'commander', name: 'marc.dubois' },
  lee: { role: 'supervisor', name: 'lee.chen' },
  omar: { role: 'supervisor', name: 'omar.haddad' },
  sam: { role: 'supervisor', name: 'sam.okafor' },
} as const;
type Person = keyof typeof PEOPLE;
const secret = (who: Person): string => `sample-${who}-secret-000000`;

async function main(): Promise<void> {
  let clock = at('00:00');
  const tokens = Object.entries(PEOPLE)
    .map(([who, p]) => `${p.role}:${p.name}:${secret(who as Person)}`)
    .concat('viewer:wall:sample-viewer-secret-00000')
    .join(',');
  const t = await startTestApp({ now: () => clock, env: { WATCHFLOOR_TOKENS: tokens, TZ: 'UTC' } });
  const { app } = t;
  const random = mulberry32(20261126);
  const generator = new TrafficGenerator({ startMs: at('00:00'), random, timeZone: 'UTC' });
  const outage = new Outage(mulberry32(7));

  /** Moves the clock, with the department's traffic and the outage's tickets up to then. */
  const until = async (time: string): Promise<void> => {
    const target = at(time);
    const events = [...generator.step(target), ...outage.step(target)].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    for (let i = 0; i < events.length; i += 500) await app.ingest.ingestEvents(events.slice(i, i + 500));
    clock = target;
    app.tick();
  };
  const api = async (who: Person, method: 'POST' | 'PATCH', url: string, body: unknown): Promise<void> => {
    const response = await app.inject({ method, url, headers: { authorization: `Bearer ${secret(who)}` }, payload: body as Record<string, unknown> });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
  };
  const incident = '/api/v1/incidents/inc-1';

  await until('09:58');
  await api('anna', 'POST', '/api/v1/incidents', {
    title: 'SSO logins failing for many customers',
    severity: 'SEV2',
    summary: 'Customers using SAML single sign-on cannot log in; password logins work.',
    services: ['sso', 'login'],
    match: { tags: ['sso-outage'], keywords: ['saml', 'sso'] },
  });
  await until('10:00');
  await api('anna', 'PATCH', incident, { roles: { communications: 'lee.chen', operations: 'omar.haddad', scribe: 'sam.okafor' } });
  await until('10:03');
  await api('lee', 'POST', `${incident}/updates`, {
    audience: 'internal',
    text: 'L1: tag every SSO login ticket incident-1 and answer with the "SSO outage" macro; no individual troubleshooting.',
  });
  await until('10:06');
  await api('lee', 'POST', `${incident}/updates`, {
    audience: 'customers',
    text: 'We are investigating failures when logging in with single sign-on (SAML). Password logins are not affected. Next update by 10:36 UTC.',
  });
  await until('10:08');
  await api('anna', 'PATCH', incident, { severity: 'SEV1' });
  await until('10:10');
  await api('sam', 'POST', `${incident}/tasks`, { title: 'Check the IdP signing-certificate rotation', owner: 'omar.haddad' });
  await api('sam', 'POST', `${incident}/tasks`, { title: 'Pin the SSO outage macro for L1', owner: 'lee.chen' });
  await api('sam', 'POST', `${incident}/tasks`, { title: 'List the affected tenants for account managers', owner: 'sam.okafor' });
  await until('10:21');
  await api('anna', 'PATCH', incident, {
    status: 'identified',
    summary:
      'The SAML signing certificate was rotated at 09:40 UTC, but two of the three IdP nodes kept serving the old metadata, so assertions from customers’ identity providers were rejected. Password logins were not affected.',
  });
  await until('10:22');
  await api('omar', 'PATCH', `${incident}/tasks/t1`, { done: true });
  await until('10:30');
  await api('lee', 'POST', `${incident}/updates`, {
    audience: 'customers',
    text: 'We have found the cause of the single sign-on failures and are deploying a fix. Next update by 11:00 UTC.',
  });
  await until('10:34');
  await api('lee', 'PATCH', `${incident}/tasks/t2`, { done: true });
  await until('10:41');
  await api('anna', 'PATCH', incident, { status: 'monitoring' });
  outage.fixedAt = at('10:41');
  await until('10:45');
  await api('omar', 'POST', `${incident}/updates`, {
    audience: 'internal',
    text: 'Metadata refreshed on all three IdP nodes; SAML logins succeed again in our synthetic checks.',
  });
  await until('10:50');
  await api('anna', 'PATCH', incident, { roles: { commander: 'marc.dubois' } });
  await until('10:58');
  await api('lee', 'POST', `${incident}/updates`, {
    audience: 'customers',
    text: 'A fix is in place and single sign-on logins are working again. We are monitoring. Next update by 11:28 UTC.',
  });
  await until('11:02');
  await api('marc', 'PATCH', incident, { status: 'identified' });
  await api('omar', 'POST', `${incident}/updates`, {
    audience: 'internal',
    text: 'One IdP node fell back to cached metadata after a restart; purging its cache.',
  });
  await until('11:10');
  await api('marc', 'PATCH', incident, { status: 'monitoring' });
  await until('11:20');
  await api('sam', 'PATCH', `${incident}/tasks/t3`, { done: true });
  await until('11:25');
  await api('marc', 'PATCH', incident, { status: 'resolved' });
  await until('11:27');
  await api('lee', 'POST', `${incident}/updates`, {
    audience: 'customers',
    text: 'Single sign-on has been working normally since 10:41 UTC, with a short relapse for some customers at 11:00. This incident is resolved. We apologise for the disruption.',
  });
  await until('11:30');
  await api('sam', 'POST', `${incident}/tasks`, { title: 'Post-incident review with the identity team (Monday)', owner: 'anna.petrova' });
  // What outlives the incident: follow-ups with an owner and a due time (one done already, one overdue by noon).
  await until('11:35');
  await api('anna', 'POST', `${incident}/follow-ups`, {
    title: 'Alert on certificate expiry 14 days ahead',
    owner: 'identity team',
    dueAt: `${DAY}T11:50:00Z`,
  });
  await api('anna', 'POST', `${incident}/follow-ups`, {
    title: 'L1 macro for SSO outages in the knowledge base',
    owner: 'sam.okafor',
    dueAt: `${DAY}T16:00:00Z`,
  });
  await api('anna', 'POST', `${incident}/follow-ups`, { title: 'Write the post-incident review', owner: 'anna.petrova', dueAt: '2026-11-30T17:00:00Z' });
  await until('11:45');
  await api('sam', 'PATCH', `${incident}/follow-ups/f2`, { status: 'done' });
  await until('12:00');

  const report = await app.inject({ method: 'GET', url: `${incident}/report`, headers: { authorization: 'Bearer sample-viewer-secret-00000' } });
  if (report.statusCode !== 200) throw new Error(`report answered ${report.statusCode}: ${report.body}`);
  const header =
    '<!-- Generated by `npx tsx test/server/incidents/make-sample-report.ts`: a demo morning of simulated traffic with a scripted SSO outage, the incident run through the API. -->\n\n';
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, header + report.body);
  await t.close();
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)} (${report.body.length} characters)\n`);
}

/**
 * The outage's tickets: SSO login reports arriving fast from 09:45 (the certificate rotated at 09:40),
 * L1 answering with a macro when it gets to them, and solving them once the fix is in.
 */
class Outage {
  private readonly theme = BURST_THEMES.find((b) => b.tag === 'sso-outage')!;
  private readonly tickets: { payload: TicketPayload; answerAt: number; version: number }[] = [];
  private arrivals = at('09:45');
  private last = at('09:45');
  fixedAt = Infinity;

  constructor(private readonly random: () => number) {}

  step(untilMs: number): TicketEvent[] {
    const out: TicketEvent[] = [];
    // Arrivals: every ~50 s until the fix, then a trickle that stops.
    while (this.arrivals <= untilMs && this.arrivals < this.fixedAt + 10 * 60_000) {
      const created = this.arrivals;
      const urgent = this.random() < 0.3;
      const n = this.tickets.length + 1;
      const payload: TicketPayload = {
        id: `SSO-${n}`,
        source: 'zendesk',
        queue: 'l1',
        priority: urgent ? 'urgent' : 'high',
        status: 'new',
        assignee: null,
        subject: this.theme.subjects[n % this.theme.subjects.length]!,
        tags: [...this.theme.tags, ...(created > at('10:03') ? ['incident-1'] : [this.theme.tag])],
        createdAt: iso(created),
        updatedAt: iso(created),
        firstResponseAt: null,
        solvedAt: null,
        firstResponseDueAt: iso(created + (urgent ? 15 : 60) * 60_000),
        resolutionDueAt: iso(created + (urgent ? 4 : 8) * 60 * 60_000),
        csat: null,
      };
      // L1 is swamped before the macro exists (10:03), quick after it.
      const delay = created < at('10:03') ? (10 + this.random() * 40) * 60_000 : (2 + this.random() * 10) * 60_000;
      this.tickets.push({ payload, answerAt: created + delay, version: 0 });
      out.push(this.event(this.tickets.at(-1)!, created));
      this.arrivals += (20 + this.random() * 60) * 1000 * (created > this.fixedAt ? 4 : 1);
    }
    for (const ticket of this.tickets) {
      const p = ticket.payload;
      if (p.firstResponseAt === null && ticket.answerAt <= untilMs && ticket.answerAt > this.last) {
        Object.assign(p, { status: 'pending', assignee: 'A-12', firstResponseAt: iso(ticket.answerAt), updatedAt: iso(ticket.answerAt) });
        out.push(this.event(ticket, ticket.answerAt));
      }
      const solveAt = Math.max(this.fixedAt + 20 * 60_000, ticket.answerAt + 5 * 60_000);
      if (p.solvedAt === null && p.firstResponseAt !== null && solveAt <= untilMs && solveAt > this.last) {
        Object.assign(p, { status: 'solved', solvedAt: iso(solveAt), updatedAt: iso(solveAt) });
        out.push(this.event(ticket, solveAt));
      }
    }
    this.last = untilMs;
    return out;
  }

  private event(ticket: { payload: TicketPayload; version: number }, when: number): TicketEvent {
    ticket.version++;
    return { id: `zd-${ticket.payload.id}-${ticket.version}`, type: 'ticket', at: iso(when), ticket: { ...ticket.payload, tags: [...ticket.payload.tags] } };
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`make-sample-report: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
