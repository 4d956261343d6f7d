// How vendors' words become ours (issue 7): `connectors.json` in DASHBOARDS_DIR, merged per vendor
// over built-in defaults, hot-reloaded. The file is checked for a change at most once a second
// (a stat; re-read only when it changed), so an edit applies to the next delivery or poll without
// a restart. A file that does not validate is refused with its JSON paths and reasons (log and
// `GET /api/v1/connectors`) and the last good settings stay in force, like the alert rules.
//
//   {"zendesk": {"queues": {"360000000001": "l1", "L2 Support": "l2"}, "defaultQueue": "l1",
//                "priorities": {"p1": "urgent"}, "statuses": {"waiting on vendor": "pending"},
//                "agentStatuses": {"transfers_only": "busy"}, "agentTeams": {"10011": "l2"},
//                "defaultTeam": "l1", "pollSeconds": 60},
//    "jira": {"slaFields": {"firstResponse": ["Time to first response", "customfield_10030"]}}}
//
// Maps (queues, priorities, statuses, agentStatuses, agentTeams) are merged key by key over the
// defaults; single values replace them. Keys are compared case-insensitively (stored lower-cased).
import fs from 'node:fs';
import path from 'node:path';
import type { DashboardProblem } from '../../contract/dashboards.js';
import { formatProblem, jsonErrorMessage } from '../dashboards/validate-dashboard.js';
import { AGENT_STATUSES, PRIORITIES, TICKET_STATUSES, type AgentStatus, type Priority, type TicketStatus } from '../../contract/domain.js';
import { describeValue, isObject } from '../domain/validation.js';
import { VENDORS, type SlaFieldNames, type Vendor, type VendorMapping } from './types.js';

export const CONNECTORS_FILE = 'connectors.json';
export const DEFAULT_POLL_SECONDS = 60;
/** Bounds of `pollSeconds`: vendors' export APIs are rate-limited per minute; a day is a typo. */
export const MIN_POLL_SECONDS = 5;
export const MAX_POLL_SECONDS = 86_400;
/** Queue and team ids end up in metric paths (`queues.l1.waiting`): no dots, no spaces. */
export const QUEUE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_KEY = 200;

/** One vendor's settings: its mapping and how often its poller runs. */
export interface VendorSettings {
  mapping: VendorMapping;
  pollSeconds: number;
}

export type ConnectorSettings = Record<Vendor, VendorSettings>;

// Our own words map to themselves for every vendor: a trigger body may already speak them.
const OWN_PRIORITIES = Object.fromEntries(PRIORITIES.map((p) => [p, p])) as Record<string, Priority>;
const OWN_STATUSES = Object.fromEntries(TICKET_STATUSES.map((s) => [s, s])) as Record<string, TicketStatus>;
const OWN_AGENT_STATUSES = Object.fromEntries(AGENT_STATUSES.map((s) => [s, s])) as Record<string, AgentStatus>;

