// Configuration (docs/contract.md#configuration, #authentication-and-roles): a wrong value stops the server with a message that names the
// variable; with no WATCHFLOOR_TOKENS, one token per role is generated into DATA_DIR once
// (owner-only file) and reused on later starts.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { startTestApp, tempDir, type TestApp } from '../helpers/app.js';

/** Runs loadConfig and returns the ConfigError it throws. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has the defaults of docs/contract.md#configuration', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, redisUrl: null, influxUrl: null, tokens: null, demo: false, atRiskMinutes: 30 });
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.dashboardsDir).toBe(path.resolve('./dashboards'));
  });

  it('takes good values', () => {
    const config = loadConfig({
      PORT: '8080',
      AT_RISK_MINUTES: '15',
      REDIS_URL: 'redis://localhost:6379',
      INFLUX_URL: 'http://localhost:8086/watchfloor',
      TZ: 'Europe/Berlin',
      DEMO: '1',
      DATA_DIR: '/tmp/wf-data',
    });
    expect(config).toMatchObject({
      port: 8080,
      atRiskMinutes: 15,
      redisUrl: 'redis://localhost:6379',
      influxUrl: 'http://localhost:8086/watchfloor',
      timeZone: 'Europe/Berlin',
      demo: true,
      dataDir: '/tmp/wf-data',
    });
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ['PORT', { PORT: 'abc' }, /whole number.*"abc"/],
    ['PORT', { PORT: '70000' }, /between 0 and 65535/],
    ['AT_RISK_MINUTES', { AT_RISK_MINUTES: '0' }, /between 1 and/],
    ['AT_RISK_MINUTES', { AT_RISK_MINUTES: '-5' }, /whole number/],
    ['REDIS_URL', { REDIS_URL: 'http://x' }, /redis:/],
    ['REDIS_URL', { REDIS_URL: 'not a url' }, /must be a URL/],
    ['INFLUX_URL', { INFLUX_URL: 'http://localhost:8086' }, /database/],
    ['INFLUX_URL', { INFLUX_URL: 'ftp://localhost/db' }, /http:/],
    ['TZ', { TZ: 'Mars/Base' }, /Mars\/Base/],
    ['DEMO', { DEMO: 'yes' }, /0 or 1.*"yes"/],
  ];
  for (const [variable, env, reason] of cases) {
    it(`names ${variable} for ${JSON.stringify(env)}`, () => {
      const error = configError(env);
      expect(error.variable).toBe(variable);
      expect(error.message.startsWith(`${variable}: `)).toBe(true);
      expect(error.message).toMatch(reason);
    });
  }

  // WATCHFLOOR_TOKENS is part of the environment like the rest: a wrong entry must stop the
  // server as a configuration error, before anything else starts.
  const tokenCases: [string, string, RegExp][] = [
    ['an unknown role', 'boss:carol:0123456789abcdef0123', /unknown role "boss"/],
    ['a short secret', 'viewer:tv:short', /shorter than 16/],
    ['a malformed entry', 'viewer-only', /role:name:secret/],
  ];
  for (const [what, tokens, reason] of tokenCases) {
    it(`names WATCHFLOOR_TOKENS for ${what}`, () => {
      const error = configError({ WATCHFLOOR_TOKENS: tokens });
      expect(error.variable).toBe('WATCHFLOOR_TOKENS');
      expect(error.message).toMatch(reason);
    });
  }

  it('refuses a bad WATCHFLOOR_TOKENS at the latest when the app is built', async () => {
    // Whatever loadConfig does, the app must never start with a token list it cannot read.
    await expect(startTestApp({ env: { WATCHFLOOR_TOKENS: 'boss:carol:0123456789abcdef0123' } })).rejects.toMatchObject({
      name: 'ConfigError',
      variable: 'WATCHFLOOR_TOKENS',
    });
    await expect(startTestApp({ env: { WATCHFLOOR_TOKENS: 'viewer:tv:short' } })).rejects.toMatchObject({ variable: 'WATCHFLOOR_TOKENS' });
  });
});

describe('generated tokens', () => {
  const started: TestApp[] = [];
  afterEach(async () => {
    for (const app of started.splice(0)) await app.close();
  });

  /** Starts with WATCHFLOOR_TOKENS unset (the helper sets it; an empty value reads as unset). */
  async function startWithoutTokens(dataDir: string): Promise<TestApp> {
    const app = await startTestApp({ dataDir, env: { WATCHFLOOR_TOKENS: '' } });
    started.push(app);
    return app;
  }

  interface TokenFile {
    tokens: { role: string; name: string; secret: string }[];
  }

  it('generates one token per role into DATA_DIR/tokens.json, owner-only, and reuses it', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'tokens.json');
    const first = await startWithoutTokens(dataDir);
    expect(first.app.generatedTokensFile).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const generated = JSON.parse(fs.readFileSync(file, 'utf8')) as TokenFile;
    expect(generated.tokens.map((token) => token.role).sort()).toEqual(['admin', 'commander', 'ingest', 'supervisor', 'viewer']);
    const secrets = generated.tokens.map((token) => token.secret);
    expect(new Set(secrets).size).toBe(5);
    for (const secret of secrets) expect(secret.length).toBeGreaterThanOrEqual(16);

    // The generated tokens work with their roles.
    const secretOf = (role: string) => generated.tokens.find((token) => token.role === role)!.secret;
    const read = (secret: string) => first.app.inject({ method: 'GET', url: '/api/v1/state', headers: { authorization: `Bearer ${secret}` } });
    expect((await read(secretOf('viewer'))).statusCode).toBe(200);
    expect((await read(secretOf('ingest'))).statusCode).toBe(403);
    await first.close();
    started.pop();

    // The second start reads the same file and generates nothing.
    const second = await startWithoutTokens(dataDir);
    expect(second.app.generatedTokensFile).toBeNull();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(generated);
    const again = await second.app.inject({ method: 'GET', url: '/api/v1/state', headers: { authorization: `Bearer ${secretOf('viewer')}` } });
    expect(again.statusCode).toBe(200);
  });

  it('generates no file when WATCHFLOOR_TOKENS is set', async () => {
    const app = await startTestApp();
    started.push(app);
    expect(app.app.generatedTokensFile).toBeNull();
    expect(fs.existsSync(path.join(app.dataDir, 'tokens.json'))).toBe(false);
  });
});

