// The connectors Watchfloor knows (docs/contract.md#helpdesk-connectors, issue 7): one definition per vendor, each from its own
// folder. The webhook route, the pollers, `GET /api/v1/connectors` and `npm run replay` all read
// this list: adding a vendor is writing its folder and adding one line here.
import type { ConnectorDefinition, Vendor } from './types.js';
import { freshdeskConnector } from './freshdesk/index.js';
import { jiraConnector } from './jira/index.js';
import { zendeskConnector } from './zendesk/index.js';

export const CONNECTORS: readonly ConnectorDefinition[] = [zendeskConnector, jiraConnector, freshdeskConnector];

/** The definition of a vendor, or null (unknown, or not built yet): its endpoint answers 404. */
export function connectorFor(vendor: string): ConnectorDefinition | null {
  return CONNECTORS.find((definition) => definition.vendor === (vendor as Vendor)) ?? null;
}
