// The server's history behind a sparkline: `GET /api/v1/history?metric=<path>&from=-4h&to=now&step=60`
// with the page's token, fetched when the widget mounts, every REFRESH_MS, and after a reconnect
// (`refresh`). The points are moved onto the client's clock (the answer's `to` is the server's
// now), so a TV with a wrong clock still joins history and live values in the right place. A failed
// fetch is quiet: the last good answer stays (it is still history), or, with none, the widget draws
// the live values only. Bounded: at most MAX_POINTS points per widget, replaced on every answer.
import { getJson } from '../api/http.js';
import { Refresher } from '../api/refresher.js';
import { HISTORY_WINDOW_MS, type Sample } from '../live/metric-history.js';

export const REFRESH_MS = 5 * 60_000;
export const STEP_SEC = 60;
/** 4 h at 1 min is 240; the server caps its answers too, this only guards the widget. */
const MAX_POINTS = 2_000;

interface HistoryAnswer {
  to: string;
  step: number;
  points: Array<{ t: string; v: number | null }>;
}

export class SparklineHistory extends Refresher {
  #points = $state.raw<Sample[]>([]);
  #stepMs = $state(STEP_SEC * 1000);
  readonly #metric: string;
  readonly #token: () => string | null;

  constructor(metric: string, token: () => string | null) {
    super(REFRESH_MS);
    this.#metric = metric;
    this.#token = token;
  }

  /** The history on the client's clock, oldest first; a NaN marks a gap of missing steps. */
  get points(): Sample[] {
    return this.#points;
  }

  /** The step of the last answer, in ms. */
  get stepMs(): number {
    return this.#stepMs;
  }

  protected async load(signal: AbortSignal): Promise<void> {
    // A failure throws and is quiet: a wall keeps drawing (the last good history, or the live values only).
    const hours = HISTORY_WINDOW_MS / 3_600_000;
    const query = `metric=${encodeURIComponent(this.#metric)}&from=-${hours}h&to=now&step=${STEP_SEC}`;
    const answer = await getJson<HistoryAnswer>(`/api/v1/history?${query}`, this.#token(), signal);
    const offset = Date.now() - Date.parse(answer.to);
    const stepMs = (Number(answer.step) || STEP_SEC) * 1000;
    const points: Sample[] = [];
    const list = Array.isArray(answer.points) ? answer.points.slice(-MAX_POINTS) : [];
    for (const point of list) {
      const t = Date.parse(point.t) + (Number.isFinite(offset) ? offset : 0);
      if (Number.isNaN(t)) continue;
      const previous = points.length > 0 ? points[points.length - 1]! : null;
      // Steps without samples are left out by the server: more than one missing is a gap.
      if (previous !== null && !Number.isNaN(previous.v) && t - previous.t > 2 * stepMs) points.push({ t: previous.t + stepMs, v: Number.NaN });
      points.push({ t, v: point.v === null ? Number.NaN : point.v });
    }
    this.#points = points;
    this.#stepMs = stepMs;
  }
}

/**
 * The line of a sparkline: the history steps that reach into the window (one starting just before
 * it counts), then the live samples newer than its last point. Both are bounded, so is this.
 */
export function joinSeries(history: readonly Sample[], stepMs: number, live: readonly Sample[], since: number): Sample[] {
  const out: Sample[] = [];
  for (const p of history) if (p.t + stepMs > since && (out.length > 0 || !Number.isNaN(p.v))) out.push(p);
  const after = out.length > 0 ? out[out.length - 1]!.t : -Infinity;
  for (const p of live) if (p.t > after && p.t >= since) out.push(p);
  return out;
}
