// The roster's pure rules: both upload formats with row numbers, the overlap rule naming both
// shifts, the merge that replaces the covered range, and the scheduled head count with breaks.
import { describe, expect, it } from 'vitest';
import { mergeRoster, parseRosterCsv, parseRosterJson, scheduledIn, type Shift } from '../../../server/roster/roster.js';

const t = (iso: string) => Date.parse(iso);

describe('parseRosterJson', () => {
  it('reads shifts with breaks, times with their offsets', () => {
    const parsed = parseRosterJson({
      shifts: [
        {
          agent: 'A-7',
          line: 'l1',
          start: '2026-12-03T08:00:00+03:00',
          end: '2026-12-03T17:00:00+03:00',
          breaks: [{ start: '2026-12-03T12:00:00+03:00', end: '2026-12-03T12:30:00+03:00' }],
        },
      ],
    });
    expect(parsed).toEqual({
      ok: true,
      shifts: [
        {
          agent: 'A-7',
          line: 'l1',
          start: t('2026-12-03T05:00:00Z'),
          end: t('2026-12-03T14:00:00Z'),
          breaks: [{ start: t('2026-12-03T09:00:00Z'), end: t('2026-12-03T09:30:00Z') }],
          row: 1,
        },
      ],
    });
  });

  it('names every bad row and field, and takes nothing', () => {
    const parsed = parseRosterJson({
      shifts: [
        { agent: 'A-1', line: 'l1', start: '2026-12-03T08:00:00Z', end: '2026-12-03T16:00:00Z' },
        { agent: '', line: 'l1', start: '2026-12-03T08:00:00Z', end: '2026-12-03T16:00:00Z' },
        { agent: 'A-3', line: 'l1', start: 'tomorrow', end: '2026-12-03T16:00:00Z' },
        { agent: 'A-4', line: 'l1', start: '2026-12-03T16:00:00Z', end: '2026-12-03T08:00:00Z' },
        { agent: 'A-5', line: 'l1', start: '2026-12-03T08:00:00Z', end: '2026-12-05T08:00:00Z' },
        {
          agent: 'A-6',
          line: 'l1',
          start: '2026-12-03T08:00:00Z',
          end: '2026-12-03T16:00:00Z',
          breaks: [{ start: '2026-12-03T07:00:00Z', end: '2026-12-03T07:30:00Z' }],
        },
        'A-7',
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'shifts[1] (row 2).agent: a non-empty text is required',
      expect.stringMatching(/^shifts\[2\] \(row 3\)\.start: an ISO-8601 time/),
      'shifts[3] (row 4): end must be after start',
      'shifts[4] (row 5): a shift of at most 24 hours, got 48.0',
      'shifts[5] (row 6): break 1 must lie inside the shift and end after it starts',
      'shifts[6] (row 7): an object is required',
    ]);
  });

  it('refuses a body without a list of shifts', () => {
    expect(parseRosterJson([])).toEqual({ ok: false, errors: ['body: {"shifts": [...]} is required'] });
    expect(parseRosterJson({ shifts: {} })).toEqual({ ok: false, errors: ['body: {"shifts": [...]} is required'] });
  });

  it('takes names as data, including the names of object members', () => {
    const parsed = parseRosterJson({ shifts: [{ agent: '__proto__', line: 'constructor', start: '2026-12-03T08:00:00Z', end: '2026-12-03T09:00:00Z' }] });
    expect(parsed.ok && parsed.shifts[0]).toMatchObject({ agent: '__proto__', line: 'constructor' });
  });
});

describe('parseRosterCsv', () => {
  it('reads the four columns in any order, quoted fields and a byte-order mark', () => {
    const csv =
      '\uFEFFline,agent,start,end\r\nl1,"Doe, Jane",2026-12-03T08:00:00Z,2026-12-03T16:00:00Z\r\n\r\nl2,A-2,2026-12-03T09:00:00+01:00,2026-12-03T17:00:00+01:00\r\n';
    const parsed = parseRosterCsv(csv);
    expect(parsed).toEqual({
      ok: true,
      shifts: [
        { agent: 'Doe, Jane', line: 'l1', start: t('2026-12-03T08:00:00Z'), end: t('2026-12-03T16:00:00Z'), breaks: [], row: 2 },
        { agent: 'A-2', line: 'l2', start: t('2026-12-03T08:00:00Z'), end: t('2026-12-03T16:00:00Z'), breaks: [], row: 4 },
      ],
    });
  });

  it('names the file line of every bad row (the header is row 1)', () => {
    const csv = [
      'agent,line,start,end',
      'A-1,l1,2026-12-03T08:00:00Z,2026-12-03T16:00:00Z',
      'A-2,l1,2026-12-03T08:00:00Z',
      'A-3,l1,"2026-12-03T08:00:00Z,2026-12-03T16:00:00Z',
      'A-4,l1,2026-12-03 08:00,2026-12-03T16:00:00Z',
    ].join('\n');
    const parsed = parseRosterCsv(csv);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'row 3: 4 fields are required, got 3',
      'row 4: 4 fields are required, got a broken quote',
      expect.stringMatching(/^row 5 start: an ISO-8601 time/),
    ]);
  });

  it('refuses a header that does not name exactly the four columns', () => {
    for (const header of ['agent,line,start', 'agent,line,start,end,breaks', 'agent,lien,start,end', '']) {
      const parsed = parseRosterCsv(`${header}\nA-1,l1,2026-12-03T08:00:00Z,2026-12-03T16:00:00Z`);
      expect(parsed.ok, header).toBe(false);
    }
  });

  it('refuses a file with only a header', () => {
    expect(parseRosterCsv('agent,line,start,end\n')).toEqual({ ok: false, errors: ['the file holds no shifts'] });
  });
});

