// Tokens on the real app (docs/contract.md#security-and-durability): ?token= only for reads, the failed-authentication limit over
// HTTP and the live handshake (429 with Retry-After for unknown tokens, known tokens unaffected),
// a 403 that names roles and not the token, and no secret in any log line however the query
// parameter's name is encoded.
import { logSink } from '../../helpers/log-sink.js';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { FAILED_AUTH_LIMIT } from '../../../server/auth/auth-throttle.js';
import { bearer, startTestApp, TOKEN_ENV, TOKENS, tempDir, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { baseUrl, LiveRecorder } from '../../helpers/live-client.js';

let t: TestApp | null = null;
const clients: LiveRecorder[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await t?.close();
  t = null;
});

describe('?token=', () => {
  it('is honoured for GET and HEAD, refused for writes with a message that says to use the header', async () => {
    t = await startTestApp();
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/state?token=${TOKENS.viewer}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'HEAD', url: `/api/v1/state?token=${TOKENS.viewer}` })).statusCode).toBe(200);

    const batch = [ticketEvent({ id: 'Q-1' })];
    const viaQuery = await t.app.inject({ method: 'POST', url: `/api/v1/events?token=${TOKENS.ingest}`, payload: batch });
    expect(viaQuery.statusCode).toBe(401);
    expect(viaQuery.json().error.message).toMatch(/only for GET and HEAD.*Authorization: Bearer/);
    // Nothing of the refused batch was taken; the same batch with the header is.
    expect(t.app.model.ticketCount).toBe(0);
    const viaHeader = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: bearer('ingest'), payload: batch });
    expect(viaHeader.statusCode).toBe(202);
  });
});

describe('a 403', () => {
  it('names the role needed and the role held, not the token', async () => {
    t = await startTestApp();
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/walls/announce', headers: bearer('viewer'), payload: { text: 'hi', seconds: 10 } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toBe('this needs the supervisor role; this token has viewer');
    expect(response.body).not.toContain('viewer-user');
  });
});

describe('failed authentications', () => {
  it(`after ${FAILED_AUTH_LIMIT} from one address: 429 with Retry-After for unknown tokens, over HTTP and the live handshake; known tokens keep working`, async () => {
    t = await startTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = baseUrl(t.app);
    for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
      const response = await fetch(`${url}/api/v1/state`, { headers: { authorization: `Bearer wrong-guess-${i}-xxxxxxxx` } });
      expect(response.status, `guess ${i + 1}`).toBe(401);
    }
    const throttled = await fetch(`${url}/api/v1/state`, { headers: { authorization: 'Bearer wrong-guess-last-xxxxxxxx' } });
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await throttled.json()) as { error: { message: string } }).error.message).toMatch(/too many failed authentications.*try again in \d+ s/);
    // ?token= on a page read counts the same.
    expect((await fetch(`${url}/api/v1/state?token=another-wrong-guess-xx`)).status).toBe(429);

    // Known tokens from the same address: unaffected, on both channels.
    expect((await fetch(`${url}/api/v1/state`, { headers: bearer('viewer') })).status).toBe(200);
    expect(
      (
        await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { ...bearer('ingest'), 'content-type': 'application/json' },
          body: JSON.stringify([ticketEvent({ id: 'T-ok' })]),
        })
      ).status,
    ).toBe(202);
    const good = new LiveRecorder(url, TOKENS.viewer);
    clients.push(good);
    await good.ready();

    const bad = new LiveRecorder(url, 'unknown-socket-guess-xx');
    clients.push(bad);
    const error = (await bad.rejected()) as Error & { data?: { status: number; retryAfterSec: number } };
    expect(error.message).toMatch(/too many failed authentications/);
    expect(error.data?.status).toBe(429);
    expect(error.data?.retryAfterSec).toBeGreaterThanOrEqual(1);
  });

  it('counts the live handshake toward the limit too', async () => {
    t = await startTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = baseUrl(t.app);
    for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
      const guess = new LiveRecorder(url, `socket-guess-${i}-xxxxxxxx`);
      clients.push(guess);
      expect((await guess.rejected()).message).toMatch(/^unauthorized/);
      guess.close();
    }
    expect((await fetch(`${url}/api/v1/state`, { headers: { authorization: 'Bearer http-guess-xxxxxxxxxxx' } })).status).toBe(429);
  });
});

describe('logs', () => {
  it('never carry a token, however the name of the query parameter is encoded', async () => {
    const { stream, text: logText } = logSink();
    const config = loadConfig({ DATA_DIR: tempDir(), WATCHFLOOR_TOKENS: TOKEN_ENV, LOG_LEVEL: 'debug' });
    const app = await buildApp(config, { webRoot: null, logStream: stream });
    t = { app, config, dataDir: config.dataDir, close: () => app.close() };
    const secrets: string[] = [];
    const names = ['%74oken', '%74%6F%6B%65%6E', 'TOKEN', 'Token', '%54oken', '%2574oken', '%252574oken', 'to%6Ben', '%74oken%', '%zz&%74oken'];
    for (const [i, name] of names.entries()) {
      const secret = `leaked-secret-${i}-abcdefgh`;
      secrets.push(secret);
      await app.inject({ method: 'GET', url: `/api/v1/me?x=1&${name}=${secret}` });
    }
    // The real viewer token under an encoded name: Fastify decodes the name and honours it.
    const me = await app.inject({ method: 'GET', url: `/api/v1/me?%74oken=${TOKENS.viewer}` });
    expect(me.statusCode).toBe(200);
    const log = logText();
    // Logged (the check is not vacuous), with every value cut out.
    expect(log).toContain('/api/v1/me?%74oken=[redacted]');
    expect(log).toContain('/api/v1/me?x=1&%2574oken=[redacted]');
    for (const secret of [...secrets, TOKENS.viewer]) expect(log).not.toContain(secret);
  });
});
