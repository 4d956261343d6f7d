// A shared secret in a custom `X-Webhook-Secret` header, for senders that sign nothing: Freshdesk's
// automation webhooks (research 3.2), and Jira Service Management automation's "Send web request"
// action (it sends the headers an admin adds, and no signature). Over HTTPS; compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { VerifyResult } from './types.js';

export const SECRET_HEADER = 'x-webhook-secret';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export function verifySharedSecret(headers: IncomingHttpHeaders, secret: string): VerifyResult {
  const raw = headers[SECRET_HEADER];
  const given = Array.isArray(raw) ? raw[0] : raw;
  if (given === undefined || given === '') return { ok: false, reason: 'missing X-Webhook-Secret header' };
  // Digests first: equal lengths for timingSafeEqual, and the secret's length does not leak either.
  if (!timingSafeEqual(digest(given.trim()), digest(secret))) return { ok: false, reason: 'X-Webhook-Secret does not match' };
  return { ok: true };
}
