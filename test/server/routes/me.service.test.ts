// GET /api/v1/me: who a token is, for screens that offer only what its role may do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, TOKENS, type TestApp } from '../../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('GET /api/v1/me', () => {
  it('names each watching token and its role', async () => {
    for (const role of ['viewer', 'supervisor', 'commander', 'admin'] as const) {
      const response = await t.app.inject({ url: '/api/v1/me', headers: bearer(role) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ name: `${role}-user`, role });
    }
    // ?token= as a page sends it.
    expect((await t.app.inject({ url: `/api/v1/me?token=${TOKENS.supervisor}` })).json()).toEqual({ name: 'supervisor-user', role: 'supervisor' });
  });

  it('answers 401 without a known token and 403 for an ingest token', async () => {
    expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer nope-nope-nope-nope' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer('ingest') })).statusCode).toBe(403);
  });
});
