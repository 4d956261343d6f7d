// The `incident` dashboard a wall switches to in takeover mode (docs/contract.md#major-incidents),
// over HTTP rather than by a second `wall` hello: the wall stays subscribed to its own dashboard (its
// edits, and its incidentMode, keep arriving), and the server keeps listing it under its own. Read
// once at start, so the switch needs no round trip, and again every REFRESH_MS while taking over,
// so an edit reaches the walls.
import { untrack } from 'svelte';
import type { Dashboard } from '../../../../contract/dashboards.js';
import { getJson } from '../api/http.js';

export const INCIDENT_BOARD_REFRESH_MS = 60_000;

export class IncidentBoard {
  #board = $state.raw<Dashboard | null>(null);
  readonly #token: () => string | null;

  /** Call during a component's initialisation: the reads live as long as the component. */
  constructor(token: () => string | null, takingOver: () => boolean) {
    this.#token = token;
    $effect(() => {
      const controller = new AbortController();
      untrack(() => void this.#load(controller.signal));
      return () => controller.abort();
    });
    $effect(() => {
      if (!takingOver()) return;
      const controller = new AbortController();
      untrack(() => void this.#load(controller.signal));
      const timer = setInterval(() => void this.#load(controller.signal), INCIDENT_BOARD_REFRESH_MS);
      return () => {
        controller.abort();
        clearInterval(timer);
      };
    });
  }

  /** The last good `incident` dashboard, or null: then the wall shows the incident bar over its own board. */
  get board(): Dashboard | null {
    return this.#board;
  }

  async #load(signal: AbortSignal): Promise<void> {
    try {
      this.#board = await getJson<Dashboard>('/api/v1/dashboards/incident', this.#token(), signal);
    } catch {
      // Keep the last good one.
    }
  }
}
