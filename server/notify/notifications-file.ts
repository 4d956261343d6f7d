// Validation of `dashboards/notifications.json` (docs/contract.md#outbound-notifications). Pure but
// for the environment it is handed: every problem with its JSON path, like the other settings
// files, so whoever edits the file fixes it from one log line. A secret written `env:NAME` is read
// from that environment here; a variable that is not set is a problem of the secret's path.
import type { DashboardProblem } from '../../contract/dashboards.js';
import { describeValue, isObject } from '../domain/validation.js';

export const NOTIFY_EVENTS = ['incident.declared', 'incident.changed', 'incident.update', 'incident.resolved', 'alert.fired', 'suggestion.raised'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export const NOTIFY_FORMATS = ['json', 'slack', 'teams'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

export interface NotifyTarget {
  id: string;
  url: string;
  /** The secret itself (an `env:NAME` resolved): never logged, never listed. */
  secret: string;
  events: NotifyEvent[];
  format: NotifyFormat;
}

export interface NotificationsConfig {
  /** By id, in the file's order. */
  targets: Map<string, NotifyTarget>;
}

export type NotificationsValidation = { ok: true; config: NotificationsConfig } | { ok: false; problems: DashboardProblem[] };

/** More receivers than a support department wires up; each event costs one delivery per target. */
export const MAX_TARGETS = 50;
/** An HMAC key shorter than this is guessable; the tokens ask the same. */
export const MIN_SECRET = 16;
/** A target's id goes into delivery ids and queue names: a plain word. */
const TARGET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FILE_KEYS = ['targets'] as const;
const TARGET_KEYS = ['id', 'url', 'secret', 'events', 'format'] as const;

export function validateNotificationsFile(value: unknown, env: Readonly<Record<string, string | undefined>>): NotificationsValidation {
  const problems: DashboardProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(value)) return { ok: false, problems: [{ path: '', message: `must be a JSON object ({"targets": […]}), got ${describeValue(value)}` }] };
  for (const key of Object.keys(value)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) report(key, `unknown key "${key}"; allowed here: ${FILE_KEYS.join(', ')}`);
  }
  const targets = new Map<string, NotifyTarget>();
  if (!Array.isArray(value.targets)) report('targets', `must be an array of targets ([] sends nothing), got ${describeValue(value.targets)}`);
  else if (value.targets.length > MAX_TARGETS) report('targets', `at most ${MAX_TARGETS} targets, got ${value.targets.length}`);
  else {
    for (const [index, raw] of (value.targets as unknown[]).entries()) {
      const target = validateTarget(raw, `targets[${index}]`, env, report);
      if (target === null) continue;
      if (targets.has(target.id)) report(`targets[${index}].id`, `"${target.id}" is used by an earlier target`);
      else targets.set(target.id, target);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { targets } };
}

function validateTarget(
  raw: unknown,
  at: string,
  env: Readonly<Record<string, string | undefined>>,
  report: (path: string, message: string) => void,
): NotifyTarget | null {
  if (!isObject(raw)) {
    report(at, `must be an object {id, url, secret, events, format}, got ${describeValue(raw)}`);
    return null;
  }
  const before = { count: 0 };
  const note = (path: string, message: string) => {
    before.count++;
    report(path, message);
  };
  for (const key of Object.keys(raw)) {
    if (!(TARGET_KEYS as readonly string[]).includes(key)) note(`${at}.${key}`, `unknown key "${key}"; allowed here: ${TARGET_KEYS.join(', ')}`);
  }
  const id = typeof raw.id === 'string' && TARGET_ID.test(raw.id) ? raw.id : null;
  if (id === null) note(`${at}.id`, `must be a name of letters, digits, - and _ (up to 64), got ${describeValue(raw.id)}`);

  let url: string | null = null;
  if (typeof raw.url !== 'string') note(`${at}.url`, `must be an http(s) URL, got ${describeValue(raw.url)}`);
  else {
    try {
      const parsed = new URL(raw.url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') note(`${at}.url`, `must be http: or https:, got ${parsed.protocol}`);
      else url = parsed.href;
    } catch {
      // The URL may hold a webhook's own secret (Slack's do): the message does not repeat it.
      note(`${at}.url`, 'is not a valid URL');
    }
  }

  let secret: string | null = null;
  if (typeof raw.secret !== 'string') note(`${at}.secret`, `must be a string (or "env:NAME"), got ${raw.secret === undefined ? 'nothing' : 'something else'}`);
  else if (raw.secret.startsWith('env:')) {
    const name = raw.secret.slice(4);
    const fromEnv = ENV_NAME.test(name) ? env[name] : undefined;
    if (!ENV_NAME.test(name)) note(`${at}.secret`, `"env:" must be followed by a variable name, got "${name.slice(0, 40)}"`);
    else if (fromEnv === undefined || fromEnv === '') note(`${at}.secret`, `the environment variable ${name} is not set`);
    else if (fromEnv.length < MIN_SECRET) note(`${at}.secret`, `the environment variable ${name} must hold at least ${MIN_SECRET} characters`);
    else secret = fromEnv;
  } else if (raw.secret.length < MIN_SECRET) note(`${at}.secret`, `must be at least ${MIN_SECRET} characters`);
  else secret = raw.secret;

  const events: NotifyEvent[] = [];
  if (!Array.isArray(raw.events) || raw.events.length === 0)
    note(`${at}.events`, `must be a non-empty array of ${NOTIFY_EVENTS.join(', ')}, got ${describeValue(raw.events)}`);
  else {
    for (const [index, event] of (raw.events as unknown[]).entries()) {
      if (typeof event !== 'string' || !(NOTIFY_EVENTS as readonly string[]).includes(event))
        note(`${at}.events[${index}]`, `must be one of ${NOTIFY_EVENTS.join(', ')}, got ${describeValue(event)}`);
      else if (events.includes(event as NotifyEvent)) note(`${at}.events[${index}]`, `"${event}" is listed twice`);
      else events.push(event as NotifyEvent);
    }
  }

  let format: NotifyFormat = 'json';
  if (raw.format !== undefined) {
    if (typeof raw.format !== 'string' || !(NOTIFY_FORMATS as readonly string[]).includes(raw.format))
      note(`${at}.format`, `must be one of ${NOTIFY_FORMATS.join(', ')}, got ${describeValue(raw.format)}`);
    else format = raw.format as NotifyFormat;
  }
  if (before.count > 0 || id === null || url === null || secret === null) return null;
  return { id, url, secret, events, format };
}
