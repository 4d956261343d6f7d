// Posting vendor deliveries to the real app (Jira and Freshdesk tests), and reading the answers
// in the API's shapes (all three vendors' webhook tests).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export interface DeliveryAnswer {
  vendor: string;
  deliveryId: string | null;
  accepted: number;
  duplicates: number;
  stale: number;
  rejected: unknown[];
  ignored: string[];
}

/** POSTs raw bytes with exactly these headers (undefined values are left out). */
export function deliver(app: FastifyInstance, vendor: string, body: Buffer, headers: Record<string, string | undefined>): Promise<LightMyRequestResponse> {
  const sent: Record<string, string> = { 'content-type': 'application/json' };
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) sent[key] = value;
  return app.inject({ method: 'POST', url: `/api/v1/connectors/${vendor}`, headers: sent, payload: body });
}

export function ok(response: LightMyRequestResponse): DeliveryAnswer {
  expect(response.statusCode, response.body).toBe(200);
  return response.json<DeliveryAnswer>();
}

/** The API's one error shape with this status and code; returns the message. */
export function refused(response: LightMyRequestResponse, status: number, code: string): string {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe(code);
  return body.error.message;
}
