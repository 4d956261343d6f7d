import type { KpiState } from './domain.js';

// One day's support figures, as the supervisor's KPI panel shows today and yesterday by now: the
// state's KPIs with the day's SLA figures beside them.
export interface DayFigures extends KpiState {
  breachedToday: number;
  complianceToday: number | null;
}
