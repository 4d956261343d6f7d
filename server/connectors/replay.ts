// Replays recorded vendor deliveries into a running Watchfloor (`npm run replay`), signed with the
// configured secrets the vendor's way, at their recorded pace (or faster), so that the wall moves
// the way the simulator makes it move, but through the connectors.
//
// The recording is JSON lines (`*.ndjson`), one delivery a line, any vendors mixed:
//   {"at":"2025-01-08T08:00:03Z","vendor":"zendesk","headers":{…},"body":{…}}
// - `at`: when the vendor delivered it; the replay keeps the gaps between deliveries (÷ speed);
// - `headers`: what the vendor sends besides its signature (e.g. an invocation id); the
//   signature headers are added at send time by the vendor's `sign` (registry.ts);
// - `body`: the vendor's JSON body. Its times (ISO-8601 strings, and numbers under `timestamp` /
//   `epochMillis`) are moved to now on the same scale as `at`, so the wall shows today;
// - the text `{{run}}` in a body or header is replaced by a per-run id, so that replaying a
//   recording twice is not deduplicated away.
import fs from 'node:fs';
import path from 'node:path';
import { VENDORS, type ConnectorDefinition, type Vendor } from './types.js';

export interface ReplayDelivery {
  /** When it was delivered in the recording, ms. */
  at: number;
  vendor: Vendor;
  headers: Record<string, string>;
  body: unknown;
  /** file:line, for messages. */
  origin: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const EPOCH_KEYS = new Set(['timestamp', 'epochMillis']);

/** Parses one recording; throws naming the file and line of the first bad delivery. */
export function parseReplay(text: string, source: string): ReplayDelivery[] {
  const deliveries: ReplayDelivery[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const origin = `${source}:${i + 1}`;
    let item: Record<string, unknown>;
    try {
      item = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${origin}: not JSON (${(error as Error).message})`);
    }
    const at = typeof item.at === 'string' ? Date.parse(item.at) : NaN;
    if (Number.isNaN(at)) throw new Error(`${origin}: "at" must be an ISO time`);
    if (typeof item.vendor !== 'string' || !(VENDORS as readonly string[]).includes(item.vendor))
      throw new Error(`${origin}: "vendor" must be one of ${VENDORS.join(', ')}`);
    const headers = item.headers ?? {};
    if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))
      throw new Error(`${origin}: "headers" must be an object of strings`);
    if (item.body === undefined) throw new Error(`${origin}: "body" is required`);
    deliveries.push({ at, vendor: item.vendor as Vendor, headers: headers as Record<string, string>, body: item.body, origin });
  }
  return deliveries;
}

/** Reads files, or every `*.ndjson` of a directory, merged in delivery order (stable). */
export function loadReplay(paths: readonly string[]): ReplayDelivery[] {
  const files = paths.flatMap((p) =>
    fs.statSync(p).isDirectory()
      ? fs
          .readdirSync(p)
          .filter((name) => name.endsWith('.ndjson'))
          .sort()
          .map((name) => path.join(p, name))
      : [p],
  );
  const all = files.flatMap((file) => parseReplay(fs.readFileSync(file, 'utf8'), path.basename(file)));
  return all
    .map((delivery, index) => ({ delivery, index }))
    .sort((a, b) => a.delivery.at - b.delivery.at || a.index - b.index)
    .map(({ delivery }) => delivery);
}

export interface Rebase {
  recordedStart: number;
  replayStart: number;
  speed: number;
  run: string;
}

/** A recorded time on the replay's clock. */
export function rebaseTime(ms: number, rebase: Rebase): number {
  return Math.round(rebase.replayStart + (ms - rebase.recordedStart) / rebase.speed);
}

/** The body (or headers) with times rebased and `{{run}}` replaced; new objects, the recording untouched. */
export function rewrite(value: unknown, rebase: Rebase, key?: string): unknown {
  if (typeof value === 'string') {
    const text = value.replaceAll('{{run}}', rebase.run);
    if (ISO.test(text)) {
      const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (!Number.isNaN(ms)) return new Date(rebaseTime(ms, rebase)).toISOString();
    }
    return text;
  }
  if (typeof value === 'number' && key !== undefined && EPOCH_KEYS.has(key) && value > 1e11) return rebaseTime(value, rebase);
  if (Array.isArray(value)) return value.map((item) => rewrite(item, rebase));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, rebase, k)]));
  }
  return value;
}

export interface SendResult {
  status: number;
  body: unknown;
}

export interface ReplayOptions {
  deliveries: readonly ReplayDelivery[];
  definitions: readonly ConnectorDefinition[];
  /** The webhook secret per vendor; a vendor without one is skipped (its endpoint would 404). */
  secretFor: (vendor: Vendor) => string | null;
  /** POSTs one delivery to `/api/v1/connectors/<vendor>`. */
  send: (vendor: Vendor, headers: Record<string, string>, body: Buffer) => Promise<SendResult>;
  /**
   * Recorded ms per real ms (1: the recorded pace; 60: an hour a minute), or 'max': no waiting,
   * and the recording's times placed so that it ends now (the wall shows the recorded hours as
   * the hours just gone, in their order).
   */
  speed: number | 'max';
  run: string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  onProgress?: (summary: ReplaySummary) => void;
}

export interface ReplaySummary {
  sent: number;
  skipped: number;
  failed: number;
  accepted: number;
  duplicates: number;
  stale: number;
  rejected: number;
  /** The first few failures, said plainly. */
  errors: string[];
}

export async function replay(options: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = { sent: 0, skipped: 0, failed: 0, accepted: 0, duplicates: 0, stale: 0, rejected: 0, errors: [] };
  const max = options.speed === 'max';
  if (!max && !((options.speed as number) > 0)) throw new RangeError(`replay: speed must be a positive number or 'max', got ${options.speed}`);
  const first = options.deliveries[0];
  const last = options.deliveries.at(-1);
  if (first === undefined || last === undefined) return summary;
  const rebase: Rebase = max
    ? { recordedStart: first.at, replayStart: options.now() - (last.at - first.at), speed: 1, run: options.run }
    : { recordedStart: first.at, replayStart: options.now(), speed: options.speed as number, run: options.run };
  for (const delivery of options.deliveries) {
    const definition = options.definitions.find((d) => d.vendor === delivery.vendor);
    const secret = options.secretFor(delivery.vendor);
    if (definition === undefined || secret === null) {
      summary.skipped++;
      continue;
    }
    const wait = max ? 0 : rebaseTime(delivery.at, rebase) - options.now();
    if (wait > 0) await options.sleep(wait);
    const body = Buffer.from(JSON.stringify(rewrite(delivery.body, rebase)));
    const headers = {
      ...(rewrite(delivery.headers, rebase) as Record<string, string>),
      ...definition.sign(body, secret, options.now()),
      'content-type': 'application/json',
    };
    summary.sent++;
    try {
      const result = await options.send(delivery.vendor, headers, body);
      if (result.status !== 200) {
        summary.failed++;
        if (summary.errors.length < 10) summary.errors.push(`${delivery.origin}: ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`);
      } else {
        const answer = result.body as { accepted?: number; duplicates?: number; stale?: number; rejected?: unknown[] };
        summary.accepted += answer.accepted ?? 0;
        summary.duplicates += answer.duplicates ?? 0;
        summary.stale += answer.stale ?? 0;
        summary.rejected += answer.rejected?.length ?? 0;
      }
    } catch (error) {
      summary.failed++;
      if (summary.errors.length < 10) summary.errors.push(`${delivery.origin}: ${(error as Error).message}`);
    }
    options.onProgress?.(summary);
  }
  return summary;
}
