// Between the model and the hub: told that something may have changed (events applied, the
// clock's tick, incident counts), it asks the model at most once per 250 ms slot for the sections
// that really changed (LiveModel.takeDelta) and hands them to the hub, which sends only those
// (docs/contract.md#live-channel). An incident's change skips the slot: its section goes at once.
import type { AgentView } from '../../contract/domain.js';
import type { Incident } from '../../contract/incidents.js';
import { COALESCE_MS } from '../../contract/live-events.js';
import type { StateDelta } from '../domain/live-model.js';
import type { LiveUpdate } from './live-hub.js';
import { Pacer } from './pacer.js';

/** What the feed asks of the model. */
export interface FeedModel {
  advance(now: number): number;
  takeDelta(now: number): StateDelta;
  takeChangedAgents(): AgentView[];
  takeIncidents(now: number): StateDelta;
}

/** What the feed gives the hub. */
export interface FeedHub {
  publish(update: LiveUpdate): void;
  incidentChanged(incident: Incident, incidents: StateDelta): void;
}

export interface LiveFeedOptions {
  model: FeedModel;
  hub: FeedHub;
  now: () => number;
}

export class LiveFeed {
  private readonly pacer: Pacer;
  private closed = false;

  constructor(private readonly options: LiveFeedOptions) {
    this.pacer = new Pacer(COALESCE_MS, () => this.flush());
  }

  /** Something may have changed: the hub hears of it now, or with the next 250 ms slot. */
  notify(): void {
    if (!this.closed) this.pacer.request();
  }

  /**
   * The clock moved: targets may have come due, a queue's oldest wait passed a second, the day
   * ended. The model learns the time now; the screens with the next slot.
   */
  tick(): void {
    this.options.model.advance(this.options.now());
    this.notify();
  }

  /** An incident changed: the incident and the `incidents` section go out now, outside the slots. */
  incidentChanged(incident: Incident): void {
    if (!this.closed) this.options.hub.incidentChanged(incident, this.options.model.takeIncidents(this.options.now()));
  }

  /** Nothing more goes to the hub (the app is closing). */
  close(): void {
    this.closed = true;
    this.pacer.stop();
  }

  private flush(): void {
    if (this.closed) return;
    const { model, hub, now } = this.options;
    const at = now();
    model.advance(at);
    const delta = model.takeDelta(at);
    hub.publish({ ...delta, agents: model.takeChangedAgents() });
  }
}
