// The tickets new to the model, handed every second (and on demand) to whoever counts them: the
// arrivals store (forecast history) and surge detection. The model collects them as it applies
// events; this takes them once and gives every listener the same batch.
import type { NewTicketSeen } from '../domain/arrival.js';
import type { LiveModel } from '../domain/live-model.js';

/** `restored`: tickets a restart put back (LiveModel.takeRestoredArrivals), not new ones. */
export type NewTicketsListener = (batch: readonly NewTicketSeen[], restored: boolean) => void;

export class NewTicketsFeed {
  private readonly listeners: NewTicketsListener[] = [];
  private restoredWithinMs = 0;

  constructor(private readonly model: LiveModel) {}

  /**
   * `restoredWithinMs`: how lately created a restored ticket must be for this listener to want it
   * (the model collects for the most any listener asks; a restore before the listeners came
   * collects for the arrivals' recount, and each listener filters for itself).
   */
  subscribe(listener: NewTicketsListener, restoredWithinMs: number): void {
    this.listeners.push(listener);
    this.restoredWithinMs = Math.max(this.restoredWithinMs, restoredWithinMs);
    this.model.restoredArrivalsWithinMs = this.restoredWithinMs;
  }

  /** Hands what the model collected since the last time to every listener; answers how many. */
  drain(): number {
    // The restored first: they were in the model before anything new.
    const restored = this.model.takeRestoredArrivals();
    if (restored.length > 0) for (const listener of this.listeners) listener(restored, true);
    const batch = this.model.takeArrivals();
    if (batch.length > 0) for (const listener of this.listeners) listener(batch, false);
    return restored.length + batch.length;
  }
}
