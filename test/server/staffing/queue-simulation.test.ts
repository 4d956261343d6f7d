// The formulas against a discrete-event simulation of the same queue (test/helpers/queue-simulation.ts):
// Poisson arrivals, exponential handling, FIFO, N agents, exponential patience for Erlang A.
// Service level within ±2 points, as the staffing promises; the other figures within their noise.
import { describe, expect, it } from 'vitest';
import { erlangA } from '../../../server/staffing/erlang-a.js';
import { erlangC } from '../../../server/staffing/erlang-c.js';
import { simulateQueue } from '../../helpers/queue-simulation.js';

const CONTACTS = 300_000;

interface Case {
  name: string;
  agents: number;
  load: number;
  ahtSeconds: number;
  targetSeconds: number;
  patienceSeconds?: number;
}

const CASES: Case[] = [
  { name: 'Erlang C, the Call Centre Helper example (14 agents, 10 erlangs, 20 s)', agents: 14, load: 10, ahtSeconds: 180, targetSeconds: 20 },
  { name: 'Erlang C, 87 % occupancy (55 agents, 48 erlangs, 15 s)', agents: 55, load: 48, ahtSeconds: 240, targetSeconds: 15 },
  { name: 'Erlang A, short patience (12 agents, 10 erlangs, patience 10 min)', agents: 12, load: 10, ahtSeconds: 180, targetSeconds: 20, patienceSeconds: 600 },
  { name: 'Erlang A, fewer agents than erlangs (28 for 30, patience 1 min)', agents: 28, load: 30, ahtSeconds: 300, targetSeconds: 20, patienceSeconds: 60 },
  {
    name: 'Erlang A, the contract line l2 (18 agents, 20 erlangs, AHT 30 min, patience 2 h, 4 h target)',
    agents: 18,
    load: 20,
    ahtSeconds: 1800,
    targetSeconds: 14400,
    patienceSeconds: 7200,
  },
];

describe('the formulas against a simulation of the queue', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const simulated = simulateQueue({
        agents: c.agents,
        arrivalsPerSecond: c.load / c.ahtSeconds,
        ahtSeconds: c.ahtSeconds,
        ...(c.patienceSeconds === undefined ? {} : { patienceSeconds: c.patienceSeconds }),
        targetSeconds: c.targetSeconds,
        contacts: CONTACTS,
        seed: 20261202,
      });
      const computed =
        c.patienceSeconds === undefined
          ? { ...erlangC(c.agents, c.load, c.ahtSeconds, c.targetSeconds), abandonProbability: 0 }
          : erlangA(c.agents, c.load, c.ahtSeconds, c.patienceSeconds, c.targetSeconds);
      expect(
        Math.abs(simulated.serviceLevel - computed.serviceLevel),
        `service level: simulated ${simulated.serviceLevel}, computed ${computed.serviceLevel}`,
      ).toBeLessThanOrEqual(0.02);
      expect(Math.abs(simulated.waitProbability - computed.waitProbability)).toBeLessThanOrEqual(0.02);
      expect(Math.abs(simulated.abandonProbability - computed.abandonProbability)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(simulated.occupancy - computed.occupancy)).toBeLessThanOrEqual(0.02);
      expect(Math.abs(simulated.asaSeconds - computed.asaSeconds) / Math.max(1, computed.asaSeconds)).toBeLessThanOrEqual(0.1);
    });
  }

  it('the simulation can tell a wrong answer: one agent fewer moves the service level by more than the tolerance', () => {
    const c = CASES[0]!;
    const simulated = simulateQueue({
      agents: c.agents - 1,
      arrivalsPerSecond: c.load / c.ahtSeconds,
      ahtSeconds: c.ahtSeconds,
      targetSeconds: c.targetSeconds,
      contacts: CONTACTS,
      seed: 20261202,
    });
    expect(erlangC(c.agents, c.load, c.ahtSeconds, c.targetSeconds).serviceLevel - simulated.serviceLevel).toBeGreaterThan(0.05);
  });
});
