// The history sampler: every 10 s, the live numbers of the state become history points named
// by the wall's metric paths (queues.l1.waiting, agents.busy, sla.complianceToday, kpis.createdToday).
// Sample times sit on 10 s boundaries of the clock, so that instances sampling one shared state
// write the same timestamps and the stores keep one value per series and time, not one per instance.
import { forEachNumericLeaf, type NumericState } from '../../contract/numeric-leaves.js';
import type { HistoryPoint, HistoryStore } from './history-store.js';

export const SAMPLE_INTERVAL_MS = 10_000;
/** Queue ids come from the helpdesk; a misbehaving source must not grow the sampler forever. */
const MAX_QUEUES_REMEMBERED = 1_000;

export type SampledState = NumericState;

/**
 * The points of one state at time `t`. A queue that has left the state (nothing open) reads 0,
 * as on the wall, for every queue in `knownQueues`; null numbers (no compliance yet) are skipped.
 */
export function statePoints(state: SampledState, t: number, knownQueues: ReadonlySet<string> = new Set()): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  forEachNumericLeaf(
    state,
    (metric, v) => {
      if (v !== null) points.push({ metric, t, v });
    },
    knownQueues,
  );
  return points;
}

export interface HistorySamplerOptions {
  state: () => SampledState;
  store: HistoryStore;
  /** The app's clock: the sample's timestamp. The timer itself runs on real time. */
  now: () => number;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export class HistorySampler {
  private readonly options: HistorySamplerOptions;
  private readonly intervalMs: number;
  private readonly queues = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(options: HistorySamplerOptions) {
    this.options = options;
    this.intervalMs = options.intervalMs ?? SAMPLE_INTERVAL_MS;
  }

  /** Takes the state now and writes its points; returns them. Never throws. */
  sample(): HistoryPoint[] {
    try {
      const t = Math.floor(this.options.now() / this.intervalMs) * this.intervalMs;
      const state = this.options.state();
      const points = statePoints(state, t, this.queues);
      for (const queue of state.queues) if (this.queues.size < MAX_QUEUES_REMEMBERED) this.queues.add(queue.id);
      this.options.store.write(points);
      return points;
    } catch (error) {
      this.options.onError?.(error);
      return [];
    }
  }

  /** Samples just after each interval boundary of real time, until `stop`. */
  start(): void {
    if (this.timer !== null) return;
    const schedule = (): void => {
      // A few ms past the boundary, so that the sample's floor is that boundary, not the one before.
      const delay = this.intervalMs - (Date.now() % this.intervalMs) + 5;
      this.timer = setTimeout(() => {
        this.sample();
        if (this.timer !== null) schedule();
      }, delay);
      this.timer.unref();
    };
    schedule();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