// DEMO_SCENARIO: `outages` or unset; anything else, or the variable without the demo, stops the server
// with a message that names it and says what to do.
describe('DEMO_SCENARIO', () => {
  it('is the everyday demo when unset or blank', () => {
    expect(loadConfig({ DEMO: '1' }).demoScenario).toBeNull();
    expect(loadConfig({ DEMO: '1', DEMO_SCENARIO: '  ' }).demoScenario).toBeNull();
    expect(loadConfig({}).demoScenario).toBeNull();
  });

  it('takes outages with the demo', () => {
    expect(loadConfig({ DEMO: '1', DEMO_SCENARIO: 'outages' })).toMatchObject({ demo: true, demoScenario: 'outages' });
  });

  it('names an unknown value and the known ones', () => {
    const error = configError({ DEMO: '1', DEMO_SCENARIO: 'outage' });
    expect(error.variable).toBe('DEMO_SCENARIO');
    expect(error.message).toBe('DEMO_SCENARIO: must be one of outages (or unset for the everyday demo), got "outage"');
    expect(configError({ DEMO: '1', DEMO_SCENARIO: '<script>' }).message).toContain('got "<script>"');
  });

  it('refuses a scenario without the demo', () => {
    const envs: Record<string, string>[] = [{ DEMO_SCENARIO: 'outages' }, { DEMO: '0', DEMO_SCENARIO: 'outages' }];
    for (const env of envs) {
      const error = configError(env);
      expect(error.variable).toBe('DEMO_SCENARIO');
      expect(error.message).toContain('set DEMO=1');
    }
  });
});
