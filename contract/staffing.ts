// Forecast, shifts and staffing (docs/contract.md#forecast-shifts-and-staffing): the staffing file, the
// state's `staffing` section, and the answers of the forecast, roster and staffing routes, shared by
// server and web.

export const STAFFING_MODELS = ['erlang-c', 'erlang-a', 'workload'] as const;
export type StaffingModel = (typeof STAFFING_MODELS)[number];

export const INTERVAL_MINUTES = [15, 30, 60] as const;
export type IntervalMinutes = (typeof INTERVAL_MINUTES)[number];

/** One line (queue) of `dashboards/staffing.json`. */
export interface StaffingLine {
  model: StaffingModel;
  ahtSeconds: number;
  /** Service-level target: `percent` of all arrivals answered within `seconds` (Erlang C and A). */
  target?: { percent: number; seconds: number };
  /** Share of paid time not on the line (breaks, training, meetings): 0.3 = 30 %. */
  shrinkage: number;
  /** Occupancy cap, 0–1; 1 when absent for Erlang models, required for workload. */
  maxOccupancy?: number;
  /** Mean patience before a waiting contact gives up (Erlang A). */
  patienceSeconds?: number;
}

/** `dashboards/staffing.json`. Line names are queue ids: data, held in a Map. */
export interface StaffingConfig {
  intervalMinutes: IntervalMinutes;
  lines: Map<string, StaffingLine>;
}

/** One line's plan for the current interval and the next two hours (the slow-moving part of the state's `staffing`). */
export interface StaffingPlan {
  line: string;
  intervalStart: string;
  intervalEnd: string;
  /** Arrivals the forecast expects in the interval. */
  forecast: number;
  /** Arrivals so far in the interval. */
  actual: number;
  /** Agents needed on the line for the forecast to meet the target. */
  required: number;
  /** `required` grossed up for shrinkage: what the roster should hold. */
  requiredScheduled: number;
  /** Roster shifts on the line in the interval, minus breaks, as full-interval equivalents. */
  scheduled: number;
  /** The intervals of the next two hours: required and scheduled (an addition to the state row, for the wall's look-ahead). */
  next: { start: string; required: number; scheduled: number }[];
}

/** One line of the state's `staffing` section: the plan and the live head count. */
export interface StaffingNow extends StaffingPlan {
  /** The line's agents (team = line) that are available or busy now. */
  staffedNow: number;
  /** staffedNow − required: negative means short. */
  gap: number;
}

/** `GET /api/v1/staffing?line&date`: one interval of the day. */
export interface StaffingInterval {
  start: string;
  end: string;
  forecast: number;
  p10: number;
  p90: number;
  actual: number | null;
  required: number;
  requiredScheduled: number;
  scheduled: number;
}

export interface ForecastPoint {
  at: string;
  expected: number;
  p10: number;
  p90: number;
  actual: number | null;
}

export interface ForecastAnswer {
  line: string;
  intervalMinutes: number;
  method: string;
  wape: number | null;
  points: ForecastPoint[];
}

/** `GET /api/v1/staffing/calculate`. */
export interface CalculatorAnswer {
  agents: number;
  requiredScheduled: number;
  serviceLevel: number | null;
  occupancy: number;
  waitProbability: number | null;
  asaSeconds: number | null;
  abandonProbability: number | null;
}

/** A roster shift as the API sends it. */
export interface RosterShift {
  agent: string;
  line: string;
  start: string;
  end: string;
  breaks: { start: string; end: string }[];
}
