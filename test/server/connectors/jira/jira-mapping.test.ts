// The Jira connector's pure halves: signature check, delivery id, and the mapping of issues and
// deliveries to canonical tickets (enumerations case-insensitively, Jira's dates, SLA fields).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../../server/connectors/merge.js';
import { jiraPriority, jiraStatus, mapJiraIssue } from '../../../../server/connectors/jira/map-issue.js';
import { baseJql, searchJql } from '../../../../server/connectors/jira/poller.js';
import { findSlas, readSla } from '../../../../server/connectors/jira/sla.js';
import { jiraDeliveryId, verifyJiraSignature } from '../../../../server/connectors/jira/verify.js';
import { mapJiraWebhook } from '../../../../server/connectors/jira/webhook.js';
import { MappingError } from '../../../../server/connectors/types.js';
import { DEFAULT_JIRA_JQL } from '../../../../server/config.js';
import type { TicketEvent } from '../../../../contract/domain.js';
import { fixture, fixtureBytes, mapContext } from '../vendor-fixtures.js';

const SECRET = 'jira-test-secret';
const sign = (body: Buffer, secret = SECRET): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('Jira signature', () => {
  const body = fixtureBytes('jira', 'issue-updated.json');

  it('accepts the lowercase hex HMAC-SHA256 of the raw body', () => {
    expect(verifyJiraSignature({ 'x-hub-signature': sign(body) }, body, SECRET)).toEqual({ ok: true });
  });

  it('refuses a missing, malformed, wrong-secret or altered-body signature, each with its reason', () => {
    expect(verifyJiraSignature({}, body, SECRET)).toEqual({
      ok: false,
      reason: 'missing X-Hub-Signature header (a Jira webhook with a secret), or X-Webhook-Secret (a header of an automation rule)',
    });
    expect(verifyJiraSignature({ 'x-hub-signature': 'sha1=abc' }, body, SECRET)).toMatchObject({ ok: false, reason: expect.stringMatching(/sha256=<64 hex/) });
    expect(verifyJiraSignature({ 'x-hub-signature': sign(body).slice(0, -2) }, body, SECRET)).toMatchObject({ ok: false });
    expect(verifyJiraSignature({ 'x-hub-signature': sign(body, 'other') }, body, SECRET)).toEqual({
      ok: false,
      reason: 'X-Hub-Signature does not match the body',
    });
    const altered = Buffer.concat([body, Buffer.from(' ')]);
    expect(verifyJiraSignature({ 'x-hub-signature': sign(body) }, altered, SECRET).ok).toBe(false);
  });

  it('takes the delivery id from X-Atlassian-Webhook-Identifier', () => {
    expect(jiraDeliveryId({ 'x-atlassian-webhook-identifier': ' 17a2-42 ' })).toBe('17a2-42');
    expect(jiraDeliveryId({})).toBeNull();
  });
});

