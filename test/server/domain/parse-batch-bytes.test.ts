// A body's bytes decoded the cheap way (ascii-json.ts) must parse to exactly what its UTF-8 text
// parses to, and a body that does not parse must be refused with the very same error: checked
// against parseBatch of the UTF-8 text on bodies with every kind of non-ASCII text, bad bytes
// and broken JSON, and on random mutations of them.
import { describe, expect, it } from 'vitest';
import { asciiJsonText } from '../../../server/domain/ascii-json.js';
import { jsonArrayInParts, PART_BYTES } from '../../../server/domain/json-array-parts.js';
import { type BatchFormat, type ParsedBatch, parseBatch, parseBatchBytes } from '../../../server/domain/parse-batch.js';

type Outcome = { ok: true; batch: ParsedBatch } | { ok: false; status: number; code: string; message: string };

function outcome(parse: () => ParsedBatch): Outcome {
  try {
    return { ok: true, batch: parse() };
  } catch (error) {
    const e = error as { statusCode: number; code: string; message: string };
    return { ok: false, status: e.statusCode, code: e.code, message: e.message };
  }
}

function expectSame(raw: Buffer, format: BatchFormat): void {
  const expected = outcome(() => parseBatch(raw.toString('utf8'), format));
  const actual = outcome(() => parseBatchBytes(raw, format));
  expect(actual).toEqual(expected);
}

const event = (subject: string): object => ({
  id: 'e-1',
  type: 'ticket',
  at: '2026-11-26T10:02:00Z',
  ticket: { id: '1', queue: 'l1', priority: 'high', status: 'open', subject, tags: [subject] },
});

const TEXTS = [
  'plain ASCII',
  'Report shows yesterday\u2019s numbers',
  'caf\u00e9 cr\u00e8me \u00a0 nbsp',
  '\u65e5\u672c\u8a9e\u306e\u4ef6\u540d',
  'emoji \u{1f525}\u{1f9ef} and \u{10ffff}',
  '\u2028line\u2029separators\ufeff',
  'escapes already: \\u2019 \\n \\" \\\\',
  '\u00ff\u0100\u07ff\u0800\uffff',
];

