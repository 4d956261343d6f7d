// Links from the screens to a ticket in its own helpdesk (issue 6): one URL template per source,
// from `TICKET_URLS` (`zendesk=https://acme.zendesk.com/agent/tickets/{id},jira=…/browse/{id}`).
// Pure: parsed once at start, applied to each ticket a list shows.
import { ConfigError } from '../config-error.js';

/**
 * Source (as in `ticket.source`) → URL template with `{id}`. Built without a prototype: a source is
 * input, and `constructor` or `toString` must find no template rather than Object's own methods.
 */
export type TicketUrlTemplates = Readonly<Record<string, string>>;

const VARIABLE = 'TICKET_URLS';

export function parseTicketUrlTemplates(raw: string | null): TicketUrlTemplates {
  const templates = Object.create(null) as Record<string, string>;
  if (raw === null) return templates;
  for (const part of raw.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new ConfigError(VARIABLE, `each entry is source=template, got "${entry}"`);
    const source = entry.slice(0, eq).trim();
    const template = entry.slice(eq + 1).trim();
    if (!template.includes('{id}')) throw new ConfigError(VARIABLE, `the template for "${source}" must contain {id}, got "${template}"`);
    let url: URL;
    try {
      url = new URL(template.replaceAll('{id}', '1'));
    } catch {
      throw new ConfigError(VARIABLE, `the template for "${source}" is not a URL: "${template}"`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(VARIABLE, `the template for "${source}" must be http or https, got "${url.protocol}"`);
    }
    if (Object.hasOwn(templates, source)) throw new ConfigError(VARIABLE, `"${source}" is given twice`);
    templates[source] = template;
  }
  return templates;
}

/** The ticket's page in its helpdesk, or null when its source has no template. */
export function ticketUrl(templates: TicketUrlTemplates, source: string, id: string): string | null {
  // Own keys only, whatever object the caller built: a source named after an Object method is a source like any other.
  const template = Object.hasOwn(templates, source) ? templates[source] : undefined;
  return template === undefined ? null : template.replaceAll('{id}', encodeURIComponent(id));
}
