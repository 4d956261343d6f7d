// The outbound notifications of this instance (docs/contract.md#outbound-notifications): `emit`
// turns an event into one delivery per target that wants it, rendered in the target's format and
// stored in the outbox, then wakes the worker. Emitting never throws into its caller and never
// makes it wait: what goes wrong is logged.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type SettingsLog, SettingsFile } from '../dashboards/settings-file.js';
import type { DeliveryWorker } from './delivery-worker.js';
import { type NotifyPayload, renderBody } from './formats.js';
import { type NotificationsConfig, type NotifyEvent, type NotifyTarget, validateNotificationsFile } from './notifications-file.js';
import { type Delivery, queueOf, type OutboxStore } from './outbox-store.js';

export const NOTIFICATIONS_FILE = 'notifications.json';

export interface EmitOptions {
  /** The incident the event is about: its events reach each target in order. */
  incidentId?: string;
  /**
   * Makes the delivery id `<event>:<key>:<target>`, and the event enqueued once however many times
   * (and on however many instances) it is emitted.
   */
  key?: string;
}

export type Emit = (event: NotifyEvent, payload: NotifyPayload, options?: EmitOptions) => void;

/** Keyed events seen lately, so that one raised again and again (a growing suggestion) costs no store write. */
const RECENT_KEYS = 5_000;

export class Notifications {
  private readonly settings: SettingsFile<NotificationsConfig>;
  private readonly recentKeys = new Set<string>();
  /** Enqueues under way (Redis): close waits for them. */
  private readonly enqueuing = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      dir: string;
      env: Readonly<Record<string, string | undefined>>;
      log: SettingsLog;
      now: () => number;
      store: OutboxStore;
      worker: () => DeliveryWorker;
    },
  ) {
    this.settings = new SettingsFile(path.join(options.dir, NOTIFICATIONS_FILE), {
      validate: (value) => validateNotificationsFile(value, options.env),
      log: options.log,
      missing: 'no notifications file: nothing is sent',
      describe: (c) => `${c.targets.size} target(s): ${[...c.targets.keys()].join(', ') || 'none'}`,
    });
    this.settings.read();
  }

  get problems() {
    return this.settings.problems;
  }

  /** The targets in force (re-read when the file changed). */
  targets(): ReadonlyMap<string, NotifyTarget> {
    return this.settings.read()?.targets ?? new Map();
  }

  emit: Emit = (event, payload, options = {}) => {
    try {
      const targets = [...this.targets().values()].filter((t) => t.events.includes(event));
      if (targets.length === 0) return;
      const seen = options.key === undefined ? null : `${event}:${options.key}`;
      if (seen !== null) {
        if (this.recentKeys.has(seen)) return;
        if (this.recentKeys.size >= RECENT_KEYS) this.recentKeys.delete(this.recentKeys.values().next().value as string);
        this.recentKeys.add(seen);
      }
      const at = this.options.now();
      const deliveries = targets.map((target): Delivery => {
        const id = options.key === undefined ? randomUUID() : `${event}:${options.key}:${target.id}`;
        return {
          id,
          target: target.id,
          event,
          incidentId: options.incidentId ?? null,
          queue: queueOf(target.id, options.incidentId ?? null, id),
          body: renderBody(target.format, { id, event, at, payload }),
          status: 'pending',
          attempts: 0,
          lastStatus: null,
          lastError: null,
          nextAttemptAt: at,
          createdAt: at,
          deliveredAt: null,
        };
      });
      // Embedded, the rows are written before this returns (better-sqlite3 is synchronous).
      const run = this.options.store
        .enqueue(deliveries)
        .then(() => this.options.worker().kick())
        .catch((error: unknown) => {
          // Not stored: the next emit of the same key may try again.
          if (seen !== null) this.recentKeys.delete(seen);
          this.options.log.warn({ err: error, event }, `notifications: ${event} could not be stored; it is not sent`);
        })
        .finally(() => this.enqueuing.delete(run));
      this.enqueuing.add(run);
    } catch (error) {
      this.options.log.warn({ err: error, event }, `notifications: ${event} not enqueued`);
    }
  };

  /** Waits for the enqueues under way. */
  async settled(): Promise<void> {
    await Promise.all(this.enqueuing);
  }
}
