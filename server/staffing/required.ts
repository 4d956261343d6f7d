// How many agents a line needs in one interval (docs/contract.md#forecast-shifts-and-staffing):
// - erlang-c / erlang-a: the smallest N whose service level reaches the target and whose
//   occupancy stays at or under the cap (1 when the line sets none);
// - workload: arrivals × AHT ÷ interval ÷ occupancy cap, rounded up;
// and `requiredScheduled`, the same grossed up for shrinkage (what the roster must hold).

import type { StaffingLine } from '../../contract/staffing.js';
import { erlangA } from './erlang-a.js';
import { erlangC } from './erlang-c.js';
import { ceilIgnoringDust } from './rounding.js';

/** Service levels and occupancies this close to the bound count as meeting it (floating-point noise). */
const TOLERANCE = 1e-12;
/** No line is staffed beyond this; a search that gets here has been given nonsense. */
export const MAX_AGENTS = 100_000_000;

/** Offered load in erlangs: the agents' worth of handling the arrivals bring in the interval. */
export function offeredLoad(arrivals: number, ahtSeconds: number, intervalMinutes: number): number {
  return (arrivals * ahtSeconds) / (intervalMinutes * 60);
}

/** The workload model: the handling to do, spread over agents busy at most `maxOccupancy` of the time. */
export function workloadAgents(load: number, maxOccupancy: number): number {
  return ceilIgnoringDust(load / maxOccupancy);
}

/** `required ÷ (1 − shrinkage)`, rounded up, floating-point dust ignored (21 at 0.3 is 30). */
export function requiredScheduled(required: number, shrinkage: number): number {
  if (required === 0) return 0;
  return ceilIgnoringDust(required / (1 - shrinkage));
}

/**
 * The smallest n ≥ lowest for which `meets(n)` holds, `meets` being monotone (false then true):
 * steps of 1, 2, 4, … from `lowest`, then halving. The answer is usually a few √A above the
 * bound, so this costs a handful of evaluations even for thousands of agents.
 */
export function smallestAgents(lowest: number, meets: (agents: number) => boolean): number {
  if (meets(lowest)) return lowest;
  let failing = lowest;
  let step = 1;
  let passing = 0;
  for (;;) {
    const next = failing + step;
    if (next > MAX_AGENTS) throw new RangeError(`more than ${MAX_AGENTS} agents would be needed`);
    if (meets(next)) {
      passing = next;
      break;
    }
    failing = next;
    step *= 2;
  }
  while (passing - failing > 1) {
    const middle = Math.floor((failing + passing) / 2);
    if (meets(middle)) passing = middle;
    else failing = middle;
  }
  return passing;
}

export interface ErlangLineInput {
  load: number;
  ahtSeconds: number;
  /** 0–1. */
  targetShare: number;
  targetSeconds: number;
  maxOccupancy: number;
}

export function requiredErlangC({ load, ahtSeconds, targetShare, targetSeconds, maxOccupancy }: ErlangLineInput): number {
  if (load === 0) return 0;
  // Fewer than A agents never catch up; fewer than A ÷ cap would be busier than the cap.
  const lowest = Math.max(1, Math.floor(load) + 1, ceilIgnoringDust(load / maxOccupancy));
  return smallestAgents(lowest, (agents) => {
    const figures = erlangC(agents, load, ahtSeconds, targetSeconds);
    return figures.serviceLevel >= targetShare - TOLERANCE && figures.occupancy <= maxOccupancy + TOLERANCE;
  });
}

export function requiredErlangA(input: ErlangLineInput & { patienceSeconds: number }): number {
  const { load, ahtSeconds, targetShare, targetSeconds, maxOccupancy, patienceSeconds } = input;
  if (load === 0) return 0;
  // The agents carry at most N erlangs, so at most N/A of the contacts are answered at all:
  // below targetShare·A agents the target is out of reach.
  const lowest = Math.max(1, Math.floor(targetShare * load));
  return smallestAgents(lowest, (agents) => {
    const figures = erlangA(agents, load, ahtSeconds, patienceSeconds, targetSeconds);
    return figures.serviceLevel >= targetShare - TOLERANCE && figures.occupancy <= maxOccupancy + TOLERANCE;
  });
}

export interface LineRequirement {
  required: number;
  requiredScheduled: number;
}

/** A line's `required` and `requiredScheduled` for `arrivals` contacts in one interval. */
export function requiredForLine(line: StaffingLine, arrivals: number, intervalMinutes: number): LineRequirement {
  const load = offeredLoad(arrivals, line.ahtSeconds, intervalMinutes);
  const maxOccupancy = line.maxOccupancy ?? 1;
  let required: number;
  if (line.model === 'workload') required = workloadAgents(load, maxOccupancy);
  else {
    if (line.target === undefined) throw new RangeError(`the ${line.model} model needs a target`);
    const input = { load, ahtSeconds: line.ahtSeconds, targetShare: line.target.percent / 100, targetSeconds: line.target.seconds, maxOccupancy };
    if (line.model === 'erlang-c') required = requiredErlangC(input);
    else {
      if (line.patienceSeconds === undefined) throw new RangeError('the erlang-a model needs patienceSeconds');
      required = requiredErlangA({ ...input, patienceSeconds: line.patienceSeconds });
    }
  }
  return { required, requiredScheduled: requiredScheduled(required, line.shrinkage) };
}
