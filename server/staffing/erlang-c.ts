// Erlang C (M/M/N): Poisson arrivals, exponential handling, N agents, and contacts that wait as
// long as it takes. A = arrivals × AHT ÷ interval (erlangs). From Erlang B:
//   P(wait) = C = N·B / (N − A·(1 − B))                      (N > A; every contact waits otherwise)
//   service level P(wait ≤ t) = 1 − C·e^{−(N−A)·t/AHT}
//   ASA (mean wait, everyone answered) = C·AHT / (N − A)
//   occupancy = A / N

import { logInverseErlangB } from './erlang-b.js';

export interface ErlangCFigures {
  /** Share of contacts that wait at all. */
  waitProbability: number;
  /** Share of contacts answered within the target time. */
  serviceLevel: number;
  /** Mean wait before an answer, seconds (+∞ when the queue grows without end). */
  asaSeconds: number;
  /** Share of the agents' time spent handling contacts. */
  occupancy: number;
}

export function erlangC(agents: number, load: number, ahtSeconds: number, targetSeconds: number): ErlangCFigures {
  if (load === 0) return { waitProbability: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0 };
  // Not enough agents to carry the load: the queue grows without end and every contact waits.
  if (agents <= load) return { waitProbability: 1, serviceLevel: 0, asaSeconds: Number.POSITIVE_INFINITY, occupancy: 1 };
  const b = Math.exp(-logInverseErlangB(agents, load));
  const waitProbability = Math.min(1, (agents * b) / (agents - load * (1 - b)));
  const spare = agents - load;
  return {
    waitProbability,
    serviceLevel: 1 - waitProbability * Math.exp((-spare * targetSeconds) / ahtSeconds),
    asaSeconds: (waitProbability * ahtSeconds) / spare,
    occupancy: load / agents,
  };
}
