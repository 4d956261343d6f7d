// Rounding agent counts up without being fooled by floating point: 21 ÷ 0.7 is 30.000000000000004
// in binary arithmetic, and an operations manager who asks for 21 agents at 30 % shrinkage expects
// 30 on the roster, not 31.

/** Relative distance from an integer under which a value is that integer (far above the dust, far below a real fraction of an agent). */
const DUST = 1e-9;

/** The integer at or above `value`, treating a value within floating-point dust of an integer as that integer. */
export function ceilIgnoringDust(value: number): number {
  const nearest = Math.round(value);
  if (Math.abs(value - nearest) <= DUST * Math.max(1, Math.abs(value))) return nearest;
  return Math.ceil(value);
}
