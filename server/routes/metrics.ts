// GET /metrics: Prometheus's text format (server/metrics). Role admin, or METRICS_TOKEN as a
// Bearer token, so that a scraper needs no admin token. The metrics token is taken from the
// Authorization header only: a scrape config sends headers, and a URL ends up in logs.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { TokenRegistry } from '../auth/tokens.js';
import { requireRole } from '../http/auth.js';
import { errors, GUARD_ERRORS, needsRole } from './schemas/common.js';

export const METRICS_PATH = '/metrics';

const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** Admins through the usual guard; the metrics token, when configured, on its own. */
export function metricsGuard(tokens: TokenRegistry, metricsToken: string | null): onRequestAsyncHookHandler {
  const admin = requireRole(tokens, 'admin');
  const expected = metricsToken === null ? null : digest(metricsToken);
  return async function guard(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const presented = /^Bearer\s+(.+)$/i.exec(request.headers.authorization?.trim() ?? '')?.[1];
    // Digests of equal length: the comparison takes the same time whatever was sent.
    if (expected !== null && presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    return admin.call(this, request, reply);
  };
}

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { tokens, config } = app;
  app.get(
    METRICS_PATH,
    {
      onRequest: metricsGuard(tokens, config.metricsToken),
      schema: {
        tags: ['operations'],
        summary: 'Metrics for Prometheus',
        ...needsRole(
          'admin',
          'GET',
          'Or the `METRICS_TOKEN` as a Bearer token (header only). Prometheus text exposition format: the runtime (CPU, memory, event-loop lag, GC) and `watchfloor_*` (events in, ingest duration, live clients, broadcast delay, store, journal, history, connectors, pollers, incidents, alerts).',
        ),
        response: {
          200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } },
          ...errors(...GUARD_ERRORS),
        },
      },
    },
    async (_request, reply) => {
      const text = await app.metrics.scrape();
      return reply.header('cache-control', 'no-store').type(app.metrics.contentType).send(text);
    },
  );
}
