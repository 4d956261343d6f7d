// Environment → one typed, validated config object (docs/contract.md#configuration). A wrong value stops the server
// with a message that names the variable, before anything listens.
import path from 'node:path';
import { parseTokenList } from './auth/tokens.js';
import { ConfigError } from './config-error.js';
import { loadHttpHardening, type HttpHardening } from './http/http-config.js';
import { parseTicketUrlTemplates, type TicketUrlTemplates } from './links/ticket-links.js';
import { DEMO_SCENARIOS, type DemoScenario } from './simulator/outages.js';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  dashboardsDir: string;
  redisUrl: string | null;
  /** `REDIS_COMMAND_TIMEOUT_MS`: a Redis command taking longer fails (503, store "down"). */
  redisCommandTimeoutMs: number;
  /** `REDIS_KEY_PREFIX`: starts every Redis key and channel of this deployment (default `wf:`). */
  redisKeyPrefix: string;
  influxUrl: string | null;
  /** Raw `WATCHFLOOR_TOKENS`; null means "generate into DATA_DIR/tokens.json". */
  tokens: string | null;
  demo: boolean;
  /** `DEMO_SCENARIO`: `outages` injects outages with ground truth into the demo; null: the everyday demo. */
  demoScenario: DemoScenario | null;
  timeZone: string;
  atRiskMinutes: number;
  zendeskWebhookSecret: string | null;
  jiraWebhookSecret: string | null;
  freshdeskWebhookSecret: string | null;
  /** Reconciliation pollers (issue 7): each runs when its URL and credentials are set. */
  zendeskUrl: string | null;
  zendeskEmail: string | null;
  zendeskApiToken: string | null;
  jiraUrl: string | null;
  jiraEmail: string | null;
  jiraApiToken: string | null;
  /** The Jira poller's base filter; it adds its own `updated` bound. */
  jiraJql: string;
  freshdeskUrl: string | null;
  freshdeskApiKey: string | null;
  logLevel: string;
  /** `TICKET_URLS`: a link template per ticket source, for the screens' ticket lists. */
  ticketUrls: TicketUrlTemplates;
  /** FRAME_ANCESTORS, CORS_ORIGINS and the connection timeouts (server/http/http-config.ts). */
  http: HttpHardening;
  /**
   * `JOURNAL_SYNC`: `always` (default) syncs the embedded journal before every 202 (concurrent
   * requests share one sync); `interval` syncs at most once a second, so a power cut may lose
   * up to 1 s of acknowledged events.
   */
  journalSync: 'always' | 'interval';
  /** `METRICS_TOKEN`: a Bearer secret that may read GET /metrics only (a Prometheus scraper); null: admins only. */
  metricsToken: string | null;
  /** `CHROMIUM_PATH`: the headless Chromium that prints reports to PDF; null: look in the usual places. */
  chromiumPath: string | null;
  /** `STATUS_PUBLIC=1`: the status page's data (`/api/v1/status`, the Atom feed) needs no token. */
  statusPublic: boolean;
  /** `NOTIFY_RETRY_BASE_MS`: the first wait before an outbound notification is tried again (then doubling). */
  notifyRetryBaseMs: number;
}

export { ConfigError };

export const DEFAULT_JIRA_JQL = 'updated >= -1d ORDER BY updated ASC';

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

/**
 * A vendor API's variables: all set (the poller runs) or none (it does not). Half a set is a
 * mistake worth stopping for: the operator meant the poller to run.
 */
