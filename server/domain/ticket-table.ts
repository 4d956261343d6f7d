// The live model's tickets as columns: times in Float64Arrays, the few distinct names (sources,
// queues, assignees, tag sets) as numbers into shared, counted pools, the ticket's own strings (id,
// subject) once each. A ticket held as objects (its payload with six ISO strings, parsed times,
// flags, daily contribution) cost ~1.4 KB; as a row here it costs a fifth of that, which is what
// lets one instance hold a million open tickets (docs/performance.md#memory). Pure: no I/O.
import { PRIORITIES, TICKET_STATUSES, type Priority, type TicketPayload, type TicketStatus } from '../../contract/domain.js';
import { isoFromMs } from './iso-format.js';
import { RowIndex, type RowKeys } from './row-index.js';
import type { History } from './ticket-flow.js';
import type { TicketTimes, TimedTicket } from './ticket-clock.js';

/**
 * Names shared by many tickets, numbered, each with a count of the rows using it: a name no row
 * uses any more is forgotten and its number reused, so that input that invents names (a tag per
 * ticket, thousands of assignees) cannot grow the pool beyond the tickets held.
 */
export class SharedNames<T> {
  private readonly numbers = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly values: T[] = [];
  private readonly uses: number[] = [];
  private readonly unused: number[] = [];

  /** The number of `name`, counting one more use; `make` builds its value the first time. */
  acquire(name: string, make: (name: string) => T): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.unused.pop() ?? this.names.length;
      this.numbers.set(name, n);
      this.names[n] = name;
      this.values[n] = make(name);
      this.uses[n] = 0;
    }
    this.uses[n]!++;
    return n;
  }

  release(n: number): void {
    if (--this.uses[n]! > 0) return;
    this.numbers.delete(this.names[n]!);
    this.names[n] = '';
    this.unused.push(n);
  }

  value(n: number): T {
    return this.values[n]!;
  }

  /** The number of `name` if some row uses it, without counting a use. */
  numberOf(name: string): number | undefined {
    return this.numbers.get(name);
  }

  /** How many distinct names are held (tests and the memory notes). */
  get size(): number {
    return this.numbers.size;
  }
}

const NO_NAME = -1;
const sameString = (name: string): string => name;

/**
 * A tag set's identity in its pool, exact for any tag text: JSON of the list (it starts with "["),
 * or for the usual single tag the tag after a NUL (cheaper, and never JSON). The list itself is
 * frozen, as every ticket with these tags shares it.
 */
const tagSetName = (tags: readonly string[]): string => (tags.length === 0 ? '' : tags.length === 1 ? `\u0000${tags[0]}` : JSON.stringify(tags));

/**
 * Whether an ISO time is in the form `Date.prototype.toISOString` writes (YYYY-MM-DDTHH:MM:SS.sssZ):
 * then the ms alone give it back exactly. Validation has already checked the digits, so the
 * separators and length say it. Any other form (an offset, no milliseconds) is kept as sent.
 */
function canonicalIso(s: string): boolean {
  return s.length === 24 && s.charCodeAt(10) === 84 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90 && s.charCodeAt(16) === 58;
}

/** The payload's time fields, in the order of the columns below. */
const TIME_FIELDS = ['createdAt', 'updatedAt', 'firstResponseAt', 'solvedAt', 'firstResponseDueAt', 'resolutionDueAt'] as const;

const PRIORITY_INDEX = new Map<string, number>(PRIORITIES.map((p, i) => [p, i]));
const STATUS_INDEX = new Map<string, number>(TICKET_STATUSES.map((s, i) => [s, i]));

/**
 * Rows live in chunks of 65,536, each holding every column for its rows. Columns that doubled and
 * copied left the old copies behind as holes in malloc's heap (~60 MB at a million tickets, resident
 * for good), and up to half their length unused; chunks are allocated once, full size, and never
 * copied. Only the first grows, by doubling, so that a small model stays small.
 */
const CHUNK_BITS = 16;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK_ROWS - 1;
const FIRST_CHUNK_ROWS = 1024;

/** The columns of up to CHUNK_ROWS rows, by the row's index in its chunk. */
class RowChunk {
  readonly source: Int32Array;
  readonly queue: Int32Array;
  readonly assignee: Int32Array;
  readonly tags: Int32Array;
  readonly priority: Uint8Array;
  readonly status: Uint8Array;
  /** 0 for none, else the rating 1–5. */
  readonly csat: Int8Array;
  /** The times, ms, NaN for null: createdAt … resolutionDueAt (TIME_FIELDS), then the CSAT's arrival; 7 per row. */
  readonly times: Float64Array;
  /**
   * What the clock last made of the row at its instant (see ticket-clock.ts clockBits): the only
   * state of a ticket that is not a function of its fields.
   */
  readonly clockBits: Uint8Array;
  /** The single observation of a ticket whose history holds one (most): no array for it. */
  readonly firstSeenMs: Float64Array;
  readonly firstSeenCode: Int32Array;

