// Environment → one typed, validated config object (SPEC 3). A wrong value stops the server
// with a message that names the variable, before anything listens.
import path from 'node:path';
import { parseTokenList } from './auth/tokens.js';
import { ConfigError } from './config-error.js';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  dashboardsDir: string;
  redisUrl: string | null;
  influxUrl: string | null;
  /** Raw `WATCHFLOOR_TOKENS`; null means "generate into DATA_DIR/tokens.json". */
  tokens: string | null;
  demo: boolean;
  timeZone: string;
  atRiskMinutes: number;
  zendeskWebhookSecret: string | null;
  jiraWebhookSecret: string | null;
  freshdeskWebhookSecret: string | null;
  logLevel: string;
}

export { ConfigError };

type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | null {
  const value = env[name];
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = optional(env, name);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function timeZone(env: Env): string {
  const raw = optional(env, 'TZ');
  const zone = raw ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone.replace(/^:/, '') });
  } catch {
    throw new ConfigError('TZ', `unknown time zone "${raw}"`);
  }
  return zone;
}

export function loadConfig(env: Env = process.env): Config {
  const demo = optional(env, 'DEMO');
  if (demo !== null && demo !== '0' && demo !== '1') throw new ConfigError('DEMO', `must be 0 or 1, got "${demo}"`);
  const influxUrl = url(env, 'INFLUX_URL', ['http:', 'https:']);
  if (influxUrl !== null && new URL(influxUrl).pathname.replace(/\//g, '') === '') {
    throw new ConfigError('INFLUX_URL', 'must name the database, as in http://host:8086/watchfloor');
  }
  const logLevel = optional(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent, got "${logLevel}"`);
  }
  const tokens = optional(env, 'WATCHFLOOR_TOKENS');
  // Parsed here only to fail fast with the variable's name; the registry is built at start.
  if (tokens !== null) parseTokenList(tokens);
  return {
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: path.resolve(optional(env, 'DATA_DIR') ?? './data'),
    dashboardsDir: path.resolve(optional(env, 'DASHBOARDS_DIR') ?? './dashboards'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    influxUrl,
    tokens,
    demo: demo === '1',
    timeZone: timeZone(env),
    atRiskMinutes: integer(env, 'AT_RISK_MINUTES', 30, 1, 24 * 60),
    zendeskWebhookSecret: optional(env, 'ZENDESK_WEBHOOK_SECRET'),
    jiraWebhookSecret: optional(env, 'JIRA_WEBHOOK_SECRET'),
    freshdeskWebhookSecret: optional(env, 'FRESHDESK_WEBHOOK_SECRET'),
    logLevel,
  };
}
