// The incident domain (docs/contract.md#major-incidents), pure: the lifecycle with back-steps and reopening, the
// customer-update cadence, the metrics, the timeline's completeness, linking tickets, the bodies'
// validation. No app, no store: commands give entries, the fold gives the incident.
import { describe, expect, it } from 'vitest';
import { parseTicketTimes, timeTicket, type TimedTicket } from '../../../server/domain/ticket-clock.js';
import type { TicketPayload } from '../../../contract/domain.js';
import {
  addTask,
  changesSince,
  changeTask,
  declare,
  deriveIncident,
  normalizeIncidentId,
  patch,
  postUpdate,
  updateOverdue,
  type StoredIncident,
} from '../../../server/incidents/incident.js';
import { countLinks, impactOf, type TicketScan } from '../../../server/incidents/linking.js';
import { activeSummaries } from '../../../server/incidents/summary.js';
import type { DeclareInput, Incident, TimelineEntry } from '../../../contract/incidents.js';
import { DEFAULT_SEVERITY_LEVELS, DEFAULT_SEVERITY_SCALE } from '../../../contract/incidents.js';
import { parseDeclare, parsePatch, parseTask, parseTaskPatch, parseUpdate } from '../../../server/incidents/validate-input.js';

const SEVERITY_IDS = DEFAULT_SEVERITY_LEVELS.map((l) => l.id);

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const min = (m: number): number => T0 + m * 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

const declaration = (over: Partial<DeclareInput> = {}): DeclareInput => ({
  title: 'Checkout failing',
  severity: 'SEV2',
  summary: '',
  services: [],
  match: { tags: [], keywords: [] },
  ...over,
});

/** An incident driven command by command, as the service does it, keeping every version seen. */
class Run {
  private stored: StoredIncident;
  readonly versions: Incident[] = [];

  constructor(input: DeclareInput, who = 'anna', at = T0) {
    this.stored = { id: 'inc-1', number: 1, entries: declare(input, { actor: who, at }) };
    this.versions.push(this.incident);
  }

  get incident(): Incident {
    return deriveIncident(this.stored);
  }

  /** Appends what a command answered; answers those entries. */
  apply(entries: TimelineEntry[] | null): TimelineEntry[] {
    if (entries === null) throw new Error('the command found no target');
    this.stored = { ...this.stored, entries: [...this.stored.entries, ...entries] };
    this.versions.push(this.incident);
    return entries;
  }

  patch(input: Parameters<typeof patch>[1], at: number, who = 'anna'): TimelineEntry[] {
    return this.apply(patch(this.incident, input, { actor: who, at }));
  }

  update(audience: 'internal' | 'customers', at: number, who = 'lee'): TimelineEntry[] {
    return this.apply(postUpdate(this.incident, { audience, text: `${audience} update at ${iso(at)}` }, { actor: who, at }));
  }
}

