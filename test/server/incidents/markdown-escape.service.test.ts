// The report's escaping of user text (docs/contract.md#security-and-durability): the pure escaper, and the report of an incident
// written by an attacker, rendered by a real Markdown renderer (marked, GFM): none of the user's
// text becomes HTML, a link, an image, a heading, emphasis or an extra table cell, and every
// piece of it is still there as text.
import { Marked } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeBlock, escapeCell, escapeInline, escapeQuote } from '../../../server/incidents/markdown-escape.js';
import { startTestApp, TOKEN_ENV, type TestApp } from '../../helpers/app.js';
import { addTask, call, declareIncident, patchIncident, postUpdate } from '../../helpers/incidents.js';

const marked = new Marked({ gfm: true });
const html = (markdown: string): string => marked.parse(markdown, { async: false });
/** The text a browser would show for an HTML fragment. */
const textOf = (fragment: string): string =>
  fragment
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[click](javascript:alert(1))',
  '![pic](http://evil.example/x.png)',
  '<http://evil.example>',
  'see http://evil.example/a and www.evil.example and mallory@evil.example',
  '# heading',
  '## sub',
  '> quoted',
  '- item',
  '+ item',
  '1. item',
  '2) item',
  '    indented code',
  '```js',
  '`code`',
  '*emph* _emph_ **strong** ~~gone~~ ==mark== $x^2$',
  'a | b | c',
  '---',
  '===',
  '***',
  '&lt;b&gt; &#60;i&#62; &copy;',
  '[ref]: http://evil.example',
  '\\*not escaped by me\\*',
  'trailing backslash \\',
  'x\u202Eevil\u202C',
];

describe('the escaper', () => {
  it.each(HOSTILE)('shows %j as plain text, inline', (text) => {
    const rendered = html(`before ${escapeInline(text)} after`);
    expect(rendered).not.toMatch(/<(?!\/?p>)/);
    expect(textOf(rendered).trim()).toBe(`before ${text.replace(/[\u202A-\u202E]/g, '').trim()} after`);
  });

  it.each(HOSTILE)('shows %j as plain text at the start of a block, and in a quote', (text) => {
    const clean = text.replace(/[\u202A-\u202E]/g, '').trim();
    const block = html(escapeBlock(text));
    expect(block).toMatch(/^<p>[\s\S]*<\/p>\s*$/);
    expect(block.slice(3)).not.toMatch(/<(?!\/p>)/);
    expect(textOf(block).trim()).toBe(clean);
    const quoted = html(escapeQuote(text));
    expect(quoted.replace(/^<blockquote>\s*<p>/, '').replace(/<\/p>\s*<\/blockquote>\s*$/, '')).not.toContain('<');
  });

  it('keeps the lines of a block and of a table cell', () => {
    expect(escapeBlock('one\n  two\n\n\n# three\n')).toBe('one\ntwo\n\n\\# three');
    expect(escapeQuote('one\n\ntwo')).toBe('> one\n>\n> two');
    expect(escapeCell('a | b\n# c\r\nd')).toBe('a \\| b<br>\\# c<br>d');
    expect(escapeInline('a\nb')).toBe('a b');
  });

  it('leaves ordinary text readable', () => {
    expect(escapeInline('commander-user (from 10:00) fixed v1.2, 50% done?')).toBe('commander-user (from 10:00) fixed v1.2, 50% done?');
  });
});

