// The pieces every route schema shares: the one error shape, the role a route needs (as the
// OpenAPI document shows it) and the `?token=` every GET accepts. Plain JSON Schema, so that the
// same objects serve Fastify's validation and the published document.
import type { Role } from '../../auth/tokens.js';

declare module 'fastify' {
  interface FastifySchema {
    /** The role a route needs; shown in the API reference as the `x-role` extension. */
    'x-role'?: Role | 'public' | 'vendor-signature';
    /**
     * A request body described in the API reference but not checked by Fastify: the route checks
     * it itself (raw bytes, or a domain validator whose messages name what was sent).
     */
    documentedBody?: unknown;
  }
}

/** `{"error":{"code","message"}}`: every refusal and failure of the API. */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable, machine-readable: invalid_request, unauthorized, forbidden, not_found, …' },
        message: { type: 'string', description: 'For people: names the field and what it must be.' },
      },
      additionalProperties: true,
    },
  },
  additionalProperties: true,
} as const;

const ERROR_MEANING: Readonly<Record<number, string>> = {
  400: 'The request is invalid; the message names the field.',
  401: 'Missing or unknown token (or ?token= on a write).',
  403: 'The token is known but its role is too low; the message names the role needed.',
  404: 'Nothing by that name.',
  409: 'A conflict with the current state.',
  413: 'The body is larger than this route takes.',
  415: 'Unsupported Content-Type.',
  422: 'Understood but refused.',
  429: 'Too many failed authentications from this address (Retry-After says when to try again).',
  503: 'A store this route needs is unavailable; retry later (Retry-After).',
};

/** The error responses of a route, each in the one error shape. */
export function errors(...statuses: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const status of statuses) out[status] = { description: ERROR_MEANING[status] ?? 'Error.', ...ERROR_SCHEMA };
  return out;
}

/** Roles are ranked viewer < supervisor < commander < admin; `ingest` stands apart. */
const HIGHER: Readonly<Record<Role, string>> = {
  viewer: ' (or supervisor, commander, admin)',
  supervisor: ' (or commander, admin)',
  commander: ' (or admin)',
  admin: '',
  ingest: ' (only ingest tokens: no other role may send events)',
};

/**
 * The security part of a route's schema: a bearer token of `role`, or on GET also `?token=` (for
 * screens that cannot send headers). The role is `x-role` and the first line of the description;
 * the 401/403/429 answers are added to `responses`.
 */
export function needsRole(
  role: Role,
  method: 'GET' | 'WRITE',
  description = '',
): {
  security: { [scheme: string]: string[] }[];
  'x-role': Role;
  description: string;
} {
  return {
    security: method === 'GET' ? [{ bearerAuth: [] }, { tokenQuery: [] }] : [{ bearerAuth: [] }],
    'x-role': role,
    description: `**Role: ${role}**${HIGHER[role]}.${description === '' ? '' : `\n\n${description}`}`,
  };
}

/** 401, 403, 429: what the role guard itself may answer. */
export const GUARD_ERRORS = [401, 403, 429] as const;

/** `?token=`: the same token as the Authorization header, accepted on GET and HEAD only. */
export const TOKEN_QUERY = { type: 'string', description: 'The token, for screens that cannot send headers (GET and HEAD only).' } as const;

/** An object that may carry more than it lists: responses are documented, never trimmed. */
export function openObject(properties: Record<string, unknown>, required: readonly string[] = [], description?: string): Record<string, unknown> {
  return { type: 'object', ...(description === undefined ? {} : { description }), properties, required: [...required], additionalProperties: true };
}

export const ISO_TIME = { type: 'string', description: 'ISO-8601 time' } as const;
export const NULLABLE_ISO_TIME = { type: ['string', 'null'], description: 'ISO-8601 time, or null' } as const;
