// The signature of an outbound notification (docs/contract.md#outbound-notifications): HMAC-SHA256
// of the exact bytes sent, keyed with the target's secret, as `sha256=<hex>`. The receiver
// recomputes it over the raw body it got; neither the secret nor the signature is ever logged.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-watchfloor-signature';
export const EVENT_HEADER = 'x-watchfloor-event';
export const DELIVERY_HEADER = 'x-watchfloor-delivery';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