describe('mergeRoster', () => {
  const stored: Shift[] = [
    { agent: 'A-1', line: 'l1', start: t('2026-12-02T08:00:00Z'), end: t('2026-12-02T16:00:00Z'), breaks: [] },
    { agent: 'A-1', line: 'l1', start: t('2026-12-03T08:00:00Z'), end: t('2026-12-03T16:00:00Z'), breaks: [] },
    { agent: 'A-2', line: 'l2', start: t('2026-12-03T22:00:00Z'), end: t('2026-12-04T06:00:00Z'), breaks: [] },
  ];

  it('replaces the stored shifts that start inside the range the upload covers, keeps the rest', () => {
    const upload = [
      { agent: 'A-1', line: 'l2', start: t('2026-12-03T06:00:00Z'), end: t('2026-12-03T14:00:00Z'), breaks: [], row: 2 },
      { agent: 'A-3', line: 'l1', start: t('2026-12-03T10:00:00Z'), end: t('2026-12-03T18:00:00Z'), breaks: [], row: 3 },
    ];
    const merged = mergeRoster(stored, upload);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    // Covered: 06:00–18:00 on the 3rd; A-1's 08:00 shift there is replaced, the 2nd and the night shift stay.
    expect(merged.replaced).toBe(1);
    expect(merged.shifts.map((s) => `${s.agent} ${s.line} ${new Date(s.start).toISOString().slice(5, 13)}`)).toEqual([
      'A-1 l1 12-02T08',
      'A-1 l2 12-03T06',
      'A-3 l1 12-03T10',
      'A-2 l2 12-03T22',
    ]);
  });

  it('refuses overlapping shifts of one agent, naming both rows', () => {
    const upload = [
      { agent: 'A-3', line: 'l1', start: t('2026-12-03T08:00:00Z'), end: t('2026-12-03T16:00:00Z'), breaks: [], row: 2 },
      { agent: 'A-3', line: 'l2', start: t('2026-12-03T15:00:00Z'), end: t('2026-12-03T20:00:00Z'), breaks: [], row: 5 },
    ];
    expect(mergeRoster([], upload)).toEqual({ ok: false, errors: ['agent "A-3": row 2 and row 5 overlap'] });
  });

  it('refuses an upload that overlaps a stored shift it does not replace, naming the stored one', () => {
    const upload = [{ agent: 'A-2', line: 'l2', start: t('2026-12-04T05:00:00Z'), end: t('2026-12-04T12:00:00Z'), breaks: [], row: 2 }];
    expect(mergeRoster(stored, upload)).toEqual({
      ok: false,
      errors: ['agent "A-2": the stored shift 2026-12-03T22:00:00.000Z–2026-12-04T06:00:00.000Z and row 2 overlap'],
    });
  });

  it('lets one shift end where the next begins', () => {
    const upload = [
      { agent: 'A-3', line: 'l1', start: t('2026-12-03T08:00:00Z'), end: t('2026-12-03T12:00:00Z'), breaks: [], row: 2 },
      { agent: 'A-3', line: 'l2', start: t('2026-12-03T12:00:00Z'), end: t('2026-12-03T16:00:00Z'), breaks: [], row: 3 },
    ];
    expect(mergeRoster([], upload).ok).toBe(true);
  });
});

describe('scheduledIn', () => {
  const shifts: Shift[] = [
    // Whole interval.
    { agent: 'A-1', line: 'l1', start: t('2026-12-03T08:00:00Z'), end: t('2026-12-03T16:00:00Z'), breaks: [] },
    // A 15-minute break inside 12:00–12:30.
    {
      agent: 'A-2',
      line: 'l1',
      start: t('2026-12-03T08:00:00Z'),
      end: t('2026-12-03T16:00:00Z'),
      breaks: [{ start: t('2026-12-03T12:00:00Z'), end: t('2026-12-03T12:15:00Z') }],
    },
    // Starts at 12:20: 10 of 30 minutes.
    { agent: 'A-3', line: 'l1', start: t('2026-12-03T12:20:00Z'), end: t('2026-12-03T20:00:00Z'), breaks: [] },
    // Another line.
    { agent: 'A-4', line: 'l2', start: t('2026-12-03T08:00:00Z'), end: t('2026-12-03T16:00:00Z'), breaks: [] },
  ];

  it('counts full-interval equivalents, minus breaks, on the line asked', () => {
    // 1 + 0.5 + 1/3 = 1.8333… → 1.83
    expect(scheduledIn(shifts, 'l1', t('2026-12-03T12:00:00Z'), t('2026-12-03T12:30:00Z'))).toBe(1.83);
    expect(scheduledIn(shifts, 'l2', t('2026-12-03T12:00:00Z'), t('2026-12-03T12:30:00Z'))).toBe(1);
    expect(scheduledIn(shifts, 'l1', t('2026-12-03T16:00:00Z'), t('2026-12-03T16:30:00Z'))).toBe(1);
    expect(scheduledIn(shifts, 'l3', t('2026-12-03T12:00:00Z'), t('2026-12-03T12:30:00Z'))).toBe(0);
  });
});
