// The forecast behind a sparkline with `"forecast": true`: `GET /api/v1/forecast?line=…&from=-5h&to=+2h`
// with the page's token, fetched when the widget mounts, every REFRESH_MS, and at once on `refresh`
// (a new interval began, the live channel reconnected). A failed fetch is quiet, as the history's
// is: the last good forecast stays, or, with none, the widget draws its plain live line.
import { getJson } from '../api/http.js';
import { type Forecast, forecastQuery, readForecast } from './forecast-band.js';

export const REFRESH_MS = 5 * 60_000;

export class ForecastFeed {
  #forecast = $state.raw<Forecast | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #abort: AbortController | null = null;
  #stopped = false;
  readonly #line: string;
  readonly #token: () => string | null;

  constructor(line: string, token: () => string | null) {
    this.#line = line;
    this.#token = token;
  }

  /** The last good answer, or null before the first one. */
  get forecast(): Forecast | null {
    return this.#forecast;
  }

  start(): void {
    if (this.#stopped || this.#timer !== null || this.#abort !== null) return;
    void this.#fetch();
  }

  /** Fetches now instead of at the next tick; a fetch under way is answer enough. */
  refresh(): void {
    if (this.#stopped || this.#abort !== null) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    void this.#fetch();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const abort = this.#abort;
    this.#abort = null;
    abort?.abort();
  }

  async #fetch(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const answer = await getJson<unknown>(`/api/v1/forecast?${forecastQuery(this.#line)}`, this.#token(), abort.signal);
      const forecast = readForecast(answer);
      if (forecast !== null && !this.#stopped) this.#forecast = forecast;
    } catch {
      // Quiet on purpose: a wall keeps drawing (the last good forecast, or the live line only).
    } finally {
      if (this.#abort === abort) {
        this.#abort = null;
        if (!this.#stopped) {
          this.#timer = setTimeout(() => {
            this.#timer = null;
            void this.#fetch();
          }, REFRESH_MS);
        }
      }
    }
  }
}