/** Built-in words per vendor (lower-case keys). Per vendor because codes collide: Jira's priority id "1" is Highest, Freshdesk's 1 is Low. */
const DEFAULT_WORDS: Record<Vendor, Pick<VendorMapping, 'priorities' | 'statuses' | 'agentStatuses'>> = {
  zendesk: {
    priorities: { ...OWN_PRIORITIES },
    // "hold" is Zendesk's "on-hold": waiting on a third party, not on us.
    statuses: { ...OWN_STATUSES, hold: 'pending', 'on-hold': 'pending', deleted: 'closed', archived: 'closed', scrubbed: 'closed' },
    // transfers_only: the agent takes transfers but no new work; not free.
    agentStatuses: { ...OWN_AGENT_STATUSES, online: 'available', away: 'away', offline: 'offline', transfers_only: 'busy', 'transfers only': 'busy' },
  },
  jira: {
    // Cloud's scheme, then Jira Server/Data Center's default one (Blocker … Trivial), which sites
    // that moved to Cloud often keep.
    priorities: {
      ...OWN_PRIORITIES,
      highest: 'urgent',
      high: 'high',
      medium: 'normal',
      low: 'low',
      lowest: 'low',
      blocker: 'urgent',
      critical: 'high',
      major: 'normal',
      minor: 'low',
      trivial: 'low',
    },
    statuses: {
      ...OWN_STATUSES,
      // Status categories (statusCategory.key): the fallback for workflow statuses not listed.
      indeterminate: 'open',
      done: 'solved',
      'to do': 'new',
      'waiting for support': 'open',
      'in progress': 'open',
      'work in progress': 'open',
      escalated: 'open',
      'waiting for customer': 'pending',
      'waiting for approval': 'pending',
      pending: 'pending',
      resolved: 'solved',
      canceled: 'closed',
      cancelled: 'closed',
      declined: 'closed',
    },
    agentStatuses: { ...OWN_AGENT_STATUSES },
  },
  freshdesk: {
    priorities: { ...OWN_PRIORITIES, '1': 'low', '2': 'normal', '3': 'high', '4': 'urgent', medium: 'normal' },
    statuses: {
      ...OWN_STATUSES,
      '2': 'open',
      '3': 'pending',
      '4': 'solved',
      '5': 'closed',
      resolved: 'solved',
      'waiting on customer': 'pending',
      'waiting on third party': 'pending',
    },
    agentStatuses: { ...OWN_AGENT_STATUSES, true: 'available', false: 'away', online: 'available', offline: 'offline', 'on call': 'busy', on_call: 'busy' },
  },
};

const DEFAULT_JIRA_SLA_FIELDS: SlaFieldNames = { firstResponse: ['time to first response'], resolution: ['time to resolution'] };

/**
 * A lookup table keyed by vendor values, without a prototype: a vendor group called "__proto__"
 * or "constructor" is a key like any other (a plain object would ignore the first when set).
 */
function table<T>(entries: Readonly<Record<string, T>> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** A vendor's built-in mapping (fresh objects: callers may not share them by accident). */
export function defaultMapping(vendor: Vendor): VendorMapping {
  const words = DEFAULT_WORDS[vendor];
  return {
    queues: table(),
    defaultQueue: 'l1',
    priorities: table(words.priorities),
    statuses: table(words.statuses),
    agentStatuses: table(words.agentStatuses),
    agentTeams: table(),
    defaultTeam: 'l1',
    ...(vendor === 'jira'
      ? { slaFields: { firstResponse: [...DEFAULT_JIRA_SLA_FIELDS.firstResponse], resolution: [...DEFAULT_JIRA_SLA_FIELDS.resolution] } }
      : {}),
  };
}

export function defaultSettings(): ConnectorSettings {
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, { mapping: defaultMapping(vendor), pollSeconds: DEFAULT_POLL_SECONDS }])) as ConnectorSettings;
}

export type ConnectorsValidation = { ok: true; settings: ConnectorSettings } | { ok: false; problems: DashboardProblem[] };

const VENDOR_KEYS = ['$comment', 'queues', 'defaultQueue', 'priorities', 'statuses', 'agentStatuses', 'agentTeams', 'defaultTeam', 'pollSeconds', 'slaFields'];

