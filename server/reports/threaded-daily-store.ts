// The embedded daily store on a worker thread of its own. The ledger hands it every changed
// ticket's day parts each second; under sustained ingest writing them took ~10% of the request
// thread's CPU (SQLite statements, most of it), and held the event loop for tens of ms a second.
// Here the request thread only posts them (structured clone), and the SQLite work
// (EmbeddedDailyStore, unchanged) runs beside it. The same interface, so the ledger and the
// reports do not know the difference.
import type { DailyStore, DaySpan, TicketParts } from './daily-store.js';
import type { LineDay } from './figures.js';
import { WorkerClient } from '../threads/worker-rpc.js';
import { siblingModule } from '../threads/start-worker.js';

export class ThreadedDailyStore implements DailyStore {
  readonly kind = 'embedded' as const;
  private readonly worker: WorkerClient;

  constructor(options: { dataDir: string }) {
    this.worker = new WorkerClient(siblingModule(import.meta.url, 'daily-store-worker'), { dataDir: options.dataDir });
  }

  writeTickets(tickets: readonly TicketParts[]): Promise<void> {
    return tickets.length === 0 ? Promise.resolve() : this.worker.call('writeTickets', tickets);
  }

  writeLineDays(rows: readonly LineDay[]): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.worker.call('writeLineDays', rows);
  }

  read(fromDay: string, toDay: string): Promise<DaySpan> {
    return this.worker.call('read', fromDay, toDay);
  }

  readLineDays(fromDay: string, toDay: string): Promise<LineDay[]> {
    return this.worker.call('readLineDays', fromDay, toDay);
  }

  prune(beforeDay: string): Promise<void> {
    return this.worker.call('prune', beforeDay);
  }

  async close(): Promise<void> {
    // Never called: nothing opened, nothing to close.
    if (!this.worker.running) return;
    await this.worker.call('close');
    await this.worker.terminate();
  }
}
