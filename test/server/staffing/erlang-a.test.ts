// Erlang A (M/M/N+M) against cases with a closed form, against an independent computation of
// the same chain, at its Erlang C limit, and at sizes where factorials would overflow. (The
// simulation test beside this file checks it against a queue that knows nothing of the formulas.)
import { describe, expect, it } from 'vitest';
import { erlangA, MAX_QUEUE_STATES } from '../../../server/staffing/erlang-a.js';
import { erlangC } from '../../../server/staffing/erlang-c.js';

/** Poisson(mean) weights 0..count−1, by the ratio of successive terms. */
function poisson(mean: number, count: number): number[] {
  const weights = [Math.exp(-mean)];
  for (let k = 1; k < count; k++) weights.push((weights[k - 1]! * mean) / k);
  return weights;
}

/**
 * The same queue computed another way, for small systems only: the stationary law by plain
 * products normalised at the end, and the answered-within-t share by integrating (RK4) the
 * tagged contact's own chain — k ahead, moving to k−1 at rate Nμ + kθ, leaving at rate θ,
 * answered from k = 0 at rate Nμ — started from the law an arrival sees.
 */
function erlangAByIntegration(agents: number, load: number, aht: number, patience: number, target: number): { serviceLevel: number; waitProbability: number } {
  const mu = 1 / aht;
  const theta = 1 / patience;
  const lambda = load * mu;
  const states = agents + 150;
  const weights = [1];
  for (let n = 1; n < states; n++) weights.push((weights[n - 1]! * lambda) / (Math.min(n, agents) * mu + Math.max(0, n - agents) * theta));
  const total = weights.reduce((a, b) => a + b, 0);
  const law = weights.map((w) => w / total);
  const immediate = law.slice(0, agents).reduce((a, b) => a + b, 0);
  let ahead = law.slice(agents);
  let answered = 0;
  const derivative = (p: number[]): { dp: number[]; dAnswered: number } => ({
    dp: p.map((value, k) => -(agents * mu + k * theta + theta) * value + (k + 1 < p.length ? (agents * mu + (k + 1) * theta) * p[k + 1]! : 0)),
    dAnswered: agents * mu * p[0]!,
  });
  const steps = 2_000;
  const h = target / steps;
  for (let step = 0; step < steps; step++) {
    const k1 = derivative(ahead);
    const k2 = derivative(ahead.map((v, i) => v + (h / 2) * k1.dp[i]!));
    const k3 = derivative(ahead.map((v, i) => v + (h / 2) * k2.dp[i]!));
    const k4 = derivative(ahead.map((v, i) => v + h * k3.dp[i]!));
    answered += (h / 6) * (k1.dAnswered + 2 * k2.dAnswered + 2 * k3.dAnswered + k4.dAnswered);
    ahead = ahead.map((v, i) => v + (h / 6) * (k1.dp[i]! + 2 * k2.dp[i]! + 2 * k3.dp[i]! + k4.dp[i]!));
  }
  return { serviceLevel: immediate + answered, waitProbability: 1 - immediate };
}

describe('Erlang A: closed forms', () => {
  it('patience equal to the handle time: the contacts present are Poisson(A), as in M/M/∞', () => {
    // Deaths are min(n,N)μ + (n−N)⁺θ = nμ when θ = μ, so π_n = e^{−A}Aⁿ/n!: P(wait) = P(X ≥ N) and,
    // since the abandonment rate is θ·(queue length), P(abandon) = E[(X − N)⁺] / A.
    for (const [agents, load] of [
      [12, 10],
      [3, 5],
      [40, 38.5],
    ] as const) {
      const figures = erlangA(agents, load, 180, 180, 20);
      const weights = poisson(load, 400);
      const waitProbability = weights.slice(agents).reduce((a, b) => a + b, 0);
      const abandonProbability = weights.reduce((sum, w, k) => sum + w * Math.max(0, k - agents), 0) / load;
      expect(figures.waitProbability).toBeCloseTo(waitProbability, 12);
      expect(figures.abandonProbability).toBeCloseTo(abandonProbability, 12);
      expect(figures.occupancy).toBeCloseTo((load * (1 - abandonProbability)) / agents, 12);
    }
  });

  it('patience without end: the Erlang C figures', () => {
    const c = erlangC(14, 10, 180, 20);
    const a = erlangA(14, 10, 180, 180 * 1e6, 20);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
    expect(a.waitProbability).toBeCloseTo(c.waitProbability, 6);
    expect(a.asaSeconds).toBeCloseTo(c.asaSeconds, 4);
    expect(a.abandonProbability).toBeLessThan(1e-6);
  });

  it('no load: nobody waits', () => {
    expect(erlangA(1, 0, 180, 60, 20)).toEqual({ waitProbability: 0, serviceLevel: 1, asaSeconds: 0, abandonProbability: 0, occupancy: 0 });
  });

  it('a target of 0 s counts only the contacts answered at once', () => {
    const figures = erlangA(12, 10, 180, 300, 0);
    expect(figures.serviceLevel).toBeCloseTo(1 - figures.waitProbability, 14);
  });
});

describe('Erlang A: the same chain computed independently (products and RK4)', () => {
  for (const [agents, load, aht, patience, target] of [
    [12, 10, 180, 600, 20],
    [4, 5, 300, 60, 30],
    [8, 6, 1800, 7200, 14400],
    [2, 1.5, 60, 30, 45],
  ] as const) {
    it(`${agents} agents, ${load} erlangs, AHT ${aht} s, patience ${patience} s, target ${target} s`, () => {
      const ours = erlangA(agents, load, aht, patience, target);
      const reference = erlangAByIntegration(agents, load, aht, patience, target);
      expect(ours.waitProbability).toBeCloseTo(reference.waitProbability, 10);
      expect(ours.serviceLevel).toBeCloseTo(reference.serviceLevel, 8);
    });
  }
});

describe('Erlang A: stability', () => {
  it('with 1,000 and 5,000 agents, over and under the load: finite, no NaN, monotone in the agents', () => {
    for (const load of [1_000, 5_000]) {
      let previous: ReturnType<typeof erlangA> | null = null;
      for (let agents = Math.floor(load * 0.9); agents <= load * 1.05; agents += 5) {
        const figures = erlangA(agents, load, 300, 600, 20);
        for (const value of Object.values(figures)) expect(Number.isFinite(value), `${agents} agents for ${load} erlangs`).toBe(true);
        if (previous !== null) {
          // Allowing for the last bit of a double where a figure sits at 0 or 1.
          expect(figures.serviceLevel).toBeGreaterThanOrEqual(previous.serviceLevel - 1e-12);
          expect(figures.waitProbability).toBeLessThanOrEqual(previous.waitProbability + 1e-12);
          expect(figures.abandonProbability).toBeLessThanOrEqual(previous.abandonProbability + 1e-12);
          expect(figures.occupancy).toBeLessThanOrEqual(previous.occupancy + 1e-12);
        }
        previous = figures;
      }
      // 10 % short of the load: the queue sheds about that share, and stays finite.
      const short = erlangA(Math.floor(load * 0.9), load, 300, 600, 20);
      expect(short.abandonProbability).toBeGreaterThan(0.08);
      expect(short.abandonProbability).toBeLessThan(0.12);
    }
  });

  it('refuses a queue longer than it computes rather than hanging', () => {
    // 111 contacts a second, each willing to wait a week, one agent: the queue would hold ~67 million.
    expect(() => erlangA(1, 111, 1, 604_800, 20)).toThrow(new RegExp(`${MAX_QUEUE_STATES}`));
  });
});