describe('the report of a hostile incident', () => {
  let t: TestApp;
  const attacker = '<b>mallory</b>|#x';
  beforeAll(async () => {
    t = await startTestApp({ env: { WATCHFLOOR_TOKENS: `${TOKEN_ENV},commander:${attacker}:attacker-secret-0000001` } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('renders through marked with no HTML, link, image, heading or table cell from user text', async () => {
    const { app } = t;
    const evil = HOSTILE.join('\n');
    const as = (body: Record<string, unknown>) => ({ ...body });
    const incident = await declareIncident(
      app,
      as({
        title: '<img src=x onerror=alert(1)> # [x](javascript:alert(1)) | a',
        severity: 'SEV2',
        summary: evil,
        services: ['<b>svc</b>', 'a|b'],
        match: { tags: ['pay_ments'], keywords: ['<i>k</i>', '[k](http://x)'] },
      }),
    );
    const id = incident.id;
    await patchIncident(app, id, { roles: { communications: '[lee](javascript:alert(1)) | <img src=x>' } });
    await postUpdate(app, id, 'customers', evil);
    await postUpdate(app, id, 'internal', '| col | col |\n|---|---|\n| x | y |');
    await addTask(app, id, '<img src=x onerror=alert(1)> | [t](javascript:x)', '# owner');
    const followUp = await call(app, {
      method: 'POST',
      url: `/api/v1/incidents/${id}/follow-ups`,
      as: 'supervisor',
      body: { title: '<img src=x onerror=alert(1)> | [f](javascript:x) _em_', owner: '# <b>owner</b> ~~x~~', dueAt: '2099-12-01T10:00:00Z' },
    });
    expect(followUp.statusCode).toBe(201);
    const byAttacker = await call(app, {
      method: 'POST',
      url: `/api/v1/incidents/${id}/updates`,
      as: null,
      headers: { authorization: 'Bearer attacker-secret-0000001' },
      body: { audience: 'internal', text: 'from the attacker' },
    });
    expect(byAttacker.statusCode).toBe(201);

    const response = await call(app, { method: 'GET', url: `/api/v1/incidents/${id}/report`, as: 'viewer' });
    expect(response.statusCode).toBe(200);
    const report = response.body;
    const rendered = html(report);

    expect(rendered.match(/<(img|a|script|pre|ol|del|em|hr|mark)\b[^>]*>/gi) ?? []).toEqual([]);
    // Code: only the report's own `incident-N` tag.
    expect(rendered.match(/<code>[^<]*<\/code>/g)).toEqual([`<code>incident-${incident.number}</code>`]);
    expect(rendered).not.toMatch(/<b>|<i>/);
    // The report's own headings only: the title, its sections, the two update audiences.
    const headings = [...rendered.matchAll(/<(h[1-6])[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => `${m[1]} ${textOf(m[2]!)}`);
    expect(headings).toEqual([
      'h1 Incident #1: <img src=x onerror=alert(1)> # [x](javascript:alert(1)) | a',
      'h2 Summary',
      'h2 Impact',
      'h2 Key times',
      'h2 Roles',
      'h2 Timeline',
      'h2 Tasks',
      'h2 Follow-ups',
      'h2 Updates sent',
      'h3 To customers',
      'h3 Internal',
    ]);
    // Tables: every row has the header's number of cells.
    const tables = [...rendered.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]!);
    expect(tables).toHaveLength(3);
    const columns = [3, 2, 4];
    for (const [i, table] of tables.entries()) {
      const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => (m[1]!.match(/<t[hd][ >]/g) ?? []).length);
      expect(
        rows.every((n) => n === columns[i]),
        `table ${i + 1}: ${rows.join(',')}`,
      ).toBe(true);
    }
    const timelineRows = [...tables[2]!.matchAll(/<tr>/g)].length - 1;
    expect(timelineRows).toBe(
      (await call(app, { method: 'GET', url: `/api/v1/incidents/${id}`, as: 'viewer' })).json<{ timeline: unknown[] }>().timeline.length,
    );
    // Lists: the Impact bullets, the one task and the one follow-up; nothing from the summary or updates.
    expect((rendered.match(/<li>/g) ?? []).length).toBe(7);
    // The user's text is all there, as text.
    const text = textOf(rendered);
    for (const piece of [
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '# heading',
      'a | b | c',
      '<b>mallory</b>|#x',
      '[lee](javascript:alert(1)) | <img src=x>',
      '<img src=x onerror=alert(1)> | [f](javascript:x) _em_ (owner # <b>owner</b> ~~x~~, due 2099-12-01 10:00:00 UTC, open)',
    ]) {
      expect(text).toContain(piece);
    }
  });
});
