// Route guards (docs/contract.md#authentication-and-roles, #security-and-durability): a bearer token, or ?token= on GET/HEAD (pages and reads, for TVs that
// cannot send headers); a write with ?token= is refused, since URLs end up in histories, proxies
// and logs. Missing or unknown token: 401; an address past the failed-authentication limit: 429
// for unknown tokens (known ones keep working); known token with a role too low: 403, naming
// the roles, never the token's name. The live channel's handshake uses the same check.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { allows, type Principal, type Role, type TokenRegistry } from '../auth/tokens.js';
import { sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

export type PresentedToken = { secret: string | undefined } | { refused: string };

export function tokenOf(request: FastifyRequest): PresentedToken {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return { secret: match?.[1] };
  }
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = typeof query?.token === 'string' ? query.token : undefined;
  if (fromQuery !== undefined && !READ_METHODS.has(request.method)) {
    return { refused: `?token= is accepted only for GET and HEAD; send ${request.method} requests with Authorization: Bearer <token>` };
  }
  return { secret: fromQuery };
}

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 429; code: 'unauthorized' | 'too_many_failures'; message: string; retryAfterSec?: number };

/**
 * Checks a presented secret from a client address, counting the failures of that address. A
 * missing token is a misconfigured screen, not a guess: it is answered 401 and not counted.
 */
export function authenticateFrom(tokens: TokenRegistry, secret: string | undefined, rawAddress: string): AuthOutcome {
  // An IPv4 client seen through a dual-stack socket is the same client.
  const address = rawAddress.replace(/^::ffff:/i, '');
  if (secret === undefined || secret === '') {
    return { ok: false, status: 401, code: 'unauthorized', message: 'missing or unknown token: send Authorization: Bearer <token>' };
  }
  const principal = tokens.authenticate(secret);
  if (principal !== null) return { ok: true, principal };
  const retryAfterSec = tokens.throttle.retryAfterSec(address);
  if (retryAfterSec > 0) {
    return {
      ok: false,
      status: 429,
      code: 'too_many_failures',
      message: `too many failed authentications from this address; try again in ${retryAfterSec} s`,
      retryAfterSec,
    };
  }
  tokens.throttle.recordFailure(address);
  return { ok: false, status: 401, code: 'unauthorized', message: 'missing or unknown token: send Authorization: Bearer <token>' };
}

/** The 403 message: the role needed and the role held, never the token's name. */
export function roleNeeded(needed: Role, principal: Principal): string {
  return `this needs the ${needed} role; this token has ${principal.role}`;
}

export function requireRole(tokens: TokenRegistry, role: Role): onRequestAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const presented = tokenOf(request);
    if ('refused' in presented) return sendError(reply, 401, 'unauthorized', presented.refused);
    const outcome = authenticateFrom(tokens, presented.secret, request.ip);
    if (!outcome.ok) {
      if (outcome.retryAfterSec !== undefined) reply.header('retry-after', String(outcome.retryAfterSec));
      return sendError(reply, outcome.status, outcome.code, outcome.message);
    }
    if (!allows(outcome.principal, role)) return sendError(reply, 403, 'forbidden', roleNeeded(role, outcome.principal));
    request.principal = outcome.principal;
  };
}

/**
 * The live channel's handshake check: the principal, or the Error to refuse the connection with
 * (socket.io hands its message and `data` to the client's connect_error).
 */
export function authenticateSocket(tokens: TokenRegistry, secret: string | undefined, address: string): Principal | Error {
  const outcome = authenticateFrom(tokens, secret, address);
  if (!outcome.ok) {
    const error = new Error(outcome.status === 429 ? `too many failed authentications: ${outcome.message}` : 'unauthorized: missing or unknown token');
    Object.assign(error, { data: { status: outcome.status, retryAfterSec: outcome.retryAfterSec } });
    return error;
  }
  if (!allows(outcome.principal, 'viewer')) return new Error(`forbidden: ${roleNeeded('viewer', outcome.principal)}, so it cannot watch`);
  return outcome.principal;
}

/** How many times a query key is decoded at most: enough for any realistic double encoding. */
const MAX_DECODES = 5;

function decodedName(raw: string): string {
  let name = raw.replace(/\+/g, ' ');
  for (let i = 0; i < MAX_DECODES && name.includes('%'); i++) {
    let next: string;
    try {
      next = decodeURIComponent(name);
    } catch {
      // A malformed escape: decode the well-formed ones and stop.
      next = name.replace(/%[0-9a-f]{2}/gi, (sequence) => String.fromCharCode(parseInt(sequence.slice(1), 16)));
    }
    if (next === name) break;
    name = next;
  }
  // Only the letters count: `token[]`, `token%` or ` token` are redacted too (too much is harmless here).
  return name.replace(/[^a-z]/gi, '').toLowerCase();
}

/**
 * Cuts every query parameter named `token` out of a URL before it is logged: the name compared
 * after percent-decoding (repeatedly, so `%74oken` and `%2574oken` count), in any case, and
 * ignoring anything but its letters.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const parts = url.slice(q + 1).split('&');
  const redacted = parts.map((part) => {
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    if (decodedName(name) !== 'token') return part;
    return `${name}=[redacted]`;
  });
  return `${url.slice(0, q)}?${redacted.join('&')}`;
}
