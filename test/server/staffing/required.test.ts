// `required`, `requiredScheduled` and the workload model (docs/contract.md#forecast-shifts-and-staffing),
// and the calculator that reports them: hand-computed and published cases, rounding that ignores
// floating-point dust, and the search at thousands of agents.
import { describe, expect, it } from 'vitest';
import type { StaffingLine } from '../../../contract/staffing.js';
import { calculateStaffing } from '../../../server/staffing/calculator.js';
import { erlangA } from '../../../server/staffing/erlang-a.js';
import { erlangC } from '../../../server/staffing/erlang-c.js';
import {
  offeredLoad,
  requiredErlangA,
  requiredErlangC,
  requiredForLine,
  requiredScheduled,
  smallestAgents,
  workloadAgents,
} from '../../../server/staffing/required.js';
import { ceilIgnoringDust } from '../../../server/staffing/rounding.js';

// The lines of the contract's example staffing file.
const L1: StaffingLine = { model: 'erlang-c', ahtSeconds: 420, target: { percent: 80, seconds: 1200 }, shrinkage: 0.3, maxOccupancy: 0.85 };
const L2: StaffingLine = { model: 'erlang-a', ahtSeconds: 1800, patienceSeconds: 7200, target: { percent: 80, seconds: 14400 }, shrinkage: 0.35 };
const L3: StaffingLine = { model: 'workload', ahtSeconds: 5400, shrinkage: 0.4, maxOccupancy: 0.8 };

describe('rounding up without floating-point dust', () => {
  it('21 ÷ 0.7 is 30, not 31 (in binary it is 30.000000000000004)', () => {
    expect(21 / 0.7).toBeGreaterThan(30);
    expect(ceilIgnoringDust(21 / 0.7)).toBe(30);
    expect(requiredScheduled(21, 0.3)).toBe(30);
  });

  it('a real fraction still rounds up', () => {
    expect(requiredScheduled(10, 0.35)).toBe(16); // 15.38
    expect(requiredScheduled(13, 0.3)).toBe(19); // 18.57
    expect(requiredScheduled(1, 0.95)).toBe(20);
    expect(ceilIgnoringDust(30.001)).toBe(31);
    expect(requiredScheduled(7, 0)).toBe(7);
    expect(requiredScheduled(0, 0.4)).toBe(0);
  });
});

describe('the workload model', () => {
  it('arrivals × AHT ÷ interval ÷ occupancy cap, rounded up', () => {
    // l3: 4 tickets of 90 min in 30 min = 12 erlangs; at 80 % occupancy 15 agents (exactly, dust aside).
    expect(offeredLoad(4, 5400, 30)).toBe(12);
    expect(workloadAgents(12, 0.8)).toBe(15);
    // 5 tickets: 15 erlangs ÷ 0.8 = 18.75 → 19; at 40 % shrinkage 19 ÷ 0.6 = 31.67 → 32.
    expect(requiredForLine(L3, 5, 30)).toEqual({ required: 19, requiredScheduled: 32 });
    expect(requiredForLine(L3, 4, 30)).toEqual({ required: 15, requiredScheduled: 25 });
    expect(requiredForLine(L3, 0, 30)).toEqual({ required: 0, requiredScheduled: 0 });
  });
});

describe('required with Erlang C', () => {
  it('the Call Centre Helper example: 14 agents, 20 on the roster at 30 % shrinkage', () => {
    // https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm: 100 calls in 30 min,
    // AHT 180 s, 80 % in 20 s, occupancy cap 85 %, shrinkage 30 % → 14 agents (88.8 %, 71.4 %
    // occupancy), 14 ÷ (1 − 0.3) = 20. The CRAN package ErlangC's calculate_agents gives 14 too.
    const line: StaffingLine = { model: 'erlang-c', ahtSeconds: 180, target: { percent: 80, seconds: 20 }, shrinkage: 0.3, maxOccupancy: 0.85 };
    expect(requiredForLine(line, 100, 30)).toEqual({ required: 14, requiredScheduled: 20 });
  });

  it('is the smallest N meeting both the target and the occupancy cap', () => {
    // 13 agents for 10 erlangs miss 80 % in 20 s (79.6 %); at a 20 s target of 75 % they suffice…
    expect(requiredErlangC({ load: 10, ahtSeconds: 180, targetShare: 0.75, targetSeconds: 20, maxOccupancy: 1 })).toBe(13);
    // …unless the cap says agents may be busy at most 70 % of the time: 10 ÷ 0.7 = 14.3 → 15.
    expect(requiredErlangC({ load: 10, ahtSeconds: 180, targetShare: 0.75, targetSeconds: 20, maxOccupancy: 0.7 })).toBe(15);
    // A cap that divides exactly: 8.5 erlangs at 85 % is 10 agents, not 11 (8.5 ÷ 0.85 = 10.000000000000002).
    expect(requiredErlangC({ load: 8.5, ahtSeconds: 60, targetShare: 0.01, targetSeconds: 600, maxOccupancy: 0.85 })).toBe(10);
  });

  it('the contract line l1 (AHT 420 s, 80 % in 20 min, cap 85 %, 30 % shrinkage)', () => {
    // 60 tickets in 30 min = 14 erlangs. Occupancy alone needs 14 ÷ 0.85 = 16.5 → 17, and 17
    // agents answer far more than 80 % within 20 minutes: 17, and 17 ÷ 0.7 = 24.3 → 25.
    expect(offeredLoad(60, 420, 30)).toBe(14);
    expect(erlangC(17, 14, 420, 1200).serviceLevel).toBeGreaterThan(0.99);
    expect(requiredForLine(L1, 60, 30)).toEqual({ required: 17, requiredScheduled: 25 });
  });

  it('thousands of agents: the answer meets the target and one fewer does not', () => {
    for (const load of [1_000, 4_950]) {
      const input = { load, ahtSeconds: 300, targetShare: 0.8, targetSeconds: 20, maxOccupancy: 1 };
      const required = requiredErlangC(input);
      expect(required).toBeGreaterThan(load);
      expect(required).toBeLessThan(load + 3 * Math.sqrt(load));
      expect(erlangC(required, load, 300, 20).serviceLevel).toBeGreaterThanOrEqual(0.8);
      expect(erlangC(required - 1, load, 300, 20).serviceLevel).toBeLessThan(0.8);
    }
  });
});

