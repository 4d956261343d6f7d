// Turns a request body into a list of candidate events (docs/contract.md#events-in): a JSON array, or NDJSON with
// one event per line. A malformed NDJSON line is that event's problem, not the batch's.
import { isAscii } from 'node:buffer';
import { asciiJsonText } from './ascii-json.js';
import { jsonArrayInParts } from './json-array-parts.js';

export const MAX_EVENTS_PER_REQUEST = 10_000;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export type BatchFormat = 'json' | 'ndjson';

export interface ParsedBatch {
  /** Candidates by their index in the batch; undefined where the line did not parse. */
  items: unknown[];
  rejected: { index: number; error: string }[];
}

export class BatchError extends Error {
  constructor(
    readonly statusCode: 400 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function tooMany(count: number): BatchError {
  return new BatchError(413, 'too_many_events', `at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${count}`);
}

/** A parsed JSON body as a batch: it must be an array of at most MAX_EVENTS_PER_REQUEST. */
function arrayBatch(body: unknown): ParsedBatch {
  if (!Array.isArray(body)) {
    throw new BatchError(400, 'invalid_body', 'body must be a JSON array of events (or NDJSON with Content-Type: application/x-ndjson)');
  }
  if (body.length > MAX_EVENTS_PER_REQUEST) throw tooMany(body.length);
  return { items: body, rejected: [] };
}

/**
 * A request body's bytes as a batch: the same as `parseBatch` of their UTF-8 text, decoded the
 * cheap way where that gives the same values (ascii-json.ts); a body that does not parse is
 * parsed again from its UTF-8 text, so that the error names what the client sent.
 */
export function parseBatchBytes(raw: Buffer, format: BatchFormat): ParsedBatch {
  if (format === 'json') {
    // A large body in parts (json-array-parts.ts), else whole.
    const items = jsonArrayInParts(raw);
    if (items !== null) return arrayBatch(items);
    const text = asciiJsonText(raw);
    if (text !== null) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return parseBatch(raw.toString('utf8'), format);
      }
      return arrayBatch(body);
    }
  } else if (isAscii(raw)) {
    // Lines are trimmed, and Unicode has spaces of its own: NDJSON is escaped only when all ASCII.
    return parseBatch(raw.toString('latin1'), format);
  }
  return parseBatch(raw.toString('utf8'), format);
}

export function parseBatch(raw: string, format: BatchFormat): ParsedBatch {
  if (format === 'json') {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (error) {
      throw new BatchError(400, 'invalid_json', `body is not valid JSON: ${(error as Error).message}`);
    }
    return arrayBatch(body);
  }
  const lines = raw.split('\n').filter((line) => line.trim().length > 0);
  if (lines.length > MAX_EVENTS_PER_REQUEST) throw tooMany(lines.length);
  const items: unknown[] = new Array(lines.length);
  const rejected: ParsedBatch['rejected'] = [];
  lines.forEach((line, index) => {
    try {
      items[index] = JSON.parse(line);
    } catch (error) {
      rejected.push({ index, error: `line ${index + 1} is not valid JSON: ${(error as Error).message}` });
    }
  });
  if (lines.length > 0 && rejected.length === lines.length) {
    throw new BatchError(400, 'invalid_ndjson', `body is not NDJSON: no line is valid JSON (${rejected[0]!.error})`);
  }
  return { items, rejected };
}
