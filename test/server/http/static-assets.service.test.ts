// The built web app as the server sends it: the brotli or gzip sibling written at build time when
// the client accepts it, the file itself otherwise, the same bytes once decompressed; a year of
// immutable cache for hashed files, pages revalidated every time, Vary: Accept-Encoding; the
// security headers still on; unknown paths as before. Needs `npm run build:web` first.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineHashes } from '../../../server/http/security-headers.js';
import { cachePolicy, IMMUTABLE, REVALIDATE, SHORT, withVary } from '../../../server/http/web-assets.js';
import { startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { requireWebBuild } from '../../helpers/browser.js';

let t: TestApp;
let webRoot: string;

beforeAll(async () => {
  webRoot = requireWebBuild();
  t = await startTestApp({ webRoot });
});
afterAll(async () => {
  await t?.close();
});

/** The largest file of the build ending in `ending` under `dir` (web-root-relative, '/'-separated). */
function largest(dir: string, ending: string): string {
  const files = fs
    .readdirSync(path.join(webRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ending))
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`);
  if (files.length === 0) throw new Error(`no ${ending} file under ${dir} in the build`);
  return files.sort((a, b) => fs.statSync(path.join(webRoot, b)).size - fs.statSync(path.join(webRoot, a)).size)[0]!;
}

const get = (url: string, acceptEncoding?: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }), ...headers } });

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  return body;
}

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(String(headers['content-security-policy'])).toContain("default-src 'self'");
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('the build', () => {
  it('holds a smaller .br and .gz next to every text asset of some size', () => {
    const texts = fs
      .readdirSync(webRoot, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(js|css|html|svg|json)$/.test(f) && fs.statSync(path.join(webRoot, f)).size > 1024);
    expect(texts.length).toBeGreaterThan(10);
    for (const file of texts) {
      const size = fs.statSync(path.join(webRoot, file)).size;
      for (const ending of ['.br', '.gz']) {
        const sibling = path.join(webRoot, file + ending);
        expect(fs.existsSync(sibling), `${file}${ending} (run npm run build:web)`).toBe(true);
        expect(fs.statSync(sibling).size).toBeLessThan(size);
      }
    }
  });

  it('gives the CSP the same inline hashes as the pages alone: the siblings add none', () => {
    const bare = tempDir('watchfloor-web-bare-');
    fs.cpSync(webRoot, bare, { recursive: true, filter: (source) => !/\.(br|gz)$/.test(source) });
    expect(fs.readdirSync(bare).some((f) => /\.(br|gz)$/.test(f))).toBe(false);
    const hashes = inlineHashes(webRoot);
    expect(hashes.scripts.length).toBeGreaterThan(0);
    expect(hashes).toEqual(inlineHashes(bare));
  });
});

describe('a hashed script', () => {
  const cases = [
    { accept: 'br, gzip, deflate', encoding: 'br' },
    { accept: 'gzip, deflate, br;q=0', encoding: 'gzip' },
    { accept: 'gzip', encoding: 'gzip' },
    { accept: 'identity', encoding: undefined },
    { accept: undefined, encoding: undefined },
  ] as const;

  it.each(cases)('Accept-Encoding $accept → $encoding, the same bytes, cached a year', async ({ accept, encoding }) => {
    const file = largest('_app/immutable', '.js');
    const original = fs.readFileSync(path.join(webRoot, file));
    const response = await get(`/${file}`, accept);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    if (encoding !== undefined) expect(response.rawPayload.length).toBeLessThan(original.length * 0.6);
    expect(decoded(response.rawPayload, encoding).equals(original)).toBe(true);
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
    expect(response.headers.vary).toBe('Accept-Encoding');
    expectSecurityHeaders(response.headers);
  });

  it('answers a revalidation of the brotli copy with 304 and the same cache headers', async () => {
    const file = largest('_app/immutable', '.js');
    const first = await get(`/${file}`, 'br');
    const gzip = await get(`/${file}`, 'gzip');
    expect(first.headers.etag).toBeTruthy();
    // One ETag per representation: a cache must not answer a gzip client with brotli bytes.
    expect(gzip.headers.etag).not.toBe(first.headers.etag);
    const again = await get(`/${file}`, 'br', { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.headers['cache-control']).toBe(IMMUTABLE);
    expect(again.headers.vary).toBe('Accept-Encoding');
  });

  it('a stylesheet as well', async () => {
    const file = largest('_app/immutable', '.css');
    const response = await get(`/${file}`, 'br');
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^text\/css/);
    expect(decoded(response.rawPayload, 'br').equals(fs.readFileSync(path.join(webRoot, file)))).toBe(true);
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
  });
});

describe('pages', () => {
  it.each(['/wall/support', '/command', '/supervisor?lang=de', '/200.html'])('%s: the SPA entry, compressed, revalidated on every load', async (url) => {
    const entry = fs.readFileSync(path.join(webRoot, '200.html'));
    for (const encoding of ['br', 'gzip', undefined] as const) {
      const response = await get(url, encoding);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(decoded(response.rawPayload, encoding).equals(entry)).toBe(true);
      expect(response.headers['cache-control']).toBe(REVALIDATE);
      expect(response.headers.vary).toBe('Accept-Encoding');
      expectSecurityHeaders(response.headers);
    }
  });

  it('the build version a running page polls is never cached; other unhashed files briefly', async () => {
    expect((await get('/_app/version.json', 'br')).headers['cache-control']).toBe(REVALIDATE);
    const polyfills = await get('/polyfills.js', 'br');
    expect(polyfills.headers['content-encoding']).toBe('br');
    expect(polyfills.headers['cache-control']).toBe(SHORT);
  });
});

describe('what is not a file', () => {
  it('keeps the 404s: API paths and other methods get the error shape, uncompressed', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/no-such-thing'],
      ['DELETE', '/wall/support'],
      ['POST', '/polyfills.js'],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.json()).toEqual({ error: { code: 'not_found', message: `no route ${method} ${url}` } });
      expectSecurityHeaders(response.headers);
    }
  });

  it('does not serve the compressed siblings as URLs of their own', async () => {
    const file = largest('_app/immutable', '.js');
    const response = await get(`/${file}.br`);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.rawPayload.equals(fs.readFileSync(path.join(webRoot, `${file}.br`)))).toBe(false);
  });

  it('adds Accept-Encoding to the Vary that CORS sets, not in its place', async () => {
    const cors = await startTestApp({ webRoot, env: { CORS_ORIGINS: 'https://desk.example.com' } });
    try {
      const response = await cors.app.inject({ method: 'GET', url: '/polyfills.js', headers: { origin: 'https://desk.example.com', 'accept-encoding': 'br' } });
      expect(response.headers['content-encoding']).toBe('br');
      expect(String(response.headers.vary).split(/,\s*/).sort()).toEqual(['Accept-Encoding', 'Origin']);
    } finally {
      await cors.close();
    }
  });
});

describe('the policy', () => {
  it('by path', () => {
    expect(cachePolicy('_app/immutable/chunks/abc.js')).toBe(IMMUTABLE);
    expect(cachePolicy('_app/immutable/assets/x.css.br')).toBe(IMMUTABLE);
    expect(cachePolicy('200.html')).toBe(REVALIDATE);
    expect(cachePolicy('200.html.gz')).toBe(REVALIDATE);
    expect(cachePolicy('_app/version.json')).toBe(REVALIDATE);
    expect(cachePolicy('polyfills.js')).toBe(SHORT);
  });

  it('Vary merging', () => {
    expect(withVary(undefined, 'Accept-Encoding')).toBe('Accept-Encoding');
    expect(withVary('Origin', 'Accept-Encoding')).toBe('Origin, Accept-Encoding');
    expect(withVary('origin, accept-encoding', 'Accept-Encoding')).toBe('origin, accept-encoding');
    expect(withVary('*', 'Accept-Encoding')).toBe('*');
  });
});
