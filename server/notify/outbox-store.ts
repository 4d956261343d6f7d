// Where outbound notifications wait (docs/contract.md#outbound-notifications): stored before the
// change that raised them is answered, so that a restart loses none. Deliveries form queues, one
// per target and incident (or one each, for events of no incident): only the head of a queue is
// sent, so a later event of an incident waits until the earlier one is delivered or given up.
// Embedded: a SQLite file under DATA_DIR. Redis: shared by every instance, a lease per queue
// making one instance the sender of its head.
import type { NotifyEvent } from './notifications-file.js';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  /** X-Watchfloor-Delivery: the same on every attempt. */
  id: string;
  /** The target's id in notifications.json. */
  target: string;
  event: NotifyEvent;
  incidentId: string | null;
  /** `<target>|<incident id>`, or `<target>|<delivery id>` for an event of no incident. */
  queue: string;
  /** The exact bytes sent (rendered once, in the target's format). */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  /** ms; when the next attempt may go (the enqueue time until the first one). */
  nextAttemptAt: number;
  createdAt: number;
  deliveredAt: number | null;
}

/** Finished deliveries are kept this long for the list (and to recognise an event enqueued again). */
export const KEEP_FINISHED_MS = 7 * 24 * 3_600_000;

export function queueOf(target: string, incidentId: string | null, id: string): string {
  return `${target}|${incidentId ?? id}`;
}

export interface OutboxStore {
  /** Stores those not stored yet (by id: enqueuing an id again is nothing); answers how many were new. */
  enqueue(deliveries: readonly Delivery[]): Promise<number>;
  /** Queues whose head is due by `now`, the longest waiting first. */
  dueQueues(now: number, limit: number): Promise<string[]>;
  /** When the soonest head of a queue is due (ms); null when nothing waits. */
  nextDueAt(): Promise<number | null>;
  /** The head of `queue` when it is due and this `owner` now holds the queue (for `leaseMs`); else null. */
  take(queue: string, owner: string, now: number, leaseMs: number): Promise<Delivery | null>;
  /** Extends the hold on a queue while its head is being sent; false when it was lost. */
  renew(queue: string, owner: string, leaseMs: number): Promise<boolean>;
  /**
   * Records an attempt (the delivery as it is after it) and lets the queue go; a finished one leaves
   * its queue. False when the hold was lost meanwhile: nothing is recorded (the new holder sends it).
   */
  settle(delivery: Delivery, owner: string): Promise<boolean>;
  /** The newest first; `status` null: all. */
  list(status: DeliveryStatus | null, limit: number): Promise<Delivery[]>;
  /** Forgets finished deliveries created before `before`. */
  sweep(before: number): Promise<void>;
  close(): Promise<void>;
}
