// The forecast behind a sparkline with `"forecast": true`: `GET /api/v1/forecast?line=…&from=-5h&to=+2h`
// with the page's token, fetched when the widget mounts, every REFRESH_MS, and at once on `refresh`
// (a new interval began, the live channel reconnected). A failed fetch is quiet, as the history's
// is: the last good forecast stays, or, with none, the widget draws its plain live line.
import { getJson } from '../api/http.js';
import { Refresher } from '../api/refresher.js';
import { type Forecast, forecastQuery, readForecast } from './forecast-band.js';

export const REFRESH_MS = 5 * 60_000;

export class ForecastFeed extends Refresher {
  #forecast = $state.raw<Forecast | null>(null);
  readonly #line: string;
  readonly #token: () => string | null;

  constructor(line: string, token: () => string | null) {
    super(REFRESH_MS);
    this.#line = line;
    this.#token = token;
  }

  /** The last good answer, or null before the first one. */
  get forecast(): Forecast | null {
    return this.#forecast;
  }

  protected async load(signal: AbortSignal): Promise<void> {
    // A failure throws and is quiet: a wall keeps drawing (the last good forecast, or the live line only).
    const answer = await getJson<unknown>(`/api/v1/forecast?${forecastQuery(this.#line)}`, this.#token(), signal);
    const forecast = readForecast(answer);
    if (forecast !== null && !this.stopped) this.#forecast = forecast;
  }
}
