// Security headers on every kind of response (docs/contract.md#security-and-durability), on the real app with the built web root:
// a page, an API read, an error, an asset, a 404 and /healthz; FRAME_ANCESTORS and its
// validation; CORS only for the origins CORS_ORIGINS names. Needs `npm run build:web` first.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { bearer, startTestApp, TOKEN_ENV, type TestApp } from '../../helpers/app.js';
import { requireWebBuild } from '../../helpers/browser.js';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const REQUESTS = [
  { what: 'a page', method: 'GET', url: '/wall/support', status: 200 },
  { what: 'the SPA entry itself', method: 'GET', url: '/command', status: 200 },
  { what: 'an API read', method: 'GET', url: '/api/v1/state', auth: true, status: 200 },
  { what: 'an API error', method: 'POST', url: '/api/v1/events', status: 401 },
  { what: 'an asset', method: 'GET', url: '/polyfills.js', status: 200 },
  { what: 'an API 404', method: 'GET', url: '/api/v1/no-such-thing', status: 404 },
  { what: 'a 404 of another method', method: 'DELETE', url: '/wall/support', status: 404 },
  { what: '/healthz', method: 'GET', url: '/healthz', status: 200 },
] as const;

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0] !== '')
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('every response', () => {
  it.each(REQUESTS)('carries the security headers: $what', async (request) => {
    t ??= await startTestApp({ webRoot: requireWebBuild() });
    const response = await t.app.inject({ method: request.method, url: request.url, headers: 'auth' in request ? bearer('viewer') : {} });
    expect(response.statusCode).toBe(request.status);
    const h = response.headers;
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['cross-origin-opener-policy']).toBe('same-origin');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    const csp = directives(String(h['content-security-policy']));
    expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    const scripts = csp.get('script-src') ?? [];
    expect(scripts[0]).toBe("'self'");
    for (const source of scripts.slice(1)) expect(source).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(String(h['content-security-policy'])).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(h['access-control-allow-origin']).toBeUndefined();
  });

  it("allows the built page's inline bootstrap script by its exact hash, and nothing else inline", async () => {
    const webRoot = requireWebBuild();
    t = await startTestApp({ webRoot });
    const html = fs.readFileSync(path.join(webRoot, '200.html'), 'utf8');
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    const response = await t.app.inject({ method: 'GET', url: '/wall/support' });
    const scripts = directives(String(response.headers['content-security-policy'])).get('script-src');
    const expected = inline.map((s) => `'sha256-${crypto.createHash('sha256').update(s).digest('base64')}'`);
    expect(scripts).toEqual(["'self'", ...expected]);
  });
});

describe('socket.io responses', () => {
  it('carry nosniff, no-referrer and a deny-all CSP too (long-polling is answered outside Fastify)', async () => {
    t = await startTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${address.port}/socket.io/?EIO=4&transport=polling`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe('FRAME_ANCESTORS', () => {
  it('sets frame-ancestors, and drops X-Frame-Options when other origins may frame', async () => {
    t = await startTestApp({ webRoot: requireWebBuild(), env: { FRAME_ANCESTORS: "'self' https://signage.example.com" } });
    const response = await t.app.inject({ method: 'GET', url: '/wall/support' });
    expect(directives(String(response.headers['content-security-policy'])).get('frame-ancestors')).toEqual(["'self'", 'https://signage.example.com']);
    expect(response.headers['x-frame-options']).toBeUndefined();
  });

  it.each(["'self'; script-src *", 'https://a.example.com,https://b.example.com', "'none' 'self'", 'https://x.example.com/path', "'unsafe-inline'"])(
    'refuses %s with the variable named',
    (value) => {
      expect(() => loadConfig({ WATCHFLOOR_TOKENS: TOKEN_ENV, FRAME_ANCESTORS: value })).toThrow(/^FRAME_ANCESTORS: /);
    },
  );
});

describe('CORS', () => {
  it('answers only the origins CORS_ORIGINS names, preflights included', async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://desk.example.com, http://localhost:5173' } });
    const allowed = await t.app.inject({ method: 'GET', url: '/api/v1/state', headers: { ...bearer('viewer'), origin: 'https://desk.example.com' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://desk.example.com');
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/state', headers: { ...bearer('viewer'), origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/events',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
    expect(() => loadConfig({ WATCHFLOOR_TOKENS: TOKEN_ENV, CORS_ORIGINS: 'https://desk.example.com/path' })).toThrow(/^CORS_ORIGINS: /);
  });
});
