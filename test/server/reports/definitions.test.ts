// Report definitions (`dashboards/reports/*.json`): the shipped ones pass, and every refusal names the
// JSON path and the reason, so whoever edits the file can fix it from one log line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DashboardProblem } from '../../../contract/dashboards.js';
import { checkSchedule, parseReportDefinition, parseReportFile } from '../../../server/reports/validate-report.js';

const FIGURES =
  'created, solved, backlog, targetsMet, targetsMissed, compliance, frtMedianSec, frtP90Sec, resolutionMedianSec, resolutionP90Sec, csatGood, csatRated, csat, reopened, escalated, incidents, incidentMinutes, timeToMitigateMedianSec, timeToResolveMedianSec, forecastWape, scheduledAgentHours, requiredAgentHours';

/** A small good definition; each test breaks one thing. */
// biome-ignore lint/suspicious/noExplicitAny: each test reaches into the definition to break one thing
function good(): Record<string, any> {
  return {
    title: 'Weekly',
    period: 'week',
    schedule: '0 7 * * 1',
    lang: 'en',
    sections: [{ type: 'summary', figures: ['created', 'compliance'] }, { type: 'incidents' }],
  };
}

function problemsOf(value: unknown, file = 'weekly.json'): DashboardProblem[] {
  const result = parseReportDefinition(value, file);
  if (result.ok) throw new Error('expected the definition to be refused');
  return result.problems;
}

function expectProblem(value: unknown, path: string, message: string): void {
  expect(problemsOf(value)).toEqual([{ path, message }]);
}

// biome-ignore lint/suspicious/noExplicitAny: as good()
function withSection(section: Record<string, unknown>): Record<string, any> {
  const definition = good();
  definition.sections[1] = section;
  return definition;
}

