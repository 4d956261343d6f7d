// The HTTP hardening variables: who may frame the pages (FRAME_ANCESTORS), which origins may call
// the API from a browser (CORS_ORIGINS) and the connection timeouts. Parsed at config load, so a
// wrong value stops the server with the variable's name before anything listens. Pure.
import { ConfigError } from '../config-error.js';

export interface HttpHardening {
  /** The CSP `frame-ancestors` sources, e.g. `'self' https://signage.example.com`. */
  frameAncestors: string;
  /** Origins allowed to call the API from a browser; empty: no CORS headers at all. */
  corsOrigins: string[];
  /** A request (headers and body) must have arrived within this. */
  requestTimeoutMs: number;
  /** The request headers must have arrived within this. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_FRAME_ANCESTORS = "'self'";
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 72_000;

const KEYWORDS = new Set(["'self'", "'none'"]);
// A scheme (`https:`) or a host source: scheme optional, `*.` wildcard, port optional, no path,
// no quote, semicolon or comma that could end the directive and smuggle another one in.
const SCHEME_SOURCE = /^[a-z][a-z0-9+.-]*:$/i;
const HOST_SOURCE = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?$/i;

export function parseFrameAncestors(raw: string | null): string {
  if (raw === null) return DEFAULT_FRAME_ANCESTORS;
  const sources = raw.split(/\s+/).filter((s) => s !== '');
  for (const source of sources) {
    if (KEYWORDS.has(source.toLowerCase()) || SCHEME_SOURCE.test(source) || HOST_SOURCE.test(source)) continue;
    throw new ConfigError(
      'FRAME_ANCESTORS',
      `"${source}" is not a frame-ancestors source; use 'self', 'none', a scheme (https:) or an origin (https://signage.example.com), separated by spaces`,
    );
  }
  if (sources.length === 0) return DEFAULT_FRAME_ANCESTORS;
  if (sources.some((s) => s.toLowerCase() === "'none'") && sources.length > 1) {
    throw new ConfigError('FRAME_ANCESTORS', "'none' cannot be combined with other sources");
  }
  return sources.join(' ');
}

export function parseCorsOrigins(raw: string | null): string[] {
  if (raw === null) return [];
  const origins = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return origins.map((origin) => {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin such as https://desk.example.com`);
    }
    if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" must be a bare origin (scheme, host, optional port), such as https://desk.example.com`);
    }
    return parsed.origin;
  });
}

function milliseconds(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 100 || Number(raw) > 3_600_000) {
    throw new ConfigError(name, `must be a whole number of milliseconds from 100 to 3600000, got "${raw}"`);
  }
  return Number(raw);
}

export function loadHttpHardening(env: Env): HttpHardening {
  const optional = (name: string): string | null => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const requestTimeoutMs = milliseconds(env, 'REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS);
  const headersTimeoutMs = milliseconds(env, 'HEADERS_TIMEOUT_MS', DEFAULT_HEADERS_TIMEOUT_MS);
  // Node refuses a headers timeout longer than the whole request's.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HEADERS_TIMEOUT_MS', `must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`);
  }
  return {
    frameAncestors: parseFrameAncestors(optional('FRAME_ANCESTORS')),
    corsOrigins: parseCorsOrigins(optional('CORS_ORIGINS')),
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: milliseconds(env, 'KEEP_ALIVE_TIMEOUT_MS', DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
  };
}