  constructor(
    readonly rows: number,
    from?: RowChunk,
  ) {
    this.source = new Int32Array(rows);
    this.queue = new Int32Array(rows);
    this.assignee = new Int32Array(rows);
    this.tags = new Int32Array(rows);
    this.priority = new Uint8Array(rows);
    this.status = new Uint8Array(rows);
    this.csat = new Int8Array(rows);
    this.times = new Float64Array(rows * 7);
    this.clockBits = new Uint8Array(rows);
    this.firstSeenMs = new Float64Array(rows);
    this.firstSeenCode = new Int32Array(rows);
    if (from === undefined) return;
    this.source.set(from.source);
    this.queue.set(from.queue);
    this.assignee.set(from.assignee);
    this.tags.set(from.tags);
    this.priority.set(from.priority);
    this.status.set(from.status);
    this.csat.set(from.csat);
    this.times.set(from.times);
    this.clockBits.set(from.clockBits);
    this.firstSeenMs.set(from.firstSeenMs);
    this.firstSeenCode.set(from.firstSeenCode);
  }
}

/** A row read out as a TimedTicket: one object per reader, refilled for each row it visits. */
export class TicketCursor implements TimedTicket {
  row = -1;
  queue = '';
  subject = '';
  tags: readonly string[] = [];
  csat: number | null = null;
  csatAtMs: number | null = null;
  createdMs = 0;
  updatedMs = 0;
  firstResponseMs: number | null = null;
  solvedMs: number | null = null;
  firstResponseDueMs: number | null = null;
  resolutionDueMs: number | null = null;

  constructor(private readonly table: TicketTable) {}

  /** Built only when asked: the clock never needs it, a scan that links by key does. */
  get key(): string {
    return this.table.key(this.row);
  }
}

const orNull = (ms: number): number | null => (Number.isNaN(ms) ? null : ms);

export class TicketTable implements RowKeys {
  /** Rows by source and id, keyed by the columns themselves: no "source:id" string per ticket. */
  private readonly index = new RowIndex(this);
  private readonly sources = new SharedNames<string>();
  private readonly queues = new SharedNames<string>();
  private readonly assignees = new SharedNames<string>();
  private readonly tagSets = new SharedNames<readonly string[]>();
  private readonly freeRows: number[] = [];
  /** Rows ever used: every live row is below it. */
  private end = 0;
  private live = 0;

  private ids: (string | undefined)[] = [];
  private subjects: string[] = [];
  private readonly chunks: RowChunk[] = [new RowChunk(FIRST_CHUNK_ROWS)];
  /** Time strings not in toISOString's form, by row × 8 + field: kept as sent (rare). */
  private readonly oddTimes = new Map<number, string>();
  /** Histories of two observations or more. */
  private readonly histories = new Map<number, History>();

  get size(): number {
    return this.live;
  }

  private chunk(row: number): RowChunk {
    return this.chunks[row >>> CHUNK_BITS]!;
  }

  /** What the clock last made of the row (see RowChunk.clockBits). */
  clockBitsOf(row: number): number {
    return this.chunk(row).clockBits[row & IN_CHUNK]!;
  }

  setClockBits(row: number, bits: number): void {
    this.chunk(row).clockBits[row & IN_CHUNK] = bits;
  }

  /** The row of a ticket, or -1. */
  find(source: string, id: string): number {
    const number = this.sources.numberOf(source);
    return number === undefined ? -1 : this.index.find(number, id);
  }

  /** Calls `visit` with each live row. */
  forEachRow(visit: (row: number) => void): void {
    for (let row = 0; row < this.end; row++) if (this.ids[row] !== undefined) visit(row);
  }

  key(row: number): string {
    return `${this.sourceOf(row)}:${this.ids[row]!}`;
  }

  sourceNumberOf(row: number): number {
    return this.chunk(row).source[row & IN_CHUNK]!;
  }

  sourceOf(row: number): string {
    return this.sources.value(this.sourceNumberOf(row));
  }

  idOf(row: number): string {
    return this.ids[row]!;
  }

