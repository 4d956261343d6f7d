// Staffing (docs/contract.md#forecast-shifts-and-staffing): the I/O around the pure parts. It reads
// `staffing.json` (re-read when it changes; a bad file keeps the last good one), the arrivals and
// the roster from their stores, and answers the forecast, a line's day and the live plan of the
// current interval. The live `staffedNow` and `gap` are not here: they move with every agent event,
// so the model adds them to the plan it is given (LiveModel.setStaffingPlan).
import path from 'node:path';
import type { DashboardProblem } from '../../contract/dashboards.js';
import type { StaffingConfig, StaffingInterval, StaffingLine, StaffingPlan } from '../../contract/staffing.js';
import type { ArrivalsStore } from '../arrivals/arrivals-store.js';
import { MemoryArrivals } from '../forecast/arrivals.js';
import { type Forecast, forecast, forecastReadWindow } from '../forecast/forecast.js';
import { LocalIntervals } from '../forecast/intervals.js';
import type { RosterStore } from '../roster/roster-store.js';
import { scheduledIn } from '../roster/roster.js';
import { type LineRequirement, requiredForLine } from './required.js';
import { SettingsFile, type SettingsLog } from '../dashboards/settings-file.js';
import { validateStaffingFile } from './staffing-file.js';

export const STAFFING_FILE = 'staffing.json';
/** The wall's staffing widget looks this far ahead. */
export const LOOK_AHEAD_MS = 2 * 3_600_000;
const DAY_MS = 86_400_000;
/** The forecast answers from 28 days back to 7 days ahead of now. */
export const FORECAST_BACK_MS = 28 * DAY_MS;
export const FORECAST_AHEAD_MS = 7 * DAY_MS;

export interface StaffingServiceOptions {
  dir: string;
  log: SettingsLog;
  timeZone: string;
  arrivals: ArrivalsStore;
  roster: RosterStore;
}

export class StaffingService {
  private readonly settings: SettingsFile<StaffingConfig>;

  constructor(private readonly options: StaffingServiceOptions) {
    this.settings = new SettingsFile(path.join(options.dir, STAFFING_FILE), {
      validate: validateStaffingFile,
      log: options.log,
      missing: 'no staffing file: staffing is off',
      describe: (config) => `lines ${[...config.lines.keys()].join(', ')}`,
    });
  }

  /** What is wrong with the file as it is now; empty when the config in force is the file. */
  get problems(): DashboardProblem[] {
    return this.settings.problems;
  }

  /** The config in force, re-read when the file changed; null when there never was a good one. */
  config(): StaffingConfig | null {
    return this.settings.read();
  }

  /** The forecast of a line over `[from, to)` (intervals of the staffing file), with actuals. */
  async forecast(line: string, from: number, to: number, now: number): Promise<Forecast & { intervalMinutes: number }> {
    const config = this.config();
    const intervalMinutes = config?.intervalMinutes ?? 30;
    const window = forecastReadWindow(from, now, this.options.timeZone, intervalMinutes);
    const [counts, start] = await Promise.all([
      this.options.arrivals.counts(line, window.from, Math.max(window.to, to)),
      this.options.arrivals.historyStart(line),
    ]);
    const history = new MemoryArrivals(new Map([[line, counts]]), start ?? undefined);
    // No arrival ever: the history starts now, so the forecast says it has too little of it.
    const source = start === null ? { counts: () => new Map<number, number>(), historyStart: () => null } : history;
    return { ...forecast(source, line, from, to, now, this.options.timeZone, intervalMinutes), intervalMinutes };
  }

  /** The day of a line: per interval the forecast with its band, the actual, required and scheduled. */
  async day(line: string, dayStart: number, now: number): Promise<{ intervalMinutes: number; intervals: StaffingInterval[] } | null> {
    const config = this.config();
    const settings = config?.lines.get(line);
    if (config === null || settings === undefined) return null;
    const intervals = new LocalIntervals(this.options.timeZone, config.intervalMinutes);
    const day = intervals.day(dayStart);
    const [predicted, shifts] = await Promise.all([this.forecast(line, day.start, day.end, now), this.options.roster.shifts(day.start, day.end)]);
    return {
      intervalMinutes: config.intervalMinutes,
      intervals: predicted.points.map((point) => {
        const end = point.at + intervals.stepMs;
        const need = this.requirement(settings, point.expected, config.intervalMinutes);
        return {
          start: new Date(point.at).toISOString(),
          end: new Date(end).toISOString(),
          forecast: round1(point.expected),
          p10: point.p10,
          p90: point.p90,
          actual: point.actual,
          required: need.required,
          requiredScheduled: need.requiredScheduled,
          scheduled: scheduledIn(shifts, line, point.at, end),
        };
      }),
    };
  }

  /**
   * The plan of every line for the interval containing `now` and the next two hours: what the
   * state's `staffing` section shows apart from the live head count.
   */
  async plan(now: number): Promise<StaffingPlan[]> {
    const config = this.config();
    if (config === null) return [];
    const intervals = new LocalIntervals(this.options.timeZone, config.intervalMinutes);
    const current = intervals.intervalOf(now);
    const horizon = current.end + LOOK_AHEAD_MS;
    const shifts = await this.options.roster.shifts(current.start, horizon);
    const plans: StaffingPlan[] = [];
    for (const [line, settings] of config.lines) {
      const [predicted, arrived] = await Promise.all([
        this.forecast(line, current.start, horizon, now),
        this.options.arrivals.counts(line, current.start, current.end),
      ]);
      const points = predicted.points;
      const first = points[0];
      const need = this.requirement(settings, first?.expected ?? 0, config.intervalMinutes);
      let actual = 0;
      for (const count of arrived.values()) actual += count;
      plans.push({
        line,
        intervalStart: new Date(current.start).toISOString(),
        intervalEnd: new Date(current.end).toISOString(),
        forecast: round1(first?.expected ?? 0),
        actual,
        required: need.required,
        requiredScheduled: need.requiredScheduled,
        scheduled: scheduledIn(shifts, line, current.start, current.end),
        next: points.slice(1).map((point) => {
          const ahead = this.requirement(settings, point.expected, config.intervalMinutes);
          return {
            start: new Date(point.at).toISOString(),
            required: ahead.required,
            scheduled: scheduledIn(shifts, line, point.at, point.at + intervals.stepMs),
          };
        }),
      });
    }
    return plans;
  }

  /** Which lines the file names (for the routes' checks). */
  lines(): string[] {
    return [...(this.config()?.lines.keys() ?? [])];
  }

  /**
   * Agents for an expected number of arrivals. A queue too large to compute (an Erlang A line
   * with a patience far beyond its handle time at a huge load) falls back to the workload
   * model rather than blanking the line: the figure stays a lower bound, and the log says so.
   */
  private requirement(settings: StaffingLine, arrivals: number, intervalMinutes: number): LineRequirement {
    try {
      return requiredForLine(settings, arrivals, intervalMinutes);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      this.options.log.warn({ err: error }, 'staffing: queue too large for the model; the workload figure is shown');
      return requiredForLine(
        { model: 'workload', ahtSeconds: settings.ahtSeconds, shrinkage: settings.shrinkage, maxOccupancy: settings.maxOccupancy ?? 1 },
        arrivals,
        intervalMinutes,
      );
    }
  }
}

/** Forecast counts are fractional; one decimal is what a planner reads. */
function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
