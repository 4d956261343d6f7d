// Zendesk deliveries as Zendesk sends them, for the connector tests: the fixtures' raw bytes,
// signed here independently of the server's code (base64 HMAC-SHA256 of the timestamp header
// string + the body; research 1.3), and posted with app.inject.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const ZENDESK_SECRET = 'zd-signing-secret-for-tests-0001';
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'zendesk');

/** A fixture's bytes exactly as stored (the signature covers them). */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(fixtures, `${name}.json`), 'utf8');
}

/** A fixture parsed, to derive variants of it. */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** Zendesk's header timestamp: whole seconds, `2025-01-08T13:05:00Z`. */
export const zendeskTimestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function zendeskHeaders(body: string | Buffer, options: { at: number; secret?: string }): Record<string, string> {
  const timestamp = zendeskTimestamp(options.at);
  const signature = createHmac('sha256', options.secret ?? ZENDESK_SECRET)
    .update(timestamp + (Buffer.isBuffer(body) ? body.toString('binary') : body), Buffer.isBuffer(body) ? 'binary' : 'utf8')
    .digest('base64');
  return {
    'content-type': 'application/json',
    'x-zendesk-account-id': '22129848',
    'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
    'x-zendesk-webhook-signature': signature,
    'x-zendesk-webhook-signature-timestamp': timestamp,
  };
}

export interface PostOptions {
  at: number;
  secret?: string;
  /** Replaces or removes (undefined) headers after signing. */
  headers?: Record<string, string | undefined>;
}

export function postZendesk(app: FastifyInstance, body: string | Buffer | object, options: PostOptions): Promise<LightMyRequestResponse> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string | undefined> = { ...zendeskHeaders(raw, options), ...options.headers };
  for (const [key, value] of Object.entries(headers)) if (value === undefined) delete headers[key];
  return app.inject({ method: 'POST', url: '/api/v1/connectors/zendesk', headers: headers as Record<string, string>, payload: raw });
}