  queueOf(row: number): string {
    return this.queues.value(this.chunk(row).queue[row & IN_CHUNK]!);
  }

  priorityOf(row: number): Priority {
    return PRIORITIES[this.chunk(row).priority[row & IN_CHUNK]!]!;
  }

  subjectOf(row: number): string {
    return this.subjects[row]!;
  }

  updatedMs(row: number): number {
    return this.chunk(row).times[(row & IN_CHUNK) * 7 + 1]!;
  }

  csatAtMs(row: number): number | null {
    return orNull(this.chunk(row).times[(row & IN_CHUNK) * 7 + 6]!);
  }

  csatOf(row: number): number | null {
    const csat = this.chunk(row).csat[row & IN_CHUNK]!;
    return csat === 0 ? null : csat;
  }

  /** A new row for a ticket (write it next). */
  insert(source: string, id: string): number {
    const row = this.freeRows.pop() ?? this.end++;
    const c = this.room(row);
    const i = row & IN_CHUNK;
    this.ids[row] = id;
    c.source[i] = this.sources.acquire(source, sameString);
    this.index.add(row);
    c.queue[i] = NO_NAME;
    c.assignee[i] = NO_NAME;
    c.tags[i] = NO_NAME;
    c.clockBits[i] = 0;
    this.live++;
    return row;
  }

  /** Sets a row's fields from a validated payload, its times as validation parsed them. */
  write(row: number, p: TicketPayload, t: TicketTimes, csatAtMs: number | null): void {
    const c = this.chunk(row);
    const i = row & IN_CHUNK;
    const queue = c.queue[i]!;
    if (queue === NO_NAME || this.queues.value(queue) !== p.queue) {
      if (queue !== NO_NAME) this.queues.release(queue);
      c.queue[i] = this.queues.acquire(p.queue, sameString);
    }
    const assignee = c.assignee[i]!;
    if (assignee === NO_NAME ? p.assignee !== null : this.assignees.value(assignee) !== p.assignee) {
      if (assignee !== NO_NAME) this.assignees.release(assignee);
      c.assignee[i] = p.assignee === null ? NO_NAME : this.assignees.acquire(p.assignee, sameString);
    }
    const tags = c.tags[i]!;
    if (tags === NO_NAME || !sameList(this.tagSets.value(tags), p.tags)) {
      if (tags !== NO_NAME) this.tagSets.release(tags);
      c.tags[i] = this.tagSets.acquire(tagSetName(p.tags), () => Object.freeze([...p.tags]));
    }
    this.subjects[row] = p.subject;
    c.priority[i] = PRIORITY_INDEX.get(p.priority)!;
    c.status[i] = STATUS_INDEX.get(p.status)!;
    c.csat[i] = p.csat ?? 0;
    const at = i * 7;
    const times = c.times;
    times[at] = t.createdMs;
    times[at + 1] = t.updatedMs;
    times[at + 2] = t.firstResponseMs ?? Number.NaN;
    times[at + 3] = t.solvedAtMs ?? Number.NaN;
    times[at + 4] = t.firstResponseDueMs ?? Number.NaN;
    times[at + 5] = t.resolutionDueMs ?? Number.NaN;
    times[at + 6] = csatAtMs ?? Number.NaN;
    for (let field = 0; field < TIME_FIELDS.length; field++) {
      const value = p[TIME_FIELDS[field]!];
      const odd = row * 8 + field;
      if (value === null || canonicalIso(value)) this.oddTimes.delete(odd);
      else this.oddTimes.set(odd, value);
    }
  }

  /** Forgets a row; its number is reused. */
  remove(row: number): void {
    const c = this.chunk(row);
    const i = row & IN_CHUNK;
    this.index.delete(row);
    this.sources.release(c.source[i]!);
    if (c.queue[i] !== NO_NAME) this.queues.release(c.queue[i]!);
    if (c.assignee[i] !== NO_NAME) this.assignees.release(c.assignee[i]!);
    if (c.tags[i] !== NO_NAME) this.tagSets.release(c.tags[i]!);
    for (let field = 0; field < TIME_FIELDS.length; field++) this.oddTimes.delete(row * 8 + field);
    this.histories.delete(row);
    this.ids[row] = undefined;
    this.subjects[row] = '';
    this.freeRows.push(row);
    this.live--;
  }