describe('parseBatchBytes', () => {
  it('reads JSON arrays and NDJSON with non-ASCII text as their UTF-8 text reads', () => {
    for (const text of TEXTS) {
      const events = [event(text), event(`${text}${text}`), { id: text, [text]: text }];
      const json = Buffer.from(JSON.stringify(events));
      const ndjson = Buffer.from(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
      expectSame(json, 'json');
      expectSame(ndjson, 'ndjson');
      const parsed = parseBatchBytes(json, 'json');
      expect((parsed.items[0] as { ticket: { subject: string } }).ticket.subject).toBe(text);
    }
  });

  it('refuses broken bodies with the same error as the UTF-8 text', () => {
    const bodies = [
      '[{"id":"a"}, \u2019]',
      '\u2019[]',
      '[]\u2019',
      '\ufeff[{"id":"a"}]',
      '[{"id":"a\\\u2019"}]',
      '[{"id":"a\\u00\u2019"}]',
      '{"not":"an array \u00e9"}',
      '[{"id":"cut \u00e9',
      '\u00a0',
      '[1,]',
    ];
    for (const body of bodies) {
      expectSame(Buffer.from(body), 'json');
      expectSame(Buffer.from(body), 'ndjson');
    }
  });

  it('takes bytes that are not UTF-8 as the UTF-8 decoder does (U+FFFD), in strings and out', () => {
    const bad = [[0xff], [0xc3], [0xe2, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x94], [0xc0, 0xaf], [0x80, 0x80, 0xe9]];
    for (const bytes of bad) {
      const inside = Buffer.concat([Buffer.from('[{"id":"x'), Buffer.from(bytes), Buffer.from('y","n":1}]')]);
      const outside = Buffer.concat([Buffer.from('[{"id":"x"}'), Buffer.from(bytes), Buffer.from(']')]);
      expectSame(inside, 'json');
      expectSame(outside, 'json');
      expectSame(inside, 'ndjson');
    }
  });

  it('agrees with the UTF-8 text on 3,000 random mutations of bodies with non-ASCII text', () => {
    let seed = 11;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = [0x5c, 0x22, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x20, 0x0a, 0x75, 0x30, 0xe2, 0x80, 0x99, 0xc3, 0xa9, 0xf0, 0x9f, 0xff];
    const base = Buffer.from(JSON.stringify(TEXTS.map(event)));
    for (let i = 0; i < 3_000; i++) {
      const bytes = [...base];
      const edits = 1 + Math.floor(random() * 4);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(random() * bytes.length);
        const byte = pieces[Math.floor(random() * pieces.length)]!;
        const kind = random();
        if (kind < 0.4) bytes[at] = byte;
        else if (kind < 0.8) bytes.splice(at, 0, byte);
        else bytes.splice(at, 1);
      }
      const raw = Buffer.from(bytes);
      expectSame(raw, 'json');
      expectSame(raw, 'ndjson');
    }
  });

  it('decodes an all-ASCII body as is, and escapes each non-ASCII character once', () => {
    expect(asciiJsonText(Buffer.from('[{"a":"b"}]'))).toBe('[{"a":"b"}]');
    expect(asciiJsonText(Buffer.from('["\u2019\u{1f525}x\u00e9"]'))).toBe('["\\u2019\\ud83d\\udd25x\\u00e9"]');
    // Right after a backslash an escape would mean something else: left to the UTF-8 decoding.
    expect(asciiJsonText(Buffer.from('["\\\u2019"]'))).toBeNull();
    // Runs across the blocks that are checked at once are escaped whole.
    const long = `["${'a'.repeat(1_021)}\u{1f525}\u2019${'b'.repeat(3_000)}\u00e9"]`;
    expect(JSON.parse(asciiJsonText(Buffer.from(long))!)).toEqual(JSON.parse(long));
  });

  describe('a body over PART_BYTES, parsed in parts', () => {
    // Elements whose text holds the cut's `},{` where a cut would be wrong: in strings (after an
    // escaped quote too), in nested objects, in keys; and non-ASCII text on both sides of it.
    // Every tenth element holds six of them, so that some cuts must be tried more than once.
    const tricky = (i: number): object =>
      i % 10 === 0
        ? { id: `e-${i}`, ticket: { subject: 'a},{b \u2019 "},{"', tags: ['x},{y'] }, nested: [{ a: 1 }, { b: [{}, {}] }], '},{': '}' }
        : {
            id: `e-${i}`,
            type: 'ticket',
            at: '2026-11-26T10:02:00Z',
            ticket: { id: String(i), subject: `caf\u00e9 ${i} \u2019 ${'x'.repeat(i % 50)}`, tags: ['t'] },
          };
    const body = (n: number, space?: number): Buffer =>
      Buffer.from(
        JSON.stringify(
          Array.from({ length: n }, (_, i) => tricky(i)),
          null,
          space,
        ),
      );

    it('gives exactly what one parse of the whole text gives, cut in many parts', () => {
      const raw = body(2_000);
      expect(raw.length).toBeGreaterThan(4 * PART_BYTES);
      const parts = jsonArrayInParts(raw);
      expect(parts).not.toBeNull();
      expect(parts).toEqual(JSON.parse(raw.toString('utf8')));
      expectSame(raw, 'json');
      // Whitespace around the array, and a pretty-printed body (no cut found: one part).
      expectSame(Buffer.concat([Buffer.from(' \n\t'), raw, Buffer.from('\r\n')]), 'json');
      const pretty = body(300, 2);
      expect(jsonArrayInParts(pretty)).toEqual(JSON.parse(pretty.toString('utf8')));
    });

    it('falls back to the whole parse, with its error, wherever a large body is broken', () => {
      let seed = 7;
      const random = (): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const base = [...body(400)];
      const pieces = [0x5c, 0x22, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x20, 0xe2, 0x80, 0x99];
      for (let i = 0; i < 60; i++) {
        const bytes = base.slice();
        const at = Math.floor(random() * bytes.length);
        const kind = random();
        if (kind < 0.5) bytes[at] = pieces[Math.floor(random() * pieces.length)]!;
        else bytes.splice(at, 1);
        expectSame(Buffer.from(bytes), 'json');
      }
      // Not an array, or one whose outer brackets are not the first and last bytes.
      expectSame(Buffer.from(JSON.stringify({ all: JSON.parse(body(300).toString('utf8')) })), 'json');
      expectSame(Buffer.concat([body(300), Buffer.from('x')]), 'json');
    });
  });
});
