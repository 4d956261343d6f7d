// The bodies of outbound notifications by format (docs/contract.md#outbound-notifications).
import { describe, expect, it } from 'vitest';
import type { ActiveAlert } from '../../../contract/alerts.js';
import { escapeSlack, escapeTeams, jsonBody, slackBody, teamsBody } from '../../../server/notify/formats.js';
import { signBody } from '../../../server/notify/signature.js';

const AT = Date.parse('2026-12-03T10:00:00.000Z');
const alert: ActiveAlert = {
  id: 'l1-backlog',
  title: 'L1 backlog > 40 <now>',
  severity: 'critical',
  wall: true,
  state: 'firing',
  instance: 1,
  firedAt: '2026-12-03T09:59:00.000Z',
  value: 52,
  metric: 'lines.l1.backlog',
  acknowledged: null,
};
const envelope = { id: 'd-1', event: 'alert.fired' as const, at: AT, payload: { alert } };

describe('json', () => {
  it('is {id, event, at, alert}', () => {
    expect(jsonBody(envelope)).toEqual({ id: 'd-1', event: 'alert.fired', at: '2026-12-03T10:00:00.000Z', alert });
  });
});

describe('slack', () => {
  it('escapes &, < and > as Slack asks, nothing else', () => {
    expect(escapeSlack('a & b <c> *d*')).toBe('a &amp; b &lt;c&gt; *d*');
  });
  it('is {text, blocks} in mrkdwn', () => {
    expect(slackBody(envelope)).toEqual({
      text: 'Alert fired (critical): L1 backlog &gt; 40 &lt;now&gt;',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Alert fired (critical): L1 backlog &gt; 40 &lt;now&gt;*' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Alert*\nl1-backlog' },
            { type: 'mrkdwn', text: '*Fired at*\n2026-12-03T09:59:00.000Z' },
            { type: 'mrkdwn', text: '*Value*\n52' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'alert.fired · 2026-12-03T10:00:00.000Z' }] },
      ],
    });
  });
});

describe('teams', () => {
  it('escapes emphasis and links', () => {
    expect(escapeTeams('*bold* [x](y) a_b')).toBe('\\*bold\\* \\[x\\](y) a\\_b');
  });
  it('is a message with one Adaptive Card', () => {
    expect(teamsBody(envelope)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: 'Alert fired (critical): L1 backlog > 40 <now>', weight: 'Bolder', size: 'Medium', wrap: true },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Alert', value: 'l1-backlog' },
                  { title: 'Fired at', value: '2026-12-03T09:59:00.000Z' },
                  { title: 'Value', value: '52' },
                ],
              },
              { type: 'TextBlock', text: 'alert.fired · 2026-12-03T10:00:00.000Z', isSubtle: true, size: 'Small', wrap: true },
            ],
          },
        },
      ],
    });
  });
});

describe('signBody', () => {
  it('is sha256=<hex HMAC-SHA256> (RFC 4231 test case 2)', () => {
    expect(signBody('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});
