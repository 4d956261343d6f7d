// A webhook receiver on 127.0.0.1:0 for the notification tests: records every request (headers and
// raw body) and answers what the test scripts, request by request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status answered. */
  status: number;
}

export class Receiver {
  readonly requests: Received[] = [];
  private readonly server: http.Server;

  /** `answer` picks the status of the n-th request (0-based) and its raw body. */
  private constructor(private readonly answer: (n: number, body: string) => number) {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = this.answer(this.requests.length, body);
        this.requests.push({ headers: request.headers, body, status });
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
  }

  static async start(answer: (n: number, body: string) => number = () => 200): Promise<Receiver> {
    const receiver = new Receiver(answer);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The bodies answered 2xx, parsed. */
  acknowledged<T = Record<string, unknown>>(): T[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).map((r) => JSON.parse(r.body) as T);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
