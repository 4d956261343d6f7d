// Erlang A (M/M/N+M, Palm's model): Erlang C where each waiting contact gives up after an
// exponentially distributed patience (mean `patienceSeconds`). Always stable, even with fewer
// agents than erlangs, since the queue sheds contacts.
//
// The number of contacts present is a birth–death chain: births λ, deaths min(n,N)·μ + (n−N)⁺·θ
// (μ = 1/AHT, θ = 1/patience). Its stationary law, by Poisson arrivals seeing time averages, is
// what an arrival finds:
// - n < N: answered at once. Those states weigh (1/B(N,A) − 1)·π_N (Erlang B, see erlang-b.ts);
// - n = N + k: k contacts ahead in the queue, π_{N+k} = π_N·Π_{i=1..k} λ/(Nμ + iθ). The tail is
//   summed in logs until it is negligible (its ratio falls with k, so it always ends).
// A tagged arrival with k ahead reaches an agent after V = Σ_{i=0..k} Exp(Nμ + iθ) (FIFO: each
// step is a service end or an abandonment ahead) and is answered only if V < its own patience τ.
// With c = Nμ/θ, e^{−θV} is Beta(c, k+1) distributed (a product of independent Beta(c+i, 1)), so
//   P(answered)            = Nμ / (Nμ + (k+1)θ)
//   P(answered within t)   = P(answered)·I_x(k+1, c+1), x = 1 − e^{−θt}   (regularised incomplete beta)
//   E[V; answered]         = P(answered)·Σ_{i=1..k+1} 1/(Nμ + iθ)
// I_x(a+1, b) = I_x(a, b) − x^a(1−x)^b·Γ(a+b)/(Γ(a+1)Γ(b)) with I_x(1, b) = 1 − (1−x)^b, the
// subtracted term kept in logs: one pass over k, no special functions, no factorials.
//
// Service level counts an abandoned contact as a miss: the share of all arrivals answered within t.

import { logInverseErlangB } from './erlang-b.js';

export interface ErlangAFigures {
  /** Share of contacts that find every agent busy and queue. */
  waitProbability: number;
  /** Share of all contacts answered within the target time (abandoned ones are misses). */
  serviceLevel: number;
  /** Mean wait of the contacts that are answered, seconds (0 for those answered at once). */
  asaSeconds: number;
  /** Share of contacts that give up before an answer. */
  abandonProbability: number;
  /** Share of the agents' time spent handling contacts: carried load ÷ agents. */
  occupancy: number;
}

/** Queue states beyond which the chain is refused: the queue would be longer than anything staffed. */
export const MAX_QUEUE_STATES = 5_000_000;
/** A state weighing less than e^−50 of the largest one cannot move any figure. */
const NEGLIGIBLE_LOG = -50;

export function erlangA(agents: number, load: number, ahtSeconds: number, patienceSeconds: number, targetSeconds: number): ErlangAFigures {
  if (!Number.isInteger(agents) || agents < 1) throw new RangeError(`agents must be a whole number ≥ 1, got ${agents}`);
  if (!(patienceSeconds > 0)) throw new RangeError(`patienceSeconds must be > 0, got ${patienceSeconds}`);
  if (load === 0) return { waitProbability: 0, serviceLevel: 1, asaSeconds: 0, abandonProbability: 0, occupancy: 0 };
  const mu = 1 / ahtSeconds;
  const theta = 1 / patienceSeconds;
  const lambda = load * mu;
  const nMu = agents * mu;

  // ln(π_n / π_N) below N (as one lump) and for each queue length k.
  const logBelow = logInverseErlangB(agents, load);
  const logTail = [0];
  let logTerm = 0;
  let largest = 0;
  for (let k = 1; ; k++) {
    const death = nMu + k * theta;
    logTerm += Math.log(lambda / death);
    if (logTerm > largest) largest = logTerm;
    if (lambda < death && logTerm - Math.max(largest, logBelow) < NEGLIGIBLE_LOG) break;
    logTail.push(logTerm);
    if (k >= MAX_QUEUE_STATES) {
      throw new RangeError(`erlang-a: the queue would pass ${MAX_QUEUE_STATES} contacts (patience far longer than the handle time at this load)`);
    }
  }
  const scale = Math.max(largest, logBelow);
  // (1/B − 1)·π_N in the common scale; logBelow > 0 since B < 1 for N ≥ 1 and A > 0.
  const below = Math.exp(logBelow - scale) * -Math.expm1(-logBelow);
  let total = below;
  const weights = new Float64Array(logTail.length);
  for (let k = 0; k < logTail.length; k++) {
    weights[k] = Math.exp(logTail[k]! - scale);
    total += weights[k]!;
  }

  // The incomplete beta I_x(a, b) for a = k+1, b = c+1, walked up in a.
  const c = nMu / theta;
  const b = c + 1;
  const logX = Math.log(-Math.expm1(-theta * targetSeconds));
  let incompleteBeta = -Math.expm1(-theta * targetSeconds * b);
  let logStep = Math.log(b) + logX - theta * targetSeconds * b;

  let waitProbability = 0;
  let abandonProbability = 0;
  let answeredWithin = below / total;
  let waitWhenAnswered = 0;
  let harmonic = 0;
  for (let k = 0; k < weights.length; k++) {
    const p = weights[k]! / total;
    const answered = nMu / (nMu + (k + 1) * theta);
    harmonic += 1 / (nMu + (k + 1) * theta);
    waitProbability += p;
    abandonProbability += p * (1 - answered);
    answeredWithin += p * answered * Math.max(0, incompleteBeta);
    waitWhenAnswered += p * answered * harmonic;
    const a = k + 1;
    incompleteBeta -= Math.exp(logStep);
    logStep += logX + Math.log((a + b) / (a + 1));
  }
  const answeredShare = 1 - abandonProbability;
  return {
    waitProbability: Math.min(1, waitProbability),
    serviceLevel: Math.min(1, Math.max(0, answeredWithin)),
    asaSeconds: answeredShare > 0 ? waitWhenAnswered / answeredShare : Number.POSITIVE_INFINITY,
    abandonProbability: Math.min(1, Math.max(0, abandonProbability)),
    occupancy: Math.min(1, (load * answeredShare) / agents),
  };
}
