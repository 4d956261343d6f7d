// Webhook intake (issue 7): signed Zendesk deliveries, one per request as Zendesk sends them, over
// keep-alive HTTP to a server process of its own; beside it, in the same run, the same ticket
// changes as canonical one-event POST /api/v1/events requests (the per-request floor of our own
// ingest path: what the connector adds is the signature check on the raw body, the parse of the
// vendor's shape and the merge over the known ticket).
import { performance } from 'node:perf_hooks';
import { signZendesk } from '../../server/connectors/zendesk/verify.js';
import type { TicketEvent } from '../../contract/domain.js';
import { TOKENS } from '../helpers/app.js';
import { spawnServer, type SpawnOptions } from './child.js';
import { closedLoop, Poster, type SignedBody } from './http-load.js';
import { fmt, percentile, type ScenarioResult } from './report.js';

const SECRET = 'bench-zendesk-signing-secret';
/** Zendesk sends deliveries one by one; several webhooks' worth in flight. */
const CONCURRENCY = 8;
const WARMUP_MS = 2_000;
const MEASURE_MS = 8_000;
/** More than a window can take at the expected rate, so no delivery is sent twice. */
const DELIVERIES = 150_000;
const TICKETS = 5_000;
const STATUSES = ['NEW', 'OPEN', 'PENDING', 'OPEN', 'SOLVED'] as const;
const GROUPS = ['360000000001', '360000000002', '360000000003'];

interface Change {
  ticket: number;
  /** Seconds after the start of the workload. */
  second: number;
  status: (typeof STATUSES)[number];
}

/** The n-th change: tickets in turn, each change one second after the last of its ticket. */
function change(n: number): Change {
  return { ticket: n % TICKETS, second: Math.floor(n / TICKETS), status: STATUSES[Math.floor(n / TICKETS) % STATUSES.length]! };
}

function zendeskDelivery(n: number, start: number, now: number): SignedBody {
  const c = change(n);
  const updated = new Date(start + c.second * 1000).toISOString().replace('.000Z', 'Z');
  const body = Buffer.from(
    JSON.stringify({
      type: 'zen:event-type:ticket.status_changed',
      account_id: 22129848,
      id: `bench-${n}`,
      time: updated,
      zendesk_event_version: '2022-11-06',
      subject: `zen:ticket:${c.ticket}`,
      detail: {
        id: String(c.ticket),
        status: c.status,
        priority: 'HIGH',
        group_id: GROUPS[c.ticket % GROUPS.length],
        assignee_id: String(90001 + (c.ticket % 10)),
        subject: `Bench ticket ${c.ticket}`,
        tags: ['bench'],
        created_at: new Date(start - 3_600_000).toISOString(),
        updated_at: updated,
      },
      event: { previous: 'OPEN', current: c.status },
    }),
  );
  return { body, headers: { 'content-type': 'application/json', ...signZendesk(body, SECRET, now) } };
}

function canonicalEvent(n: number, start: number): Buffer {
  const c = change(n);
  const updated = new Date(start + c.second * 1000).toISOString();
  const status = c.status.toLowerCase() as TicketEvent['ticket']['status'];
  const event: TicketEvent = {
    id: `bench-${n}`,
    type: 'ticket',
    at: updated,
    ticket: {
      id: String(c.ticket),
      source: 'zendesk',
      queue: `l${(c.ticket % 3) + 1}`,
      priority: 'high',
      status,
      assignee: String(90001 + (c.ticket % 10)),
      subject: `Bench ticket ${c.ticket}`,
      tags: ['bench'],
      createdAt: new Date(start - 3_600_000).toISOString(),
      updatedAt: updated,
      firstResponseAt: null,
      solvedAt: status === 'solved' ? updated : null,
      firstResponseDueAt: null,
      resolutionDueAt: null,
      csat: null,
    },
  };
  return Buffer.from(JSON.stringify([event]));
}

interface Side {
  perSec: number;
  p50: number;
  p99: number;
  requests: number;
  summary: Record<string, number>;
  errors: string[];
}

