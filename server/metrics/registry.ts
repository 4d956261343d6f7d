// The metrics of one app, in Prometheus's text format. Almost all are read at scrape time from
// counts and state the services keep anyway (a `collect` per metric), so the hot paths pay
// nothing for them; only the two durations are observed as they happen.
//
// Each app has a registry of its own (tests build many apps in one process); the runtime's
// defaults (CPU, memory, event-loop lag, GC) describe the process, so they are collected once per
// process and merged into every app's registry, under their usual names (`process_*`, `nodejs_*`),
// which the usual Node.js dashboards expect.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ALERT_SEVERITIES, type AlertSeverity } from '../../contract/alerts.js';
import type { Severity } from '../../contract/incidents.js';
import type { HistoryHealth } from '../history/history-store.js';
import type { EventResult } from './event-source.js';
import type { StoreState, StoreStatus } from '../store/store-health.js';
import { countByPageKind, PAGE_KINDS, type ClientFacts } from './page-kind.js';

const STORE_STATES: readonly StoreState[] = ['ok', 'slow', 'read-only', 'data-lost', 'down'];

/** Where each metric reads its value at scrape time. */
export interface MetricSources {
  now: () => number;
  /** When the app started: a poller that never succeeded lags since then. */
  startedAt: number;
  /** Events in since start, by source and result. */
  eventsIn: () => Iterable<readonly [source: string, result: EventResult, count: number]>;
  liveClients: () => Iterable<ClientFacts>;
  live: () => { skippedDeltas: number; cut: Readonly<Record<string, number>> };
  store: () => StoreStatus;
  /** The embedded store's journal; null in distributed mode (Redis keeps the log): no journal metrics then. */
  journal: (() => { bytes: number; damagedRecords: number; damagedEvents: number }) | null;
  history: () => Promise<HistoryHealth | null>;
  deliveries: () => Iterable<{ vendor: string; result: string; count: number }>;
  /** The pollers configured here; `polling` false while another instance holds the lease. */
  pollers: () => Iterable<{ vendor: string; polling: boolean; lastSuccessAt: number | null }>;
  activeIncidents: () => Iterable<{ severity: Severity }>;
  /** The ids of the severity scale in force: each has a series, 0 when no incident has it. */
  severities: () => readonly Severity[];
  activeAlerts: () => Iterable<{ severity: AlertSeverity; state: 'firing' | 'clearing' }>;
}

export interface WatchfloorMetrics {
  registry: Registry;
  /** POST /api/v1/events, from the request's start to the answer, by status code. */
  ingestDuration: Histogram<'code'>;
  /** From the apply of events to the emit of the broadcast that carries them. */
  broadcastDelay: Histogram;
  scrape(): Promise<string>;
  contentType: string;
}

let runtime: Registry | null = null;

/** The process's runtime metrics: one set of collectors (GC observer, event-loop monitor) per process. */
function runtimeRegistry(): Registry {
  if (runtime === null) {
    runtime = new Registry();
    collectDefaultMetrics({ register: runtime });
  }
  return runtime;
}

/** A counter whose value is kept elsewhere: set from the source at each scrape. */
function pulledCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  read: (set: (labels: Record<L, string>, value: number) => void) => void | Promise<void>,
): Counter<L> {
  const counter: Counter<L> = new Counter<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      counter.reset();
      await read((labels, value) => counter.inc(labels as never, value));
    },
  });
  return counter;
}

