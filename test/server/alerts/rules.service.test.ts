// The alerts file's validation: every problem with its JSON path and reason; the shipped file is good.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertService } from '../../../server/alerts/alert-service.js';
import { parseAlertRulesFile, validateAlertRules } from '../../../server/alerts/rules.js';
import { EmbeddedAlertStore } from '../../../server/store/embedded-alert-store.js';
import { tempDir } from '../../helpers/app.js';

const good = { id: 'l1', title: 'L1 waiting', metric: 'queues.l1.waiting', op: '>=', value: 20, forSec: 120, severity: 'critical' };

describe('alert rule validation', () => {
  it('accepts the shipped dashboards/alerts.json with the five default rules', () => {
    const result = parseAlertRulesFile(fs.readFileSync(path.resolve('dashboards/alerts.json'), 'utf8'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rules.map((r) => r.id)).toEqual(['l1-waiting', 'agents-available-low', 'sla-compliance-low', 'l1-short-staffed', 'no-events']);
  });

  it('fills in the defaults: clearValue = value, clearForSec 0, wall false, kind threshold', () => {
    const result = validateAlertRules({ rules: [good] });
    expect(result).toEqual({ ok: true, rules: [{ ...good, kind: 'threshold', clearValue: 20, clearForSec: 0, wall: false }] });
  });

  it('names the path and the reason of every problem', () => {
    const result = validateAlertRules({
      rules: [
        { ...good, metric: 'queues.l1.waitng', op: '=>', forSec: -1, clearValue: 25, colour: 'red' },
        { ...good, severity: 'loud' },
        { kind: 'no-events', id: 'Silent!', title: '', forSec: 300, severity: 'critical', source: 3 },
        'nope',
      ],
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((p) => [p.path, p.message]));
    expect(byPath.extra).toMatch(/unknown key "extra"/);
    expect(byPath['rules[0].metric']).toMatch(/unknown queue field "waitng"/);
    expect(byPath['rules[0].op']).toMatch(/one of >= <= > </);
    expect(byPath['rules[0].forSec']).toMatch(/whole number of seconds.*got -1/);
    expect(byPath['rules[0].colour']).toMatch(/unknown key "colour"/);
    expect(byPath['rules[1].id']).toMatch(/duplicate id "l1"/);
    expect(byPath['rules[1].severity']).toMatch(/one of warning, critical, got "loud"/);
    expect(byPath['rules[2].id']).toMatch(/a-z, 0-9 and -/);
    expect(byPath['rules[2].title']).toMatch(/non-empty string/);
    expect(byPath['rules[2].source']).toMatch(/non-empty string/);
    expect(byPath['rules[3]']).toMatch(/must be an object/);
  });

  it('refuses a clearValue on the wrong side of the threshold (it would never clear)', () => {
    const result = validateAlertRules({
      rules: [
        { ...good, clearValue: 25 },
        { ...good, id: 'a', metric: 'agents.available', op: '<', value: 2, clearValue: 1 },
      ],
    });
    expect(result).toMatchObject({
      ok: false,
      problems: [
        { path: 'rules[0].clearValue', message: expect.stringMatching(/at most value \(20\)/) },
        { path: 'rules[1].clearValue', message: expect.stringMatching(/at least value \(2\)/) },
      ],
    });
  });

  it('reports JSON syntax errors with line and column', () => {
    expect(parseAlertRulesFile('{"rules": [\n  {"id": }\n]}')).toMatchObject({
      ok: false,
      problems: [{ path: '', message: expect.stringMatching(/^not valid JSON/) }],
    });
  });
});

describe('the rules file', () => {
  it('a bad edit keeps the last good rules; a good edit applies on the next evaluation', async () => {
    const dir = tempDir('watchfloor-alerts-');
    const store = new EmbeddedAlertStore({ dataDir: dir, log: { info: () => {}, warn: () => {} } });
    const file = path.join(dir, 'alerts.json');
    fs.writeFileSync(file, JSON.stringify({ rules: [good] }));
    const warnings: string[] = [];
    const service = new AlertService({
      dir,
      log: { info: () => {}, warn: (_d, message) => void warnings.push(message) },
      now: () => 0,
      state: () => ({
        seq: 0,
        at: '',
        queues: [],
        agents: { available: 0, busy: 0, away: 0, offline: 0 },
        sla: { breachedOpen: 0, breachedToday: 0, atRisk: 0, complianceToday: null },
        kpis: { createdToday: 0, solvedToday: 0, frtMedianSec: null, frtP90Sec: null, resolutionMedianSec: null, csatToday: null },
        staffing: [],
        followUps: { open: 0, overdue: 0 },
        flow: { escalatedToday: [], deescalatedToday: [], reopenedToday: 0, fcrToday: null, timeToEscalateMedianSec: [], lines: [] },
        incidents: [],
      }),
      sources: () => ({ any: null, bySource: new Map() }),
      store,
    });
    await service.start();
    expect(service.ruleIds()).toEqual(['l1']);
    fs.writeFileSync(file, JSON.stringify({ rules: [{ ...good, op: '=' }] }));
    await service.evaluate();
    expect(service.ruleIds()).toEqual(['l1']);
    expect(service.problems).toEqual([{ path: 'rules[0].op', message: expect.stringMatching(/one of/) }]);
    expect(warnings.at(-1)).toMatch(/alerts\.json: rules\[0\]\.op: required, one of >= <= > <, got "="/);
    fs.writeFileSync(file, JSON.stringify({ rules: [{ ...good, id: 'l1-new' }] }));
    await service.evaluate();
    expect(service.ruleIds()).toEqual(['l1-new']);
    expect(service.problems).toEqual([]);
    await service.close();
  });
});
