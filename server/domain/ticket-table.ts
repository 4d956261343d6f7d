// The live model's tickets as columns: times in Float64Arrays, the few distinct names (sources,
// queues, assignees, tag sets) as numbers into shared, counted pools, the ticket's own strings (id,
// subject) once each. A ticket held as objects (its payload with six ISO strings, parsed times,
// flags, daily contribution) cost ~1.4 KB; as a row here it costs a fifth of that, which is what
// lets one instance hold a million open tickets (docs/performance.md#memory). Pure: no I/O.
import { PRIORITIES, TICKET_STATUSES, type Priority, type TicketPayload, type TicketStatus } from '../../contract/domain.js';
import { isoFromMs } from './iso-format.js';
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

const INITIAL_ROWS = 1024;

function grow<A extends Float64Array | Int32Array | Uint8Array | Int8Array>(column: A, rows: number): A {
  const bigger = new (column.constructor as new (n: number) => A)(rows);
  bigger.set(column);
  return bigger;
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

export class TicketTable {
  /** Rows by source, then by id: two small maps' worth of keys rather than a "source:id" string per ticket. */
  private readonly rowsBySource = new Map<string, Map<string, number>>();
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
  private source = new Int32Array(INITIAL_ROWS);
  private queue = new Int32Array(INITIAL_ROWS);
  private assignee = new Int32Array(INITIAL_ROWS);
  private tags = new Int32Array(INITIAL_ROWS);
  private priority = new Uint8Array(INITIAL_ROWS);
  private status = new Uint8Array(INITIAL_ROWS);
  /** 0 for none, else the rating 1–5. */
  private csat = new Int8Array(INITIAL_ROWS);
  /** The times, ms, NaN for null: createdAt … resolutionDueAt (TIME_FIELDS), then the CSAT's arrival. */
  private times = new Float64Array(INITIAL_ROWS * 7);
  /** Time strings not in toISOString's form, by row × 8 + field: kept as sent (rare). */
  private readonly oddTimes = new Map<number, string>();
  /**
   * What the clock last made of the row at its instant (see ticket-clock.ts clockBits): the only
   * state of a ticket that is not a function of its fields.
   */
  clockBits = new Uint8Array(INITIAL_ROWS);
  /** The single observation of a ticket whose history holds one (most): no array for it. */
  private firstSeenMs = new Float64Array(INITIAL_ROWS);
  private firstSeenCode = new Int32Array(INITIAL_ROWS);
  /** Histories of two observations or more. */
  private readonly histories = new Map<number, History>();

  get size(): number {
    return this.live;
  }

  /** The row of a ticket, or -1. */
  find(source: string, id: string): number {
    return this.rowsBySource.get(source)?.get(id) ?? -1;
  }

  /** Calls `visit` with each live row. */
  forEachRow(visit: (row: number) => void): void {
    for (let row = 0; row < this.end; row++) if (this.ids[row] !== undefined) visit(row);
  }

  key(row: number): string {
    return `${this.sources.value(this.source[row]!)}:${this.ids[row]!}`;
  }

  sourceOf(row: number): string {
    return this.sources.value(this.source[row]!);
  }

  idOf(row: number): string {
    return this.ids[row]!;
  }

  queueOf(row: number): string {
    return this.queues.value(this.queue[row]!);
  }

  priorityOf(row: number): Priority {
    return PRIORITIES[this.priority[row]!]!;
  }

  subjectOf(row: number): string {
    return this.subjects[row]!;
  }

  updatedMs(row: number): number {
    return this.times[row * 7 + 1]!;
  }

  csatAtMs(row: number): number | null {
    return orNull(this.times[row * 7 + 6]!);
  }

  csatOf(row: number): number | null {
    const csat = this.csat[row]!;
    return csat === 0 ? null : csat;
  }

  /** A new row for a ticket (write it next). */
  insert(source: string, id: string): number {
    const row = this.freeRows.pop() ?? this.end++;
    if (row >= this.source.length) this.resize(this.source.length * 2);
    let ids = this.rowsBySource.get(source);
    if (ids === undefined) {
      ids = new Map();
      this.rowsBySource.set(source, ids);
    }
    ids.set(id, row);
    this.ids[row] = id;
    this.source[row] = this.sources.acquire(source, sameString);
    this.queue[row] = NO_NAME;
    this.assignee[row] = NO_NAME;
    this.tags[row] = NO_NAME;
    this.clockBits[row] = 0;
    this.live++;
    return row;
  }

  /** Sets a row's fields from a validated payload, its times as validation parsed them. */
  write(row: number, p: TicketPayload, t: TicketTimes, csatAtMs: number | null): void {
    const queue = this.queue[row]!;
    if (queue === NO_NAME || this.queues.value(queue) !== p.queue) {
      if (queue !== NO_NAME) this.queues.release(queue);
      this.queue[row] = this.queues.acquire(p.queue, sameString);
    }
    const assignee = this.assignee[row]!;
    if (assignee === NO_NAME ? p.assignee !== null : this.assignees.value(assignee) !== p.assignee) {
      if (assignee !== NO_NAME) this.assignees.release(assignee);
      this.assignee[row] = p.assignee === null ? NO_NAME : this.assignees.acquire(p.assignee, sameString);
    }
    const tags = this.tags[row]!;
    if (tags === NO_NAME || !sameList(this.tagSets.value(tags), p.tags)) {
      if (tags !== NO_NAME) this.tagSets.release(tags);
      this.tags[row] = this.tagSets.acquire(tagSetName(p.tags), () => Object.freeze([...p.tags]));
    }
    this.subjects[row] = p.subject;
    this.priority[row] = PRIORITY_INDEX.get(p.priority)!;
    this.status[row] = STATUS_INDEX.get(p.status)!;
    this.csat[row] = p.csat ?? 0;
    const at = row * 7;
    const times = this.times;
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
    const source = this.sourceOf(row);
    const ids = this.rowsBySource.get(source)!;
    ids.delete(this.ids[row]!);
    if (ids.size === 0) this.rowsBySource.delete(source);
    this.sources.release(this.source[row]!);
    if (this.queue[row] !== NO_NAME) this.queues.release(this.queue[row]!);
    if (this.assignee[row] !== NO_NAME) this.assignees.release(this.assignee[row]!);
    if (this.tags[row] !== NO_NAME) this.tagSets.release(this.tags[row]!);
    for (let field = 0; field < TIME_FIELDS.length; field++) this.oddTimes.delete(row * 8 + field);
    this.histories.delete(row);
    this.ids[row] = undefined;
    this.subjects[row] = '';
    this.freeRows.push(row);
    this.live--;
  }

  /** Fills `into` with the row (see TicketCursor). */
  read(row: number, into: TicketCursor): TicketCursor {
    const at = row * 7;
    const times = this.times;
    const status = TICKET_STATUSES[this.status[row]!]!;
    into.row = row;
    into.queue = this.queues.value(this.queue[row]!);
    into.subject = this.subjects[row]!;
    into.tags = this.tagSets.value(this.tags[row]!);
    into.csat = this.csatOf(row);
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
    const assignee = this.assignee[row]!;
    return {
      id: this.ids[row]!,
      source: this.sourceOf(row),
      queue: this.queueOf(row),
      priority: this.priorityOf(row),
      status: TICKET_STATUSES[this.status[row]!]! as TicketStatus,
      assignee: assignee === NO_NAME ? null : this.assignees.value(assignee),
      subject: this.subjects[row]!,
      tags: [...this.tagSets.value(this.tags[row]!)],
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
    const ms = this.times[row * 7 + field]!;
    if (Number.isNaN(ms)) return null;
    return (this.oddTimes.size === 0 ? undefined : this.oddTimes.get(row * 8 + field)) ?? isoFromMs(ms);
  }

  /** The row's history (a new array for a single observation: write it back with setHistory). */
  history(row: number): History {
    return this.histories.get(row) ?? [this.firstSeenMs[row]!, this.firstSeenCode[row]!];
  }

  /** The number of observations, without building anything. */
  historyLength(row: number): number {
    return (this.histories.get(row)?.length ?? 2) / 2;
  }

  /** The last observation's code. */
  lastSeenCode(row: number): number {
    const history = this.histories.get(row);
    return history === undefined ? this.firstSeenCode[row]! : history[history.length - 1]!;
  }

  /** The last observation's time. */
  lastSeenMs(row: number): number {
    const history = this.histories.get(row);
    return history === undefined ? this.firstSeenMs[row]! : history[history.length - 2]!;
  }

  setHistory(row: number, history: History): void {
    if (history.length > 2) {
      this.histories.set(row, history);
      return;
    }
    this.histories.delete(row);
    this.firstSeenMs[row] = history[0]!;
    this.firstSeenCode[row] = history[1]!;
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

  private resize(rows: number): void {
    this.source = grow(this.source, rows);
    this.queue = grow(this.queue, rows);
    this.assignee = grow(this.assignee, rows);
    this.tags = grow(this.tags, rows);
    this.priority = grow(this.priority, rows);
    this.status = grow(this.status, rows);
    this.csat = grow(this.csat, rows);
    this.times = grow(this.times, rows * 7);
    this.clockBits = grow(this.clockBits, rows);
    this.firstSeenMs = grow(this.firstSeenMs, rows);
    this.firstSeenCode = grow(this.firstSeenCode, rows);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