describe('Jira issue mapping', () => {
  it('maps the issue_updated payload of the research file: status, priority, assignee, queue, labels, times, SLA', () => {
    const payload = fixture('jira', 'issue-updated.json');
    const ignored: string[] = [];
    const ticket = mapJiraIssue(payload.issue, mapContext('jira', { queues: { 'Get IT help': 'l1' } }), ignored);
    expect(ticket).toEqual({
      id: 'ITS-42',
      source: 'jira',
      queue: 'l1',
      priority: 'high',
      status: 'open',
      assignee: '5b10a2844c20165700ede21g',
      subject: 'Cannot log in to the VPN',
      tags: ['vpn', 'login'],
      createdAt: '2024-07-03T09:00:00.000Z',
      updatedAt: '2024-07-03T10:40:00.000Z',
      firstResponseAt: null,
      solvedAt: null,
      firstResponseDueAt: '2024-07-03T13:00:00.000Z',
      resolutionDueAt: '2024-07-03T17:00:00.000Z',
      csat: null,
    });
    expect(ignored).toEqual([]);
  });

  it('reads Jira times (+0000, other offsets) as UTC ISO-8601', () => {
    expect(isoTime('2024-07-03T10:40:00.000+0000')).toBe('2024-07-03T10:40:00.000Z');
    expect(isoTime('2024-07-03T12:40:00.000+0200')).toBe('2024-07-03T10:40:00.000Z');
    expect(isoTime('2024-07-03T05:10:00.000-0530')).toBe('2024-07-03T10:40:00.000Z');
    expect(isoTime({ epochMillis: 1720011600000, jira: '2024-07-03T13:00:00.000+0000' })).toBe('2024-07-03T13:00:00.000Z');
  });

  it('maps statuses by name case-insensitively, then by category; done is solved', () => {
    const context = mapContext('jira', { mapping: { statuses: { ...mapContext('jira').mapping.statuses, 'waiting for vendor': 'pending' } } });
    const status = (name: string, key: string): string => jiraStatus({ name, statusCategory: { key } }, context, undefined, []);
    expect(status('WAITING FOR CUSTOMER', 'indeterminate')).toBe('pending');
    expect(status('Waiting for Vendor', 'indeterminate')).toBe('pending');
    expect(status('Triage', 'new')).toBe('new');
    expect(status('Some Custom Step', 'indeterminate')).toBe('open');
    expect(status('Closed', 'done')).toBe('closed');
    expect(status('Done', 'done')).toBe('solved');
    expect(status('Shipped', 'done')).toBe('solved');
  });

  it('maps priorities case-insensitively; an unknown one keeps the known priority and is said', () => {
    const context = mapContext('jira');
    expect(jiraPriority({ name: 'HIGHEST' }, context, undefined, [])).toBe('urgent');
    expect(jiraPriority({ name: 'medium' }, context, undefined, [])).toBe('normal');
    const ignored: string[] = [];
    expect(jiraPriority({ name: 'Blocker-ish' }, context, 'high', ignored)).toBe('high');
    expect(ignored[0]).toMatch(/Blocker-ish/);
  });

  it('takes the queue from the request type first, then the project key; else the default queue, said', () => {
    const { issue } = fixture<{ issue: { fields: Record<string, unknown> } }>('jira', 'issue-updated.json');
    const queueOf = (queues: Record<string, string>, ignored: string[] = []): string => mapJiraIssue(issue, mapContext('jira', { queues }), ignored).queue;
    expect(queueOf({ 'GET IT HELP': 'l1', its: 'l2' })).toBe('l1');
    expect(queueOf({ '37': 'l3' })).toBe('l3');
    expect(queueOf({ its: 'l2' })).toBe('l2');
    const ignored: string[] = [];
    expect(queueOf({}, ignored)).toBe('l1');
    expect(ignored[0]).toMatch(/"Get IT help", "37", "ITS", "IT Support"/);
  });

  it('finds SLA fields by the names or ids listed in slaFields', () => {
    const { issue } = fixture<{ issue: { fields: Record<string, unknown> } }>('jira', 'issue-updated.json');
    const byId = findSlas(issue.fields, { firstResponse: ['customfield_10031'], resolution: ['customfield_10030'] });
    expect(byId.firstResponse?.dueAt).toBe('2024-07-03T17:00:00.000Z');
    expect(byId.resolution?.dueAt).toBe('2024-07-03T13:00:00.000Z');
    expect(findSlas(issue.fields, { firstResponse: ['time to done'], resolution: [] })).toEqual({ firstResponse: undefined, resolution: undefined });
  });

  it('reads completed cycles: the first stop is the first response, the last breach time stays the due time', () => {
    const payload = fixture('jira', 'issue-resolved.json');
    const ticket = mapJiraIssue(payload.issue, mapContext('jira'), []);
    expect(ticket).toMatchObject({
      status: 'solved',
      firstResponseAt: '2024-07-03T10:40:00.000Z',
      firstResponseDueAt: '2024-07-03T13:00:00.000Z',
      solvedAt: '2024-07-03T11:30:00.000Z',
      resolutionDueAt: '2024-07-03T17:00:00.000Z',
    });
  });

  it('reads a paused clock as no running target', () => {
    expect(readSla({ completedCycles: [], ongoingCycle: { paused: true, breachTime: { epochMillis: 1720011600000 } } })).toEqual({
      dueAt: null,
      firstStopAt: null,
    });
  });

  it('keeps the known SLA due times when the payload has no SLA field at all', () => {
    const known = mapJiraIssue(fixture('jira', 'issue-updated.json').issue, mapContext('jira'), []);
    const { issue } = fixture<{ issue: { fields: Record<string, unknown> } }>('jira', 'issue-updated.json');
    delete issue.fields.customfield_10030;
    delete issue.fields.customfield_10031;
    const ticket = mapJiraIssue(issue, mapContext('jira', { tickets: [known] }), []);
    expect(ticket.firstResponseDueAt).toBe('2024-07-03T13:00:00.000Z');
    expect(ticket.resolutionDueAt).toBe('2024-07-03T17:00:00.000Z');
  });
});

