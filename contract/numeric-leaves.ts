// Every number of the live state, by its metric path: the one list that the server's history
// sampler and the wall's sparkline history both walk, so the two keep the same series.
import { AGENT_STATUSES } from './domain.js';
import { FLOW_FIELDS, FOLLOW_UP_FIELDS, KPI_FIELDS, type NumericState, QUEUE_FIELDS, SLA_FIELDS, STAFFING_FIELDS } from './metrics.js';

export type { NumericState } from './metrics.js';

/**
 * Visits each number path of `state` with its value (null when the state has none yet, e.g.
 * `sla.complianceToday` before any target came due). A queue in `knownQueues` that has left the
 * state (nothing open any more) reads 0 for every field, as `numberMetricValue` reads it, so its
 * series drops to 0 instead of stopping at its last busy value.
 */
export function forEachNumericLeaf(state: NumericState, visit: (path: string, value: number | null) => void, knownQueues: Iterable<string> = []): void {
  const present = new Set<string>();
  for (const queue of state.queues) {
    present.add(queue.id);
    for (const field of QUEUE_FIELDS) visit(`queues.${queue.id}.${field}`, queue[field]);
  }
  for (const id of knownQueues) {
    if (!present.has(id)) for (const field of QUEUE_FIELDS) visit(`queues.${id}.${field}`, 0);
  }
  for (const status of AGENT_STATUSES) visit(`agents.${status}`, state.agents[status]);
  for (const field of SLA_FIELDS) visit(`sla.${field}`, state.sla[field]);
  for (const field of KPI_FIELDS) visit(`kpis.${field}`, state.kpis[field]);
  for (const row of state.staffing) {
    for (const field of STAFFING_FIELDS) visit(`staffing.${row.line}.${field}`, row[field]);
  }
  for (const field of FOLLOW_UP_FIELDS) visit(`followUps.${field}`, state.followUps[field]);
  for (const field of FLOW_FIELDS) visit(`flow.${field}`, state.flow[field]);
  // Every upward pair of the lines, escalated today or not, so that each series keeps going at 0.
  const { lines, escalatedToday } = state.flow;
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const from = lines[i]!;
      const to = lines[j]!;
      visit(`flow.escalated.${from}.${to}`, escalatedToday.find((m) => m.from === from && m.to === to)?.count ?? 0);
    }
  }
}
