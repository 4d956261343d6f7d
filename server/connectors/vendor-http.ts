// A vendor's REST API for the pollers (VendorHttp over fetch): base URL, basic auth, JSON, the
// vendor's per-minute budget, and 429/503 waited out per Retry-After. Credentials never leave
// this object: they are sent only to the base URL's origin and never appear in an error.
import { VendorHttpError, type VendorApi, type VendorHttp } from './types.js';

/** Retry-After is capped: a vendor saying "come back in an hour" is better retried next round. */
export const MAX_RETRY_AFTER_MS = 120_000;
/** 429/503 without Retry-After: wait this long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
/** 429/503 retries per request before the round gives up (and the next round tries again). */
const MAX_RETRIES = 3;
/** A page that takes longer than this is a hung connection, not a slow page. */
const REQUEST_TIMEOUT_MS = 30_000;
const WINDOW_MS = 60_000;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout as a promise that an abort ends at once (stopping the poller must not wait 120 s). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface FetchVendorHttpOptions {
  api: VendorApi;
  /** Names the vendor in errors. */
  vendor: string;
  sleep?: Sleep;
  /** Clock for the budget, ms. */
  now?: () => number;
  /** Aborts requests and waits (the poller stopping). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class FetchVendorHttp implements VendorHttp {
  /** Times of the requests of the last minute, oldest first. */
  private readonly sent: number[] = [];
  private readonly base: URL;
  private readonly authorization: string;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  /** Total time waited for Retry-After and the budget, ms (status and tests). */
  waitedMs = 0;
  requests = 0;

  constructor(private readonly options: FetchVendorHttpOptions) {
    this.base = new URL(options.api.baseUrl.endsWith('/') ? options.api.baseUrl : `${options.api.baseUrl}/`);
    this.authorization = `Basic ${Buffer.from(`${options.api.username}:${options.api.password}`).toString('base64')}`;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get(pathOrUrl: string, query?: Record<string, string>): Promise<unknown> {
    return this.request('GET', pathOrUrl, query, undefined);
  }

  post(path: string, body: unknown): Promise<unknown> {
    return this.request('POST', path, undefined, body);
  }

  private resolve(pathOrUrl: string, query?: Record<string, string>): URL {
    const url = /^https?:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\//, ''), this.base);
    // A `next_page` link to another host would carry our credentials there.
    if (url.origin !== this.base.origin)
      throw new VendorHttpError(`${this.options.vendor}: refusing to send credentials to ${url.origin} (not ${this.base.origin})`, null);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    return url;
  }

  private async request(method: 'GET' | 'POST', pathOrUrl: string, query: Record<string, string> | undefined, body: unknown): Promise<unknown> {
    const url = this.resolve(pathOrUrl, query);
    const what = `${this.options.vendor} ${method} ${url.pathname}`;
    for (let attempt = 0; ; attempt++) {
      await this.withinBudget();
      let response: Response;
      try {
        const signals = [AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS), ...(this.options.signal ? [this.options.signal] : [])];
        response = await this.fetch(url, {
          method,
          headers: {
            authorization: this.authorization,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.any(signals),
          redirect: 'error',
        });
      } catch (error) {
        if (this.options.signal?.aborted) throw error;
        throw new VendorHttpError(
          `${what}: ${(error as Error).name === 'TimeoutError' ? 'no answer in time' : `network error (${(error as Error).message})`}`,
          null,
        );
      }
      if ((response.status === 429 || response.status === 503) && attempt < MAX_RETRIES) {
        const waitMs = retryAfterMs(response.headers.get('retry-after'), this.now());
        await response.body?.cancel();
        this.waitedMs += waitMs;
        await this.sleep(waitMs, this.options.signal);
        continue;
      }
      const text = await response.text();
      if (!response.ok) throw new VendorHttpError(`${what} answered ${response.status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`, response.status);
      try {
        return text === '' ? null : JSON.parse(text);
      } catch {
        throw new VendorHttpError(`${what} answered ${response.status} with a body that is not JSON`, response.status);
      }
    }
  }

  /** Waits until one more request fits in the vendor's per-minute budget, then counts it. */
  private async withinBudget(): Promise<void> {
    const limit = Math.max(1, this.options.api.requestsPerMinute);
    const now = this.now();
    while (this.sent.length > 0 && this.sent[0]! <= now - WINDOW_MS) this.sent.shift();
    if (this.sent.length >= limit) {
      // Until the oldest request of the window leaves it; then its slot is ours (computed once,
      // not re-checked in a loop, so that a test's instant sleep cannot spin).
      const waitMs = Math.max(1, this.sent[0]! + WINDOW_MS - now);
      this.waitedMs += waitMs;
      await this.sleep(waitMs, this.options.signal);
      this.sent.shift();
    }
    this.sent.push(this.now());
    this.requests++;
  }
}

/** Retry-After as ms: seconds or an HTTP date; absent or odd: the default; capped. */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const text = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    ms = Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
