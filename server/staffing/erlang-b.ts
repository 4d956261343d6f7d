// Erlang B, the loss probability of N servers offered A erlangs, computed without factorials so
// that it holds for thousands of agents (A^N / N! overflows a double from N = 171).
//
// 1/B(N, A) = Σ_{k=0..N} (A^k/k!) / (A^N/N!) = Σ_{j=0..N} Π_{i=N−j+1..N} i/A: a sum of ratios of
// Poisson weights, summed from k = N downwards. Each term is the previous one times (N−j+1)/A, so
// once that factor is below 1 the terms only shrink and the sum can stop when they no longer move
// it. The cost is about (N − A)⁺ + 10·√A terms, not N, and the sum is kept in log form (rescaled
// before it overflows) for N far above A, where B is smaller than any double.

/** ln(1 / B(N, A)): 0 when B = 1 (no servers), +∞ when B = 0 (no load). */
export function logInverseErlangB(agents: number, load: number): number {
  if (!Number.isInteger(agents) || agents < 0) throw new RangeError(`agents must be a whole number ≥ 0, got ${agents}`);
  if (!(load >= 0) || !Number.isFinite(load)) throw new RangeError(`load must be a finite number ≥ 0, got ${load}`);
  if (agents === 0) return 0;
  if (load === 0) return Number.POSITIVE_INFINITY;
  let sum = 1;
  let term = 1;
  let logScale = 0;
  for (let j = 1; j <= agents; j++) {
    const factor = (agents - j + 1) / load;
    term *= factor;
    sum += term;
    if (sum > 1e290) {
      sum *= 1e-290;
      term *= 1e-290;
      logScale += 290 * Math.LN10;
    }
    // Past the largest term the rest is at most term·f/(1−f) with f still falling: negligible here.
    if (factor < 1 && term < sum * 1e-17) break;
  }
  return Math.log(sum) + logScale;
}

/** B(N, A): the share of arrivals that find all N servers busy when nobody waits. */
export function erlangB(agents: number, load: number): number {
  return Math.exp(-logInverseErlangB(agents, load));
}
