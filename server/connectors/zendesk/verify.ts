// Zendesk webhook authenticity (research 1.3): `X-Zendesk-Webhook-Signature` is
// base64(HMAC-SHA256(signing secret, raw timestamp header + raw body)), no separator.
// https://developer.zendesk.com/documentation/webhooks/verifying/
// Zendesk documents no replay window; ±5 min is ours: a captured delivery cannot be replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { VerifyResult } from '../types.js';

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
export const INVOCATION_HEADER = 'x-zendesk-webhook-invocation-id';
export const REPLAY_WINDOW_MS = 5 * 60_000;

/** One header's value; a header sent twice is refused rather than guessed at. */
function single(headers: IncomingHttpHeaders, name: string): string | undefined | null {
  const value = headers[name];
  if (Array.isArray(value)) return null;
  return value;
}

export function zendeskSignature(secret: string, timestamp: string, raw: Buffer): string {
  return createHmac('sha256', secret).update(timestamp, 'utf8').update(raw).digest('base64');
}

export function verifyZendesk(headers: IncomingHttpHeaders, raw: Buffer, secret: string, now: number): VerifyResult {
  const signature = single(headers, SIGNATURE_HEADER);
  const timestamp = single(headers, TIMESTAMP_HEADER);
  if (signature === null || timestamp === null)
    return { ok: false, reason: `${signature === null ? SIGNATURE_HEADER : TIMESTAMP_HEADER} appears more than once` };
  if (signature === undefined || signature === '') return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  if (timestamp === undefined || timestamp === '') return { ok: false, reason: `missing ${TIMESTAMP_HEADER} header` };
  const sentAt = Date.parse(timestamp);
  if (Number.isNaN(sentAt)) return { ok: false, reason: `${TIMESTAMP_HEADER} is not a time` };
  if (Math.abs(now - sentAt) > REPLAY_WINDOW_MS) {
    return {
      ok: false,
      reason: `${TIMESTAMP_HEADER} is more than ${REPLAY_WINDOW_MS / 60_000} minutes from the server's clock (a replayed delivery, or a clock out of sync)`,
    };
  }
  // Over the raw header string as sent: re-formatting the time would change the signed bytes.
  const expected = createHmac('sha256', secret).update(timestamp, 'utf8').update(raw).digest();
  const given = Buffer.from(signature, 'base64');
  // Length first (timingSafeEqual needs equal lengths); the length of a SHA-256 is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: `${SIGNATURE_HEADER} does not match the body (wrong signing secret, or the body was changed)` };
  }
  return { ok: true };
}

/** The signed headers Zendesk would send with `raw` at `now`: for `npm run replay`. */
export function signZendesk(raw: Buffer, secret: string, now: number): Record<string, string> {
  // Zendesk's timestamps are whole seconds, `2021-03-25T05:09:27Z`.
  const timestamp = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { [SIGNATURE_HEADER]: zendeskSignature(secret, timestamp, raw), [TIMESTAMP_HEADER]: timestamp };
}
