// User-written text made safe for Markdown (docs/contract.md#security-and-durability): whatever the text, any CommonMark or GFM
// viewer shows it as the text it is. No HTML (`<img onerror>`), no links (`[x](javascript:…)`,
// `<http://…>`, bare URLs and e-mail addresses that GFM would link), no headings, lists, quotes
// or code blocks at a line start, no emphasis, no math, no broken table cells. Pure.
//
// How: backslash escapes, which CommonMark defines as "this character, literally", outside code
// (and user text never opens code: the backtick is escaped). Characters that are syntax anywhere
// in a line (emphasis, links, HTML, entities, tables, strikethrough, math, headings' closing #)
// are always escaped; those that are syntax only at a line's start (lists, headings, quotes,
// setext underlines, ordered lists) are escaped there; and the autolinker's triggers (`://`,
// `www.`, `@`) are broken. Everything else stays as written, so the raw file still reads.

const ALWAYS = /[\\`*_[\]<>|~$&^#]/g;
// C0/C1 controls except tab and line breaks, and the bidirectional overrides that would make a
// text read reversed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/;

function clean(text: string): string {
  return text.replace(INVISIBLE, '').replace(/\t/g, ' ');
}

function escapeLine(line: string): string {
  // Leading spaces would make an indented code block; trailing ones a hard break.
  return (
    line
      .trim()
      .replace(ALWAYS, (c) => `\\${c}`)
      .replace(/:(?=\/\/)/g, '\\:')
      .replace(/\b(www)\./gi, '$1\\.')
      .replace(/@/g, '\\@')
      // `==marked==` in some viewers.
      .replace(/={2,}/g, (run) => run.replace(/=/g, '\\='))
      .replace(/^([+\-=:])/, '\\$1')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/** One line of text (a title, a name, a list item): line breaks become spaces. */
export function escapeInline(text: string): string {
  return escapeLine(clean(text).split(LINE_BREAK).join(' '));
}

/** A table cell: one line in the table, the text's own lines kept apart by <br>. */
export function escapeCell(text: string): string {
  return clean(text)
    .split(LINE_BREAK)
    .map(escapeLine)
    .filter((line) => line !== '')
    .join('<br>');
}

/** The lines of a block of text: each kept on its own line, runs of blank lines made one. */
function blockLines(text: string): string[] {
  const out: string[] = [];
  for (const line of clean(text).split(LINE_BREAK).map(escapeLine)) {
    if (line === '' && (out.length === 0 || out.at(-1) === '')) continue;
    out.push(line);
  }
  while (out.at(-1) === '') out.pop();
  return out;
}

/** Paragraphs of text, as written. */
export function escapeBlock(text: string): string {
  return blockLines(text).join('\n');
}

/** Text as a block quote, every line kept. */
export function escapeQuote(text: string): string {
  const lines = blockLines(text);
  return (lines.length === 0 ? [''] : lines).map((line) => (line === '' ? '>' : `> ${line}`)).join('\n');
}
