// A small keep-alive HTTP client for posting pre-serialised batches: node:http with one Agent,
// a fixed number of requests in flight, nothing computed per request but the write.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PostResult {
  status: number;
  body: string;
}

export interface PosterOptions {
  port: number;
  /** Sent with every request (the bearer token). */
  headers: Record<string, string>;
  /** Keep-alive sockets: at most this many requests in flight. */
  concurrency: number;
}

export class Poster {
  private readonly agent: http.Agent;
  private readonly port: number;
  private readonly headers: Record<string, string>;

  constructor(options: PosterOptions) {
    this.port = options.port;
    this.headers = options.headers;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  }

  request(method: 'GET' | 'POST', path: string, body?: Buffer, extraHeaders?: Record<string, string>): Promise<PostResult> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.headers, ...extraHeaders };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = body.length;
      }
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** `headers`: this request's own (a vendor's signature), beside the poster's. */
  post(path: string, body: Buffer, headers?: Record<string, string>): Promise<PostResult> {
    return this.request('POST', path, body, headers);
  }

  async json<T>(path: string): Promise<T> {
    const res = await this.request('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadWindow {
  /** Batches completed inside the window (their response arrived). */
  batches: number;
  elapsedMs: number;
  /** The parsed 202 bodies, summed where numeric. */
  summary: Record<string, number>;
  errors: string[];
  /** Whether the window ended because the bodies ran out (not the clock). */
  exhausted: boolean;
}

/** A body with headers of its own (a signed webhook delivery). */
export interface SignedBody {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * Keeps `concurrency` posts in flight for `durationMs` (no new post starts after it), taking
 * bodies from `next` until it returns null. A response of `okStatus` (202 by default) counts; with
 * `latencies`, each counted request's milliseconds are pushed there.
 */
export async function closedLoop(options: {
  poster: Poster;
  path: string;
  concurrency: number;
  durationMs: number;
  next: () => Buffer | SignedBody | null;
  okStatus?: number;
  latencies?: number[];
}): Promise<LoadWindow> {
  const { poster, path, concurrency, durationMs, next, okStatus = 202, latencies } = options;
  const summary: Record<string, number> = {};
  const errors: string[] = [];
  let batches = 0;
  let exhausted = false;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const item = next();
      if (item === null) {
        exhausted = true;
        return;
      }
      const sent = performance.now();
      const res = Buffer.isBuffer(item) ? await poster.post(path, item) : await poster.post(path, item.body, item.headers);
      if (res.status !== okStatus) {
        if (errors.length < 5) errors.push(`${res.status} ${res.body.slice(0, 200)}`);
        continue;
      }
      batches++;
      latencies?.push(performance.now() - sent);
      const parsed = JSON.parse(res.body) as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed)) {
        const n = typeof value === 'number' ? value : Array.isArray(value) ? value.length : 0;
        summary[key] = (summary[key] ?? 0) + n;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { batches, elapsedMs: performance.now() - started, summary, errors, exhausted };
}
