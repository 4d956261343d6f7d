// Lookups keyed by names from input or configuration, with names that are Object's own: the ticket
// link templates, the connectors' vendor-value tables, and the alert engine's saved state. Each
// would find (or silently fail to set) a property of Object.prototype with a plain object.
import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../server/alerts/engine.js';
import type { AlertRule } from '../../../server/alerts/rules.js';
import { parseConnectorsFile } from '../../../server/connectors/mapping-config.js';
import { lookup } from '../../../server/connectors/merge.js';
import type { LiveState } from '../../../contract/domain.js';
import { parseTicketUrlTemplates, ticketUrl } from '../../../server/links/ticket-links.js';

const NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
const NUMBERS: Pick<LiveState, 'queues' | 'agents' | 'sla' | 'kpis' | 'staffing' | 'followUps' | 'flow'> = {
  queues: [],
  agents: { available: 0, busy: 1, away: 0, offline: 0 },
  sla: { breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: null },
  kpis: { createdToday: 0, solvedToday: 0, frtMedianSec: null, frtP90Sec: null, resolutionMedianSec: null, csatToday: null },
  staffing: [],
  followUps: { open: 0, overdue: 0 },
  flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: null, timeToEscalateMedianSec: [], lines: [] },
};

describe('ticket link templates', () => {
  it('finds no template for a source named after an Object method, and takes such a source as a key', () => {
    const none = parseTicketUrlTemplates(null);
    for (const name of NAMES) expect(ticketUrl(none, name, '1'), name).toBeNull();
    const templates = parseTicketUrlTemplates(NAMES.map((name, i) => `${name}=https://h${i}.test/t/{id}`).join(','));
    NAMES.forEach((name, i) => {
      expect(ticketUrl(templates, name, '7'), name).toBe(`https://h${i}.test/t/7`);
    });
  });
});

describe("the connectors' tables", () => {
  it('maps vendor groups called "__proto__" and "constructor" to their queues, and finds nothing for an unlisted "toString"', () => {
    // Written as text: "__proto__" in an object literal would set the literal's prototype instead.
    const parsed = parseConnectorsFile('{"zendesk": {"queues": {"__proto__": "l2", "constructor": "l3"}, "agentTeams": {"valueOf": "l1"}}}');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const { mapping } = parsed.settings.zendesk;
    expect(lookup(mapping.queues, '__proto__')).toBe('l2');
    expect(lookup(mapping.queues, 'constructor')).toBe('l3');
    expect(lookup(mapping.queues, 'toString')).toBeUndefined();
    expect(lookup(mapping.agentTeams, 'valueOf')).toBe('l1');
    expect(lookup(mapping.statuses, 'hasOwnProperty')).toBeUndefined();
  });
});

describe('the alert engine state', () => {
  const rules: AlertRule[] = [
    {
      kind: 'threshold',
      id: 'constructor',
      title: 'busy',
      severity: 'warning',
      wall: false,
      forSec: 0,
      clearForSec: 0,
      metric: 'agents.busy',
      op: '>=',
      value: 1,
      clearValue: 1,
    },
    { kind: 'no-events', id: 'silent', title: 'silent', severity: 'warning', wall: false, forSec: 60, clearForSec: 0, source: '__proto__' },
  ];

  it('starts a rule called "constructor" cleared when a saved state does not know it', () => {
    const engine = new AlertEngine(rules, { now: 0 });
    // As a store hands it back: parsed JSON, a plain object.
    engine.restore(JSON.parse(JSON.stringify({ slots: {}, lastEvents: { any: null, bySource: {} }, recorded: 0, history: [] })), 1000);
    expect(engine.stateOf('constructor')).toBe('cleared');
    engine.evaluate(NUMBERS, 2000, { any: null, bySource: new Map() });
    expect(engine.stateOf('constructor')).toBe('firing');
  });

  it('keeps the silence of a source called "__proto__" through a saved state', () => {
    const first = new AlertEngine(rules, { now: 0 });
    first.evaluate(NUMBERS, 10_000, { any: 10_000, bySource: new Map([['__proto__', 10_000]]) });
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    expect(Object.keys(saved.lastEvents.bySource)).toEqual(['__proto__']);
    const second = new AlertEngine(rules, { now: 60_000 });
    second.restore(saved, 60_000);
    second.evaluate(NUMBERS, 70_000, { any: null, bySource: new Map() });
    // 60 s after the source's last event, not 10 s after the restart.
    expect(second.active().find((a) => a.id === 'silent')?.value).toBe(60);
  });
});
