// The roster: who is planned on which line when, uploaded as JSON or CSV (docs/contract.md#forecast-shifts-and-staffing).
// Pure: parsing with row numbers, the overlap rule, the merge of an upload into what is stored,
// and the scheduled head count of a line in an interval. Storage and routes live elsewhere.
import { cleanName } from '../domain/text-rules.js';
import { parseIsoTime } from '../domain/iso-time.js';
import { isObject } from '../domain/validation.js';

/** One planned shift; times in ms. `row` is where it came from in the upload (1-based), for messages. */
export interface Shift {
  agent: string;
  line: string;
  start: number;
  end: number;
  breaks: { start: number; end: number }[];
}

/** A shift as it came in, with the row that named it (JSON: index + 1; CSV: the file's line number). */
export interface UploadedShift extends Shift {
  row: number;
}

export type RosterParse = { ok: true; shifts: UploadedShift[] } | { ok: false; errors: string[] };

/** Large enough for a month of a 500-person department, small enough to check in one request. */
export const MAX_SHIFTS = 20_000;
/** A shift longer than this is a typo (a wrong day or month), not a plan. */
export const MAX_SHIFT_HOURS = 24;
/** Errors listed before the rest are summed up: a wrong file should not answer with a wall of text. */
const MAX_ERRORS = 20;
const CSV_COLUMNS = ['agent', 'line', 'start', 'end'] as const;

class Problems {
  readonly list: string[] = [];
  private more = 0;
  add(message: string): void {
    if (this.list.length < MAX_ERRORS) this.list.push(message);
    else this.more++;
  }
  done(): string[] {
    return this.more === 0 ? this.list : [...this.list, `… and ${this.more} more`];
  }
}

function nameOf(value: unknown, where: string, problems: Problems): string | null {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.add(`${where}: a non-empty text is required`);
    return null;
  }
  const cleaned = cleanName(value.trim());
  if (!cleaned.ok) {
    problems.add(`${where}: ${cleaned.reason}`);
    return null;
  }
  return cleaned.text;
}

function timeOf(value: unknown, where: string, problems: Problems): number | null {
  const at = typeof value === 'string' ? parseIsoTime(value.trim()) : Number.NaN;
  if (Number.isNaN(at)) {
    problems.add(`${where}: an ISO-8601 time with a zone offset is required (2026-12-03T08:00:00+03:00), got ${JSON.stringify(value)?.slice(0, 40)}`);
    return null;
  }
  return at;
}

/** The checks every shift passes, whatever format it came in. */
function checkShift(shift: UploadedShift, where: string, problems: Problems): boolean {
  if (shift.end <= shift.start) {
    problems.add(`${where}: end must be after start`);
    return false;
  }
  if (shift.end - shift.start > MAX_SHIFT_HOURS * 3_600_000) {
    problems.add(`${where}: a shift of at most ${MAX_SHIFT_HOURS} hours, got ${((shift.end - shift.start) / 3_600_000).toFixed(1)}`);
    return false;
  }
  const breaks = [...shift.breaks].sort((a, b) => a.start - b.start);
  for (let i = 0; i < breaks.length; i++) {
    const b = breaks[i]!;
    if (b.end <= b.start || b.start < shift.start || b.end > shift.end) {
      problems.add(`${where}: break ${i + 1} must lie inside the shift and end after it starts`);
      return false;
    }
    if (i > 0 && b.start < breaks[i - 1]!.end) {
      problems.add(`${where}: breaks overlap`);
      return false;
    }
  }
  shift.breaks = breaks;
  return true;
}

/** `{"shifts":[{agent, line, start, end, breaks?:[{start, end}]}]}`; rows are the array's positions, from 1. */
export function parseRosterJson(body: unknown): RosterParse {
  if (!isObject(body) || !Array.isArray(body.shifts)) return { ok: false, errors: ['body: {"shifts": [...]} is required'] };
  if (body.shifts.length > MAX_SHIFTS) return { ok: false, errors: [`shifts: at most ${MAX_SHIFTS}, got ${body.shifts.length}`] };
  const problems = new Problems();
  const shifts: UploadedShift[] = [];
  body.shifts.forEach((raw: unknown, index: number) => {
    const row = index + 1;
    const where = `shifts[${index}] (row ${row})`;
    if (!isObject(raw)) {
      problems.add(`${where}: an object is required`);
      return;
    }
    const agent = nameOf(raw.agent, `${where}.agent`, problems);
    const line = nameOf(raw.line, `${where}.line`, problems);
    const start = timeOf(raw.start, `${where}.start`, problems);
    const end = timeOf(raw.end, `${where}.end`, problems);
    const breaks: Shift['breaks'] = [];
    if (raw.breaks !== undefined) {
      if (!Array.isArray(raw.breaks) || raw.breaks.length > 10) {
        problems.add(`${where}.breaks: a list of at most 10 {start, end} is required`);
        return;
      }
      raw.breaks.forEach((b: unknown, i: number) => {
        const s = isObject(b) ? timeOf(b.start, `${where}.breaks[${i}].start`, problems) : null;
        const e = isObject(b) ? timeOf(b.end, `${where}.breaks[${i}].end`, problems) : null;
        if (!isObject(b)) problems.add(`${where}.breaks[${i}]: {start, end} is required`);
        if (s !== null && e !== null) breaks.push({ start: s, end: e });
      });
    }
    if (agent === null || line === null || start === null || end === null) return;
    const shift: UploadedShift = { agent, line, start, end, breaks, row };
    if (checkShift(shift, where, problems)) shifts.push(shift);
  });
  const errors = problems.done();
  return errors.length > 0 ? { ok: false, errors } : { ok: true, shifts };
}

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a quote). */
function csvFields(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      if (i < line.length && line[i] !== ',') return null;
      fields.push(value);
      i++;
    } else {
      const next = line.indexOf(',', i);
      const stop = next === -1 ? line.length : next;
      fields.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return fields;
}

