// Jira Service Management (Jira Cloud): the connector definition for registry.ts.
import { createHmac } from 'node:crypto';
import type { ConnectorDefinition, WebhookConnector } from '../types.js';
import { JiraPoller } from './poller.js';
import { jiraDeliveryId, verifyJiraSignature } from './verify.js';
import { mapJiraWebhook } from './webhook.js';

export const jiraWebhook: WebhookConnector = {
  vendor: 'jira',
  verify: (headers, raw, secret) => verifyJiraSignature(headers, raw, secret),
  deliveryId: (headers) => jiraDeliveryId(headers),
  mapWebhook: mapJiraWebhook,
};

/**
 * Jira Cloud's API-token traffic has burst limits rather than a published per-minute figure
 * (research 2.5); one search per page at 60 a minute stays far below them.
 */
const REQUESTS_PER_MINUTE = 60;

export const jiraConnector: ConnectorDefinition = {
  vendor: 'jira',
  webhook: jiraWebhook,
  secret: (config) => config.jiraWebhookSecret,
  api: (config) =>
    config.jiraUrl === null || config.jiraEmail === null || config.jiraApiToken === null
      ? null
      : { baseUrl: config.jiraUrl, username: config.jiraEmail, password: config.jiraApiToken, requestsPerMinute: REQUESTS_PER_MINUTE },
  poller: (config) => new JiraPoller({ jql: config.jiraJql }),
  sign: (body, secret) => ({ 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` }),
};
