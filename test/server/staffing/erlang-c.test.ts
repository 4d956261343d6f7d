// Erlang B and C against published worked examples and against the textbook recursion, and
// their stability far beyond where factorials overflow.
import { describe, expect, it } from 'vitest';
import { erlangB, logInverseErlangB } from '../../../server/staffing/erlang-b.js';
import { erlangC } from '../../../server/staffing/erlang-c.js';
import { offeredLoad } from '../../../server/staffing/required.js';

/** The classic forward recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)): the reference. */
function erlangBByRecursion(agents: number, load: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (load * b) / (n + load * b);
  return b;
}

describe('Erlang B', () => {
  it('gives the values worked by hand for small systems', () => {
    // B(1, 1) = 1/(1+1); B(2, 1) = (1/2)/(1 + 1 + 1/2); B(2, 2) = 2/(1 + 2 + 2).
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 15);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 15);
    expect(erlangB(2, 2)).toBeCloseTo(0.4, 15);
    expect(erlangB(0, 3)).toBe(1);
    expect(erlangB(4, 0)).toBe(0);
  });

  it('agrees with the forward recursion from 1 to 5,000 agents, under, at and over the load', () => {
    for (const agents of [1, 3, 10, 57, 200, 1_000, 5_000]) {
      for (const load of [agents * 0.5, agents * 0.97, agents, agents * 1.03, agents * 2, 0.3]) {
        const reference = erlangBByRecursion(agents, load);
        const ours = erlangB(agents, load);
        expect(Math.abs(ours - reference), `B(${agents}, ${load})`).toBeLessThanOrEqual(1e-12 * Math.max(reference, 1e-300) + 1e-300);
      }
    }
  });

  it('stays finite where B is below the smallest double, in log form', () => {
    // 10,000 agents for 10 erlangs: B ≈ 10^10000 / 10000!, far under 1e-308.
    const log = logInverseErlangB(10_000, 10);
    expect(Number.isFinite(log)).toBe(true);
    expect(log).toBeGreaterThan(700);
    expect(erlangB(10_000, 10)).toBe(0);
  });
});

describe('Erlang C: published worked examples', () => {
  // Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example",
  // https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm — 100 calls in 30
  // minutes, AHT 180 s, target 80 % in 20 s: traffic 10 erlangs; with 14 agents P(wait) 17.4 %,
  // service level 88.8 %, ASA 7.8 s, 82.6 % answered immediately, occupancy 71.4 %.
  // The CRAN package ErlangC 0.1.0 (README, https://CRAN.R-project.org/package=ErlangC) prints the
  // same case to more digits: wait_probability 0.1741319, service_level 0.88835,
  // average_speed_of_answer 7.83593701177724 s, occupancy 0.7142857; and for 11 agents (the first
  // row of its search) wait probability 0.6821182, service level 0.3896138.
  const load = offeredLoad(100, 180, 30);

  it('has 10 erlangs of traffic', () => {
    expect(load).toBe(10);
  });

  it('with 14 agents: the figures both sources print', () => {
    const figures = erlangC(14, load, 180, 20);
    expect(figures.waitProbability).toBeCloseTo(0.1741319, 7);
    expect(figures.serviceLevel).toBeCloseTo(0.88835, 5);
    expect(figures.asaSeconds).toBeCloseTo(7.83593701177724, 10);
    expect(figures.occupancy).toBeCloseTo(0.7142857, 7);
    expect(1 - figures.waitProbability).toBeCloseTo(0.826, 3);
  });

  it('with 11 agents: the first row of the search', () => {
    const figures = erlangC(11, load, 180, 20);
    expect(figures.waitProbability).toBeCloseTo(0.6821182, 7);
    expect(figures.serviceLevel).toBeCloseTo(0.3896138, 7);
  });

  it('with 13 agents the 80 % target is just missed (79.6 %), which is why both sources need 14', () => {
    expect(erlangC(13, load, 180, 20).serviceLevel).toBeCloseTo(0.7956, 4);
    expect(erlangC(13, load, 180, 20).serviceLevel).toBeLessThan(0.8);
  });

  // The Erlang C calculator at http://personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm:
  // "600 calls with call length of 120 seconds [in an hour], that is a traffic of 20 erlangs. For a
  // target delay probability of 15 % the number of circuits needed are 26 … 3 seconds per call.
  // If circuits are incremented to 30, delay is reduced to 2.5 %."
  it('20 erlangs: 26 agents for a delay probability under 15 %, 30 agents for 2.5 %', () => {
    const twenty = offeredLoad(600, 120, 60);
    expect(twenty).toBe(20);
    expect(erlangC(25, twenty, 120, 0).waitProbability).toBeGreaterThan(0.15);
    expect(erlangC(26, twenty, 120, 0).waitProbability).toBeLessThan(0.15);
    expect(erlangC(26, twenty, 120, 0).asaSeconds).toBeCloseTo(2.87, 2);
    expect(erlangC(30, twenty, 120, 0).waitProbability).toBeCloseTo(0.025, 3);
  });
});

describe('Erlang C: edges and stability', () => {
  it('every contact waits when the agents cannot carry the load', () => {
    expect(erlangC(10, 10, 180, 20)).toEqual({ waitProbability: 1, serviceLevel: 0, asaSeconds: Number.POSITIVE_INFINITY, occupancy: 1 });
    expect(erlangC(3, 0, 180, 20)).toEqual({ waitProbability: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0 });
  });

  it('with 1,000 and 5,000 agents: finite, no NaN, and monotone in the number of agents', () => {
    for (const load of [980, 4_950]) {
      let previous = erlangC(Math.floor(load) + 1, load, 300, 20);
      for (let agents = Math.floor(load) + 2; agents <= load + 200; agents++) {
        const figures = erlangC(agents, load, 300, 20);
        for (const value of Object.values(figures)) expect(Number.isFinite(value), `${agents} agents`).toBe(true);
        expect(figures.serviceLevel).toBeGreaterThanOrEqual(previous.serviceLevel);
        expect(figures.waitProbability).toBeLessThanOrEqual(previous.waitProbability);
        expect(figures.asaSeconds).toBeLessThanOrEqual(previous.asaSeconds);
        previous = figures;
      }
      // 200 agents above the load (about 3 standard deviations of the busy count at 4,950) hardly anyone waits.
      expect(previous.serviceLevel).toBeCloseTo(1, 6);
    }
  });
});