function vendorApi<K extends string>(env: Env, urlName: string, credentialNames: K[]): { url: string | null } & Record<K, string | null> {
  const baseUrl = url(env, urlName, ['https:', 'http:']);
  const credentials = Object.fromEntries(credentialNames.map((name) => [name, optional(env, name)])) as Record<K, string | null>;
  const missing = credentialNames.filter((name) => credentials[name] === null);
  if (baseUrl !== null && missing.length > 0) throw new ConfigError(missing[0]!, `required when ${urlName} is set`);
  if (baseUrl === null && missing.length < credentialNames.length) {
    const given = credentialNames.find((name) => credentials[name] !== null)!;
    throw new ConfigError(urlName, `required when ${given} is set`);
  }
  return { url: baseUrl, ...credentials };
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

function journalSync(env: Env): 'always' | 'interval' {
  const raw = optional(env, 'JOURNAL_SYNC') ?? 'always';
  if (raw !== 'always' && raw !== 'interval') throw new ConfigError('JOURNAL_SYNC', `must be always or interval, got "${raw}"`);
  return raw;
}

/**
 * `REDIS_KEY_PREFIX`: letters, digits, `_`, `.`, `-`, and one `:` at the end. With the colon only
 * there, no prefix begins with another, so two deployments on one Redis never share a key.
 */
function redisKeyPrefix(env: Env): string {
  const raw = optional(env, 'REDIS_KEY_PREFIX') ?? 'wf:';
  if (!/^[A-Za-z0-9_.-]{1,63}:$/.test(raw)) {
    throw new ConfigError(
      'REDIS_KEY_PREFIX',
      `must be 1 to 63 letters, digits, "_", "." or "-" followed by one ":", like "wf:" or "support-eu:", got "${raw}"`,
    );
  }
  return raw;
}

/** As long as the tokens' secrets must be (server/auth/tokens.ts). */
const MIN_METRICS_TOKEN = 16;

function metricsToken(env: Env): string | null {
  const raw = optional(env, 'METRICS_TOKEN');
  if (raw !== null && raw.length < MIN_METRICS_TOKEN) throw new ConfigError('METRICS_TOKEN', `must be at least ${MIN_METRICS_TOKEN} characters`);
  return raw;
}

/** `STATUS_PUBLIC`: `1` opens the status page's data to anyone, `0` (or unset) keeps it behind a viewer token. */
function statusPublic(env: Env): boolean {
  const raw = optional(env, 'STATUS_PUBLIC');
  if (raw !== null && raw !== '0' && raw !== '1') throw new ConfigError('STATUS_PUBLIC', `must be 0 or 1, got "${raw}"`);
  return raw === '1';
}

export function loadConfig(env: Env = process.env): Config {
  const demo = optional(env, 'DEMO');
  if (demo !== null && demo !== '0' && demo !== '1') throw new ConfigError('DEMO', `must be 0 or 1, got "${demo}"`);
  const demoScenario = optional(env, 'DEMO_SCENARIO');
  if (demoScenario !== null && !(DEMO_SCENARIOS as readonly string[]).includes(demoScenario))
    throw new ConfigError('DEMO_SCENARIO', `must be one of ${DEMO_SCENARIOS.join(', ')} (or unset for the everyday demo), got "${demoScenario}"`);
  // Set without the demo it would do nothing: say so rather than let someone wait for outages.
  if (demoScenario !== null && demo !== '1') throw new ConfigError('DEMO_SCENARIO', 'applies to the demo only: set DEMO=1 too, or unset it');
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
  const zendesk = vendorApi(env, 'ZENDESK_URL', ['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN']);
  const jira = vendorApi(env, 'JIRA_URL', ['JIRA_EMAIL', 'JIRA_API_TOKEN']);
  const freshdesk = vendorApi(env, 'FRESHDESK_URL', ['FRESHDESK_API_KEY']);
  return {
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: path.resolve(optional(env, 'DATA_DIR') ?? './data'),
    dashboardsDir: path.resolve(optional(env, 'DASHBOARDS_DIR') ?? './dashboards'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisCommandTimeoutMs: integer(env, 'REDIS_COMMAND_TIMEOUT_MS', 2_000, 100, 60_000),
    redisKeyPrefix: redisKeyPrefix(env),
    influxUrl,
    tokens,
    demo: demo === '1',
    demoScenario: demoScenario as DemoScenario | null,
    timeZone: timeZone(env),
    atRiskMinutes: integer(env, 'AT_RISK_MINUTES', 30, 1, 24 * 60),
    zendeskWebhookSecret: optional(env, 'ZENDESK_WEBHOOK_SECRET'),
    jiraWebhookSecret: optional(env, 'JIRA_WEBHOOK_SECRET'),
    freshdeskWebhookSecret: optional(env, 'FRESHDESK_WEBHOOK_SECRET'),
    zendeskUrl: zendesk.url,
    zendeskEmail: zendesk.ZENDESK_EMAIL,
    zendeskApiToken: zendesk.ZENDESK_API_TOKEN,
    jiraUrl: jira.url,
    jiraEmail: jira.JIRA_EMAIL,
    jiraApiToken: jira.JIRA_API_TOKEN,
    jiraJql: optional(env, 'JIRA_JQL') ?? DEFAULT_JIRA_JQL,
    freshdeskUrl: freshdesk.url,
    freshdeskApiKey: freshdesk.FRESHDESK_API_KEY,
    logLevel,
    ticketUrls: parseTicketUrlTemplates(optional(env, 'TICKET_URLS')),
    http: loadHttpHardening(env),
    journalSync: journalSync(env),
    metricsToken: metricsToken(env),
    chromiumPath: optional(env, 'CHROMIUM_PATH'),
    statusPublic: statusPublic(env),
    notifyRetryBaseMs: integer(env, 'NOTIFY_RETRY_BASE_MS', 2_000, 1, 60_000),
  };
}
