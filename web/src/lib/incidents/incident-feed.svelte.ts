// The full incidents a screen has seen (docs/contract.md#major-incidents), by id, as a Svelte 5 class: loaded over HTTP when
// a screen first needs one, then replaced by every `incident` live event, so the console follows
// each change without a reload (walls need only the state's short forms). A version never goes
// backwards: an HTTP answer overtaken by a live event (or the other way round) cannot undo a newer
// state.
import { createContext } from 'svelte';
import { getIncident, listIncidents, type IncidentListStatus } from './incident-api.js';
import type { Incident, IncidentListItem } from './types.js';

export class IncidentFeed {
  // Replaced wholesale on each change (STYLE: $state.raw, no deep proxies).
  // The list answers without timelines; a full incident (one read, or from a live event) has one.
  #byId = $state.raw<Readonly<Record<string, IncidentListItem | Incident>>>({});
  #listed = $state.raw<ReadonlySet<IncidentListStatus>>(new Set());
  #errors = $state.raw<Readonly<Record<string, string>>>({});
  readonly #token: string | null;
  readonly #loading = new Map<string, Promise<void>>();

  constructor(token: string | null) {
    this.#token = token;
  }

  /** The full incident, with its timeline, once read or pushed. */
  get(id: string): Incident | undefined {
    const known = this.#byId[id];
    return known !== undefined && isFull(known) ? known : undefined;
  }

  /** Why the last read of `key` (an id, or `list:<status>`) failed, until one succeeds. */
  error(key: string): string | undefined {
    return this.#errors[key];
  }

  /**
   * The incidents of `status` once `loadList(status)` has read them (null before): every incident
   * this screen knows by its status now, so one declared or resolved since moves by itself.
   */
  list(status: IncidentListStatus): IncidentListItem[] | null {
    if (!this.#listed.has(status)) return null;
    return Object.values(this.#byId).filter((i) => belongs(i, status));
  }

  /** Keeps `incident` unless a newer version of it (or the same with its timeline) is already here. */
  put(incident: IncidentListItem | Incident): void {
    const known = this.#byId[incident.id];
    if (known === incident) return;
    if (known !== undefined && (known.version > incident.version || (known.version === incident.version && isFull(known) && !isFull(incident)))) return;
    this.#byId = { ...this.#byId, [incident.id]: incident };
  }

  /** Reads one incident (once at a time per id). */
  load(id: string): Promise<void> {
    return this.#once(id, async () => {
      try {
        this.put(await getIncident(this.#token, id));
        this.#setError(id, undefined);
      } catch (error) {
        this.#setError(id, messageOf(error));
      }
    });
  }

  loadList(status: IncidentListStatus): Promise<void> {
    const key = `list:${status}`;
    return this.#once(key, async () => {
      try {
        const incidents = await listIncidents(this.#token, status);
        for (const incident of incidents) this.put(incident);
        if (!this.#listed.has(status)) this.#listed = new Set([...this.#listed, status]);
        this.#setError(key, undefined);
      } catch (error) {
        this.#setError(key, messageOf(error));
      }
    });
  }

  /** After a reconnect: events may have been missed, so everything known is read again. */
  async refresh(): Promise<void> {
    const lists = [...this.#listed];
    await Promise.all([...lists.map((s) => this.loadList(s)), ...Object.keys(this.#byId).map((id) => this.load(id))]);
  }

  #once(key: string, run: () => Promise<void>): Promise<void> {
    const running = this.#loading.get(key);
    if (running) return running;
    const promise = run().finally(() => this.#loading.delete(key));
    this.#loading.set(key, promise);
    return promise;
  }

  #setError(key: string, message: string | undefined): void {
    if (this.#errors[key] === message) return;
    const next = { ...this.#errors };
    if (message === undefined) delete next[key];
    else next[key] = message;
    this.#errors = next;
  }
}

function isFull(incident: IncidentListItem | Incident): incident is Incident {
  return Array.isArray((incident as Partial<Incident>).timeline);
}

function belongs(incident: IncidentListItem, status: IncidentListStatus): boolean {
  if (status === 'all') return true;
  return status === 'resolved' ? incident.status === 'resolved' : incident.status !== 'resolved';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const [getIncidentFeed, setIncidentFeed] = createContext<IncidentFeed>();
