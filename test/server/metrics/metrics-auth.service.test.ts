// Who may read GET /metrics: the admin role (as on every admin route), or the METRICS_TOKEN as a
// Bearer token, so that a Prometheus scraper holds no admin token. Every refusal in the one shape.
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../../server/config.js';
import { bearer, startTestApp, TOKEN_ENV, TOKENS, type TestApp } from '../../helpers/app.js';

const METRICS_TOKEN = 'prometheus-scrape-secret-0001';
let t: TestApp | null = null;

afterEach(async () => {
  await t?.close();
  t = null;
});

const get = (headers: Record<string, string> = {}, url = '/metrics'): Promise<LightMyRequestResponse> => t!.app.inject({ url, headers });

function refused(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode).toBe(status);
  expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
  expect(response.body).not.toContain('watchfloor_');
}

describe('GET /metrics access', () => {
  it('answers admins; 401 without or with an unknown token; 403 to every lower role', async () => {
    t = await startTestApp();
    expect((await get(bearer('admin'))).statusCode).toBe(200);
    expect((await get({}, `/metrics?token=${TOKENS.admin}`)).statusCode).toBe(200);
    refused(await get(), 401, 'unauthorized');
    refused(await get({ authorization: 'Bearer nobody-knows-this-token' }), 401, 'unauthorized');
    for (const role of ['viewer', 'supervisor', 'commander', 'ingest'] as const) {
      const response = await get(bearer(role));
      refused(response, 403, 'forbidden');
      expect(response.json().error.message).toContain('admin');
    }
  });

  it('answers the METRICS_TOKEN sent as a Bearer token, and only as one', async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
    const scraped = await get({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('watchfloor_events_received_total');
    // Not in the URL: URLs end up in logs and proxies.
    refused(await get({}, `/metrics?token=${METRICS_TOKEN}`), 401, 'unauthorized');
    refused(await get({ authorization: `Bearer ${METRICS_TOKEN}x` }), 401, 'unauthorized');
    // Admins keep their access.
    expect((await get(bearer('admin'))).statusCode).toBe(200);
  });

  it('opens nothing else to the METRICS_TOKEN', async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
    refused(await get({ authorization: `Bearer ${METRICS_TOKEN}` }, '/api/v1/state'), 401, 'unauthorized');
    const ack = await t.app.inject({ method: 'POST', url: '/api/v1/admin/journal/ack', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    refused(ack, 401, 'unauthorized');
  });

  it("without METRICS_TOKEN configured, no bearer but an admin's is let in", async () => {
    t = await startTestApp();
    refused(await get({ authorization: `Bearer ${METRICS_TOKEN}` }), 401, 'unauthorized');
  });

  it('refuses to start with a METRICS_TOKEN shorter than 16 characters, naming the variable', () => {
    const base = { DATA_DIR: '/tmp/unused', WATCHFLOOR_TOKENS: TOKEN_ENV };
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short-secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short-secret' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({ ...base, METRICS_TOKEN }).metricsToken).toBe(METRICS_TOKEN);
    expect(loadConfig(base).metricsToken).toBeNull();
  });
});
