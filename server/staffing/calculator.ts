// The staffing calculator (`GET /api/v1/staffing/calculate`): a line's figures for one interval,
// from the same functions the live staffing uses, plus how the queue behaves at that staffing.

import type { CalculatorAnswer, StaffingLine } from '../../contract/staffing.js';
import { erlangA } from './erlang-a.js';
import { erlangC } from './erlang-c.js';
import { offeredLoad, requiredForLine } from './required.js';

export interface CalculatorInput {
  line: StaffingLine;
  /** Contacts expected in the interval (a forecast may be fractional). */
  arrivals: number;
  intervalMinutes: number;
}

/** A finite number, or null where the figure has no finite value (a queue that never empties). */
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function calculateStaffing({ line, arrivals, intervalMinutes }: CalculatorInput): CalculatorAnswer {
  const { required, requiredScheduled } = requiredForLine(line, arrivals, intervalMinutes);
  const load = offeredLoad(arrivals, line.ahtSeconds, intervalMinutes);
  // The workload model has no queue, hence no service level, wait or abandonment to report.
  if (line.model === 'workload') {
    return {
      agents: required,
      requiredScheduled,
      serviceLevel: null,
      occupancy: required === 0 ? 0 : load / required,
      waitProbability: null,
      asaSeconds: null,
      abandonProbability: null,
    };
  }
  // No contacts: nobody is needed, nobody waits, nobody gives up.
  if (required === 0) {
    const abandonProbability = line.model === 'erlang-a' ? 0 : null;
    return { agents: 0, requiredScheduled: 0, serviceLevel: 1, occupancy: 0, waitProbability: 0, asaSeconds: 0, abandonProbability };
  }
  const target = line.target!;
  const figures =
    line.model === 'erlang-c'
      ? { ...erlangC(required, load, line.ahtSeconds, target.seconds), abandonProbability: null }
      : erlangA(required, load, line.ahtSeconds, line.patienceSeconds!, target.seconds);
  return {
    agents: required,
    requiredScheduled,
    serviceLevel: figures.serviceLevel,
    occupancy: figures.occupancy,
    waitProbability: figures.waitProbability,
    asaSeconds: finite(figures.asaSeconds),
    abandonProbability: figures.abandonProbability,
  };
}
