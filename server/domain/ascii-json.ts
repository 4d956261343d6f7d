// A JSON body's bytes as text for JSON.parse, decoded the cheap way. Decoding UTF-8 was ~7% of
// ingest's CPU: one non-ASCII character anywhere (a "’" in one subject) makes V8 decode the whole
// 200 KB body slowly into a two-byte string, and JSON.parse then reads twice the bytes. JSON's
// own syntax is ASCII, so the body is decoded as Latin-1 (a copy) with each run of non-ASCII bytes
// written as \uXXXX escapes of the characters UTF-8 makes of it: inside a string an escape means
// the very same character, and outside one both texts are invalid JSON. The one place an escape
// would change the meaning (right after a backslash) is left to the exact decoding.
import { isAscii } from 'node:buffer';

/** Runs are looked for per block: isAscii (SIMD) skips a block without one at a glance. */
const BLOCK = 1024;
const BACKSLASH = 0x5c;

const HEX = '0123456789abcdef';

/** `\uXXXX` for each UTF-16 code unit of `text` (all of them non-ASCII). */
function escaped(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += `\\u${HEX[c >> 12]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
  }
  return out;
}

/**
 * The text JSON.parse reads exactly as it reads `bytes.toString('utf8')` when that text is valid
 * JSON: the same values, strings included. Null when it cannot say so (a non-ASCII byte right
 * after a backslash): decode as UTF-8 then. Where the result does not parse, the caller parses
 * the UTF-8 text again for the error it names.
 */
export function asciiJsonText(bytes: Buffer): string | null {
  const n = bytes.length;
  if (isAscii(bytes)) return bytes.toString('latin1');
  const pieces: string[] = [];
  /** Bytes before this are in `pieces`. */
  let done = 0;
  for (let block = 0; block < n; block += BLOCK) {
    const from = Math.max(block, done);
    const end = Math.min(n, block + BLOCK);
    if (from >= end || isAscii(bytes.subarray(from, end))) continue;
    for (let i = from; i < end; i++) {
      if (bytes[i]! < 0x80) continue;
      if (i > 0 && bytes[i - 1] === BACKSLASH) return null;
      let runEnd = i + 1;
      while (runEnd < n && bytes[runEnd]! >= 0x80) runEnd++;
      pieces.push(bytes.toString('latin1', done, i));
      // A run of non-ASCII bytes holds whole UTF-8 sequences, or bad bytes that decode to U+FFFD
      // alike alone or in the whole body (an ASCII byte always ends a sequence).
      pieces.push(escaped(bytes.toString('utf8', i, runEnd)));
      done = runEnd;
      i = runEnd - 1;
    }
  }
  pieces.push(bytes.toString('latin1', done, n));
  return pieces.join('');
}
