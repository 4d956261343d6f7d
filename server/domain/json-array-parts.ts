// A large JSON array body parsed in parts of ~64 KB. V8 puts any string over ~128 KB in its
// large-object space, and making one costs ~1 ms whatever its content: a 232 KB batch of 500 events
// paid that before JSON.parse began, about as much as the parse itself. Parts under the limit are
// allocated the ordinary way (~40 µs for the whole body), and the parse of all of them together
// costs what one parse did.
//
// The body is cut just after a `}` that is followed by `,{` (how JSON.stringify and every helpdesk
// writes an array of objects). A cut there is right only between two elements of the outer array,
// and then `[` + part + `]` parses; a cut anywhere else (inside a string, inside a nested object)
// leaves a string unterminated or a bracket open in the part before it, so that part does not
// parse: the next `},{` is tried, a few times, then the rest of the body as one part. A part that
// still does not parse sends the caller back to one parse of the whole body, which also names the
// error the client made. The result is the one JSON.parse of the whole text gives.
import { asciiJsonText } from './ascii-json.js';

/** Bodies up to this are parsed whole; longer ones in parts of about this size. */
export const PART_BYTES = 64 * 1024;
const SEPARATOR = Buffer.from('},{');
const OPEN = 0x5b;
const CLOSE = 0x5d;

/** Cuts tried per part before the whole body is parsed instead. */
const CANDIDATES = 8;

const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * The elements of the JSON array `raw` holds, parsed in parts; null when the body is not one that
 * can be parsed this way (short, not an array, not cut cleanly, not valid): parse it whole then.
 */
export function jsonArrayInParts(raw: Buffer): unknown[] | null {
  let start = 0;
  let end = raw.length;
  while (start < end && isSpace(raw[start]!)) start++;
  while (end > start && isSpace(raw[end - 1]!)) end--;
  if (end - start <= PART_BYTES || raw[start] !== OPEN || raw[end - 1] !== CLOSE) return null;
  const items: unknown[] = [];
  // `from` is the first byte of the next part: after the `[`, then after each cut's comma.
  let from = start + 1;
  const last = end - 1;
  while (from <= last) {
    let cut = -1;
    let part: unknown[] | null = null;
    if (last - from <= PART_BYTES) {
      cut = last;
      part = parsePart(raw, from, cut);
    } else {
      // A few candidates in turn (a `},{` inside a string or a nested object does not parse).
      let search = from + PART_BYTES;
      for (let tries = 0; part === null && tries < CANDIDATES; tries++) {
        const at = raw.indexOf(SEPARATOR, search);
        if (at === -1 || at >= last) break;
        cut = at + 1;
        part = parsePart(raw, from, cut);
        search = at + 1;
      }
      // No cut that parses (a pretty-printed body has none): the rest as one part.
      if (part === null) {
        cut = last;
        part = parsePart(raw, from, cut);
      }
    }
    if (part === null) return null;
    for (const item of part) items.push(item);
    from = cut + 1;
  }
  return items;
}

/** `[` + raw[from, to) + `]` parsed, or null when that is not valid JSON (or not ASCII-safe). */
function parsePart(raw: Buffer, from: number, to: number): unknown[] | null {
  const text = asciiJsonText(raw.subarray(from, to));
  if (text === null) return null;
  try {
    return JSON.parse(`[${text}]`) as unknown[];
  } catch {
    return null;
  }
}
