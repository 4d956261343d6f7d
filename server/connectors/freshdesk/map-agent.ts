// A Freshdesk agent (`GET /api/v2/agents`, research 3.6) → the canonical agent. Pure.
// Freshdesk has no presence webhook; `available` is the agent's availability toggle for ticket
// assignment (round robin), so true → available and false → away by default (connectors.json
// `agentStatuses` {"false": "offline"} says otherwise). Busy cannot be told from it.
import type { AgentPayload } from '../../../contract/domain.js';
import { isObject } from '../../domain/validation.js';
import { agentEventOf, isoTime, mapAgentStatus, mergeAgent, recordEventId, vendorId, type Ignored } from '../merge.js';
import type { MapContext, MapResult } from '../types.js';

export function isAgentRecord(value: unknown): value is Record<string, unknown> {
  return isObject(value) && isObject(value.contact) && 'available' in value;
}

/** Our agent id: the e-mail, lower-cased (what the webhook body can name), else the numeric id. */
export function agentIdOf(record: Record<string, unknown>): string | null {
  const contact = isObject(record.contact) ? record.contact : {};
  const email = typeof contact.email === 'string' ? contact.email.trim().toLowerCase() : '';
  return email !== '' ? email : vendorId(record.id);
}

export function mapFreshdeskAgent(record: Record<string, unknown>, context: MapContext): MapResult {
  const ignored: Ignored = [];
  const id = agentIdOf(record);
  if (id === null) return { events: [], ignored: ['agent without an e-mail or id'] };
  const contact = isObject(record.contact) ? record.contact : {};
  const status = mapAgentStatus(context.mapping, record.available);
  if (status === undefined) return { events: [], ignored: [`agent ${id}: available ${JSON.stringify(record.available)} is not in the mapping`] };
  const known = context.knownAgent(id);
  const name = typeof contact.name === 'string' && contact.name.trim() !== '' ? contact.name.trim() : null;
  const agent: AgentPayload = mergeAgent(id, status, known, context.mapping, name);
  // Polled every pass: an agent whose state did not change is not an event.
  if (known !== null && known.status === agent.status && known.name === agent.name && known.team === agent.team) return { events: [], ignored };
  // Since when: the availability toggle's time when Freshdesk gives it, else now (we just saw it).
  const at = isoTime(record.available_since) ?? new Date(context.now).toISOString();
  return { events: [agentEventOf(recordEventId('freshdesk', `agent-${id}`, `${at}:${status}`), at, agent)], ignored };
}
