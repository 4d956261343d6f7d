// Dashboard files (docs/contract.md#dashboards-as-code): every refusal names the JSON path and the reason, in words that whoever
// edits the file can act on; the shipped dashboards pass.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberMetricValue, parseNumberMetric } from '../../../contract/metrics.js';
import { thresholdColor } from '../../../contract/thresholds.js';
import type { Dashboard, DashboardProblem } from '../../../contract/dashboards.js';
import { formatProblem, parseDashboardFile, validateDashboard } from '../../../server/dashboards/validate-dashboard.js';
import type { LiveState } from '../../../contract/domain.js';

const TYPES = 'stat, gauge, sparkline, queue-table, agent-board, sla-risk, incident, clock, text, staffing, flow';

/** A small good dashboard; each test breaks one thing. */
// biome-ignore lint/suspicious/noExplicitAny: each test reaches into the dashboard to break one thing
function good(): Record<string, any> {
  return {
    id: 'floor',
    title: 'Floor',
    pages: [
      {
        widgets: [
          { type: 'stat', metric: 'queues.l1.waiting', thresholds: [{ gte: 10, color: 'amber' }], x: 0, y: 0, w: 3, h: 2 },
          { type: 'queue-table', x: 3, y: 0, w: 9, h: 6 },
          { type: 'clock', x: 0, y: 2, w: 3, h: 2 },
        ],
      },
    ],
  };
}

/** The problems of a dashboard that must be refused. */
function problemsOf(value: unknown, id = 'floor'): DashboardProblem[] {
  const result = validateDashboard(value, { id });
  if (result.ok) throw new Error('expected the dashboard to be refused');
  return result.problems;
}

/** Refused with exactly this one problem. */
function expectProblem(value: unknown, path: string, message: string): void {
  expect(problemsOf(value)).toEqual([{ path, message }]);
}

// biome-ignore lint/suspicious/noExplicitAny: as good()
function withWidget(widget: Record<string, unknown>, index = 0): Record<string, any> {
  const dashboard = good();
  dashboard.pages[0].widgets[index] = widget;
  return dashboard;
}

const W = 'pages[0].widgets[0]';