describe('the shipped definitions', () => {
  const dir = path.resolve('dashboards/reports');

  it('weekly.json is the weekly report for management', () => {
    const result = parseReportFile('weekly.json', fs.readFileSync(path.join(dir, 'weekly.json'), 'utf8'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const d = result.definition;
    expect([d.id, d.period, d.schedule, d.lang]).toEqual(['weekly', 'week', '0 7 * * 1', 'en']);
    expect(d.sections.map((s) => s.type)).toEqual(['summary', 'trend', 'trend', 'lines', 'worstDays', 'incidents', 'forecast', 'staffing']);
    expect(d.sections[0]).toMatchObject({
      figures: ['created', 'solved', 'backlog', 'compliance', 'frtMedianSec', 'resolutionMedianSec', 'csat', 'reopened', 'escalated', 'incidents'],
    });
    expect(d.sections[1]).toMatchObject({ figure: 'created' });
    expect(d.sections[2]).toMatchObject({ figure: 'compliance' });
    expect(d.sections[4]).toMatchObject({ figure: 'compliance', count: 3 });
  });

  it('monthly.json is the monthly report, in Russian', () => {
    const result = parseReportFile('monthly.json', fs.readFileSync(path.join(dir, 'monthly.json'), 'utf8'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect([result.definition.id, result.definition.period, result.definition.schedule, result.definition.lang]).toEqual([
      'monthly',
      'month',
      '0 7 1 * *',
      'ru',
    ]);
  });
});

describe('a good definition', () => {
  it('takes its id from the file name and keeps only known keys', () => {
    const result = parseReportDefinition(withSection({ type: 'trend', title: 'Created', figure: 'created', lines: ['l1', 'all'] }), 'l2-weekly.json');
    expect(result).toEqual({
      ok: true,
      definition: {
        id: 'l2-weekly',
        title: 'Weekly',
        period: 'week',
        schedule: '0 7 * * 1',
        lang: 'en',
        sections: [
          { type: 'summary', figures: ['created', 'compliance'] },
          { type: 'trend', title: 'Created', figure: 'created', lines: ['l1', 'all'] },
        ],
      },
    });
  });

  it('accepts an id equal to the file name, and a schedule spaced loosely (kept with single spaces)', () => {
    const result = parseReportDefinition({ ...good(), id: 'weekly', schedule: ' 0  7 * * MON ' }, 'weekly.json');
    expect(result.ok && result.definition.schedule).toBe('0 7 * * MON');
  });

  it('takes every section type', () => {
    const definition = good();
    definition.sections = [
      { type: 'summary', figures: ['csat'] },
      { type: 'trend', figure: 'backlog' },
      { type: 'lines', figures: ['created', 'solved'] },
      { type: 'worstDays', figure: 'frtMedianSec', count: 31 },
      { type: 'incidents' },
      { type: 'forecast', title: 'Forecast' },
      { type: 'staffing' },
    ];
    expect(parseReportDefinition(definition, 'weekly.json').ok).toBe(true);
  });
});

describe('refusals, each with its JSON path', () => {
  it('a file name that is not an id', () => {
    expect(problemsOf(good(), 'Weekly Report.json')).toEqual([
      { path: '', message: 'file name "Weekly Report.json" is not a report id: use a-z, 0-9 and - (at most 64 characters, e.g. weekly.json)' },
    ]);
    expect(problemsOf(good(), `${'a'.repeat(65)}.json`)[0]!.path).toBe('');
    expect(parseReportDefinition(good(), `${'a'.repeat(64)}.json`).ok).toBe(true);
    expect(problemsOf(good(), '-weekly.json')[0]!.path).toBe('');
  });

  it('not an object', () => {
    expectProblem([], '', 'must be a JSON object (a report definition), got an array');
  });

  it('an id that is not the file name', () => {
    expectProblem({ ...good(), id: 'monthly' }, 'id', 'must equal the file name without .json ("weekly") or be left out, got "monthly"');
  });

  it('an unknown key, named', () => {
    expectProblem(
      { ...good(), recipients: ['ceo@example.com'] },
      'recipients',
      'unknown key "recipients"; allowed here: id, title, period, schedule, lang, sections',
    );
  });

  it('a missing, blank or too long title', () => {
    const { title: _, ...noTitle } = good();
    expectProblem(noTitle, 'title', 'required, a non-empty string of at most 200 characters');
    expectProblem({ ...good(), title: '  ' }, 'title', 'must be a non-empty string of at most 200 characters, got "  "');
    expectProblem({ ...good(), title: 'x'.repeat(201) }, 'title', 'must be at most 200 characters, got 201');
    expect(parseReportDefinition({ ...good(), title: 'x'.repeat(200) }, 'weekly.json').ok).toBe(true);
  });

  it('a period or lang outside the lists', () => {
    expectProblem({ ...good(), period: 'quarter' }, 'period', 'must be one of day, week, month, got "quarter"');
    expectProblem({ ...good(), lang: 'de' }, 'lang', 'must be one of en, ru, got "de"');
    const { lang: _, ...noLang } = good();
    expectProblem(noLang, 'lang', 'required, one of en, ru, got nothing');
  });

  it('a schedule that is not a five-field cron expression that fires', () => {
    expectProblem(
      { ...good(), schedule: '0 7 * *' },
      'schedule',
      'must be a five-field cron expression such as "0 7 * * 1" (07:00 every Monday): five fields, got 4',
    );
    expectProblem(
      { ...good(), schedule: '0 0 7 * * 1' },
      'schedule',
      'must be a five-field cron expression such as "0 7 * * 1" (07:00 every Monday): five fields, got 6',
    );
    expectProblem(
      { ...good(), schedule: '@weekly' },
      'schedule',
      'must be a five-field cron expression such as "0 7 * * 1" (07:00 every Monday): five fields, got 1',
    );
    expectProblem({ ...good(), schedule: '61 7 * * 1' }, 'schedule', 'not a valid cron expression: Invalid value for minute: 61');
    expectProblem({ ...good(), schedule: '0 0 30 2 *' }, 'schedule', 'never fires (no such date, e.g. 30 February)');
    expectProblem({ ...good(), schedule: 7 }, 'schedule', 'required, a five-field cron expression such as "0 7 * * 1" (07:00 every Monday), got 7');
    expect(checkSchedule('*/15 6-18 * * 1-5')).toBeNull();
  });

  it('no sections, or too many', () => {
    expectProblem({ ...good(), sections: [] }, 'sections', 'required, an array of 1 to 30 sections ({"type": "summary", …}), got 0 sections');
    expectProblem(
      { ...good(), sections: Array.from({ length: 31 }, () => ({ type: 'incidents' })) },
      'sections',
      'required, an array of 1 to 30 sections ({"type": "summary", …}), got 31 sections',
    );
    expect(parseReportDefinition({ ...good(), sections: Array.from({ length: 30 }, () => ({ type: 'incidents' })) }, 'weekly.json').ok).toBe(true);
    expectProblem({ ...good(), sections: { type: 'summary' } }, 'sections', 'required, an array of 1 to 30 sections ({"type": "summary", …}), got an object');
  });

  it('a section that is not an object, or of an unknown type', () => {
    expectProblem(withSection('incidents' as unknown as Record<string, unknown>), 'sections[1]', 'must be an object ({"type": "summary", …}), got "incidents"');
    expectProblem(
      withSection({ type: 'pie' }),
      'sections[1].type',
      'must be one of summary, trend, lines, worstDays, incidents, forecast, staffing, got "pie"',
    );
  });

  it("a key another section type takes, named with the section's own keys", () => {
    expectProblem(withSection({ type: 'incidents', figure: 'created' }), 'sections[1].figure', 'unknown key "figure"; allowed here: type, title');
    expectProblem(
      withSection({ type: 'trend', figure: 'created', count: 3 }),
      'sections[1].count',
      'unknown key "count"; allowed here: type, title, figure, lines',
    );
  });

  it('figures that are not daily figures, missing, or listed twice', () => {
    expectProblem(withSection({ type: 'summary', figures: ['created', 'tickets'] }), 'sections[1].figures[1]', `must be one of ${FIGURES}, got "tickets"`);
    expectProblem(
      withSection({ type: 'lines' }),
      'sections[1].figures',
      'required, a non-empty array of figures (e.g. ["created", "compliance"]), got nothing',
    );
    expectProblem(
      withSection({ type: 'lines', figures: [] }),
      'sections[1].figures',
      'required, a non-empty array of figures (e.g. ["created", "compliance"]), got an array',
    );
    expectProblem(withSection({ type: 'summary', figures: ['csat', 'csat'] }), 'sections[1].figures[1]', '"csat" is listed twice');
    expectProblem(withSection({ type: 'trend', figure: 'csatt' }), 'sections[1].figure', `must be one of ${FIGURES}, got "csatt"`);
    expectProblem(withSection({ type: 'worstDays', count: 3 }), 'sections[1].figure', `required, one of ${FIGURES}, got nothing`);
  });

  it('a worstDays count outside 1–31', () => {
    for (const count of [0, 32, 2.5, '3']) {
      expectProblem(
        withSection({ type: 'worstDays', figure: 'compliance', count }),
        'sections[1].count',
        `must be a whole number from 1 to 31, got ${JSON.stringify(count)}`,
      );
    }
    expectProblem(withSection({ type: 'worstDays', figure: 'compliance' }), 'sections[1].count', 'required, a whole number from 1 to 31, got nothing');
  });

  it("a trend's lines: an array of at most 50 names", () => {
    const lines = Array.from({ length: 51 }, (_, i) => `l${i}`);
    expectProblem(
      withSection({ type: 'trend', figure: 'created', lines }),
      'sections[1].lines',
      'must be an array of at most 50 line names (queue ids, or "all"), got 51 entries',
    );
    expect(parseReportDefinition(withSection({ type: 'trend', figure: 'created', lines: lines.slice(0, 50) }), 'weekly.json').ok).toBe(true);
    expectProblem(
      withSection({ type: 'trend', figure: 'created', lines: 'l1' }),
      'sections[1].lines',
      'must be an array of at most 50 line names (queue ids, or "all"), got "l1"',
    );
    expectProblem(withSection({ type: 'trend', figure: 'created', lines: ['l1', 7] }), 'sections[1].lines[1]', 'must be a line name (a queue id), got 7');
    expectProblem(
      withSection({ type: 'trend', figure: 'created', lines: ['l1\n'] }),
      'sections[1].lines[0]',
      'a line name: must not contain control characters',
    );
    expectProblem(withSection({ type: 'trend', figure: 'created', lines: ['l1', 'l1'] }), 'sections[1].lines[1]', '"l1" is listed twice');
  });

  it('a section title that is not a string', () => {
    expectProblem(withSection({ type: 'forecast', title: 3 }), 'sections[1].title', 'must be a non-empty string of at most 200 characters, got 3');
  });

  it('reports every problem at once', () => {
    const definition = Object.assign(good(), { period: 'year', lang: 'fr', extra: 1 });
    definition.sections = [{ type: 'worstDays', figure: 'x', count: 0 }];
    expect(problemsOf(definition).map((p) => p.path)).toEqual(['extra', 'period', 'lang', 'sections[0].figure', 'sections[0].count']);
  });

  it('JSON that does not parse: one problem with line and column', () => {
    const result = parseReportFile('weekly.json', '{\n  "title": "Weekly",\n  "period": "week",\n}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([{ path: '', message: expect.stringMatching(/^not valid JSON at line 4, column 1: /) }]);
  });
});
