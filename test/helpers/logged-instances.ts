// Instances of the real app in distributed mode whose log lines the test reads back (the fault
// tests check what an operator would see), and a small department to feed them.
import { Writable } from 'node:stream';
import type { IngestSummary, TicketEvent } from '../../contract/domain.js';
import { bearer, startTestApp, type TestApp } from './app.js';
import { ticketEvent } from './events.js';
import { baseUrl } from './live-client.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface LoggedInstance {
  t: TestApp;
  url: string;
  lines: LogLine[];
  close(): Promise<void>;
}

/** pino's level numbers. */
export const WARN = 40;
export const ERROR = 50;

export const CLOCK = Date.parse('2026-11-26T12:00:00Z');

export class LoggedCluster {
  private readonly opened: LoggedInstance[] = [];

  constructor(private readonly redisUrl: () => string) {}

  async start(env: Record<string, string> = {}): Promise<LoggedInstance> {
    const lines: LogLine[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString('utf8').split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine);
        done();
      },
    });
    const t = await startTestApp({ now: () => CLOCK, logger: undefined, logStream, env: { REDIS_URL: this.redisUrl(), LOG_LEVEL: 'info', ...env } });
    let closing: Promise<void> | null = null;
    const instance: LoggedInstance = { t, url: '', lines, close: () => (closing ??= t.close()) };
    this.opened.push(instance);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    instance.url = baseUrl(t.app);
    return instance;
  }

  async closeAll(): Promise<void> {
    for (const instance of this.opened.splice(0).reverse()) await instance.close();
  }
}

/** Batch k: `size` new tickets in l1, created 09:00 + k s, event ids `<tag>-k-j`. */
export function batch(tag: string, k: number, size = 20): TicketEvent[] {
  const created = new Date(Date.parse('2026-11-26T09:00:00Z') + k * 1000).toISOString();
  return Array.from({ length: size }, (_, j) =>
    ticketEvent({ id: `${tag}-${k}-${j}`, queue: 'l1', status: 'open', createdAt: created, updatedAt: created }, { id: `${tag}-ev-${k}-${j}` }),
  );
}

export async function post(instance: LoggedInstance, events: readonly unknown[]) {
  return instance.t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: events as unknown[] });
}

export interface Health {
  statusCode: number;
  body: { status: string; store: { ok: boolean; state: string; slow: boolean; latencyMs: number | null; message?: string } };
}

export async function health(instance: LoggedInstance): Promise<Health> {
  const response = await instance.t.app.inject({ method: 'GET', url: '/healthz' });
  return { statusCode: response.statusCode, body: response.json() };
}

export type Summary = IngestSummary;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
