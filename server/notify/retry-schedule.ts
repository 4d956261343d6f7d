// When a notification is tried again, and when it is given up (docs/contract.md#outbound-notifications).
// Pure: the worker asks, with the attempt's outcome and the clock.
//
// - 2xx: delivered.
// - 5xx, 408, 429, a timeout (10 s) or no connection: tried again after the base wait (2 s), then
//   doubling waits up to 10 min, for 24 h from the event; then failed.
// - 410 Gone: the receiver is gone for good; failed, no more tries.
// - any other 4xx (and a 3xx: redirects are not followed): the receiver refuses this body; failed.

export const DEFAULT_RETRY_BASE_MS = 2_000;
export const MAX_RETRY_WAIT_MS = 10 * 60_000;
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
export const SEND_TIMEOUT_MS = 10_000;

/** What one attempt came to: an HTTP status, or no answer at all (refused, reset, timed out). */
export type AttemptResult = { status: number } | { error: string };

export type Verdict = { kind: 'delivered' } | { kind: 'retry'; at: number } | { kind: 'failed'; reason: string };

/** The wait after the `attempts`-th failed attempt (1: the first): base, 2×base, 4×base… up to 10 min. */
export function retryWaitMs(attempts: number, baseMs = DEFAULT_RETRY_BASE_MS): number {
  const doublings = Math.max(0, attempts - 1);
  // 2^doublings overflows to Infinity long after the cap: Math.min keeps it finite.
  return Math.min(MAX_RETRY_WAIT_MS, baseMs * 2 ** Math.min(doublings, 40));
}

export function isRetryable(result: AttemptResult): boolean {
  if ('error' in result) return true;
  return result.status >= 500 || result.status === 408 || result.status === 429;
}

/**
 * The verdict on an attempt: `attempts` counts it, `createdAt` is when the event was enqueued,
 * `now` when the attempt ended.
 */
export function verdict(result: AttemptResult, attempts: number, createdAt: number, now: number, baseMs = DEFAULT_RETRY_BASE_MS): Verdict {
  if ('status' in result && result.status >= 200 && result.status < 300) return { kind: 'delivered' };
  if ('status' in result && result.status === 410) return { kind: 'failed', reason: '410 Gone: the receiver is gone; no more tries' };
  if (!isRetryable(result)) return { kind: 'failed', reason: `${(result as { status: number }).status}: refused by the receiver; not tried again` };
  const at = now + retryWaitMs(attempts, baseMs);
  if (at - createdAt > GIVE_UP_AFTER_MS) return { kind: 'failed', reason: `still failing after ${attempts} attempts over 24 h; given up` };
  return { kind: 'retry', at };
}