describe('required with Erlang A', () => {
  it('the contract line l2 (AHT 30 min, patience 2 h, 80 % in 4 h, 35 % shrinkage)', () => {
    // 20 tickets in 30 min = 20 erlangs; abandonment lets fewer agents than erlangs reach 80 %.
    const { required, requiredScheduled: scheduled } = requiredForLine(L2, 20, 30);
    expect(erlangA(required, 20, 1800, 7200, 14400).serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(erlangA(required - 1, 20, 1800, 7200, 14400).serviceLevel).toBeLessThan(0.8);
    expect(required).toBeLessThan(20);
    expect(scheduled).toBe(ceilIgnoringDust(required / 0.65));
  });

  it('needs no more than Erlang C for the same target here, and tends to it as patience grows', () => {
    const input = { load: 10, ahtSeconds: 180, targetShare: 0.8, targetSeconds: 20, maxOccupancy: 1 };
    expect(requiredErlangA({ ...input, patienceSeconds: 120 })).toBeLessThanOrEqual(requiredErlangC(input));
    expect(requiredErlangA({ ...input, patienceSeconds: 180 * 1e4 })).toBe(requiredErlangC(input));
  });

  it('thousands of agents: the answer meets the target and one fewer does not', () => {
    const input = { load: 4_950, ahtSeconds: 300, targetShare: 0.9, targetSeconds: 20, maxOccupancy: 1, patienceSeconds: 600 };
    const required = requiredErlangA(input);
    expect(erlangA(required, 4_950, 300, 600, 20).serviceLevel).toBeGreaterThanOrEqual(0.9);
    expect(erlangA(required - 1, 4_950, 300, 600, 20).serviceLevel).toBeLessThan(0.9);
  });
});

describe('the search', () => {
  it('finds the first n of a monotone condition from any start', () => {
    for (const answer of [1, 2, 3, 17, 1_000, 12_345]) {
      let calls = 0;
      expect(
        smallestAgents(1, (n) => {
          calls++;
          return n >= answer;
        }),
      ).toBe(answer);
      expect(calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(answer + 1)) + 2);
    }
  });
});

describe('the calculator', () => {
  it('Erlang C: the published example, abandonment null', () => {
    const answer = calculateStaffing({
      line: { model: 'erlang-c', ahtSeconds: 180, target: { percent: 80, seconds: 20 }, shrinkage: 0.3, maxOccupancy: 0.85 },
      arrivals: 100,
      intervalMinutes: 30,
    });
    expect(answer).toEqual({
      agents: 14,
      requiredScheduled: 20,
      serviceLevel: expect.closeTo(0.88835, 5),
      occupancy: expect.closeTo(0.7142857, 7),
      waitProbability: expect.closeTo(0.1741319, 7),
      asaSeconds: expect.closeTo(7.835937, 6),
      abandonProbability: null,
    });
  });

  it('Erlang A: the figures at the required staffing, with abandonment', () => {
    const answer = calculateStaffing({ line: L2, arrivals: 20, intervalMinutes: 30 });
    const figures = erlangA(answer.agents, 20, 1800, 7200, 14400);
    expect(answer).toEqual({ agents: requiredForLine(L2, 20, 30).required, requiredScheduled: requiredForLine(L2, 20, 30).requiredScheduled, ...figures });
    expect(answer.abandonProbability).toBeGreaterThan(0);
  });

  it('workload: occupancy only, no queue figures', () => {
    expect(calculateStaffing({ line: L3, arrivals: 5, intervalMinutes: 30 })).toEqual({
      agents: 19,
      requiredScheduled: 32,
      serviceLevel: null,
      occupancy: 15 / 19,
      waitProbability: null,
      asaSeconds: null,
      abandonProbability: null,
    });
  });

  it('no arrivals: nobody is needed, nobody waits', () => {
    expect(calculateStaffing({ line: L1, arrivals: 0, intervalMinutes: 15 })).toEqual({
      agents: 0,
      requiredScheduled: 0,
      serviceLevel: 1,
      occupancy: 0,
      waitProbability: 0,
      asaSeconds: 0,
      abandonProbability: null,
    });
    expect(calculateStaffing({ line: L2, arrivals: 0, intervalMinutes: 60 }).abandonProbability).toBe(0);
  });
});
