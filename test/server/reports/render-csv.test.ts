// The CSV of a report run (docs/contract.md#reports-to-management) from the hand-built week in
// report-fixture.ts: its header, a row per day × line, empty cells for no value, RFC 4180 quoting,
// and line names a spreadsheet would run as formulas defused.
import { describe, expect, it } from 'vitest';
import { DAILY_FIGURES } from '../../../contract/reports.js';
import { renderReportCsv } from '../../../server/reports/render-csv.js';
import { figures, reportFixture } from './report-fixture.js';

const HEADER =
  'date,line,created,solved,backlog,targetsMet,targetsMissed,compliance,frtMedianSec,frtP90Sec,resolutionMedianSec,resolutionP90Sec,' +
  'csatGood,csatRated,csat,reopened,escalated,incidents,incidentMinutes,timeToMitigateMedianSec,timeToResolveMedianSec,forecastWape,' +
  'scheduledAgentHours,requiredAgentHours';

describe('report CSV', () => {
  const csv = renderReportCsv(reportFixture());
  const lines = csv.split('\r\n');

  it('has the header, then a row per day and line (all lines included), CRLF after every row', () => {
    expect(HEADER).toBe(['date', 'line', ...DAILY_FIGURES].join(','));
    expect(lines[0]).toBe(HEADER);
    // 7 days × (all, billing, network), and the empty string after the last CRLF.
    expect(lines).toHaveLength(1 + 21 + 1);
    expect(lines.at(-1)).toBe('');
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(lines.slice(1, -1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(
      ['23', '24', '25', '26', '27', '28', '29'].flatMap((day) => [`2026-11-${day},all`, `2026-11-${day},billing`, `2026-11-${day},network`]),
    );
  });

  it('writes numbers as plain numbers and no value as an empty cell', () => {
    //                                     created solved backlog met missed compliance frt p90 res res90 good rated csat reo esc inc incMin ttm ttr wape sched req
    expect(lines[10]).toBe('2026-11-26,all,229,227,83,,,0.801,372,,,,,,0.872,,,0,0,,,0.158,200,225.5');
    // network on Wednesday: no first answer, so no median.
    expect(lines[9]).toBe('2026-11-25,network,102,99,38,,,0.92,,,,,,,0.93,,,,,,,0.155,88,99');
    expect(lines[20]).toBe('2026-11-29,billing,52,49,50,,,0.96,205,,,,,,0.9,,,,,,,,10,7');
  });

  it('starts with the header, not a byte order mark', () => {
    expect(csv.startsWith('date,')).toBe(true);
    expect(
      Buffer.from(csv, 'utf8')
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
    ).toBe(false);
  });

  it('quotes names with commas, quotes or line breaks (RFC 4180) and defuses those a spreadsheet would run', () => {
    const data = reportFixture();
    const names = ['North, EU', 'the "VIP" line', 'two\nlines', '=HYPERLINK("http://evil","x")', '+1 line', '-minus', '@SUM(A1)', '\tTab', 'Über-Line ✓'];
    data.days = names.map((line) => ({ date: '2026-11-23', line, figures: figures({ created: 1234567, compliance: 0.5, frtMedianSec: -3 }) }));
    const rows = renderReportCsv(data).split('\r\n').slice(1, -1);
    const cells = (line: string): string => line.slice('2026-11-23,'.length, line.indexOf(',1234567,'));
    expect(rows.map(cells)).toEqual([
      '"North, EU"',
      '"the ""VIP"" line"',
      '"two\nlines"',
      `"'=HYPERLINK(""http://evil"",""x"")"`,
      "'+1 line",
      "'-minus",
      "'@SUM(A1)",
      "'\tTab",
      'Über-Line ✓',
    ]);
    // A number is never defused or grouped: -3 stays a number.
    expect(rows[0]).toBe('2026-11-23,"North, EU",1234567,,,,,0.5,-3,,,,,,,,,,,,,,,');
  });

  it('has the header alone for a run without days', () => {
    const data = reportFixture();
    data.days = [];
    expect(renderReportCsv(data)).toBe(`${HEADER}\r\n`);
  });
});
