// An entry of the shared log (`<p>events`, a Redis stream), read back: by the instances that follow
// the log, and by a start that replays it after the checkpoint. The commit script (redis-scripts.ts)
// writes the batch's body as it arrived, with the indexes of its duplicates beside it, so that the
// instance taking the batch sends its bytes on untouched; the cost of cutting the duplicates out
// falls on the readers, and only for the rare entry that has any.
//
// Fields: `o` origin (instance:commit), `f` format (absent: 'json'), `d` the duplicates' 1-based
// indexes comma-joined (absent: none), `e` the body. An entry written before bodies were logged
// as they arrived holds its new events as a JSON array and nothing else: it reads the same way.
import type { WatchEvent } from '../../contract/domain.js';
import { parseBatch, type BatchFormat } from '../domain/parse-batch.js';
import { validateEvent } from '../domain/validate-event.js';
import type { JournalEntry } from './live-store.js';

/** A field of a stream entry (flat name/value list), read as strings or as Buffers. */
export function optionalField<T extends string | Buffer>(fields: T[], name: string): T | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const key = fields[i]!;
    if (typeof key === 'string' ? key === name : key.length === name.length && key.toString('latin1') === name) return fields[i + 1];
  }
  return undefined;
}

export function field<T extends string | Buffer>(fields: T[], name: string): T {
  const value = optionalField(fields, name);
  if (value === undefined) throw new Error(`log entry without field "${name}"`);
  return value;
}

function formatOf(fields: (string | Buffer)[]): BatchFormat {
  const format = optionalField(fields, 'f')?.toString();
  if (format === undefined || format === 'json') return 'json';
  if (format === 'ndjson') return 'ndjson';
  throw new Error(`log entry of unknown format "${format}"`);
}

/** The 1-based indexes of the body's duplicates (events that were not new when committed). */
function duplicatesOf(fields: (string | Buffer)[]): Set<number> | null {
  const listed = optionalField(fields, 'd')?.toString();
  if (listed === undefined || listed === '') return null;
  return new Set(listed.split(',').map(Number));
}

/** The body's candidate events without its duplicates, still to be validated. */
function newItems(fields: (string | Buffer)[]): unknown[] {
  const { items } = parseBatch(field(fields, 'e').toString(), formatOf(fields));
  const duplicates = duplicatesOf(fields);
  return duplicates === null ? items : items.filter((_, index) => !duplicates.has(index + 1));
}

/**
 * The entry's new events, as the instance that committed them accepted them: each validated
 * again (without the clock rules, as a replay does), since the body holds them as sent.
 */
export function entryEvents(fields: Buffer[]): WatchEvent[] {
  const events: WatchEvent[] = [];
  for (const item of newItems(fields)) {
    const result = validateEvent(item, null);
    if (result.ok) events.push(result.event);
  }
  return events;
}

/**
 * The entry as a journal batch for a start's replay: the body itself when it has no duplicates,
 * else its new events alone (a replay marks every id of the log as new, see RedisStore.remember).
 */
export function entryJournal(fields: (string | Buffer)[]): JournalEntry {
  const body = field(fields, 'e');
  if (duplicatesOf(fields) === null) return { raw: typeof body === 'string' ? Buffer.from(body, 'utf8') : body, format: formatOf(fields) };
  return { raw: Buffer.from(JSON.stringify(newItems(fields))), format: 'json' };
}
