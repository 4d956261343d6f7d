// Instances of the real app in distributed mode (REDIS_URL) for the Redis tests: each on its own
// DATA_DIR (so nothing can come from there), listening on 127.0.0.1, all on one clock the test moves.
import { Redis } from 'ioredis';
import type { LiveState } from '../../contract/domain.js';
import { bearer, startTestApp, type TestApp } from './app.js';
import { baseUrl, waitFor } from './live-client.js';

export interface Instance {
  t: TestApp;
  url: string;
  /** Idempotent. */
  close(): Promise<void>;
}

export class Cluster {
  private readonly opened: Instance[] = [];
  time: number;

  constructor(
    private readonly redisUrl: () => string,
    start: string,
  ) {
    this.time = Date.parse(start);
  }

  readonly now = (): number => this.time;

  async start(): Promise<Instance> {
    const t = await startTestApp({ now: this.now, env: { REDIS_URL: this.redisUrl() } });
    let closing: Promise<void> | null = null;
    const instance: Instance = { t, url: '', close: () => (closing ??= t.close()) };
    this.opened.push(instance);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    instance.url = baseUrl(t.app);
    return instance;
  }

  /** Moves every instance's clock and lets its SLA clock run. */
  setClock(iso: string): void {
    this.time = Date.parse(iso);
    for (const instance of this.opened) instance.t.app.tick();
  }

  async closeAll(): Promise<void> {
    for (const instance of this.opened.splice(0).reverse()) await instance.close();
  }
}

/**
 * The state as instances must agree on it: without `seq` (per instance) and `staffing`, whose plan
 * each instance re-derives from the arrivals store and the clock on its own 15 s beat (the staffing
 * tests cover it).
 */
export const withoutSeq = ({ seq: _seq, staffing: _staffing, ...rest }: LiveState): Omit<LiveState, 'seq' | 'staffing'> => rest;

/** Reads a state through the API (as the balancer's clients would). */
export async function stateOf(instance: Instance): Promise<LiveState> {
  const response = await instance.t.app.inject({ method: 'GET', url: '/api/v1/state', headers: bearer('viewer') });
  if (response.statusCode !== 200) throw new Error(`GET /api/v1/state answered ${response.statusCode}`);
  return response.json<LiveState>();
}

/** Polls until `instance` shows exactly `expected` (seq aside); fails after `timeoutMs`. */
export async function untilStateIs(instance: Instance, expected: Omit<LiveState, 'seq' | 'staffing'>, timeoutMs = 2_000): Promise<void> {
  let last: Omit<LiveState, 'seq' | 'staffing'> | null = null;
  try {
    await waitForAsync(async () => {
      last = withoutSeq(await stateOf(instance));
      return JSON.stringify(last) === JSON.stringify(expected);
    }, timeoutMs);
  } catch {
    throw new Error(`state not reached within ${timeoutMs} ms:\nexpected ${JSON.stringify(expected)}\nlast     ${JSON.stringify(last)}`);
  }
}

export async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A plain client of the test's Redis, to look at what the store wrote. */
export function inspect(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

export { waitFor };
