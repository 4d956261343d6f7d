// How many bytes of V8 heap the live model holds per open ticket: the model alone, in this
// process (no server), after a forced GC before and after loading. Used by the million scenario's
// notes and runnable by itself: `node --expose-gc --import tsx test/bench/model-heap.ts [tickets]`.
import { LiveModel } from '../../server/domain/live-model.js';
import type { WatchEvent } from '../../contract/domain.js';

const QUEUES = ['l1', 'l1', 'l1', 'l2', 'l2', 'l3', 'billing', 'onboarding'];
const PRIORITIES = ['low', 'normal', 'normal', 'high', 'urgent'] as const;
const WORDS = [
  'login',
  'fails',
  'after',
  'update',
  'invoice',
  'missing',
  'export',
  'slow',
  'mobile',
  'app',
  'crashes',
  'on',
  'start',
  'password',
  'reset',
  'email',
  'not',
  'arriving',
];

/** A realistic open ticket, created in the last few hours, due 10 min–8 h ahead, 40% answered. */
export function openTicketEvent(i: number, now: number): WatchEvent {
  const createdMs = now - ((i * 7919) % (6 * 3_600_000)) - 60_000;
  const answered = i % 5 < 2;
  const dueMs = now + 600_000 + ((i * 104_729) % (8 * 3_600_000 - 600_000));
  const subject = `${Array.from({ length: 7 }, (_, k) => WORDS[(i * (k + 3) + k) % WORDS.length]).join(' ')} #${i}`;
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    id: `e-${i}`,
    type: 'ticket',
    at: iso(createdMs + 1000),
    ticket: {
      id: String(100_000 + i),
      source: 'zendesk',
      queue: QUEUES[i % QUEUES.length]!,
      priority: PRIORITIES[i % PRIORITIES.length]!,
      status: answered ? 'open' : 'new',
      assignee: answered ? `agent-${i % 20_000}` : null,
      subject,
      tags: i % 3 === 0 ? ['vip', `product-${i % 7}`] : [`product-${i % 7}`],
      createdAt: iso(createdMs),
      updatedAt: iso(createdMs + 1000),
      firstResponseAt: answered ? iso(createdMs + 500) : null,
      solvedAt: null,
      firstResponseDueAt: iso(dueMs),
      resolutionDueAt: iso(dueMs + 24 * 3_600_000),
      csat: null,
    },
  };
}

export function modelHeapPerTicket(tickets: number): { bytesPerTicket: number; heapMb: number; seconds: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const now = Date.now();
  gc();
  const before = process.memoryUsage().heapUsed;
  const model = new LiveModel({ atRiskMinutes: 15, collectArrivals: false, collectTicketDays: false });
  // Generated first, so the rate is the model's; dropped before the heap is read again, so the
  // heap holds what the model keeps of them.
  let events: WatchEvent[] | null = Array.from({ length: tickets }, (_, i) => openTicketEvent(i, now));
  const started = performance.now();
  for (const event of events) model.apply(event, now);
  model.advance(now);
  const seconds = (performance.now() - started) / 1000;
  model.takeChanges();
  events = null;
  gc();
  const after = process.memoryUsage().heapUsed;
  if (model.ticketCount !== tickets) throw new Error(`model holds ${model.ticketCount} tickets, expected ${tickets}`);
  return { bytesPerTicket: (after - before) / tickets, heapMb: (after - before) / 2 ** 20, seconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 200_000);
  const r = modelHeapPerTicket(n);
  process.stdout.write(
    `${n} tickets: ${r.bytesPerTicket.toFixed(0)} B/ticket, ${r.heapMb.toFixed(0)} MB heap, applied in ${r.seconds.toFixed(2)} s (${Math.round(n / r.seconds)} ev/s)\n`,
  );
  process.stdout.write(`updates on 20,000 tickets: ${Math.round(modelUpdateRate(20_000, 200_000))} ev/s\n`);
}

/**
 * Updates per second on tickets the model holds (the ingest bench's mix: a reply, a status or
 * queue change, a new tag), the model alone.
 */
export function modelUpdateRate(tickets: number, updates: number): number {
  const now = Date.now();
  const model = new LiveModel({ atRiskMinutes: 15, collectArrivals: true, collectTicketDays: true });
  for (let i = 0; i < tickets; i++) model.apply(openTicketEvent(i, now), now);
  model.takeChanges();
  model.takeTicketDays();
  model.takeArrivals();
  const events = Array.from({ length: updates }, (_, u) => {
    const event = openTicketEvent(u % tickets, now) as WatchEvent & { type: 'ticket' };
    const t = event.ticket;
    const later = new Date(Date.parse(t.updatedAt) + 1000 * (1 + Math.floor(u / tickets))).toISOString();
    const step = u % 10;
    return {
      ...event,
      id: `u-${u}`,
      at: later,
      ticket: {
        ...t,
        updatedAt: later,
        status: step === 0 ? ('pending' as const) : t.status,
        queue: step === 1 ? 'l2' : t.queue,
        tags: step === 2 ? [...t.tags, 'followed-up'] : t.tags,
        firstResponseAt: t.firstResponseAt ?? (step === 3 ? later : null),
      },
    };
  });
  const started = performance.now();
  for (let i = 0; i < events.length; i++) {
    model.apply(events[i]!, now);
    // As the app at ~50,000 events/s: the ledger (every second) and the checkpoint take their share.
    if (i % 50_000 === 49_999) {
      model.takeTicketDays();
      model.takeChanges();
    }
  }
  return updates / ((performance.now() - started) / 1000);
}
