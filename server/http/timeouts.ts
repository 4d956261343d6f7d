// Connection timeouts as Fastify server options. Node checks the request and headers timeouts on
// a timer (30 s by default), which would let a slow client hold on up to twice as long: checking
// every second keeps the cut within a second of its deadline, and costs a walk over the open
// connections. Websockets leave the HTTP machinery at the upgrade, and socket.io's long-polling
// GETs are complete requests as soon as their headers arrive, so neither is cut.
import type { ServerOptions } from 'node:http';
import type { HttpHardening } from './http-config.js';

const CHECK_INTERVAL_MS = 1_000;

export function serverTimeouts(http: HttpHardening): { requestTimeout: number; keepAliveTimeout: number; http: ServerOptions } {
  return {
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: { headersTimeout: http.headersTimeoutMs, connectionsCheckingInterval: Math.min(CHECK_INTERVAL_MS, http.headersTimeoutMs) },
  };
}
