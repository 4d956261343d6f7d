// The Zendesk connector (docs/contract.md#helpdesk-connectors, research section 1): signed event and trigger webhooks on
// POST /api/v1/connectors/zendesk, and the incremental-export poller.
import type { ConnectorDefinition, WebhookConnector } from '../types.js';
import { safeDeliveryId } from '../merge.js';
import { mapZendeskWebhook, ZENDESK } from './map-webhook.js';
import { EXPORT_REQUESTS_PER_MINUTE, zendeskPoller } from './poller.js';
import { INVOCATION_HEADER, signZendesk, verifyZendesk } from './verify.js';

export const zendeskWebhook: WebhookConnector = {
  vendor: ZENDESK,
  verify: verifyZendesk,
  // Event-subscribed webhooks carry the event's own id (the same on a retry); trigger bodies have
  // none, and the invocation id is the best there is (research 1.7).
  deliveryId(headers, payload) {
    const own = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>).id : undefined;
    if (typeof own === 'string' && own.trim() !== '') return safeDeliveryId(own);
    const invocation = headers[INVOCATION_HEADER];
    return typeof invocation === 'string' && invocation.trim() !== '' ? safeDeliveryId(invocation) : null;
  },
  mapWebhook: mapZendeskWebhook,
};

export const zendeskConnector: ConnectorDefinition = {
  vendor: ZENDESK,
  webhook: zendeskWebhook,
  secret: (config) => config.zendeskWebhookSecret,
  api: (config) =>
    config.zendeskUrl === null || config.zendeskEmail === null || config.zendeskApiToken === null
      ? null
      : // API-token basic auth: "<email>/token" as the user name (Zendesk's convention).
        {
          baseUrl: config.zendeskUrl,
          username: `${config.zendeskEmail}/token`,
          password: config.zendeskApiToken,
          requestsPerMinute: EXPORT_REQUESTS_PER_MINUTE,
        },
  poller: () => zendeskPoller,
  sign: signZendesk,
};