  /** Fills `into` with the row (see TicketCursor). */
  read(row: number, into: TicketCursor): TicketCursor {
    const c = this.chunk(row);
    const i = row & IN_CHUNK;
    const at = i * 7;
    const times = c.times;
    const status = TICKET_STATUSES[c.status[i]!]!;
    const csat = c.csat[i]!;
    into.row = row;
    into.queue = this.queues.value(c.queue[i]!);
    into.subject = this.subjects[row]!;
    into.tags = this.tagSets.value(c.tags[i]!);
    into.csat = csat === 0 ? null : csat;
    into.csatAtMs = orNull(times[at + 6]!);
    into.createdMs = times[at]!;
    into.updatedMs = times[at + 1]!;
    into.firstResponseMs = orNull(times[at + 2]!);
    // As timeTicket: solved or closed counts as solved, at solvedAt or else its last update.
    into.solvedMs = status === 'solved' || status === 'closed' ? (orNull(times[at + 3]!) ?? times[at + 1]!) : null;
    into.firstResponseDueMs = orNull(times[at + 4]!);
    into.resolutionDueMs = orNull(times[at + 5]!);
    return into;
  }

  /** The ticket as last applied, exactly as it was sent (its times in the form they came in). */
  payload(row: number): TicketPayload {
    const c = this.chunk(row);
    const i = row & IN_CHUNK;
    const assignee = c.assignee[i]!;
    return {
      id: this.ids[row]!,
      source: this.sourceOf(row),
      queue: this.queueOf(row),
      priority: this.priorityOf(row),
      status: TICKET_STATUSES[c.status[i]!]! as TicketStatus,
      assignee: assignee === NO_NAME ? null : this.assignees.value(assignee),
      subject: this.subjects[row]!,
      tags: [...this.tagSets.value(c.tags[i]!)],
      createdAt: this.timeText(row, 0)!,
      updatedAt: this.timeText(row, 1)!,
      firstResponseAt: this.timeText(row, 2),
      solvedAt: this.timeText(row, 3),
      firstResponseDueAt: this.timeText(row, 4),
      resolutionDueAt: this.timeText(row, 5),
      csat: this.csatOf(row),
    };
  }

  /** One of the row's times as it was sent: the ms in toISOString's form, unless it came in another. */
  private timeText(row: number, field: number): string | null {
    const ms = this.chunk(row).times[(row & IN_CHUNK) * 7 + field]!;
    if (Number.isNaN(ms)) return null;
    return (this.oddTimes.size === 0 ? undefined : this.oddTimes.get(row * 8 + field)) ?? isoFromMs(ms);
  }

  /** The row's history (a new array for a single observation: write it back with setHistory). */
  history(row: number): History {
    const c = this.chunk(row);
    const i = row & IN_CHUNK;
    return this.histories.get(row) ?? [c.firstSeenMs[i]!, c.firstSeenCode[i]!];
  }

  /** The number of observations, without building anything. */
  historyLength(row: number): number {
    return (this.histories.get(row)?.length ?? 2) / 2;
  }

  /** The last observation's code. */
  lastSeenCode(row: number): number {
    const history = this.histories.get(row);
    return history === undefined ? this.chunk(row).firstSeenCode[row & IN_CHUNK]! : history[history.length - 1]!;
  }

  /** The last observation's time. */
  lastSeenMs(row: number): number {
    const history = this.histories.get(row);
    return history === undefined ? this.chunk(row).firstSeenMs[row & IN_CHUNK]! : history[history.length - 2]!;
  }

  setHistory(row: number, history: History): void {
    if (history.length > 2) {
      this.histories.set(row, history);
      return;
    }
    this.histories.delete(row);
    const c = this.chunk(row);
    c.firstSeenMs[row & IN_CHUNK] = history[0]!;
    c.firstSeenCode[row & IN_CHUNK] = history[1]!;
  }

  /** Distinct names held, for the memory notes. */
  poolSizes(): { sources: number; queues: number; assignees: number; tagSets: number; oddTimes: number; histories: number } {
    return {
      sources: this.sources.size,
      queues: this.queues.size,
      assignees: this.assignees.size,
      tagSets: this.tagSets.size,
      oddTimes: this.oddTimes.size,
      histories: this.histories.size,
    };
  }

  /** The chunk that holds `row`, made or grown so that it has room for it (rows are made in order). */
  private room(row: number): RowChunk {
    const n = row >>> CHUNK_BITS;
    if (n === this.chunks.length) this.chunks.push(new RowChunk(CHUNK_ROWS));
    const c = this.chunks[n]!;
    if ((row & IN_CHUNK) < c.rows) return c;
    const grown = new RowChunk(Math.min(CHUNK_ROWS, c.rows * 2), c);
    this.chunks[n] = grown;
    return grown;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
