// Freshdesk: the connector definition for registry.ts.
import type { ConnectorDefinition, WebhookConnector } from '../types.js';
import { FreshdeskPoller } from './poller.js';
import { SECRET_HEADER, verifyFreshdeskSecret } from './verify.js';
import { mapFreshdeskWebhook } from './webhook.js';

export const freshdeskWebhook: WebhookConnector = {
  vendor: 'freshdesk',
  verify: (headers, _raw, secret) => verifyFreshdeskSecret(headers, secret),
  // Freshdesk sends no delivery id (research 3.5): event ids come from the ticket and the body.
  deliveryId: () => null,
  mapWebhook: mapFreshdeskWebhook,
};

/**
 * The tickets list is capped at 20 calls a minute on the Growth plan (research 3.5), and the
 * account's whole budget is shared with the webhooks themselves and the agents' own tools.
 */
const REQUESTS_PER_MINUTE = 20;

export const freshdeskConnector: ConnectorDefinition = {
  vendor: 'freshdesk',
  webhook: freshdeskWebhook,
  secret: (config) => config.freshdeskWebhookSecret,
  // Freshdesk's basic auth: the API key as user name, any password ("X" by convention).
  api: (config) =>
    config.freshdeskUrl === null || config.freshdeskApiKey === null
      ? null
      : { baseUrl: config.freshdeskUrl, username: config.freshdeskApiKey, password: 'X', requestsPerMinute: REQUESTS_PER_MINUTE },
  poller: () => new FreshdeskPoller(),
  sign: (_body, secret) => ({ [SECRET_HEADER]: secret }),
};
