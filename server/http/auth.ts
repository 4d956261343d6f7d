// Route guards (SPEC 4): a bearer token, or ?token= on page URLs for TVs that cannot send
// headers. Missing or unknown token: 401; known token with a role too low: 403.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { allows, type Principal, type Role, type TokenRegistry } from '../auth/tokens.js';
import { sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return match?.[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

export function requireRole(tokens: TokenRegistry, role: Role): onRequestAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const principal = tokens.authenticate(tokenOf(request));
    if (principal === null) {
      return sendError(reply, 401, 'unauthorized', 'missing or unknown token: send Authorization: Bearer <token>');
    }
    if (!allows(principal, role)) {
      return sendError(reply, 403, 'forbidden', `this needs the ${role} role; the token "${principal.name}" has ${principal.role}`);
    }
    request.principal = principal;
  };
}

/** Removes `token=` from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
