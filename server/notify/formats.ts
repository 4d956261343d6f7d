// The bodies of outbound notifications (docs/contract.md#outbound-notifications), by the target's
// format: `json` (the event and what it is about, as the API shows it), `slack` (an incoming
// webhook's `{text, blocks}` in mrkdwn) and `teams` (an Adaptive Card in the message envelope that
// Teams incoming webhooks and Workflows take). Pure: rendered once at enqueue, so that every retry
// sends the same bytes under the same signature.
import type { ActiveAlert } from '../../contract/alerts.js';
import type { Incident, IncidentListItem, IncidentUpdate } from '../../contract/incidents.js';
import type { Suggestion } from '../../contract/suggestions.js';
import type { NotifyEvent, NotifyFormat } from './notifications-file.js';

/** What an event is about; an update goes with its incident. */
export type NotifyPayload = { incident: Incident; update?: IncidentUpdate } | { alert: ActiveAlert } | { suggestion: Suggestion };

export interface Envelope {
  /** The delivery id (X-Watchfloor-Delivery). */
  id: string;
  event: NotifyEvent;
  /** When the event happened, ms. */
  at: number;
  payload: NotifyPayload;
}

export function renderBody(format: NotifyFormat, envelope: Envelope): string {
  if (format === 'slack') return JSON.stringify(slackBody(envelope));
  if (format === 'teams') return JSON.stringify(teamsBody(envelope));
  return JSON.stringify(jsonBody(envelope));
}

/** The incident as GET /api/v1/incidents lists it: without its timeline. */
export function withoutTimeline(incident: Incident): IncidentListItem {
  const { timeline: _timeline, ...rest } = incident;
  return rest;
}

export function jsonBody(envelope: Envelope): Record<string, unknown> {
  const { id, event, at, payload } = envelope;
  const head = { id, event, at: new Date(at).toISOString() };
  if ('incident' in payload)
    return { ...head, incident: withoutTimeline(payload.incident), ...(payload.update === undefined ? {} : { update: payload.update }) };
  if ('alert' in payload) return { ...head, alert: payload.alert };
  return { ...head, suggestion: payload.suggestion };
}

/** What a chat message says, as plain text: a headline, a paragraph, and name/value facts. */
export interface Message {
  headline: string;
  text: string;
  facts: [string, string][];
}

export function describe(event: NotifyEvent, payload: NotifyPayload): Message {
  if ('incident' in payload) {
    const i = payload.incident;
    const name = `Incident ${i.number} (${i.severity})`;
    const facts: [string, string][] = [
      ['Status', i.status],
      ['Severity', i.severity],
      ['Commander', i.roles.commander ?? 'none'],
    ];
    if (event === 'incident.update' && payload.update !== undefined) {
      const u = payload.update;
      return { headline: `${name} update for ${u.audience}: ${i.title}`, text: u.text, facts: [['Audience', u.audience], ['By', u.actor], ...facts] };
    }
    if (event === 'incident.declared') return { headline: `${name} declared: ${i.title}`, text: i.summary, facts: [...facts, ['Declared by', i.declaredBy]] };
    if (event === 'incident.resolved') {
      const minutes = i.metrics.timeToResolveSec === null ? null : Math.round(i.metrics.timeToResolveSec / 60);
      return { headline: `${name} resolved: ${i.title}`, text: i.summary, facts: minutes === null ? facts : [...facts, ['Time to resolve', `${minutes} min`]] };
    }
    return { headline: `${name} changed: ${i.title}`, text: i.summary, facts };
  }
  if ('alert' in payload) {
    const a = payload.alert;
    const value = a.value === null ? [] : ([['Value', String(a.value)]] as [string, string][]);
    return { headline: `Alert fired (${a.severity}): ${a.title}`, text: '', facts: [['Alert', a.id], ['Fired at', a.firedAt], ...value] };
  }
  const s = payload.suggestion;
  return {
    headline: `Possible incident on ${s.line}: ${s.title}`,
    text: s.keywords.length > 0 ? `Shared words: ${s.keywords.join(', ')}` : '',
    facts: [
      ['Tickets', String(s.count)],
      ['Per hour', String(s.ratePerHour)],
      ['Suggestion', s.id],
    ],
  };
}

/** Slack's three control characters (api.slack.com, "Escaping text"); everything else is text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack caps a section's text at 3,000 characters. */
const SLACK_SECTION = 3_000;

export function slackBody(envelope: Envelope): { text: string; blocks: unknown[] } {
  const m = describe(envelope.event, envelope.payload);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(m.headline)}*`.slice(0, SLACK_SECTION) } }];
  if (m.text !== '') blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeSlack(m.text).slice(0, SLACK_SECTION) } });
  if (m.facts.length > 0)
    blocks.push({
      type: 'section',
      fields: m.facts.slice(0, 10).map(([name, value]) => ({ type: 'mrkdwn', text: `*${escapeSlack(name)}*\n${escapeSlack(value)}` })),
    });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${envelope.event} · ${new Date(envelope.at).toISOString()}` }] });
  return { text: escapeSlack(m.headline), blocks };
}

/**
 * Adaptive Card text is a Markdown subset (emphasis, links, lists): user text gets a backslash
 * before each character of emphasis and links (brackets: no `[text](url)` without them), so that a
 * title shows as written and makes no link.
 */
export function escapeTeams(text: string): string {
  return text.replace(/[\\`*_[\]]/g, (c) => `\\${c}`);
}

export function teamsBody(envelope: Envelope): Record<string, unknown> {
  const m = describe(envelope.event, envelope.payload);
  const body: unknown[] = [{ type: 'TextBlock', text: escapeTeams(m.headline), weight: 'Bolder', size: 'Medium', wrap: true }];
  if (m.text !== '') body.push({ type: 'TextBlock', text: escapeTeams(m.text), wrap: true });
  if (m.facts.length > 0) body.push({ type: 'FactSet', facts: m.facts.map(([title, value]) => ({ title: escapeTeams(title), value: escapeTeams(value) })) });
  body.push({ type: 'TextBlock', text: `${envelope.event} · ${new Date(envelope.at).toISOString()}`, isSubtle: true, size: 'Small', wrap: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body },
      },
    ],
  };
}
