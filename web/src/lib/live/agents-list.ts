// The agents list of a screen that watches agents (docs/contract.md#live-channel): the server sends
// the whole list after each (re)connect, then only the agents whose state changed.
import type { AgentView } from '../../../../contract/domain.js';
import type { AgentsMessage } from '../../../../contract/live-events.js';

/** The list after one `agents` message: the whole list, or `changed` over `list` by id. */
export function agentsAfter(list: readonly AgentView[] | null, message: Pick<AgentsMessage, 'full' | 'agents'>): AgentView[] {
  return message.full ? message.agents : mergeById(list ?? [], message.agents);
}

/** `changed` over `list` by id, kept sorted by id as the server sorts the whole list. */
export function mergeById(list: readonly AgentView[], changed: readonly AgentView[]): AgentView[] {
  const byId = new Map(list.map((agent) => [agent.id, agent]));
  for (const agent of changed) byId.set(agent.id, agent);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
