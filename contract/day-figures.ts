// One day's support figures, as the supervisor's KPI panel shows today and yesterday by now.
export interface DayFigures {
  createdToday: number;
  solvedToday: number;
  frtMedianSec: number | null;
  frtP90Sec: number | null;
  resolutionMedianSec: number | null;
  csatToday: number | null;
  breachedToday: number;
  complianceToday: number | null;
}