async function measure(options: {
  server?: SpawnOptions;
  path: string;
  okStatus: number;
  headers: Record<string, string>;
  items: (Buffer | SignedBody)[];
}): Promise<Side> {
  const child = await spawnServer('server-process.ts', { ...options.server, env: { ...options.server?.env, ZENDESK_WEBHOOK_SECRET: SECRET } });
  try {
    const poster = new Poster({ port: child.port, headers: options.headers, concurrency: CONCURRENCY });
    let next = 0;
    const take = (): Buffer | SignedBody | null => options.items[next++] ?? null;
    await closedLoop({ poster, path: options.path, concurrency: CONCURRENCY, durationMs: WARMUP_MS, next: take, okStatus: options.okStatus });
    const latencies: number[] = [];
    const window = await closedLoop({
      poster,
      path: options.path,
      concurrency: CONCURRENCY,
      durationMs: MEASURE_MS,
      next: take,
      okStatus: options.okStatus,
      latencies,
    });
    poster.close();
    if (window.exhausted) throw new Error(`${options.path}: the workload ran out inside the window; raise DELIVERIES`);
    latencies.sort((a, b) => a - b);
    return {
      perSec: (window.batches / window.elapsedMs) * 1000,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      requests: window.batches,
      summary: window.summary,
      errors: window.errors,
    };
  } finally {
    await child.stop();
  }
}

export async function connectorsScenario(options: { server?: SpawnOptions } = {}): Promise<ScenarioResult> {
  const generated = performance.now();
  const start = Date.now() - 3_600_000;
  // Signed now: well inside Zendesk's ±5 min replay window for the whole run.
  const deliveries = Array.from({ length: DELIVERIES }, (_, n) => zendeskDelivery(n, start, Date.now()));
  const events = Array.from({ length: DELIVERIES }, (_, n) => canonicalEvent(n, start));
  const generatedMs = performance.now() - generated;

  const webhook = await measure({ server: options.server, path: '/api/v1/connectors/zendesk', okStatus: 200, headers: {}, items: deliveries });
  const plain = await measure({
    server: options.server,
    path: '/api/v1/events',
    okStatus: 202,
    headers: { authorization: `Bearer ${TOKENS.ingest}`, 'content-type': 'application/json' },
    items: events,
  });
  for (const side of [webhook, plain]) if (side.errors.length > 0) throw new Error(`refused: ${side.errors.join('; ')}`);
  const ms = (n: number): string => `${n.toFixed(1)} ms`;
  return {
    rows: [
      {
        what: 'webhook, Zendesk: signed deliveries/s (one ticket change per request, 8 in flight)',
        measured: fmt.int(webhook.perSec),
        target: '(reference)',
        pass: null,
      },
      {
        what: 'webhook, Zendesk: answer latency p50 / p99',
        measured: `${ms(webhook.p50)} / ${ms(webhook.p99)}`,
        target: 'a few seconds (Zendesk times out at 10–12 s)',
        pass: webhook.p99 < 2_000,
      },
      { what: 'POST /api/v1/events, one event per request, same changes (requests/s)', measured: fmt.int(plain.perSec), target: '(reference)', pass: null },
      { what: 'webhook ÷ one-event POST /api/v1/events', measured: fmt.ratio(webhook.perSec / plain.perSec), target: '(reference)', pass: null },
    ],
    notes: [
      `Connector workload: ${fmt.int(DELIVERIES)} Zendesk \`ticket.status_changed\` deliveries over ${fmt.int(TICKETS)} tickets, each signed (HMAC-SHA256 of timestamp + body) when generated, and the same changes as one-event bodies of the canonical format; generated in ${fmt.ms(generatedMs)}; ${CONCURRENCY} keep-alive connections; ${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured, each on a fresh server.`,
      `Webhook window: ${fmt.int(webhook.requests)} deliveries; accepted ${fmt.int(webhook.summary.accepted ?? 0)}, stale ${fmt.int(webhook.summary.stale ?? 0)}, duplicates ${fmt.int(webhook.summary.duplicates ?? 0)}. One-event window: ${fmt.int(plain.requests)} requests; p50 ${ms(plain.p50)}, p99 ${ms(plain.p99)}.`,
    ],
    data: { webhook, plain, deliveries: DELIVERIES, tickets: TICKETS, concurrency: CONCURRENCY },
  };
}
