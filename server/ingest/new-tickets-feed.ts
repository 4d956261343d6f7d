// The tickets new to the model, handed every second (and on demand) to whoever counts them: the
// arrivals store (forecast history) and surge detection. The model collects them as it applies
// events; this takes them once and gives every listener the same batch.
import type { NewTicketSeen } from '../domain/arrival.js';
import type { LiveModel } from '../domain/live-model.js';

export type NewTicketsListener = (batch: readonly NewTicketSeen[]) => void;

export class NewTicketsFeed {
  private readonly listeners: NewTicketsListener[] = [];

  constructor(private readonly model: LiveModel) {}

  subscribe(listener: NewTicketsListener): void {
    this.listeners.push(listener);
  }

  /** Hands what the model collected since the last time to every listener; answers how many. */
  drain(): number {
    const batch = this.model.takeArrivals();
    if (batch.length === 0) return 0;
    for (const listener of this.listeners) listener(batch);
    return batch.length;
  }
}
