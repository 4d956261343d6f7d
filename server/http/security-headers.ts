// Security headers on every response (pages, API, assets, errors, 404s, /healthz), from helmet
// with its defaults as the bar, tightened where Watchfloor can:
// - scripts only from this server; the one inline script SvelteKit writes into its pages (the
//   bootstrap) is allowed by its SHA-256, computed here from the built pages at start, so the
//   policy always matches the files served. The header, not a <meta> tag, carries it: only a
//   header can say `frame-ancestors`, and one policy in one place cannot disagree with itself;
// - styles only from this server plus the hash of the page's one inline <style>: Svelte's
//   `style:` directives set styles through the CSSOM, which CSP does not restrict, so no
//   'unsafe-inline' is needed. The few static `style="…"` attributes in the bundle's templates
//   (SvelteKit's screen-reader announcer) are allowed one by one, by the hash of their exact value
//   ('unsafe-hashes' in style-src-attr), found by scanning the built scripts at start. The Chromium
//   test in test/e2e/csp.test.ts holds the pages to zero violations under this policy;
// - `frame-ancestors` from FRAME_ANCESTORS (signage players that frame walls).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { HttpHardening } from './http-config.js';

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;
const INLINE_STYLE = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi;
// A literal attribute value only: no quote, no escape, no template expression inside.
const STYLE_ATTRIBUTE = /\sstyle="([^"\\{}<>]*)"/g;

const sha256 = (text: string): string => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export interface InlineHashes {
  /** Inline <script> elements of the built pages. */
  scripts: string[];
  /** Inline <style> elements of the built pages. */
  styles: string[];
  /** Static `style` attribute values in the pages and in the bundle's templates. */
  styleAttributes: string[];
}

function filesUnder(dir: string, ending: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ending))
    .map((f) => path.join(dir, f));
}

/** The CSP hash sources of the inline code of the built web app (each list sorted, unique). */
export function inlineHashes(webRoot: string | null): InlineHashes {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  const styleAttributes = new Set<string>();
  if (webRoot !== null && fs.existsSync(webRoot)) {
    for (const file of fs.readdirSync(webRoot).filter((f) => f.endsWith('.html'))) {
      const html = fs.readFileSync(path.join(webRoot, file), 'utf8');
      for (const match of html.matchAll(INLINE_SCRIPT)) scripts.add(sha256(match[1]!));
      for (const match of html.matchAll(INLINE_STYLE)) styles.add(sha256(match[1]!));
      for (const match of html.matchAll(STYLE_ATTRIBUTE)) styleAttributes.add(sha256(match[1]!));
    }
    for (const file of filesUnder(path.join(webRoot, '_app'), '.js')) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(STYLE_ATTRIBUTE)) styleAttributes.add(sha256(match[1]!));
    }
  }
  const sorted = (set: Set<string>): string[] => [...set].sort();
  return { scripts: sorted(scripts), styles: sorted(styles), styleAttributes: sorted(styleAttributes) };
}

/** The Content-Security-Policy directives (helmet's form). */
export function cspDirectives(options: { frameAncestors: string } & InlineHashes): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...options.scripts],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...options.styles],
    // Browsers without style-src-attr (CSP 2) fall back to style-src and drop these attributes;
    // the page's inline <style> repeats the announcer's, so nothing shows that should not.
    'style-src-attr': options.styleAttributes.length === 0 ? ["'none'"] : ["'unsafe-hashes'", ...options.styleAttributes],
    'img-src': ["'self'"],
    'font-src': ["'self'"],
    // socket.io: same-origin polling and websocket; 'self' covers ws(s): of this origin in CSP 3.
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': options.frameAncestors.split(' '),
    // No upgrade-insecure-requests (a helmet default): walls often run on plain http inside a
    // LAN, where upgrading every request would fail.
  };
}

export async function registerSecurityHeaders(app: FastifyInstance, options: { http: HttpHardening; webRoot: string | null }): Promise<void> {
  const ancestors = options.http.frameAncestors;
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives({ frameAncestors: ancestors, ...inlineHashes(options.webRoot) }) },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // X-Frame-Options for browsers without CSP 2; it can say only "this origin" or "nobody", so
    // it is left out when other origins may frame (those browsers then follow frame-ancestors).
    xFrameOptions: ancestors === "'self'" ? { action: 'sameorigin' } : ancestors === "'none'" ? { action: 'deny' } : false,
  });
  if (options.http.corsOrigins.length > 0) installCors(app, new Set(options.http.corsOrigins));
}

/** CORS for the named origins only: their requests get the allow headers, preflights a 204. */
function installCors(app: FastifyInstance, origins: ReadonlySet<string>): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    if (origin === undefined || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply
        .header('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .code(204);
      return reply.send();
    }
  });
}

/** The headers every socket.io response gets: it answers long-polling itself, outside Fastify. */
export const ENGINE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function secureEngineResponses(engine: { on(event: 'headers', listener: (headers: Record<string, string>) => void): unknown }): void {
  engine.on('headers', (headers) => Object.assign(headers, ENGINE_HEADERS));
}
