// The built web app: files from the web root, precompressed, with a cache policy per kind of file,
// and the SPA entry (200.html) for every other GET outside /api/.
// - `npm run build:web` writes a .br and a .gz next to each text asset (scripts/precompress.mjs);
//   @fastify/static picks one by Accept-Encoding, so nothing is compressed per request.
// - Hashed files under _app/immutable/ change name when their content changes: a year, immutable.
// - Pages are `no-cache` (kept, but revalidated by ETag on every load) rather than `no-store`:
//   after a deploy the next load sees the new page, which names the new hashed files, and a wall
//   reloading an unchanged page gets a 304 instead of the whole page.
// - `_app/version.json` is how a running page learns of a new build: never served from a cache.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.js';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';
export const SHORT = 'public, max-age=300';

const COMPRESSED_SIBLING = /\.(br|gz)$/;

/** The Cache-Control of a file of the web root, by its path relative to that root ('/'-separated). */
export function cachePolicy(relativePath: string): string {
  const file = relativePath.replace(COMPRESSED_SIBLING, '');
  if (file.endsWith('.html') || file === '_app/version.json') return REVALIDATE;
  if (file.startsWith('_app/immutable/')) return IMMUTABLE;
  return SHORT;
}

/** A Vary value with `name` added once (case-insensitively) to what is already there. */
export function withVary(current: unknown, name: string): string {
  const names =
    typeof current === 'string'
      ? current
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== '')
      : [];
  if (names.includes('*') || names.some((n) => n.toLowerCase() === name.toLowerCase())) return names.join(', ');
  return [...names, name].join(', ');
}

export async function registerWebAssets(app: FastifyInstance, webRoot: string | null): Promise<void> {
  const entry = webRoot === null ? null : path.join(webRoot, '200.html');
  const hasWeb = webRoot !== null && entry !== null && fs.existsSync(entry);
  if (hasWeb) {
    // The file each response sends, noted by the plugin's hook (given the raw response) and read
    // back in onSend, where the headers other hooks set (CORS's Vary: Origin) are known and can be
    // added to, not replaced.
    const served = new WeakMap<object, string>();
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      // The .br/.gz siblings are representations of their file, not URLs of their own.
      globIgnore: ['**/*.br', '**/*.gz'],
      setHeaders: (res, file) => served.set(res, path.relative(webRoot, file).split(path.sep).join('/')),
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      const file = served.get(reply.raw);
      if (file !== undefined) {
        reply.header('cache-control', cachePolicy(file));
        reply.header('vary', withVary(reply.getHeader('vary'), 'Accept-Encoding'));
      }
      return payload;
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && hasWeb && !request.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('200.html');
    }
    return sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
  });
}