describe('declaring', () => {
  it('starts investigating, with the declarer in command, and says so in two entries', () => {
    const run = new Run(
      declaration({ severity: 'SEV1', summary: 'Card payments fail', services: ['payments'], match: { tags: ['payments'], keywords: ['checkout'] } }),
    );
    const incident = run.incident;
    expect(incident).toMatchObject({
      id: 'inc-1',
      number: 1,
      title: 'Checkout failing',
      severity: 'SEV1',
      status: 'investigating',
      summary: 'Card payments fail',
      services: ['payments'],
      match: { tags: ['payments'], keywords: ['checkout'] },
      roles: { commander: 'anna', communications: null, operations: null, scribe: null },
      declaredAt: iso(T0),
      declaredBy: 'anna',
      identifiedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
      nextUpdateDueAt: iso(min(30)),
      linkedTickets: { count: 0, perHour: 0 },
      tasks: [],
      updates: [],
      metrics: { timeToIdentifySec: null, timeToMitigateSec: null, timeToResolveSec: null },
      version: 2,
    });
    expect(incident.timeline).toEqual([
      {
        seq: 1,
        at: iso(T0),
        kind: 'declared',
        actor: 'anna',
        text: 'SEV1 declared: Checkout failing',
        change: {
          field: 'incident',
          from: null,
          to: {
            title: 'Checkout failing',
            severity: 'SEV1',
            status: 'investigating',
            summary: 'Card payments fail',
            services: ['payments'],
            match: { tags: ['payments'], keywords: ['checkout'] },
          },
        },
      },
      { seq: 2, at: iso(T0), kind: 'role', actor: 'anna', text: 'anna takes command', change: { field: 'roles.commander', from: null, to: 'anna' } },
    ]);
  });

  it('gives every severity a meaning, and a cadence only to SEV1 (30 min) and SEV2 (60 min)', () => {
    for (const level of DEFAULT_SEVERITY_LEVELS) expect(level.description.length).toBeGreaterThan(20);
    expect(DEFAULT_SEVERITY_LEVELS.map((l) => l.id)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(DEFAULT_SEVERITY_LEVELS.map((l) => l.customerUpdateMinutes)).toEqual([30, 60, null, null]);
    expect(DEFAULT_SEVERITY_LEVELS.map((l) => l.major)).toEqual([true, true, false, false]);
    expect(new Run(declaration({ severity: 'SEV3' })).incident.nextUpdateDueAt).toBeNull();
    expect(new Run(declaration({ severity: 'SEV2' })).incident.nextUpdateDueAt).toBe(iso(min(60)));
  });

  it('takes an incident by id or by its number', () => {
    expect(normalizeIncidentId('7')).toBe('inc-7');
    expect(normalizeIncidentId('inc-7')).toBe('inc-7');
    expect(normalizeIncidentId('07')).toBe('07');
  });
});

describe('the lifecycle', () => {
  it('records the first arrival at each stage and the times from declaration', () => {
    const run = new Run(declaration());
    run.patch({ status: 'identified' }, min(12));
    run.patch({ status: 'monitoring' }, min(40));
    run.patch({ status: 'resolved' }, min(95));
    expect(run.incident).toMatchObject({
      status: 'resolved',
      identifiedAt: iso(min(12)),
      mitigatedAt: iso(min(40)),
      resolvedAt: iso(min(95)),
      nextUpdateDueAt: null,
      metrics: { timeToIdentifySec: 12 * 60, timeToMitigateSec: 40 * 60, timeToResolveSec: 95 * 60 },
    });
  });

  it('allows back-steps while unresolved, keeping the first arrival times', () => {
    const run = new Run(declaration());
    run.patch({ status: 'monitoring' }, min(20));
    const [back] = run.patch({ status: 'identified' }, min(25), 'boris');
    expect(back).toEqual({
      seq: 4,
      at: iso(min(25)),
      kind: 'status',
      actor: 'boris',
      text: 'back to identified',
      change: { field: 'status', from: 'monitoring', to: 'identified' },
    });
    run.patch({ status: 'investigating' }, min(30));
    // A jump forward sets what it passes: identified and mitigated at once.
    expect(run.versions[1]).toMatchObject({ identifiedAt: iso(min(20)), mitigatedAt: iso(min(20)) });
    expect(run.incident).toMatchObject({ status: 'investigating', identifiedAt: iso(min(20)), mitigatedAt: iso(min(20)), resolvedAt: null });
  });

  it('reopens a resolved incident with an entry of its own, and counts resolution from the last one', () => {
    const run = new Run(declaration({ severity: 'SEV1' }));
    run.patch({ status: 'resolved' }, min(50));
    expect(run.incident.nextUpdateDueAt).toBeNull();
    const [reopen] = run.patch({ status: 'investigating' }, min(70), 'boris');
    expect(reopen).toMatchObject({ kind: 'reopened', actor: 'boris', change: { field: 'status', from: 'resolved', to: 'investigating' } });
    // Active again: no resolution, and the customer-update clock starts at the reopen.
    expect(run.incident).toMatchObject({ status: 'investigating', resolvedAt: null, nextUpdateDueAt: iso(min(100)), metrics: { timeToResolveSec: null } });
    run.patch({ status: 'resolved' }, min(120));
    expect(run.incident).toMatchObject({ resolvedAt: iso(min(120)), metrics: { timeToResolveSec: 120 * 60 } });
  });

  it('appends nothing for a PATCH that changes nothing', () => {
    const run = new Run(declaration());
    expect(
      patch(run.incident, { status: 'investigating', severity: 'SEV2', title: 'Checkout failing', roles: { commander: 'anna' } }, { actor: 'x', at: min(1) }),
    ).toEqual([]);
  });
});

describe('the customer-update cadence', () => {
  it('counts from declaration, then from each customer update; internal updates do not count', () => {
    const run = new Run(declaration({ severity: 'SEV2' }));
    expect(run.incident.nextUpdateDueAt).toBe(iso(min(60)));
    run.update('customers', min(20));
    expect(run.incident).toMatchObject({ lastCustomerUpdateAt: iso(min(20)), nextUpdateDueAt: iso(min(80)) });
    run.update('internal', min(30));
    expect(run.incident.nextUpdateDueAt).toBe(iso(min(80)));
  });

  it('is recomputed on a severity change, and starts at a raise from a severity without cadence', () => {
    const run = new Run(declaration({ severity: 'SEV2' }));
    run.update('customers', min(20));
    run.patch({ severity: 'SEV1' }, min(30));
    expect(run.incident.nextUpdateDueAt).toBe(iso(min(50))); // the last update + 30 min
    run.patch({ severity: 'SEV3' }, min(40));
    expect(run.incident.nextUpdateDueAt).toBeNull();
    // Nothing was owed while SEV3: the 30 minutes run from the raise, not from the last update.
    run.patch({ severity: 'SEV1' }, min(100));
    expect(run.incident.nextUpdateDueAt).toBe(iso(min(130)));
  });

  it('is overdue once the due time has passed, until the next customer update', () => {
    const run = new Run(declaration({ severity: 'SEV1' }));
    expect(updateOverdue(run.incident, min(30))).toBe(false);
    expect(updateOverdue(run.incident, min(30) + 1)).toBe(true);
    run.update('customers', min(45));
    expect(updateOverdue(run.incident, min(46))).toBe(false);
    expect(run.incident.nextUpdateDueAt).toBe(iso(min(75)));
    run.patch({ status: 'resolved' }, min(50));
    expect(updateOverdue(run.incident, min(500))).toBe(false);
  });
});

describe('roles, updates and tasks', () => {
  it('records hand-overs with who had the role and who has it now', () => {
    const run = new Run(declaration());
    const entries = run.patch({ roles: { commander: 'boris', communications: 'lee', scribe: null } }, min(5));
    expect(entries.map((e) => [e.text, e.change])).toEqual([
      ['commander hand-over: anna → boris', { field: 'roles.commander', from: 'anna', to: 'boris' }],
      ['lee takes communications', { field: 'roles.communications', from: null, to: 'lee' }],
    ]);
    run.patch({ roles: { communications: null } }, min(6), 'boris');
    expect(run.incident.roles).toEqual({ commander: 'boris', communications: null, operations: null, scribe: null });
    expect(run.incident.timeline.at(-1)).toMatchObject({ text: 'lee leaves communications', actor: 'boris' });
  });

  it('keeps updates with their audience, oldest first', () => {
    const run = new Run(declaration());
    run.update('internal', min(3), 'lee');
    run.update('customers', min(4), 'mia');
    expect(run.incident.updates).toEqual([
      { seq: 3, at: iso(min(3)), actor: 'lee', audience: 'internal', text: `internal update at ${iso(min(3))}` },
      { seq: 4, at: iso(min(4)), actor: 'mia', audience: 'customers', text: `customers update at ${iso(min(4))}` },
    ]);
    expect(run.incident.timeline.at(-1)).toMatchObject({ kind: 'update', audience: 'customers', actor: 'mia' });
  });

  it('adds tasks with owners, marks them done and hands them over; an unknown task is refused', () => {
    const run = new Run(declaration());
    const first = addTask(run.incident, { title: 'Roll back 4.12', owner: 'omar' }, { actor: 'anna', at: min(2) });
    expect(first.taskId).toBe('t1');
    run.apply(first.entries);
    run.apply(addTask(run.incident, { title: 'Call the PSP', owner: null }, { actor: 'anna', at: min(3) }).entries);
    run.apply(changeTask(run.incident, 't1', { done: true }, { actor: 'omar', at: min(20) }));
    run.apply(changeTask(run.incident, 't2', { owner: 'lee' }, { actor: 'anna', at: min(21) }));
    expect(run.incident.tasks).toEqual([
      { id: 't1', title: 'Roll back 4.12', owner: 'omar', done: true, createdAt: iso(min(2)), createdBy: 'anna', doneAt: iso(min(20)) },
      { id: 't2', title: 'Call the PSP', owner: 'lee', done: false, createdAt: iso(min(3)), createdBy: 'anna', doneAt: null },
    ]);
    expect(changeTask(run.incident, 't9', { done: true }, { actor: 'anna', at: min(22) })).toBeNull();
    expect(changeTask(run.incident, 't1', { done: true }, { actor: 'anna', at: min(22) })).toEqual([]);
  });
});

describe('the timeline', () => {
  /** A busy incident: every kind of change, by several people. */
  function busyRun(): Run {
    const run = new Run(declaration({ severity: 'SEV3' }), 'anna', min(0));
    run.patch({ severity: 'SEV1', summary: 'Payments fail for everyone', services: ['payments', 'checkout'] }, min(2));
    run.patch({ roles: { communications: 'lee', operations: 'omar' } }, min(3));
    run.update('customers', min(5), 'lee');
    run.apply(addTask(run.incident, { title: 'Roll back', owner: 'omar' }, { actor: 'anna', at: min(6) }).entries);
    run.patch({ status: 'identified', match: { tags: ['payments'], keywords: ['card'] } }, min(12), 'omar');
    run.apply(changeTask(run.incident, 't1', { done: true, owner: 'ivan' }, { actor: 'omar', at: min(30) }));
    run.patch({ status: 'monitoring', title: 'Card payments failing' }, min(35));
    run.patch({ roles: { commander: 'boris' } }, min(40));
    run.update('internal', min(41), 'boris');
    run.patch({ status: 'resolved' }, min(60), 'boris');
    run.patch({ status: 'identified' }, min(70), 'boris');
    run.patch({ status: 'resolved', severity: 'SEV2' }, min(80), 'boris');
    return run;
  }

  it('has every change as an entry with seq, time, actor, and from/to', () => {
    const { incident } = busyRun();
    expect(incident.timeline.map((e) => e.seq)).toEqual(incident.timeline.map((_, i) => i + 1));
    expect(incident.version).toBe(incident.timeline.length);
    for (const entry of incident.timeline) {
      expect(entry.actor).toMatch(/\S/);
      expect(new Date(entry.at).toISOString()).toBe(entry.at);
      if (entry.kind === 'update') expect(['internal', 'customers']).toContain(entry.audience);
      else {
        expect(Object.keys(entry.change ?? {}).sort()).toEqual(['field', 'from', 'to']);
        expect(entry.change!.field).toMatch(/\S/);
        expect(entry.change!.from).not.toEqual(entry.change!.to);
      }
    }
    expect(incident.timeline.map((e) => e.kind)).toEqual([
      'declared',
      'role',
      'severity',
      'field',
      'field',
      'role',
      'role',
      'update',
      'task-added',
      'status',
      'field',
      'task-changed',
      'task-changed',
      'field',
      'status',
      'role',
      'update',
      'status',
      'reopened',
      'status',
      'severity',
    ]);
  });

  it('says, for every field change, the value the incident had just before and the one it has after', () => {
    const run = busyRun();
    const fieldOf = (incident: Incident, field: string): unknown => {
      const [head, key, sub] = field.split('.');
      if (head === 'roles') return incident.roles[key as keyof Incident['roles']];
      if (head === 'tasks') {
        const task = incident.tasks.find((t) => t.id === key);
        if (sub === undefined) return task === undefined ? null : { title: task.title, owner: task.owner };
        return task?.[sub as 'done' | 'owner'];
      }
      return incident[head as keyof Incident];
    };
    const last = run.incident;
    for (const entry of last.timeline) {
      if (entry.kind === 'declared' || entry.kind === 'update') continue;
      // The incident as of the entry before, and as of this entry.
      const before = deriveIncident({ id: last.id, number: last.number, entries: last.timeline.slice(0, entry.seq - 1) });
      const after = deriveIncident({ id: last.id, number: last.number, entries: last.timeline.slice(0, entry.seq) });
      expect(fieldOf(before, entry.change!.field), `entry ${entry.seq} from`).toEqual(entry.change!.from);
      expect(fieldOf(after, entry.change!.field), `entry ${entry.seq} to`).toEqual(entry.change!.to);
    }
  });

  it('is never rewritten: every earlier version is a prefix of the next, and folds to what it was', () => {
    const run = busyRun();
    for (let i = 1; i < run.versions.length; i++) {
      const earlier = run.versions[i - 1]!;
      const later = run.versions[i]!;
      expect(later.timeline.slice(0, earlier.version)).toEqual(earlier.timeline);
      expect(deriveIncident({ id: 'inc-1', number: 1, entries: later.timeline.slice(0, earlier.version) })).toEqual(earlier);
    }
  });

  it('refuses to fold a timeline with a gap', () => {
    const { incident } = busyRun();
    const gap = incident.timeline.filter((e) => e.seq !== 5);
    expect(() => deriveIncident({ id: 'inc-1', number: 1, entries: gap })).toThrow(/entry 5 has seq 6/);
  });

  it('tells who changed what since a version (for a 409)', () => {
    const run = new Run(declaration());
    run.patch({ status: 'identified' }, min(1), 'boris');
    run.update('customers', min(2), 'lee');
    expect(changesSince(run.incident, 2)).toBe('boris: status identified; lee: customers update');
  });
});

function ticket(over: Partial<TicketPayload> & { id: string }): TimedTicket {
  const payload: TicketPayload = {
    source: 'test',
    queue: 'l1',
    priority: 'normal',
    status: 'open',
    assignee: null,
    subject: `Ticket ${over.id}`,
    tags: [],
    createdAt: iso(min(-60)),
    updatedAt: iso(min(-60)),
    firstResponseAt: null,
    solvedAt: null,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    csat: null,
    ...over,
  };
  return timeTicket(`test:${over.id}`, payload, null, parseTicketTimes(payload));
}

const scanOf =
  (tickets: TimedTicket[]): TicketScan =>
  (visit) => {
    for (const t of tickets) visit(t);
  };

describe('linked tickets', () => {
  const tickets = [
    ticket({ id: '1', tags: ['Incident-7'] }),
    ticket({ id: '2', tags: ['sso-outage'], createdAt: iso(min(-5)) }),
    ticket({ id: '3', subject: 'SAML error: invalid response', createdAt: iso(min(-14)) }),
    ticket({ id: '4', subject: 'saml login loop', status: 'solved', solvedAt: iso(min(-1)), createdAt: iso(min(-10)) }),
    ticket({ id: '5', subject: 'Printer not found', tags: ['desktop'], createdAt: iso(min(-2)) }),
    ticket({ id: '6', subject: 'Old SAML question', createdAt: iso(min(-16)) }),
  ];

  it('counts open tickets tagged incident-<n> or matching tags or keywords, case-insensitively; the rate over 15 min per hour', () => {
    const links = countLinks([{ id: 'inc-7', number: 7, match: { tags: ['SSO-Outage'], keywords: ['saml'] } }], scanOf(tickets), T0);
    // Open and linked: 1, 2, 3, 6 (4 is solved). Created in the last 15 min: 2, 3, 4 → 3 × 4 per hour.
    expect(links.get('inc-7')).toEqual({ count: 4, perHour: 12 });
  });

  it('counts for several incidents in one pass', () => {
    const links = countLinks(
      [
        { id: 'inc-7', number: 7, match: { tags: [], keywords: [] } },
        { id: 'inc-8', number: 8, match: { tags: ['desktop'], keywords: [] } },
      ],
      scanOf(tickets),
      T0,
    );
    expect(Object.fromEntries(links)).toEqual({ 'inc-7': { count: 1, perHour: 0 }, 'inc-8': { count: 1, perHour: 4 } });
  });

  it('measures the impact over the incident window: linked tickets and missed targets due within it', () => {
    const window = [
      // Due within the window and missed: a first response never given, a resolution given late.
      ticket({ id: 'a', subject: 'SAML broken', firstResponseDueAt: iso(min(10)) }),
      ticket({
        id: 'b',
        firstResponseAt: iso(min(1)),
        firstResponseDueAt: iso(min(5)),
        status: 'solved',
        solvedAt: iso(min(50)),
        resolutionDueAt: iso(min(40)),
      }),
      // Met, or due outside the window.
      ticket({ id: 'c', firstResponseAt: iso(min(1)), firstResponseDueAt: iso(min(20)), resolutionDueAt: iso(min(200)) }),
      ticket({ id: 'd', firstResponseDueAt: iso(min(-5)) }),
      // Solved before the incident: not linked although it matches.
      ticket({ id: 'e', subject: 'SAML once', status: 'closed', solvedAt: iso(min(-30)) }),
    ];
    const impact = impactOf({ number: 7, match: { tags: [], keywords: ['saml'] }, declaredAt: iso(T0), resolvedAt: iso(min(60)) }, scanOf(window), min(120));
    expect(impact).toEqual({ windowStartMs: T0, windowEndMs: min(60), linkedTickets: 1, linkedOpen: 1, breaches: 2, linkedBreaches: 1 });
  });
});

describe('the summaries on the state', () => {
  it('lists active incidents only, most severe first, with what a wall shows', () => {
    const a = new Run(declaration({ severity: 'SEV3', title: 'Slow search' }));
    const b = new Run(declaration({ severity: 'SEV1', title: 'Payments down' }), 'boris', min(5));
    b.update('customers', min(10), 'lee');
    b.apply(addTask(b.incident, { title: 'Roll back', owner: null }, { actor: 'boris', at: min(11) }).entries);
    const c = new Run(declaration({ severity: 'SEV2' }));
    c.patch({ status: 'resolved' }, min(3));
    const incidents = [a.incident, { ...b.incident, id: 'inc-2', number: 2, linkedTickets: { count: 5, perHour: 8 } }, c.incident];
    const summaries = activeSummaries(incidents, DEFAULT_SEVERITY_SCALE);
    expect(summaries.map((s) => s.title)).toEqual(['Payments down', 'Slow search']);
    expect(summaries[0]).toEqual({
      id: 'inc-2',
      number: 2,
      title: 'Payments down',
      severity: 'SEV1',
      major: true,
      status: 'investigating',
      declaredAt: iso(min(5)),
      commander: 'boris',
      latestUpdate: { at: iso(min(10)), actor: 'lee', audience: 'customers', text: `customers update at ${iso(min(10))}` },
      nextUpdateDueAt: iso(min(40)),
      linkedTickets: 5,
      linkedRatePerHour: 8,
      tasksDone: 0,
      tasksTotal: 1,
      version: 4,
    });
  });
});

describe('validating bodies', () => {
  it('names the field, what it must be, and what was sent', () => {
    expect(parseDeclare({ severity: 'SEV1' }, SEVERITY_IDS)).toEqual({ ok: false, error: 'title: must be a string (required)' });
    expect(parseDeclare({ title: 'x', severity: 'SEV5' }, SEVERITY_IDS)).toEqual({
      ok: false,
      error: 'severity: must be one of SEV1, SEV2, SEV3, SEV4, got "SEV5"',
    });
    expect(parseDeclare({ title: 'x' }, SEVERITY_IDS)).toEqual({ ok: false, error: 'severity: must be one of SEV1, SEV2, SEV3, SEV4 (required)' });
    expect(parseDeclare({ title: '  ', severity: 'SEV1' }, SEVERITY_IDS)).toEqual({ ok: false, error: 'title: must not be empty' });
    expect(parseDeclare({ title: 'x', severity: 'SEV1', sevrity: 2 }, SEVERITY_IDS)).toEqual({
      ok: false,
      error: 'sevrity: unknown field; allowed: title, severity, summary, services, match',
    });
    expect(parseDeclare({ title: 'x', severity: 'SEV1', services: 'payments' }, SEVERITY_IDS)).toEqual({
      ok: false,
      error: 'services: must be an array of strings, got "payments"',
    });
    expect(parseDeclare({ title: 'x', severity: 'SEV1', match: { keywords: ['ok', 'a'] } }, SEVERITY_IDS)).toEqual({
      ok: false,
      error: 'match.keywords[0]: at least 3 characters, got "ok"',
    });
    expect(parseDeclare({ title: 'x', severity: 'SEV1', match: { words: [] } }, SEVERITY_IDS)).toEqual({
      ok: false,
      error: 'match.words: unknown field; allowed: tags, keywords',
    });
    expect(parseDeclare(['x'], SEVERITY_IDS)).toEqual({ ok: false, error: 'body: must be a JSON object with title, severity, summary, services, match' });
    expect(parseDeclare({ title: 'a'.repeat(201), severity: 'SEV1' }, SEVERITY_IDS)).toEqual({ ok: false, error: 'title: at most 200 characters, got 201' });
    expect(parsePatch({}, SEVERITY_IDS)).toEqual({ ok: false, error: 'body: send at least one of title, status, severity, summary, services, match, roles' });
    expect(parsePatch({ status: 'fixed' }, SEVERITY_IDS)).toEqual({
      ok: false,
      error: 'status: must be one of investigating, identified, monitoring, resolved, got "fixed"',
    });
    expect(parsePatch({ roles: { captain: 'x' } }, SEVERITY_IDS)).toEqual({
      ok: false,
      error: 'roles.captain: unknown role; roles are commander, communications, operations, scribe',
    });
    expect(parsePatch({ roles: { commander: 42 } }, SEVERITY_IDS)).toEqual({ ok: false, error: 'roles.commander: must be a string, got 42' });
    expect(parseUpdate({ audience: 'everyone', text: 'x' })).toEqual({ ok: false, error: 'audience: must be one of internal, customers, got "everyone"' });
    expect(parseUpdate({ audience: 'internal', text: '' })).toEqual({ ok: false, error: 'text: must not be empty' });
    expect(parseTask({ owner: 'x' })).toEqual({ ok: false, error: 'title: must be a string (required)' });
    expect(parseTaskPatch({ done: 'yes' })).toEqual({ ok: false, error: 'done: must be true or false, got "yes"' });
    expect(parseTaskPatch({})).toEqual({ ok: false, error: 'body: send at least one of done, owner' });
  });

  it('normalises what it accepts: trimmed, case of enumerations, duplicates dropped, empty names cleared', () => {
    expect(
      parseDeclare({ title: ' Payments down ', severity: 'sev1', services: ['payments', 'Payments', 'api'], match: { tags: ['sso'] } }, SEVERITY_IDS),
    ).toEqual({
      ok: true,
      value: { title: 'Payments down', severity: 'SEV1', summary: '', services: ['payments', 'api'], match: { tags: ['sso'], keywords: [] } },
    });
    expect(parsePatch({ status: 'Resolved', roles: { scribe: '', commander: ' boris ' } }, SEVERITY_IDS)).toEqual({
      ok: true,
      value: { status: 'resolved', roles: { scribe: null, commander: 'boris' } },
    });
    expect(parseUpdate({ audience: 'customers', text: 'We are on it.\nNext update at 10:30.' })).toEqual({
      ok: true,
      value: { audience: 'customers', text: 'We are on it.\nNext update at 10:30.' },
    });
  });
});
