// The status page as an Atom 1.0 feed (RFC 4287; docs/contract.md#status-page), pure: the status
// view in, the document out. One entry per customer update, newest first. Every text is escaped
// and stripped of the characters XML 1.0 cannot carry at all (most controls, lone surrogates),
// so whatever someone typed into an update, the feed stays well-formed and shows it as text.
import type { IncidentStatus } from '../../contract/incidents.js';
import type { OverallState, StatusView } from '../../contract/status.js';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

const OVERALL_TEXT: Readonly<Record<OverallState, string>> = {
  operational: 'All systems operational',
  'partial-outage': 'Partial outage',
  'major-outage': 'Major outage',
};

const STATUS_TEXT: Readonly<Record<IncidentStatus, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** Outside XML 1.0's Char production: removed, since no escape can carry them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML cannot hold is the point
const NOT_XML_CHAR = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text for an XML element or a double- or single-quoted attribute. */
export function xmlText(value: string): string {
  return value.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface FeedLinks {
  /** The page's address (`…/status`). */
  page: string;
  /** The feed's own address (`…/status/feed.atom`). */
  self: string;
}

/** The feed of `view`; `links` are absolute addresses (readers resolve relative ones poorly). */
export function renderAtom(view: StatusView, links: FeedLinks): string {
  // The feed changed when its newest entry was posted; with no entry, when it was generated.
  const updated = view.updates[0]?.at ?? view.generatedAt;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(links.self)}</id>`,
    '  <title>Service status</title>',
    `  <subtitle>${xmlText(OVERALL_TEXT[view.state])}</subtitle>`,
    `  <updated>${xmlText(updated)}</updated>`,
    '  <author><name>Watchfloor</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${xmlText(links.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(links.page)}"/>`,
  ];
  for (const update of view.updates) {
    const anchor = `${links.page}#incident-${update.number}`;
    lines.push(
      '  <entry>',
      `    <id>${xmlText(`${links.self}#incident-${update.number}-update-${update.seq}`)}</id>`,
      `    <title>${xmlText(`#${update.number} ${update.title}: ${STATUS_TEXT[update.statusThen]}`)}</title>`,
      `    <published>${xmlText(update.at)}</published>`,
      `    <updated>${xmlText(update.at)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(anchor)}"/>`,
      `    <content type="text">${xmlText(update.text)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