/** Validates a `connectors.json` text and merges it over the defaults. Pure. */
export function parseConnectorsFile(text: string): ConnectorsValidation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: jsonErrorMessage(text, error) }] };
  }
  const problems: DashboardProblem[] = [];
  const report = (at: string, message: string): void => void problems.push({ path: at, message });
  const settings = defaultSettings();
  if (!isObject(json)) return { ok: false, problems: [{ path: '', message: `must be an object with one entry per vendor (${VENDORS.join(', ')})` }] };

  for (const [vendorKey, section] of Object.entries(json)) {
    if (vendorKey === '$comment') continue;
    if (!(VENDORS as readonly string[]).includes(vendorKey)) {
      report(vendorKey, `unknown vendor; must be one of ${VENDORS.join(', ')} (or $comment)`);
      continue;
    }
    const vendor = vendorKey as Vendor;
    if (!isObject(section)) {
      report(vendor, `must be an object, got ${describeValue(section)}`);
      continue;
    }
    const target = settings[vendor];
    for (const [key, value] of Object.entries(section)) {
      const at = `${vendor}.${key}`;
      switch (key) {
        case '$comment':
          break;
        case 'queues':
          mergeMap(
            value,
            at,
            (v) => (typeof v === 'string' && QUEUE_ID.test(v) ? v : null),
            'a queue id (letters, digits, - and _)',
            target.mapping.queues,
            report,
          );
          break;
        case 'agentTeams':
          mergeMap(
            value,
            at,
            (v) => (typeof v === 'string' && QUEUE_ID.test(v) ? v : null),
            'a team id (letters, digits, - and _)',
            target.mapping.agentTeams,
            report,
          );
          break;
        case 'priorities':
          mergeMap(value, at, enumOf(PRIORITIES), `one of ${PRIORITIES.join(', ')}`, target.mapping.priorities, report);
          break;
        case 'statuses':
          mergeMap(value, at, enumOf(TICKET_STATUSES), `one of ${TICKET_STATUSES.join(', ')}`, target.mapping.statuses, report);
          break;
        case 'agentStatuses':
          mergeMap(value, at, enumOf(AGENT_STATUSES), `one of ${AGENT_STATUSES.join(', ')}`, target.mapping.agentStatuses, report);
          break;
        case 'defaultQueue':
        case 'defaultTeam':
          if (typeof value === 'string' && QUEUE_ID.test(value)) target.mapping[key] = value;
          else report(at, `must be a ${key === 'defaultQueue' ? 'queue' : 'team'} id (letters, digits, - and _), got ${describeValue(value)}`);
          break;
        case 'pollSeconds':
          if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_POLL_SECONDS && value <= MAX_POLL_SECONDS) target.pollSeconds = value;
          else report(at, `must be a whole number of seconds from ${MIN_POLL_SECONDS} to ${MAX_POLL_SECONDS}, got ${describeValue(value)}`);
          break;
        case 'slaFields':
          target.mapping.slaFields = parseSlaFields(value, at, target.mapping.slaFields ?? { firstResponse: [], resolution: [] }, report);
          break;
        default:
          report(at, `unknown setting; must be one of ${VENDOR_KEYS.join(', ')}`);
      }
    }
  }
  return problems.length === 0 ? { ok: true, settings } : { ok: false, problems };
}

function enumOf<T extends string>(allowed: readonly T[]): (value: unknown) => T | null {
  return (value) => {
    if (typeof value !== 'string') return null;
    const lower = value.toLowerCase();
    return allowed.find((candidate) => candidate === lower) ?? null;
  };
}

function mergeMap<T>(
  value: unknown,
  at: string,
  check: (value: unknown) => T | null,
  expected: string,
  into: Record<string, T>,
  report: (at: string, message: string) => void,
): void {
  if (!isObject(value)) {
    report(at, `must be an object of vendor value → ${expected}, got ${describeValue(value)}`);
    return;
  }
  for (const [key, raw] of Object.entries(value)) {
    const keyAt = `${at}[${JSON.stringify(key)}]`;
    if (key.trim() === '' || key.length > MAX_KEY) {
      report(keyAt, `a key must be 1 to ${MAX_KEY} characters`);
      continue;
    }
    const mapped = check(raw);
    if (mapped === null) report(keyAt, `must be ${expected}, got ${describeValue(raw)}`);
    else into[normaliseKey(key)] = mapped;
  }
}

