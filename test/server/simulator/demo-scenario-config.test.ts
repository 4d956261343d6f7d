// `DEMO_SCENARIO` (docs/contract.md#configuration): `outages` or unset; anything else, or the
// variable without the demo, stops the server with a message that names it and says what to do.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

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