describe('the shipped dashboards', () => {
  const dir = path.resolve('dashboards');

  for (const file of ['support.json', 'incident.json']) {
    it(`${file} passes the validator`, () => {
      const result = parseDashboardFile(file, fs.readFileSync(path.join(dir, file), 'utf8'));
      expect(result.ok ? [] : result.problems).toEqual([]);
    });
  }

  it('support shows what issue 3 asks for', () => {
    const result = parseDashboardFile('support.json', fs.readFileSync(path.join(dir, 'support.json'), 'utf8'));
    if (!result.ok) throw new Error('support.json refused');
    const widgets = result.dashboard.pages.flatMap((p) => p.widgets);
    const shown = widgets.map((w) => `${w.type}:${w.metric ?? ''}`);
    expect(shown).toEqual(
      expect.arrayContaining([
        'queue-table:queues',
        'agent-board:agents',
        'gauge:sla.complianceToday',
        'stat:sla.breachedOpen',
        'stat:kpis.frtMedianSec',
        'stat:kpis.frtP90Sec',
        'stat:kpis.createdToday',
        'stat:kpis.solvedToday',
        'sparkline:kpis.createdToday',
        'stat:kpis.csatToday',
        'clock:',
        'sla-risk:tickets.at-risk',
      ]),
    );
    const gauge = widgets.find((w) => w.type === 'gauge')!;
    // SLA compliance: red below 0.85, amber below 0.95 (bounds are inclusive).
    expect([0.99, 0.96, 0.9, 0.86, 0.8].map((v) => thresholdColor(gauge.thresholds, v))).toEqual(['green', 'green', 'amber', 'amber', 'red']);
    expect(widgets.find((w) => w.metric === 'kpis.frtP90Sec')!.format).toBe('duration');
    expect(widgets.find((w) => w.metric === 'kpis.csatToday')!.format).toBe('percent');
    // L1's arrivals against the forecast band (the staffing file names l1).
    expect(widgets.find((w) => w.metric === 'staffing.l1.actual')).toMatchObject({ type: 'sparkline', forecast: true });
  });

  it('incident is the takeover layout: a large incident widget, queue numbers and a clock', () => {
    const result = parseDashboardFile('incident.json', fs.readFileSync(path.join(dir, 'incident.json'), 'utf8'));
    if (!result.ok) throw new Error('incident.json refused');
    const widgets = result.dashboard.pages[0]!.widgets;
    const incident = widgets.find((w) => w.type === 'incident')!;
    expect(incident.w * incident.h).toBeGreaterThanOrEqual(72);
    expect(widgets.some((w) => w.type === 'clock')).toBe(true);
    expect(widgets.filter((w) => w.metric?.startsWith('queues.')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('a good dashboard', () => {
  it('comes back with only known keys and the list metrics filled in', () => {
    const value = good();
    value.lang = 'ru';
    value.rotateSeconds = 30;
    value.incidentMode = 'banner';
    value.pages.push({ title: 'Two', widgets: [{ type: 'gauge', metric: 'sla.complianceToday', format: 'percent', x: 0, y: 0, w: 12, h: 12 }] });
    const result = validateDashboard(value, { id: 'floor' });
    expect(result).toEqual({
      ok: true,
      dashboard: {
        id: 'floor',
        title: 'Floor',
        lang: 'ru',
        rotateSeconds: 30,
        incidentMode: 'banner',
        pages: [
          {
            widgets: [
              { type: 'stat', metric: 'queues.l1.waiting', thresholds: [{ gte: 10, color: 'amber' }], x: 0, y: 0, w: 3, h: 2 },
              { type: 'queue-table', metric: 'queues', x: 3, y: 0, w: 9, h: 6 },
              { type: 'clock', x: 0, y: 2, w: 3, h: 2 },
            ],
          },
          { title: 'Two', widgets: [{ type: 'gauge', metric: 'sla.complianceToday', format: 'percent', x: 0, y: 0, w: 12, h: 12 }] },
        ],
      } satisfies Dashboard,
    });
  });

  it('takes every metric of the grammar on a number widget', () => {
    const metrics = [
      'queues.l1.open',
      'queues.l2.waiting',
      'queues.l3.oldestWaitingSec',
      'queues.vip-line.breached',
      'queues.l1.atRisk',
      'agents.available',
      'agents.busy',
      'agents.away',
      'agents.offline',
      'sla.breachedOpen',
      'sla.breachedToday',
      'sla.atRisk',
      'sla.complianceToday',
      'kpis.createdToday',
      'kpis.solvedToday',
      'kpis.frtMedianSec',
      'kpis.frtP90Sec',
      'kpis.resolutionMedianSec',
      'kpis.csatToday',
    ];
    for (const metric of metrics) {
      for (const type of ['stat', 'gauge', 'sparkline']) {
        expect(validateDashboard(withWidget({ type, metric, x: 0, y: 0, w: 3, h: 2 }), { id: 'floor' }).ok, `${type} ${metric}`).toBe(true);
      }
    }
  });

  it('takes each list widget with its own metrics, or none', () => {
    const lists: Array<[string, string[]]> = [
      ['queue-table', ['queues']],
      ['agent-board', ['agents']],
      ['sla-risk', ['tickets.at-risk', 'tickets.breached', 'tickets.waiting']],
      ['incident', ['incidents']],
      ['staffing', ['staffing']],
      ['flow', ['flow']],
    ];
    for (const [type, metrics] of lists) {
      for (const metric of [...metrics, undefined]) {
        const result = validateDashboard(withWidget({ type, metric, x: 0, y: 0, w: 3, h: 2 }), { id: 'floor' });
        expect(result.ok, `${type} ${metric}`).toBe(true);
        if (result.ok) expect(result.dashboard.pages[0]!.widgets[0]!.metric).toBe(metric ?? metrics[0]);
      }
    }
    expect(validateDashboard(withWidget({ type: 'text', text: 'Call 555-0100 for P1', x: 0, y: 0, w: 3, h: 2 }), { id: 'floor' }).ok).toBe(true);
  });
});

describe('the dashboard itself', () => {
  it('must be an object', () => {
    expect(problemsOf([])).toEqual([{ path: '', message: 'must be a JSON object (a dashboard), got an array' }]);
    expect(problemsOf(null)).toEqual([{ path: '', message: 'must be a JSON object (a dashboard), got null' }]);
    expect(problemsOf('support')).toEqual([{ path: '', message: 'must be a JSON object (a dashboard), got "support"' }]);
  });

  it('id: required, of a-z, 0-9 and -, equal to the file name', () => {
    const idRule = 'required, a string of a-z, 0-9 and - (at most 64 characters) that equals the file name without .json';
    expectProblem({ ...good(), id: undefined }, 'id', idRule);
    expectProblem({ ...good(), id: 'Floor' }, 'id', idRule);
    expectProblem({ ...good(), id: 'floor_1' }, 'id', idRule);
    expectProblem({ ...good(), id: 7 }, 'id', idRule);
    expectProblem({ ...good(), id: 'flor' }, 'id', 'must equal the file name without .json ("floor"), got "flor"');
  });

  it('a file name that cannot be an id is refused as such', () => {
    expect(problemsOf({ ...good(), id: 'my-wall' }, 'My Wall')).toEqual([
      { path: '', message: 'file name "My Wall.json" is not a dashboard id: use a-z, 0-9 and - (e.g. l2-night.json)' },
      { path: 'id', message: 'must equal the file name without .json ("My Wall"), got "my-wall"' },
    ]);
  });

  it('title: a non-empty string', () => {
    expectProblem({ ...good(), title: undefined }, 'title', 'required, a non-empty string');
    expectProblem({ ...good(), title: '  ' }, 'title', 'required, a non-empty string');
    expectProblem({ ...good(), title: 42 }, 'title', 'required, a non-empty string');
    expectProblem({ ...good(), title: 'x'.repeat(201) }, 'title', 'must be at most 200 characters, got 201');
  });

  it('lang: en or ru', () => {
    expectProblem({ ...good(), lang: 'de' }, 'lang', 'must be one of en, ru');
  });

  it('rotateSeconds: a whole number, at least 5', () => {
    const rule = 'must be a whole number of seconds, at least 5, got';
    expectProblem({ ...good(), rotateSeconds: 4 }, 'rotateSeconds', `${rule} 4`);
    expectProblem({ ...good(), rotateSeconds: 7.5 }, 'rotateSeconds', `${rule} 7.5`);
    expectProblem({ ...good(), rotateSeconds: '30' }, 'rotateSeconds', `${rule} "30"`);
    expect(validateDashboard({ ...good(), rotateSeconds: 5 }, { id: 'floor' }).ok).toBe(true);
  });

  it('incidentMode: takeover or banner', () => {
    expectProblem({ ...good(), incidentMode: 'popup' }, 'incidentMode', 'must be one of takeover, banner');
  });

  it('alerts: true or false', () => {
    expectProblem({ ...good(), alerts: 'yes' }, 'alerts', 'must be true or false (show wall-visible alerts on this board), got "yes"');
    const result = validateDashboard({ ...good(), alerts: false }, { id: 'floor' });
    expect(result.ok && result.dashboard.alerts).toBe(false);
  });

  it('pages: a non-empty array of objects with non-empty widgets', () => {
    const rule = 'required, a non-empty array of pages ({"widgets": [...]})';
    expectProblem({ ...good(), pages: undefined }, 'pages', rule);
    expectProblem({ ...good(), pages: [] }, 'pages', rule);
    expectProblem({ ...good(), pages: {} }, 'pages', rule);
    expectProblem({ ...good(), pages: [7] }, 'pages[0]', 'must be an object ({"widgets": [...]}), got 7');
    expectProblem({ ...good(), pages: [{ widgets: [] }] }, 'pages[0].widgets', 'required, a non-empty array of widgets');
    expectProblem({ ...good(), pages: [{ title: 3, widgets: good().pages[0].widgets }] }, 'pages[0].title', 'must be a string');
  });

  it('names each unknown key and what is allowed there', () => {
    expectProblem({ ...good(), colour: 'dark' }, 'colour', 'unknown key "colour"; allowed here: id, title, lang, rotateSeconds, incidentMode, alerts, pages');
    const page = good();
    page.pages[0].rotate = 10;
    expectProblem(page, 'pages[0].rotate', 'unknown key "rotate"; allowed here: title, widgets');
    expectProblem(
      withWidget({ type: 'stat', metric: 'sla.atRisk', x: 0, y: 0, w: 3, h: 2, colour: 'red' }),
      `${W}.colour`,
      'unknown key "colour"; allowed here: type, metric, title, thresholds, format, min, max, text, forecast, x, y, w, h',
    );
    expectProblem(
      withWidget({ type: 'stat', metric: 'sla.atRisk', thresholds: [{ gt: 3, gte: 3, color: 'red' }], x: 0, y: 0, w: 3, h: 2 }),
      `${W}.thresholds[0].gt`,
      'unknown key "gt"; allowed here: gte, lte, color',
    );
  });

  it('reports every problem of a file at once, in file order', () => {
    const value = good();
    value.lang = 'fr';
    value.pages[0].widgets[0].type = 'pie';
    value.pages[0].widgets[2].w = 13;
    expect(problemsOf(value)).toEqual([
      { path: 'lang', message: 'must be one of en, ru' },
      { path: 'pages[0].widgets[0].type', message: `must be one of ${TYPES}` },
      { path: 'pages[0].widgets[2].w', message: 'must be a whole number from 1 to 12, got 13' },
    ]);
  });
});

describe('widgets', () => {
  it('type: one of the nine', () => {
    const value = good();
    value.pages[0].widgets.push({ type: 'pie', metric: 'sla.atRisk', x: 0, y: 4, w: 1, h: 1 });
    expectProblem(value, 'pages[0].widgets[3].type', `must be one of ${TYPES}`);
    expectProblem(withWidget({ metric: 'sla.atRisk', x: 0, y: 0, w: 3, h: 2 }), `${W}.type`, `must be one of ${TYPES}`);
    expectProblem(withWidget(7 as unknown as Record<string, unknown>), W, 'must be an object ({"type": …, "x": …, "y": …, "w": …, "h": …}), got 7');
  });

  describe('the 12 × 12 grid', () => {
    const at = (box: Record<string, unknown>) => withWidget({ type: 'clock', x: 0, y: 0, w: 3, h: 2, ...box });

    it('x, y, w, h: whole numbers in range', () => {
      expectProblem(at({ x: -1 }), `${W}.x`, 'must be a whole number from 0 to 11, got -1');
      expectProblem(at({ x: 12, w: 1 }), `${W}.x`, 'must be a whole number from 0 to 11, got 12');
      expectProblem(at({ x: 1.5 }), `${W}.x`, 'must be a whole number from 0 to 11, got 1.5');
      expectProblem(at({ y: '0' }), `${W}.y`, 'must be a whole number from 0 to 11, got "0"');
      expectProblem(at({ w: 0 }), `${W}.w`, 'must be a whole number from 1 to 12, got 0');
      expectProblem(at({ h: 0 }), `${W}.h`, 'must be a whole number from 1 to 12, got 0');
      expectProblem(at({ h: undefined }), `${W}.h`, 'required, a whole number from 1 to 12');
    });

    it('every bad number of a widget is named at once', () => {
      expect(problemsOf(at({ x: -1, y: -1, w: 0, h: 99 }))).toEqual([
        { path: `${W}.x`, message: 'must be a whole number from 0 to 11, got -1' },
        { path: `${W}.y`, message: 'must be a whole number from 0 to 11, got -1' },
        { path: `${W}.w`, message: 'must be a whole number from 1 to 12, got 0' },
        { path: `${W}.h`, message: 'must be a whole number from 1 to 12, got 99' },
      ]);
    });

    it('x + w ≤ 12 and y + h ≤ 12', () => {
      expectProblem(at({ x: 9, w: 4 }), `${W}.w`, 'x + w must be at most 12 (the grid has 12 columns), got 9 + 4 = 13');
      expectProblem(at({ y: 10, h: 3 }), `${W}.h`, 'y + h must be at most 12 (the grid has 12 rows), got 10 + 3 = 13');
      // The bottom-right corner fits exactly (the widget under test is moved out of the others' way).
      expect(validateDashboard(at({ x: 9, w: 3, y: 10, h: 2 }), { id: 'floor' }).ok).toBe(true);
    });

    it('widgets may not overlap', () => {
      const value = good();
      value.pages[0].widgets.push({ type: 'clock', x: 2, y: 1, w: 2, h: 2 });
      expectProblem(value, 'pages[0].widgets[3]', 'overlaps pages[0].widgets[0]');
      const touching = good();
      touching.pages[0].widgets.push({ type: 'clock', x: 0, y: 4, w: 3, h: 1 });
      expect(validateDashboard(touching, { id: 'floor' }).ok).toBe(true);
    });
  });

  describe('metric', () => {
    const stat = (metric: unknown, type = 'stat') => withWidget({ type, metric, x: 0, y: 0, w: 3, h: 2 });
    const grammar =
      'queues.<queue>.<field>, agents.<status>, sla.<field>, kpis.<field>, staffing.<line>.<field>, followUps.<open|overdue>, flow.<reopenedToday|fcrToday> or flow.escalated.<from>.<to>';

    it('is required for stat, gauge and sparkline', () => {
      for (const type of ['stat', 'gauge', 'sparkline']) {
        expectProblem(stat(undefined, type), `${W}.metric`, `required for ${type} widgets: a number of the live state (${grammar})`);
      }
    });

    it('must be a known number of the live state', () => {
      expectProblem(
        stat('queues.l1.waitng'),
        `${W}.metric`,
        'unknown queue field "waitng" in "queues.l1.waitng"; must be one of open, waiting, oldestWaitingSec, breached, atRisk',
      );
      expectProblem(
        stat('queues.l1'),
        `${W}.metric`,
        '"queues.l1" is not a number; use queues.<queue>.<open|waiting|oldestWaitingSec|breached|atRisk>, e.g. queues.l1.waiting',
      );
      expectProblem(
        stat('queues'),
        `${W}.metric`,
        '"queues" is not a number; use queues.<queue>.<open|waiting|oldestWaitingSec|breached|atRisk>, e.g. queues.l1.waiting',
      );
      expectProblem(
        stat('agents.sleeping'),
        `${W}.metric`,
        'unknown agent status "sleeping" in "agents.sleeping"; must be one of available, busy, away, offline',
      );
      expectProblem(stat('agents'), `${W}.metric`, 'unknown agent status "" in "agents"; must be one of available, busy, away, offline');
      expectProblem(
        stat('sla.compliance'),
        `${W}.metric`,
        'unknown sla field "compliance" in "sla.compliance"; must be one of breachedOpen, breachedToday, atRisk, complianceToday',
      );
      expectProblem(
        stat('kpis.csat'),
        `${W}.metric`,
        'unknown kpis field "csat" in "kpis.csat"; must be one of createdToday, solvedToday, frtMedianSec, frtP90Sec, resolutionMedianSec, csatToday',
      );
      expectProblem(stat('tickets.at-risk'), `${W}.metric`, `unknown metric "tickets.at-risk"; a number of the live state is ${grammar}`);
      expectProblem(stat(12), `${W}.metric`, 'must be a string (a metric path such as queues.l1.waiting)');
    });

    it('list widgets take their own metrics only', () => {
      expectProblem(stat('agents', 'queue-table'), `${W}.metric`, 'must be "queues" for queue-table widgets');
      expectProblem(stat('queues', 'agent-board'), `${W}.metric`, 'must be "agents" for agent-board widgets');
      expectProblem(stat('tickets.late', 'sla-risk'), `${W}.metric`, 'must be one of tickets.at-risk, tickets.breached, tickets.waiting for sla-risk widgets');
      expectProblem(stat('queues.l1.waiting', 'incident'), `${W}.metric`, 'must be "incidents" for incident widgets');
    });

    it('clock and text take none', () => {
      expectProblem(stat('sla.atRisk', 'clock'), `${W}.metric`, 'not allowed on clock widgets');
      expectProblem(withWidget({ type: 'text', text: 'hi', metric: 'sla.atRisk', x: 0, y: 0, w: 3, h: 2 }), `${W}.metric`, 'not allowed on text widgets');
    });
  });

  describe('thresholds', () => {
    const withThresholds = (thresholds: unknown) => withWidget({ type: 'stat', metric: 'sla.atRisk', thresholds, x: 0, y: 0, w: 3, h: 2 });
    const T = `${W}.thresholds`;

    it('an array of {gte|lte, color}', () => {
      expectProblem(
        withThresholds({ gte: 1, color: 'red' }),
        T,
        'must be an array such as [{"gte": 10, "color": "amber"}, {"gte": 20, "color": "red"}], got an object',
      );
      expectProblem(withThresholds([5]), `${T}[0]`, 'must be an object such as {"gte": 10, "color": "amber"}, got 5');
    });

    it('color: one of the palette', () => {
      expectProblem(withThresholds([{ gte: 1, color: 'orange' }]), `${T}[0].color`, 'must be one of green, amber, red, blue, grey');
      expectProblem(withThresholds([{ gte: 1 }]), `${T}[0].color`, 'must be one of green, amber, red, blue, grey');
    });

    it('a numeric gte or lte', () => {
      expectProblem(withThresholds([{ gte: 1, color: 'amber' }, { color: 'red' }]), `${T}[1]`, 'needs a numeric gte or lte');
      expectProblem(withThresholds([{ gte: '10', color: 'red' }]), `${T}[0].gte`, 'must be a number, got "10"');
      expectProblem(withThresholds([{ lte: null, color: 'red' }]), `${T}[0].lte`, 'must be a number, got null');
      expectProblem(withThresholds([{ gte: 5, lte: 3, color: 'red' }]), `${T}[0]`, 'gte (5) is above lte (3), so no value matches');
      expect(
        validateDashboard(
          withThresholds([
            { gte: 3, lte: 5, color: 'blue' },
            { lte: 0, color: 'grey' },
          ]),
          { id: 'floor' },
        ).ok,
      ).toBe(true);
    });

    it('only on number widgets', () => {
      expectProblem(withWidget({ type: 'queue-table', thresholds: [], x: 0, y: 0, w: 3, h: 2 }), `${T}`, 'only for stat, gauge and sparkline widgets');
    });
  });

  describe('keys for some types only', () => {
    const box = { x: 0, y: 0, w: 3, h: 2 };

    it('format: number, percent or duration, on number widgets', () => {
      expectProblem(withWidget({ type: 'stat', metric: 'sla.atRisk', format: 'currency', ...box }), `${W}.format`, 'must be one of number, percent, duration');
      expectProblem(withWidget({ type: 'clock', format: 'duration', ...box }), `${W}.format`, 'only for stat, gauge and sparkline widgets');
    });

    it('min and max: numbers, on gauges, min below max', () => {
      expectProblem(withWidget({ type: 'stat', metric: 'sla.atRisk', min: 0, ...box }), `${W}.min`, 'only for gauge widgets');
      expectProblem(withWidget({ type: 'gauge', metric: 'sla.atRisk', max: 'ten', ...box }), `${W}.max`, 'must be a number, got "ten"');
      expectProblem(withWidget({ type: 'gauge', metric: 'sla.atRisk', min: 10, max: 10, ...box }), `${W}.max`, 'must be above min (10), got 10');
      expect(validateDashboard(withWidget({ type: 'gauge', metric: 'sla.atRisk', min: 2, ...box }), { id: 'floor' }).ok).toBe(true);
      expect(validateDashboard(withWidget({ type: 'gauge', metric: 'sla.atRisk', min: -5, max: 20, ...box }), { id: 'floor' }).ok).toBe(true);
    });

    it('text: required on text widgets, refused elsewhere', () => {
      expectProblem(withWidget({ type: 'text', ...box }), `${W}.text`, 'required, a non-empty string');
      expectProblem(withWidget({ type: 'text', text: 'x'.repeat(2001), ...box }), `${W}.text`, 'must be at most 2000 characters, got 2001');
      expectProblem(withWidget({ type: 'stat', metric: 'sla.atRisk', text: 'hello', ...box }), `${W}.text`, 'only for text widgets');
    });

    it('title: a string', () => {
      expectProblem(withWidget({ type: 'clock', title: ['Time'], ...box }), `${W}.title`, 'must be a string');
    });

    it('forecast: true or false, on sparklines of staffing.<line>.actual only', () => {
      const spark = { type: 'sparkline', metric: 'staffing.l1.actual', ...box };
      const result = validateDashboard(withWidget({ ...spark, forecast: true }), { id: 'floor' });
      expect(result.ok && result.dashboard.pages[0]!.widgets[0]).toEqual({ ...spark, forecast: true });
      expect(validateDashboard(withWidget({ ...spark, metric: 'staffing.night-desk.actual', forecast: false }), { id: 'floor' }).ok).toBe(true);
      expectProblem(withWidget({ ...spark, forecast: 'yes' }), `${W}.forecast`, 'must be true or false (draw the line\'s forecast band), got "yes"');
      expectProblem(withWidget({ ...spark, forecast: 1 }), `${W}.forecast`, "must be true or false (draw the line's forecast band), got 1");
      expectProblem(
        withWidget({ ...spark, metric: 'queues.l1.waiting', forecast: true }),
        `${W}.forecast`,
        'only with a metric staffing.<line>.actual (a line\'s arrivals, e.g. staffing.l1.actual), got "queues.l1.waiting"',
      );
      expectProblem(
        withWidget({ ...spark, metric: 'staffing.l1.forecast', forecast: true }),
        `${W}.forecast`,
        'only with a metric staffing.<line>.actual (a line\'s arrivals, e.g. staffing.l1.actual), got "staffing.l1.forecast"',
      );
      expectProblem(withWidget({ type: 'stat', metric: 'staffing.l1.actual', forecast: true, ...box }), `${W}.forecast`, 'only for sparkline widgets');
      expectProblem(withWidget({ type: 'clock', forecast: false, ...box }), `${W}.forecast`, 'only for sparkline widgets');
    });
  });
});

describe('files', () => {
  const text = (value: unknown) => JSON.stringify(value, null, 2);

  it('the id comes from the file name', () => {
    expect(parseDashboardFile('floor.json', text(good())).ok).toBe(true);
    expect(parseDashboardFile('other.json', text(good()))).toEqual({
      ok: false,
      problems: [{ path: 'id', message: 'must equal the file name without .json ("other"), got "floor"' }],
    });
  });

  // The reason after the position is V8's own wording, which may change between Node versions.
  it('a JSON syntax error is reported with its line and column', () => {
    const broken = '{\n  "id": "floor",\n  "title": "Floor",\n}\n';
    const result = parseDashboardFile('floor.json', broken);
    if (result.ok) throw new Error('expected a syntax error');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.path).toBe('');
    expect(result.problems[0]!.message).toMatch(/^not valid JSON at line 4, column 1: \S/);
    expect(result.problems[0]!.message).not.toMatch(/position|\(line/);
    expect(formatProblem('floor.json', result.problems[0]!)).toMatch(/^floor\.json: not valid JSON at line 4, column 1: /);

    const second = parseDashboardFile('floor.json', '{"id": "floor" "title": 1}');
    expect(second.ok ? [] : second.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^not valid JSON at line 1, column 16: /)]);
  });

  it('an empty or truncated file ends too early', () => {
    expect(parseDashboardFile('floor.json', '')).toEqual({
      ok: false,
      problems: [{ path: '', message: 'not valid JSON at line 1, column 1: the file ends too early' }],
    });
    expect(parseDashboardFile('floor.json', '{\n  "id":')).toEqual({
      ok: false,
      problems: [{ path: '', message: 'not valid JSON at line 2, column 8: the file ends too early' }],
    });
  });

  it('a byte-order mark is not an error', () => {
    expect(parseDashboardFile('floor.json', `\ufeff${text(good())}`).ok).toBe(true);
  });

  it('formats a problem as one log line: file, path, reason', () => {
    expect(formatProblem('support.json', { path: 'pages[0].widgets[3].type', message: `must be one of ${TYPES}` })).toBe(
      `support.json: pages[0].widgets[3].type: must be one of ${TYPES}`,
    );
  });
});

describe('reading a widget (shared with the web app)', () => {
  const state: Pick<LiveState, 'queues' | 'agents' | 'sla' | 'kpis' | 'staffing' | 'followUps' | 'flow'> = {
    queues: [{ id: 'l1', open: 41, waiting: 12, oldestWaitingSec: 1260, breached: 2, atRisk: 3 }],
    agents: { available: 5, busy: 11, away: 2, offline: 4 },
    sla: { breachedOpen: 4, breachedToday: 9, atRisk: 6, complianceToday: null },
    kpis: { createdToday: 320, solvedToday: 280, frtMedianSec: 540, frtP90Sec: 2400, resolutionMedianSec: 14400, csatToday: 0.88 },
    staffing: [],
    followUps: { open: 0, overdue: 0 },
    flow: {
      escalatedToday: [{ from: 'l1', to: 'l2', count: 3 }],
      deescalatedToday: [],
      reopenedToday: 2,
      fcrToday: null,
      timeToEscalateMedianSec: [],
      lines: ['l1', 'l2', 'l3'],
    },
  };

  it('reads the flow: reopened, first-contact resolution, escalations by pair (0 for a pair not escalated today)', () => {
    expect(numberMetricValue(state, 'flow.reopenedToday')).toBe(2);
    expect(numberMetricValue(state, 'flow.fcrToday')).toBeNull();
    expect(numberMetricValue(state, 'flow.escalated.l1.l2')).toBe(3);
    expect(numberMetricValue(state, 'flow.escalated.l2.l3')).toBe(0);
    expect(parseNumberMetric('flow.escalated.l1')).toEqual({
      error: '"flow.escalated.l1" is not a number; use flow.escalated.<from>.<to>, e.g. flow.escalated.l1.l2',
    });
    expect(parseNumberMetric('flow.lines')).toHaveProperty('error');
  });

  it('numberMetricValue follows the grammar; a queue not in the state reads 0', () => {
    expect(numberMetricValue(state, 'queues.l1.oldestWaitingSec')).toBe(1260);
    expect(numberMetricValue(state, 'queues.l3.waiting')).toBe(0);
    expect(numberMetricValue(state, 'agents.busy')).toBe(11);
    expect(numberMetricValue(state, 'sla.complianceToday')).toBeNull();
    expect(numberMetricValue(state, 'kpis.csatToday')).toBe(0.88);
    expect(numberMetricValue(state, 'queues')).toBeNull();
  });

  it('thresholdColor: the last threshold that holds, as docs/contract.md#dashboards-as-code lists them', () => {
    const spec = [
      { gte: 10, color: 'amber' as const },
      { gte: 20, color: 'red' as const },
    ];
    expect([5, 10, 15, 20, 25].map((v) => thresholdColor(spec, v))).toEqual([null, 'amber', 'amber', 'red', 'red']);
    expect(thresholdColor(spec, null)).toBeNull();
    expect(thresholdColor(undefined, 30)).toBeNull();
    expect(thresholdColor([{ gte: 3, lte: 5, color: 'blue' }], 6)).toBeNull();
  });
});
