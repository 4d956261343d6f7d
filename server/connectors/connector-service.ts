// The connectors of one instance (docs/contract.md#helpdesk-connectors, issue 7): webhook deliveries taken the vendor's way
// (verify on the raw bytes, then parse, map, ingest), the reconciliation pollers, and their status.
// Vendors come from registry.ts; words from connectors.json (mapping-config.ts); everything goes
// through the one ingest path, so deduplication and the stale rule are the core's.
import type { IncomingHttpHeaders } from 'node:http';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { LiveModel } from '../domain/live-model.js';
import type { IngestSummary, WatchEvent } from '../../contract/domain.js';
import { EmbeddedCursorStore, RedisCursorStore, type PollerStateStore } from './cursor-store.js';
import { ConnectorMappings } from './mapping-config.js';
import { fitToRules } from './merge.js';
import { PollerRunner, type PollerLogger, type PollerStatus } from './poller.js';
import { CONNECTORS } from './registry.js';
import { MappingError, type ConnectorDefinition, type MapContext, type MapResult, type Vendor, type VerifyResult } from './types.js';
import type { Sleep } from './vendor-http.js';
import { outcomeUnknown } from '../store/live-store.js';

export interface ConnectorLogger extends PollerLogger {
  error(details: object, message: string): void;
}

/** Test and operator knobs (BuildOptions.connectors). */
export interface ConnectorRuntimeOptions {
  /** Replaces the Retry-After and budget waits (tests assert them without waiting). */
  sleep?: Sleep;
  fetch?: typeof fetch;
  /** false: pollers are built but not started; `pollNow` drives them (tests). Default true. */
  startPollers?: boolean;
  /** How often connectors.json may be checked for a change (default 1000 ms). */
  mappingCheckEveryMs?: number;
  /** The vendors to use instead of the registry's (tests of the framework itself). */
  definitions?: readonly ConnectorDefinition[];
}

export interface ConnectorServiceOptions extends ConnectorRuntimeOptions {
  config: Config;
  model: LiveModel;
  ingest: (events: WatchEvent[]) => Promise<IngestSummary>;
  now: () => number;
  log: ConnectorLogger;
  /**
   * Distributed mode: a command connection to the shared Redis (the live store's), where the
   * pollers keep their cursors and leases; null: embedded, in SQLite under DATA_DIR.
   */
  redis: Redis | null;
}

/** 200 body of a webhook delivery. */
export interface DeliveryAnswer {
  vendor: Vendor;
  deliveryId: string | null;
  accepted: number;
  duplicates: number;
  stale: number;
  rejected: IngestSummary['rejected'];
  ignored: string[];
}

export type DeliveryOutcome = { status: 200; body: DeliveryAnswer } | { status: 400 | 401 | 404 | 500 | 503; code: string; message: string };

interface WebhookStats {
  received: number;
  applied: number;
  refused: number;
  lastDeliveryAt: number | null;
  lastRefusal: { at: number; status: number; reason: string } | null;
  /** Deliveries by outcome: `applied`, or the refusal's error code (a fixed set of ours), for /metrics. */
  byResult: Map<string, number>;
}

