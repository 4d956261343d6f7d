// The status feed (docs/contract.md#status-page), pure: an Atom 1.0 document with one entry per customer
// update, every text escaped, and characters XML cannot carry dropped.
import { describe, expect, it } from 'vitest';
import { renderAtom, xmlText } from '../../../server/status/atom.js';
import { statusView } from '../../../server/status/status-view.js';
import { incident, min } from './incidents.js';

const LINKS = { page: 'https://status.example/status', self: 'https://status.example/status/feed.atom' };

describe('xmlText', () => {
  it('escapes markup and quotes, and drops what XML 1.0 cannot hold', () => {
    expect(xmlText(`<b>"Tom" & 'Jerry'</b>`)).toBe('&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;');
    // A NUL, a form feed and a lone surrogate go; tabs, line breaks and an emoji stay.
    expect(xmlText('a\u0000b\u000cc\ud800d\te\nf😀')).toBe('abcd\te\nf😀');
    expect(xmlText('&amp;')).toBe('&amp;amp;');
  });
});

describe('renderAtom', () => {
  it('is the whole feed: one entry per customer update, newest first', () => {
    const view = statusView(
      [
        incident(7, { title: 'Login fails', severity: 'SEV1', services: ['Login'] }, min(0), [
          { at: min(5), update: { audience: 'customers', text: 'We are looking into it.' } },
          { at: min(6), update: { audience: 'internal', text: 'INTERNAL-ONLY pods restart' } },
          { at: min(15), patch: { status: 'identified' } },
          { at: min(20), update: { audience: 'customers', text: 'Found it: <b>DNS</b> & a "cache".' } },
        ]),
      ],
      min(30),
    );
    expect(renderAtom(view, LINKS)).toBe(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        '  <id>https://status.example/status/feed.atom</id>',
        '  <title>Service status</title>',
        '  <subtitle>Major outage</subtitle>',
        '  <updated>2026-11-26T10:20:00.000Z</updated>',
        '  <author><name>Watchfloor</name></author>',
        '  <link rel="self" type="application/atom+xml" href="https://status.example/status/feed.atom"/>',
        '  <link rel="alternate" type="text/html" href="https://status.example/status"/>',
        '  <entry>',
        '    <id>https://status.example/status/feed.atom#incident-7-update-6</id>',
        '    <title>#7 Login fails: Identified</title>',
        '    <published>2026-11-26T10:20:00.000Z</published>',
        '    <updated>2026-11-26T10:20:00.000Z</updated>',
        '    <link rel="alternate" type="text/html" href="https://status.example/status#incident-7"/>',
        '    <content type="text">Found it: &lt;b&gt;DNS&lt;/b&gt; &amp; a &quot;cache&quot;.</content>',
        '  </entry>',
        '  <entry>',
        '    <id>https://status.example/status/feed.atom#incident-7-update-3</id>',
        '    <title>#7 Login fails: Investigating</title>',
        '    <published>2026-11-26T10:05:00.000Z</published>',
        '    <updated>2026-11-26T10:05:00.000Z</updated>',
        '    <link rel="alternate" type="text/html" href="https://status.example/status#incident-7"/>',
        '    <content type="text">We are looking into it.</content>',
        '  </entry>',
        '</feed>',
        '',
      ].join('\n'),
    );
  });

  it('with no update, is a feed without entries dated when it was made', () => {
    const feed = renderAtom(statusView([], min(0)), LINKS);
    expect(feed).toContain('<subtitle>All systems operational</subtitle>');
    expect(feed).toContain('<updated>2026-11-26T10:00:00.000Z</updated>');
    expect(feed).not.toContain('<entry>');
  });

  it('escapes titles and links too', () => {
    const view = statusView(
      [incident(3, { title: 'A <script> & "quotes"', services: ['x'] }, min(0), [{ at: min(1), update: { audience: 'customers', text: 'ok' } }])],
      min(2),
    );
    const feed = renderAtom(view, { page: 'http://h"x/status', self: 'http://h"x/status/feed.atom' });
    expect(feed).toContain('<title>#3 A &lt;script&gt; &amp; &quot;quotes&quot;: Investigating</title>');
    expect(feed).toContain('href="http://h&quot;x/status"');
    expect(feed).toContain('<subtitle>Partial outage</subtitle>');
  });
});