function parseSlaFields(value: unknown, at: string, base: SlaFieldNames, report: (at: string, message: string) => void): SlaFieldNames {
  const result: SlaFieldNames = { firstResponse: [...base.firstResponse], resolution: [...base.resolution] };
  if (!isObject(value)) {
    report(at, `must be an object {"firstResponse": [names or ids], "resolution": [names or ids]}, got ${describeValue(value)}`);
    return result;
  }
  for (const [key, list] of Object.entries(value)) {
    if (key !== 'firstResponse' && key !== 'resolution') {
      report(`${at}.${key}`, 'unknown key; must be firstResponse or resolution');
      continue;
    }
    if (!Array.isArray(list) || list.length === 0 || !list.every((name) => typeof name === 'string' && name.trim() !== '' && name.length <= MAX_KEY)) {
      report(`${at}.${key}`, 'must be a non-empty array of field names or ids (strings)');
      continue;
    }
    // Replaces the default list: the names are the site's own, the defaults only a guess.
    result[key] = (list as string[]).map(normaliseKey);
  }
  return result;
}

/** How keys are stored and looked up: trimmed, lower-cased. */
export function normaliseKey(key: string): string {
  return key.trim().toLowerCase();
}

export interface MappingLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ConnectorMappingsOptions {
  dir: string;
  log: MappingLogger;
  /** How often the file may be stat-ed for a change (default 1000 ms). */
  checkEveryMs?: number;
}

/** The settings in force, from `connectors.json` over the defaults; hot-reloaded. */
export class ConnectorMappings {
  readonly file: string;
  /** What is wrong with the file as it is now; empty when it is in force (or absent). */
  problems: DashboardProblem[] = [];
  private current: ConnectorSettings = defaultSettings();
  /** The file's identity when last read: size, mtime and inode; '' when absent. */
  private signature: string | null = null;
  private lastCheck = -Infinity;
  private readonly checkEveryMs: number;

  constructor(private readonly options: ConnectorMappingsOptions) {
    this.file = path.join(options.dir, CONNECTORS_FILE);
    this.checkEveryMs = options.checkEveryMs ?? 1_000;
    this.reload(true);
  }

  /** The settings of one vendor, re-reading the file first when it may have changed. */
  settings(vendor: Vendor): VendorSettings {
    // performance.now, not the app clock: tests freeze the app clock, and the check is about real time.
    const now = performance.now();
    if (now - this.lastCheck >= this.checkEveryMs) this.reload();
    return this.current[vendor];
  }

  /** Re-reads the file when it changed (or always, `force`). A bad or missing file keeps the settings in force. */
  reload(force = false): void {
    this.lastCheck = performance.now();
    let signature: string;
    try {
      const stat = fs.statSync(this.file);
      signature = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
      if (stat.size > MAX_FILE_BYTES) {
        this.refuse(signature, [{ path: '', message: `is larger than ${MAX_FILE_BYTES} bytes` }]);
        return;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        this.refuse(`error:${code}`, [{ path: '', message: `cannot be read (${code})` }]);
        return;
      }
      // No file: what is in force stays (the defaults on a first start); connectors.json is optional.
      if (this.signature === '') return;
      if (this.signature === null) this.options.log.info({ file: this.file }, `no ${CONNECTORS_FILE}: connectors use the built-in mapping`);
      else this.options.log.warn({ file: this.file }, `${this.file} is gone; the settings in force stay`);
      this.signature = '';
      this.problems = [];
      return;
    }
    if (!force && signature === this.signature) return;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      this.refuse(signature, [{ path: '', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
      return;
    }
    const result = parseConnectorsFile(text);
    if (!result.ok) {
      this.refuse(signature, result.problems);
      return;
    }
    const changed = this.signature !== null;
    this.signature = signature;
    this.problems = [];
    this.current = result.settings;
    this.options.log.info({ file: this.file }, `connector mapping ${changed ? 'changed' : 'loaded'} from ${this.file}`);
  }

  private refuse(signature: string, problems: DashboardProblem[]): void {
    if (signature === this.signature) return;
    this.signature = signature;
    this.problems = problems;
    this.options.log.warn(
      { file: this.file, problems },
      `connector mapping ${this.file} refused (the last good settings stay in force): ${problems.map((p) => formatProblem(CONNECTORS_FILE, p)).join('; ')}`,
    );
  }
}
