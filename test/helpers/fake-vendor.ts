// A fake vendor REST API for poller tests: a real node:http server on 127.0.0.1 with a free port,
// recording every request, answering from persistent routes and one-shot scripted answers (a 429
// with Retry-After, a 500, a slow page). Vendor-neutral: fake-zendesk.ts builds on it, and so can
// the Jira and Freshdesk fakes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Path and query as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Date.now() when it arrived. */
  at: number;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string or Buffer. */
  body?: unknown;
  /** Wait this long before answering (timeouts, slow vendors). */
  delayMs?: number;
}

export type Responder = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface RequestMatch {
  method?: string;
  /** Exact path, or a pattern. */
  path?: string | RegExp;
}

interface Scripted {
  match: RequestMatch;
  responses: FakeResponse[];
}

function matches(match: RequestMatch, request: RecordedRequest): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === request.path : match.path.test(request.path);
}

export class FakeVendor {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: { match: RequestMatch; responder: Responder }[] = [];
  private readonly scripted: Scripted[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<FakeVendor> {
    let fake: FakeVendor | null = null;
    const server = http.createServer((req, res) => {
      void fake!.handle(req, res);
    });
    fake = new FakeVendor(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `http://127.0.0.1:<port>`: the vendor's base URL for the config. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers every matching request with `responder` (later routes win over earlier ones). */
  route(match: RequestMatch, responder: Responder): this {
    this.routes.unshift({ match, responder });
    return this;
  }

  /** Answers the next matching requests with these, one each, before the routes take over again. */
  script(match: RequestMatch, ...responses: FakeResponse[]): this {
    this.scripted.push({ match, responses: [...responses] });
    return this;
  }

  /** Resolves once at least `count` requests arrived in all (rejects after `timeoutMs`). */
  waitForRequests(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake vendor: ${this.requests.length} of ${count} requests after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** The requests to one path. */
  requestsTo(path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((request) => matches({ path }, request));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const parsed = new URL(req.url ?? '/', 'http://fake');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    this.requests.push(request);
    for (const waiter of [...this.waiters]) {
      if (this.requests.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    let response: FakeResponse;
    try {
      response = await this.answer(request);
    } catch (error) {
      response = { status: 500, body: { error: String(error) } };
    }
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    const body = response.body;
    const text = body === undefined ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const headers = { ...(typeof body === 'string' || Buffer.isBuffer(body) ? {} : { 'content-type': 'application/json' }), ...response.headers };
    if (res.destroyed) return;
    res.writeHead(response.status ?? 200, headers);
    res.end(text);
  }

  private async answer(request: RecordedRequest): Promise<FakeResponse> {
    const scripted = this.scripted.find((entry) => entry.responses.length > 0 && matches(entry.match, request));
    if (scripted !== undefined) return scripted.responses.shift()!;
    const route = this.routes.find((entry) => matches(entry.match, request));
    if (route !== undefined) return route.responder(request);
    return { status: 404, body: { error: `fake vendor: no route for ${request.method} ${request.path}` } };
  }
}
