// The agents list of the supervisor: the whole list after each (re)connect, then changed agents only.
import { describe, expect, it } from 'vitest';
import type { AgentView } from '../../../../contract/domain.js';
import { agentsAfter } from '../../../../web/src/lib/live/agents-list.js';

const agent = (id: string, status: AgentView['status']): AgentView => ({ id, name: `Agent ${id}`, team: 'l1', status, since: '2026-12-02T09:00:00.000Z' });

describe('the agents list', () => {
  it('is replaced by a full message, whatever was there', () => {
    const full = [agent('b', 'busy'), agent('a', 'available')];
    expect(agentsAfter([agent('z', 'away')], { full: true, agents: full })).toBe(full);
  });

  it('takes changed agents over the list by id, adds new ones, and stays sorted by id', () => {
    const list = [agent('a1', 'available'), agent('c3', 'busy')];
    const next = agentsAfter(list, { full: false, agents: [agent('c3', 'away'), agent('b2', 'offline')] });
    expect(next.map((a) => `${a.id}:${a.status}`)).toEqual(['a1:available', 'b2:offline', 'c3:away']);
    expect(list.map((a) => a.status)).toEqual(['available', 'busy']);
  });

  it('starts from nothing when changes come before any full list', () => {
    expect(agentsAfter(null, { full: false, agents: [agent('x', 'busy')] }).map((a) => a.id)).toEqual(['x']);
  });

  it('keeps ids that are names of Object properties as plain agents', () => {
    const next = agentsAfter([], { full: false, agents: [agent('constructor', 'busy'), agent('__proto__', 'away')] });
    expect(next.map((a) => a.id)).toEqual(['__proto__', 'constructor']);
  });
});
