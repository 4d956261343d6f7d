// Jira Service Management automation's "Send web request" action, as admins set it up by Atlassian's
// own documentation: Web request body "Issue data (Jira format)" is `{issue, timestamp}` and "Issue
// data (Automation format)" the issue itself at the top, neither with a `webhookEvent`
// (support.atlassian.com/cloud-automation/docs/issue-data-jira-format-payload-for-send-web-request-action
// and …/issue-data-automation-format-payload-for-send-web-request). It is the only push path of JSM's
// "SLA threshold breached" rules (developer.atlassian.com/cloud/jira/service-desk/automation-webhooks),
// whose body is the same issue data, its `updated` unchanged or left out. The action signs nothing:
// the rule adds the shared secret as an `X-Webhook-Secret` header. Also Jira Server/Data Center's
// default priority scheme (Blocker, Critical, Major, Minor, Trivial), and the refusals.
import { describe, expect, it } from 'vitest';
import type { TicketEvent, TicketPayload } from '../../../../contract/domain.js';
import { verifyJiraSignature } from '../../../../server/connectors/jira/verify.js';
import { mapJiraWebhook, refusal } from '../../../../server/connectors/jira/webhook.js';
import { fixture, fixtureBytes, mapContext } from '../vendor-fixtures.js';

const NOW = Date.parse('2024-07-03T11:00:00Z');
const context = (tickets: TicketPayload[] = []) => mapContext('jira', { now: NOW, tickets, queues: { 'Get IT help': 'l1' } });
const ticketOf = (result: { events: unknown[] }): TicketPayload => (result.events[0] as TicketEvent).ticket;

describe('"Issue data (Jira format)": {issue, timestamp}', () => {
  it('maps the issue, its SLA due times included, versioned by the timestamp when fields.updated is left out', () => {
    const result = mapJiraWebhook(fixture('jira', 'automation-jira-format.json'), null, context());
    expect(ticketOf(result)).toMatchObject({
      id: 'ITS-42',
      source: 'jira',
      queue: 'l1',
      priority: 'high',
      status: 'open',
      subject: 'Cannot log in to the VPN',
      createdAt: '2024-07-03T09:00:00.000Z',
      // timestamp 1720012500000
      updatedAt: '2024-07-03T13:15:00.000Z',
      firstResponseDueAt: '2024-07-03T13:00:00.000Z',
      resolutionDueAt: '2024-07-03T17:00:00.000Z',
    });
    expect(result.ignored).toContain('issue.fields.updated is not in the body; versioned by its timestamp');
    // The same rule firing again on the same state is a duplicate: the same event id.
    expect(mapJiraWebhook(fixture('jira', 'automation-jira-format.json'), null, context()).events[0]!.id).toBe(result.events[0]!.id);
  });

  it('without a timestamp either, is versioned by when it arrived', () => {
    const body = fixture<{ issue: unknown }>('jira', 'automation-jira-format.json');
    const result = mapJiraWebhook({ issue: body.issue }, null, context());
    expect(ticketOf(result).updatedAt).toBe(new Date(NOW).toISOString());
    expect(result.ignored).toContain('issue.fields.updated is not in the body; versioned by the time it arrived');
  });
});

describe('"Issue data (Automation format)": the issue at the top', () => {
  it('maps it like a webhook’s issue, by its fields.updated, and reads Data Center’s "Blocker" as urgent', () => {
    const result = mapJiraWebhook(fixture('jira', 'automation-format.json'), null, context());
    expect(ticketOf(result)).toMatchObject({ id: 'ITS-42', priority: 'urgent', updatedAt: '2024-07-03T10:55:00.000Z' });
    expect(result.ignored).toEqual([]);
  });

  it.each([
    ['Blocker', 'urgent'],
    ['Critical', 'high'],
    ['Major', 'normal'],
    ['Minor', 'low'],
    ['Trivial', 'low'],
  ])('Jira Server/Data Center priority %s → %s, with nothing reported unmapped', (name, priority) => {
    const body = fixture<{ fields: { priority: { name: string } } }>('jira', 'automation-format.json');
    body.fields.priority.name = name;
    const result = mapJiraWebhook(body, null, context());
    expect(ticketOf(result).priority).toBe(priority);
    expect(result.ignored).toEqual([]);
  });
});

describe('the automation rule’s shared secret', () => {
  const body = fixtureBytes('jira', 'automation-jira-format.json');
  it('is taken from X-Webhook-Secret when no signature is sent, and a wrong one is refused', () => {
    expect(verifyJiraSignature({ 'x-webhook-secret': 'jira-test-secret' }, body, 'jira-test-secret')).toEqual({ ok: true });
    expect(verifyJiraSignature({ 'x-webhook-secret': 'guess' }, body, 'jira-test-secret')).toEqual({ ok: false, reason: 'X-Webhook-Secret does not match' });
  });
});

describe('a refused body is told what it looks like and what to change', () => {
  it.each([
    [[1, 2], 'a JSON array'],
    [{ freshdesk_webhook: { ticket_id: '1' } }, 'point that webhook at /api/v1/connectors/freshdesk'],
    [{ type: 'zen:event-type:ticket.created', detail: {} }, 'point that webhook at /api/v1/connectors/zendesk'],
    [{ issueKey: 'ITS-1', status: 'Open' }, 'choose Web request body "Issue data (Jira format)"'],
    [{ hello: 1 }, 'no webhookEvent and no issue; keys: "hello"'],
  ])('%j → %s', (body, words) => {
    expect(refusal(body)).toContain(words);
    expect(() => mapJiraWebhook(body, null, context())).toThrow(words);
  });
});