export function createMetrics(sources: MetricSources): WatchfloorMetrics {
  const own = new Registry();
  const registers = [own];

  pulledCounter(
    own,
    'watchfloor_events_received_total',
    'Events that came in (HTTP, connectors, simulator), by source (ticket.source; "agent" for agent events; past 50 sources the rest count as "other") and result (accepted, duplicate, stale, rejected).',
    ['source', 'result'],
    (set) => {
      for (const [source, result, count] of sources.eventsIn()) set({ source, result }, count);
    },
  );

  const ingestDuration = new Histogram({
    name: 'watchfloor_ingest_request_duration_seconds',
    help: 'Duration of POST /api/v1/events requests, from arrival to answer (the 202 waits for the journal sync), by status code.',
    labelNames: ['code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  const clients = new Gauge({
    name: 'watchfloor_live_clients',
    help: 'Live connections to this instance by page: wall (said its dashboard), supervisor (lists agents), command (named itself so at the handshake), other.',
    labelNames: ['page'] as const,
    registers,
    collect() {
      const counts = countByPageKind(sources.liveClients());
      for (const page of PAGE_KINDS) clients.set({ page }, counts[page]);
    },
  });

  const broadcastDelay = new Histogram({
    name: 'watchfloor_live_broadcast_delay_seconds',
    help: 'From events applied to the live model to the broadcast that sent the change to screens (includes the 250 ms coalescing slot).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.35, 0.5, 1, 2.5, 5],
    registers,
  });

  pulledCounter(
    own,
    'watchfloor_live_deltas_skipped_total',
    'Deltas not sent to clients that were not keeping up (they get the whole state once they drain).',
    [],
    (set) => {
      set({}, sources.live().skippedDeltas);
    },
  );
  pulledCounter(own, 'watchfloor_live_connections_cut_total', 'Live connections cut by this instance, by reason.', ['reason'], (set) => {
    for (const [reason, count] of Object.entries(sources.live().cut)) set({ reason }, count);
  });

  const storeUp = new Gauge({
    name: 'watchfloor_store_up',
    help: 'Whether the live store takes events now (1) or not (0: ingest answers 503).',
    registers,
    collect() {
      storeUp.set(sources.store().ok ? 1 : 0);
    },
  });
  const storeState = new Gauge({
    name: 'watchfloor_store_state',
    help: "The store probe's finding, one series per state, 1 for the current one: ok, slow, read-only, data-lost, down.",
    labelNames: ['state'] as const,
    registers,
    collect() {
      const current = sources.store().state;
      for (const state of STORE_STATES) storeState.set({ state }, state === current ? 1 : 0);
    },
  });

  const journal = sources.journal;
  if (journal !== null) {
    const journalBytes = new Gauge({
      name: 'watchfloor_journal_bytes',
      help: 'Size of the write-ahead journal on disk (embedded store only): what a restart would replay.',
      registers,
      collect() {
        journalBytes.set(journal().bytes);
      },
    });
    const journalDamaged = new Gauge({
      name: 'watchfloor_journal_damaged_records',
      help: 'Journal records found damaged at start and not yet acknowledged by an admin (embedded store only).',
      registers,
      collect() {
        journalDamaged.set(journal().damagedRecords);
      },
    });
    const journalDamagedEvents = new Gauge({
      name: 'watchfloor_journal_damaged_events',
      help: 'Events in the damaged journal records not yet acknowledged (embedded store only).',
      registers,
      collect() {
        journalDamagedEvents.set(journal().damagedEvents);
      },
    });
  }

  const historyBuffered = new Gauge({
    name: 'watchfloor_history_points_buffered',
    help: 'Metric history points waiting to be written (InfluxDB unreachable, or a batch in flight).',
    registers,
    async collect() {
      const health = await sources.history();
      if (health !== null) historyBuffered.set(health.bufferedPoints);
    },
  });
  pulledCounter(
    own,
    'watchfloor_history_points_dropped_total',
    'Metric history points given up since start: beyond the buffer bound, or refused by the store.',
    [],
    async (set) => {
      const health = await sources.history();
      if (health !== null) set({}, health.droppedPoints);
    },
  );

  pulledCounter(
    own,
    'watchfloor_connector_deliveries_total',
    "Helpdesk webhook deliveries by vendor and result: applied, or the refusal's code (unauthorized, invalid_json, invalid_payload, internal, unavailable).",
    ['vendor', 'result'],
    (set) => {
      for (const { vendor, result, count } of sources.deliveries()) set({ vendor, result }, count);
    },
  );

  const pollerLag = new Gauge({
    name: 'watchfloor_poller_lag_seconds',
    help: "Seconds since the reconciliation poller's last successful round (since the start when none has succeeded yet); no series while another instance polls.",
    labelNames: ['vendor'] as const,
    registers,
    collect() {
      pollerLag.reset();
      const now = sources.now();
      for (const poller of sources.pollers()) {
        if (poller.polling) pollerLag.set({ vendor: poller.vendor }, Math.max(0, now - (poller.lastSuccessAt ?? sources.startedAt)) / 1000);
      }
    },
  });

  const incidents = new Gauge({
    name: 'watchfloor_incidents_active',
    help: 'Major incidents not resolved, by severity.',
    labelNames: ['severity'] as const,
    registers,
    collect() {
      const counts = new Map<Severity, number>(sources.severities().map((s) => [s, 0]));
      for (const incident of sources.activeIncidents()) counts.set(incident.severity, (counts.get(incident.severity) ?? 0) + 1);
      // The scale may have dropped a level since the last scrape: its series goes with it.
      incidents.reset();
      for (const [severity, count] of counts) incidents.set({ severity }, count);
    },
  });

  const alertsFiring = new Gauge({
    name: 'watchfloor_alerts_firing',
    help: 'Alert rules firing now (as this instance sees them), by severity.',
    labelNames: ['severity'] as const,
    registers,
    collect() {
      const counts = new Map<AlertSeverity, number>(ALERT_SEVERITIES.map((s) => [s, 0]));
      for (const alert of sources.activeAlerts()) if (alert.state === 'firing') counts.set(alert.severity, (counts.get(alert.severity) ?? 0) + 1);
      for (const [severity, count] of counts) alertsFiring.set({ severity }, count);
    },
  });

  // Nothing is sent out yet (no e-mail, chat or paging): both stay 0, so that dashboards and alert
  // rules written against them work now and start moving when notifications exist.
  new Gauge({ name: 'watchfloor_notifications_pending', help: 'Outbound notifications waiting to be sent. Always 0: this version sends none.', registers }).set(
    0,
  );
  new Counter({ name: 'watchfloor_notifications_failed_total', help: 'Outbound notifications that failed. Always 0: this version sends none.', registers });

  const registry = Registry.merge([runtimeRegistry(), own]);
  return {
    registry,
    ingestDuration,
    broadcastDelay,
    // prom-client writes NaN as "Nan" (an event-loop mean with no samples yet): Prometheus reads
    // either, stricter readers only the canonical spelling.
    scrape: async () => (await registry.metrics()).replace(/ Nan$/gm, ' NaN'),
    contentType: registry.contentType,
  };
}