describe('Jira deliveries', () => {
  it('names the event after the delivery id, and `at` after the issue update', () => {
    const result = mapJiraWebhook(fixture('jira', 'issue-updated.json'), 'd-1', mapContext('jira'));
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ id: 'jira:d-1:0', type: 'ticket', at: '2024-07-03T10:40:00.000Z' });
  });

  it('without a delivery id, names the event after the issue version (a poll of the same version is a duplicate)', () => {
    const result = mapJiraWebhook(fixture('jira', 'issue-updated.json'), null, mapContext('jira'));
    expect(result.events[0]!.id).toBe('jira:ITS-42:2024-07-03T10:40:00.000Z');
  });

  it('maps jira:issue_deleted to closed, versioned at the deletion', () => {
    const result = mapJiraWebhook(fixture('jira', 'issue-deleted.json'), 'd-9', mapContext('jira'));
    const event = result.events[0] as TicketEvent;
    expect(event.ticket).toMatchObject({ id: 'ITS-43', status: 'closed', updatedAt: '2024-07-03T12:00:00.000Z', solvedAt: '2024-07-03T12:00:00.000Z' });
  });

  it('ignores other webhook events with a reason', () => {
    const result = mapJiraWebhook(fixture('jira', 'comment-created.json'), 'd-2', mapContext('jira'));
    expect(result).toEqual({ events: [], ignored: ['webhookEvent comment_created is not an issue change; nothing to apply'] });
  });

  it('refuses what is not a Jira delivery, or an issue without key or update time', () => {
    expect(() => mapJiraWebhook({ hello: 'world' }, null, mapContext('jira'))).toThrow(MappingError);
    expect(() => mapJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { fields: {} } }, null, mapContext('jira'))).toThrow(/issue.key/);
    expect(() => mapJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { key: 'A-1', fields: {} } }, null, mapContext('jira'))).toThrow(/updated/);
  });

  it('closes the old key of an issue moved to another project', () => {
    const old = mapJiraIssue(fixture('jira', 'issue-updated.json').issue, mapContext('jira'), []);
    const moved = fixture<{ issue: { key: string }; changelog: { items: unknown[] } }>('jira', 'issue-updated.json');
    moved.issue.key = 'OPS-7';
    moved.changelog.items = [{ field: 'Key', fieldtype: 'jira', from: null, fromString: 'ITS-42', to: null, toString: 'OPS-7' }];
    const result = mapJiraWebhook(moved, 'd-3', mapContext('jira', { tickets: [old] }));
    expect(result.events.map((e) => [e.id, (e as TicketEvent).ticket.id, (e as TicketEvent).ticket.status])).toEqual([
      ['jira:d-3:0', 'OPS-7', 'open'],
      ['jira:d-3:1', 'ITS-42', 'closed'],
    ]);
  });
});

describe('Jira search JQL', () => {
  it('bounds JIRA_JQL by a relative time reaching back to the last update seen, with a margin, oldest first', () => {
    const now = Date.parse('2024-07-03T12:00:00Z');
    expect(searchJql('project = ITS ORDER BY created DESC', Date.parse('2024-07-03T11:00:30Z'), now)).toBe(
      '(project = ITS) AND updated >= "-62m" ORDER BY updated ASC',
    );
    expect(searchJql(DEFAULT_JIRA_JQL, now, now)).toBe('updated >= "-2m" ORDER BY updated ASC');
    expect(baseJql('ORDER BY updated')).toBe('');
  });
});
