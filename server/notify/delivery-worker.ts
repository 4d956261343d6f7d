// Sends what waits in the outbox (docs/contract.md#outbound-notifications): the due head of each
// queue, one queue at a time per queue and several queues at once; an attempt's verdict comes from
// retry-schedule.ts. Woken at once by an enqueue on this instance, at the next retry it knows of,
// and every POLL_MS for what other instances enqueued. Neither the URL (a Slack webhook's URL is
// its secret), the secret nor the signature reaches a log line: a target is named by its id.
import { randomUUID } from 'node:crypto';
import type { NotifyTarget } from './notifications-file.js';
import type { Delivery, OutboxStore } from './outbox-store.js';
import { type AttemptResult, SEND_TIMEOUT_MS, verdict } from './retry-schedule.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signBody } from './signature.js';

/** What other instances enqueued is noticed within this (the first attempt is due within 1 s). */
export const POLL_MS = 400;
/** A queue's head is held this long per take, renewed every third of it while sending. */
export const LEASE_MS = 30_000;
/** Queues sent at once by one instance. */
const CONCURRENT_QUEUES = 16;

export interface DeliveryWorkerOptions {
  store: OutboxStore;
  /** The targets in force now (notifications.json), by id. */
  targets: () => ReadonlyMap<string, NotifyTarget>;
  now: () => number;
  retryBaseMs: number;
  log: { warn(details: object, message: string): void; info(details: object, message: string): void };
}

export class DeliveryWorker {
  /** This instance, as the holder of a queue's lease. */
  readonly owner = randomUUID();
  private readonly sending = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly options: DeliveryWorkerOptions) {}

  start(): void {
    this.kick();
  }

  /** Looks for due deliveries now (after an enqueue), or as soon as the one under way ends. */
  kick(): void {
    if (this.closed) return;
    if (this.polling !== null) {
      this.again = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.polling = this.poll()
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'notifications: the outbox cannot be read; trying again'))
      .finally(() => {
        this.polling = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else void this.schedule();
      });
  }

  /** Stops looking and waits for the attempts under way (each ends within SEND_TIMEOUT_MS). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.polling;
    await Promise.all(this.sending.values());
  }

  private async poll(): Promise<void> {
    const free = CONCURRENT_QUEUES - this.sending.size;
    if (free <= 0) return;
    const queues = await this.options.store.dueQueues(this.options.now(), free + this.sending.size);
    for (const queue of queues) {
      if (this.sending.has(queue) || this.sending.size >= CONCURRENT_QUEUES) continue;
      const run = this.drain(queue)
        .catch((error: unknown) => this.options.log.warn({ err: error, queue }, 'notifications: a queue could not be sent; trying again'))
        .finally(() => {
          this.sending.delete(queue);
          this.kick();
        });
      this.sending.set(queue, run);
    }
  }

  /**
   * Waits until the next retry known here, or POLL_MS at most. A head already due is one being sent
   * (here, or by another instance): the end of that send wakes the worker, so it is no reason to
   * look again at once.
   */
  private async schedule(): Promise<void> {
    if (this.closed) return;
    let wait = POLL_MS;
    try {
      const next = await this.options.store.nextDueAt();
      const now = this.options.now();
      if (next !== null && next > now) wait = Math.min(POLL_MS, next - now);
    } catch {
      // The store is away: the next poll says so.
    }
    if (this.closed || this.polling !== null) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** Sends the heads of one queue in turn while they are due. */
  private async drain(queue: string): Promise<void> {
    const { store, now } = this.options;
    while (!this.closed) {
      const delivery = await store.take(queue, this.owner, now(), LEASE_MS);
      if (delivery === null) return;
      const target = this.options.targets().get(delivery.target);
      const result: AttemptResult =
        target === undefined ? { error: `target "${delivery.target}" is no longer in notifications.json` } : await this.sendHeld(queue, target, delivery);
      const settled = this.settle(delivery, result, target === undefined);
      if (!(await store.settle(settled, this.owner))) {
        this.options.log.warn({ delivery: delivery.id, target: delivery.target }, 'notifications: another instance took this queue over mid-send');
        return;
      }
      this.logOutcome(settled);
      if (settled.status === 'pending') return;
    }
  }

  private settle(d: Delivery, result: AttemptResult, gone: boolean): Delivery {
    const at = this.options.now();
    const attempts = d.attempts + 1;
    const lastStatus = 'status' in result ? result.status : null;
    const v = gone
      ? ({ kind: 'failed', reason: (result as { error: string }).error } as const)
      : verdict(result, attempts, d.createdAt, at, this.options.retryBaseMs);
    const lastError = 'error' in result ? result.error : v.kind === 'delivered' ? null : `HTTP ${lastStatus}`;
    if (v.kind === 'delivered') return { ...d, status: 'delivered', attempts, lastStatus, lastError: null, deliveredAt: at };
    if (v.kind === 'retry') return { ...d, attempts, lastStatus, lastError, nextAttemptAt: v.at };
    const why = gone || !('error' in result) ? v.reason : `${result.error}; ${v.reason}`;
    return { ...d, status: 'failed', attempts, lastStatus, lastError: why };
  }

  private logOutcome(d: Delivery): void {
    const details = { delivery: d.id, target: d.target, event: d.event, attempts: d.attempts, status: d.lastStatus };
    if (d.status === 'failed') this.options.log.warn({ ...details, error: d.lastError }, `notification to ${d.target} failed: ${d.lastError}`);
    else if (d.status === 'pending' && d.attempts === 1)
      this.options.log.info({ ...details, error: d.lastError }, `notification to ${d.target} not delivered yet; retrying`);
  }

  /** One attempt, with the queue's lease renewed while it lasts. */
  private async sendHeld(queue: string, target: NotifyTarget, d: Delivery): Promise<AttemptResult> {
    const renewing = setInterval(() => {
      this.options.store.renew(queue, this.owner, LEASE_MS).catch(() => undefined);
    }, LEASE_MS / 3);
    renewing.unref();
    try {
      return await send(target, d);
    } finally {
      clearInterval(renewing);
    }
  }
}

/** POSTs the delivery's body to its target, signed; the answer's status, or why there was none. */
export async function send(target: NotifyTarget, d: Delivery): Promise<AttemptResult> {
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Watchfloor-Notifications/1',
        [SIGNATURE_HEADER]: signBody(target.secret, d.body),
        [EVENT_HEADER]: d.event,
        [DELIVERY_HEADER]: d.id,
      },
      body: d.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    return { error: describeFailure(error) };
  }
}

/** Why an attempt got no answer, without the URL (fetch's messages may carry it). */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause.code === 'string') return `no connection (${cause.code})`;
  return 'no connection';
}
