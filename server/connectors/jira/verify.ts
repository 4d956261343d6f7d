// Jira admin webhooks with a secret sign the raw body: `X-Hub-Signature: sha256=<lowercase hex
// HMAC-SHA256(secret, body)>` (the header is X-Hub-Signature, not …-256; research 2.3). Sources
// disagree on which webhook kinds are signed, so with a secret configured an unsigned delivery fails.
// Jira Service Management automation's "Send web request" cannot sign: its rule adds the secret as
// an `X-Webhook-Secret` header instead (server/connectors/secret-header.ts), which is taken when
// no X-Hub-Signature is sent.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SECRET_HEADER, verifySharedSecret } from '../secret-header.js';
import type { VerifyResult } from '../types.js';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/** One header's value; Node joins repeated headers for most names but not all, so take the first. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function verifyJiraSignature(headers: IncomingHttpHeaders, raw: Buffer, secret: string): VerifyResult {
  const header = headerValue(headers, 'x-hub-signature');
  if ((header === undefined || header === '') && headerValue(headers, SECRET_HEADER) !== undefined) return verifySharedSecret(headers, secret);
  if (header === undefined || header === '') {
    return { ok: false, reason: 'missing X-Hub-Signature header (a Jira webhook with a secret), or X-Webhook-Secret (a header of an automation rule)' };
  }
  const match = SIGNATURE.exec(header.trim());
  if (match === null) return { ok: false, reason: 'X-Hub-Signature must be sha256=<64 hex digits>' };
  const expected = createHmac('sha256', secret).update(raw).digest();
  // Both are 32 bytes here (the regex fixed the length), so timingSafeEqual cannot throw.
  if (!timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected)) return { ok: false, reason: 'X-Hub-Signature does not match the body' };
  return { ok: true };
}

/** `X-Atlassian-Webhook-Identifier`: unique per site and unchanged across retries (research 2.4). */
export function jiraDeliveryId(headers: IncomingHttpHeaders): string | null {
  const value = headerValue(headers, 'x-atlassian-webhook-identifier')?.trim();
  return value === undefined || value === '' ? null : value;
}