export interface ConnectorStatus {
  vendor: Vendor;
  webhook: {
    enabled: boolean;
    path: string;
    received: number;
    applied: number;
    refused: number;
    lastDeliveryAt: string | null;
    lastRefusal: { at: string; status: number; reason: string } | null;
  };
  poller: (PollerStatus & { enabled: true; store: 'embedded' | 'redis' }) | { enabled: false };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export class ConnectorService {
  readonly mappings: ConnectorMappings;
  private readonly definitions: readonly ConnectorDefinition[];
  private readonly pollers = new Map<Vendor, PollerRunner>();
  private readonly stats = new Map<Vendor, WebhookStats>();

  private constructor(
    private readonly options: ConnectorServiceOptions,
    private readonly state: PollerStateStore | null,
  ) {
    this.definitions = options.definitions ?? CONNECTORS;
    this.mappings = new ConnectorMappings({
      dir: options.config.dashboardsDir,
      log: options.log,
      ...(options.mappingCheckEveryMs === undefined ? {} : { checkEveryMs: options.mappingCheckEveryMs }),
    });
    for (const definition of this.definitions) {
      this.stats.set(definition.vendor, { received: 0, applied: 0, refused: 0, lastDeliveryAt: null, lastRefusal: null, byResult: new Map() });
      const api = definition.api(options.config);
      if (api === null || definition.poller === null || state === null) continue;
      const vendor = definition.vendor;
      this.pollers.set(
        vendor,
        new PollerRunner({
          vendor,
          poller: definition.poller(options.config),
          api,
          state,
          ingest: options.ingest,
          context: () => this.context(vendor),
          pollSeconds: () => this.mappings.settings(vendor).pollSeconds,
          now: options.now,
          log: options.log,
          ...(options.sleep ? { sleep: options.sleep } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      );
    }
  }

  /** Opens the cursor store only when some poller is configured (no SQLite file otherwise). */
  static async create(options: ConnectorServiceOptions): Promise<ConnectorService> {
    const definitions = options.definitions ?? CONNECTORS;
    const polling = definitions.some((definition) => definition.poller !== null && definition.api(options.config) !== null);
    let state: PollerStateStore | null = null;
    if (polling) {
      state = options.redis === null ? new EmbeddedCursorStore(options.config.dataDir) : new RedisCursorStore(options.redis, options.config.redisKeyPrefix);
    }
    return new ConnectorService(options, state);
  }

  definition(vendor: string): ConnectorDefinition | null {
    return this.definitions.find((definition) => definition.vendor === vendor) ?? null;
  }

  /** The webhook secret of a vendor that has a connector, or null (404). */
  secret(vendor: string): string | null {
    return this.definition(vendor)?.secret(this.options.config) ?? null;
  }

  /** What a mapping of this vendor may consult now. */
  context(vendor: Vendor): MapContext {
    const { model, now } = this.options;
    return {
      mapping: this.mappings.settings(vendor).mapping,
      knownTicket: (id) => model.ticket(vendor, id),
      knownAgent: (id) => model.agent(id),
      now: now(),
    };
  }

  /** One webhook delivery, start to end. Never throws: every failure is an outcome. */
  async receive(vendorName: string, headers: IncomingHttpHeaders, raw: Buffer): Promise<DeliveryOutcome> {
    const definition = this.definition(vendorName);
    const secret = definition?.secret(this.options.config) ?? null;
    if (definition === null || secret === null)
      return { status: 404, code: 'not_found', message: `no ${vendorName} connector here (its webhook secret is not configured)` };
    const vendor = definition.vendor;
    const stats = this.stats.get(vendor)!;
    stats.received++;
    const refuse = (status: 400 | 401 | 500 | 503, code: string, message: string): DeliveryOutcome => {
      stats.refused++;
      stats.byResult.set(code, (stats.byResult.get(code) ?? 0) + 1);
      stats.lastRefusal = { at: this.options.now(), status, reason: message };
      this.options.log.warn({ vendor, status, reason: message }, `${vendor} webhook refused (${status}): ${message}`);
      return { status, code, message };
    };

    let verdict: VerifyResult;
    try {
      verdict = definition.webhook.verify(headers, raw, secret, this.options.now());
    } catch (error) {
      verdict = { ok: false, reason: `signature check failed: ${(error as Error).message}` };
    }
    if (!verdict.ok) return refuse(401, 'unauthorized', verdict.reason);

    if (raw.length === 0 || raw.toString('utf8').trim() === '') return refuse(400, 'invalid_json', 'body is empty; the vendor sends a JSON object');
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      return refuse(400, 'invalid_json', `body is not valid JSON: ${(error as Error).message}`);
    }

    let deliveryId: string | null;
    let mapped: MapResult;
    try {
      deliveryId = definition.webhook.deliveryId(headers, payload);
      const context = this.context(vendor);
      // Implausible times and oversized tags are dropped and said, rather than costing the ticket.
      mapped = fitToRules(definition.webhook.mapWebhook(payload, deliveryId, context), context);
    } catch (error) {
      if (error instanceof MappingError) return refuse(400, 'invalid_payload', error.message);
      // Our bug, not the sender's: a 5xx makes the vendor retry, so nothing is lost once it is fixed.
      this.options.log.error({ vendor, err: error }, `${vendor} webhook mapping failed`);
      return refuse(500, 'internal', 'the delivery could not be mapped; the server log has the details');
    }

    let summary: IngestSummary;
    try {
      summary = mapped.events.length === 0 ? { accepted: 0, duplicates: 0, stale: 0, rejected: [] } : await this.options.ingest(mapped.events);
    } catch (error) {
      // "Nothing kept" only where certain; after a store timeout or a failed sync it may be kept.
      if (outcomeUnknown(error)) {
        this.options.log.error({ vendor, err: error }, `${vendor} webhook: ingest failed; the outcome of this delivery is unknown`);
        return refuse(
          503,
          'unavailable',
          'storage did not confirm this delivery; the outcome is unknown; send the same batch again: duplicates are recognised',
        );
      }
      this.options.log.error({ vendor, err: error }, `${vendor} webhook: ingest failed; nothing of this delivery was kept`);
      return refuse(503, 'unavailable', 'storage is unavailable; nothing of this delivery was kept, retry later');
    }
    stats.applied++;
    stats.byResult.set('applied', (stats.byResult.get('applied') ?? 0) + 1);
    stats.lastDeliveryAt = this.options.now();
    if (mapped.ignored.length > 0) this.options.log.debug({ vendor, deliveryId, ignored: mapped.ignored }, `${vendor} webhook: parts not used`);
    return {
      status: 200,
      body: {
        vendor,
        deliveryId,
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        stale: summary.stale,
        rejected: summary.rejected,
        ignored: mapped.ignored,
      },
    };
  }

  poller(vendor: Vendor): PollerRunner | undefined {
    return this.pollers.get(vendor);
  }

  /** Starts the pollers (unless the runtime options say not to). */
  start(): void {
    if (this.options.startPollers === false) return;
    for (const runner of this.pollers.values()) runner.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((runner) => runner.stop()));
    await this.state?.close();
  }

  /** Webhook deliveries since start by vendor and outcome (`applied` or the refusal's code). */
  deliveryCounts(): { vendor: Vendor; result: string; count: number }[] {
    return [...this.stats].flatMap(([vendor, stats]) => [...stats.byResult].map(([result, count]) => ({ vendor, result, count })));
  }

  status(): ConnectorStatus[] {
    return this.definitions.map((definition) => {
      const stats = this.stats.get(definition.vendor)!;
      const runner = this.pollers.get(definition.vendor);
      return {
        vendor: definition.vendor,
        webhook: {
          enabled: definition.secret(this.options.config) !== null,
          path: `/api/v1/connectors/${definition.vendor}`,
          received: stats.received,
          applied: stats.applied,
          refused: stats.refused,
          lastDeliveryAt: iso(stats.lastDeliveryAt),
          lastRefusal: stats.lastRefusal === null ? null : { ...stats.lastRefusal, at: iso(stats.lastRefusal.at)! },
        },
        poller: runner === undefined || this.state === null ? { enabled: false } : { enabled: true, store: this.state.kind, ...runner.status() },
      };
    });
  }
}