/**
 * `agent,line,start,end` with a header row (columns in any order; others refused, so a typo in a
 * header is not silently ignored). Rows are the file's line numbers, header = 1. Breaks travel in
 * JSON only.
 */
export function parseRosterCsv(text: string): RosterParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = csvFields(lines[0]?.trim() ?? '');
  const columns = header?.map((h) => h.trim().toLowerCase()) ?? [];
  const missing = CSV_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length > 0 || unknown.length > 0 || columns.length !== CSV_COLUMNS.length) {
    return { ok: false, errors: [`row 1: the header must name the columns ${CSV_COLUMNS.join(',')}, got ${JSON.stringify(lines[0]?.slice(0, 80) ?? '')}`] };
  }
  const at = (name: (typeof CSV_COLUMNS)[number]) => columns.indexOf(name);
  const dataRows = lines.length - 1;
  if (dataRows > MAX_SHIFTS + 1) return { ok: false, errors: [`at most ${MAX_SHIFTS} rows, got ${dataRows}`] };
  const problems = new Problems();
  const shifts: UploadedShift[] = [];
  for (let index = 1; index < lines.length; index++) {
    const raw = lines[index]!;
    if (raw.trim() === '') continue;
    const row = index + 1;
    const where = `row ${row}`;
    const fields = csvFields(raw);
    if (fields === null || fields.length !== CSV_COLUMNS.length) {
      problems.add(`${where}: ${CSV_COLUMNS.length} fields are required, got ${fields === null ? 'a broken quote' : fields.length}`);
      continue;
    }
    const agent = nameOf(fields[at('agent')], `${where} agent`, problems);
    const line = nameOf(fields[at('line')], `${where} line`, problems);
    const start = timeOf(fields[at('start')], `${where} start`, problems);
    const end = timeOf(fields[at('end')], `${where} end`, problems);
    if (agent === null || line === null || start === null || end === null) continue;
    const shift: UploadedShift = { agent, line, start, end, breaks: [], row };
    if (checkShift(shift, where, problems)) shifts.push(shift);
  }
  const errors = problems.done();
  if (errors.length === 0 && shifts.length === 0) return { ok: false, errors: ['the file holds no shifts'] };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, shifts };
}

/** The time an upload covers: from its first start to its last end. */
export function rangeOf(shifts: readonly Shift[]): { from: number; to: number } {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const s of shifts) {
    from = Math.min(from, s.start);
    to = Math.max(to, s.end);
  }
  return { from, to };
}

const describe = (s: Shift & { row?: number }) =>
  s.row === undefined ? `the stored shift ${new Date(s.start).toISOString()}–${new Date(s.end).toISOString()}` : `row ${s.row}`;

/**
 * Merges an upload into the stored roster: stored shifts that start inside the upload's range are
 * replaced by it (the upload is the new plan for that time); the rest stay. Refused when any agent
 * would hold two overlapping shifts, naming both.
 */
export function mergeRoster(
  stored: readonly Shift[],
  upload: readonly UploadedShift[],
): { ok: true; shifts: Shift[]; replaced: number } | { ok: false; errors: string[] } {
  const { from, to } = rangeOf(upload);
  const kept = stored.filter((s) => s.start < from || s.start >= to);
  const byAgent = new Map<string, (Shift & { row?: number })[]>();
  for (const s of [...kept, ...upload]) {
    const list = byAgent.get(s.agent);
    if (list === undefined) byAgent.set(s.agent, [s]);
    else list.push(s);
  }
  const problems = new Problems();
  for (const [agent, list] of byAgent) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    let last = list[0]!;
    for (let i = 1; i < list.length; i++) {
      const s = list[i]!;
      if (s.start < last.end) problems.add(`agent ${JSON.stringify(agent)}: ${describe(last)} and ${describe(s)} overlap`);
      if (s.end > last.end) last = s;
    }
  }
  const errors = problems.done();
  if (errors.length > 0) return { ok: false, errors };
  const shifts = [...kept, ...upload.map(({ row: _row, ...shift }) => shift)].sort((a, b) => a.start - b.start || (a.agent < b.agent ? -1 : 1));
  return { ok: true, shifts, replaced: stored.length - kept.length };
}

/** Seconds of `[aStart, aEnd)` inside `[bStart, bEnd)`. */
function overlapMs(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
}

/**
 * Agents scheduled on a line in an interval, minus breaks, as full-interval equivalents: an agent on
 * a 15-minute break in a 30-minute interval counts 0.5, one whose shift ends mid-interval counts
 * the share worked. Rounded to hundredths so that sums read as planned.
 */
export function scheduledIn(shifts: readonly Shift[], line: string, start: number, end: number): number {
  let worked = 0;
  for (const s of shifts) {
    if (s.line !== line || s.end <= start || s.start >= end) continue;
    worked += overlapMs(s.start, s.end, start, end);
    for (const b of s.breaks) worked -= overlapMs(b.start, b.end, start, end);
  }
  return Math.round((worked / (end - start)) * 100) / 100;
}
