// The reconciliation poll loop of one vendor (issue 7): every pollSeconds, fetch the pages after
// the stored cursor, map each record, ingest through the one ingest path (dedup and the stale rule
// apply), then store the cursor, page by page, so that a restart resumes where the last applied
// page ended. Errors are logged and the next round retries; nothing here may end the process.
import type { IngestSummary, WatchEvent } from '../../contract/domain.js';
import type { PollerStateStore } from './cursor-store.js';
import { batchContext, fitToRules } from './merge.js';
import { MappingError, type MapContext, type Vendor, type VendorApi, type VendorPoller } from './types.js';
import { FetchVendorHttp, type Sleep } from './vendor-http.js';

/** On the very first start, look back this far. */
export const FIRST_POLL_LOOKBACK_MS = 24 * 60 * 60 * 1000;
/** Pages per round; a vendor with more to give is polled again at once rather than starving the rest. */
const MAX_PAGES_PER_ROUND = 100;
/** Events per ingest call: the batch size ingest is measured at. */
const INGEST_CHUNK = 500;
/**
 * The Redis lease outlives several rounds and a worst-case page (three capped Retry-After waits),
 * so that its holder keeps it; when the holder dies, another instance takes over after this.
 */
const MIN_LEASE_MS = 5 * 60_000;

export interface PollerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
}

export interface PollerRunnerOptions {
  vendor: Vendor;
  poller: VendorPoller;
  api: VendorApi;
  state: PollerStateStore;
  ingest: (events: WatchEvent[]) => Promise<IngestSummary>;
  /** A fresh mapping context (the mapping in force now, the live model). */
  context: () => MapContext;
  /** The interval in force now (connectors.json may change it). */
  pollSeconds: () => number;
  now: () => number;
  log: PollerLogger;
  sleep?: Sleep;
  fetch?: typeof fetch;
}

export interface RoundResult {
  /** false: another instance holds the lease (Redis), nothing was fetched. */
  polled: boolean;
  pages: number;
  records: number;
  accepted: number;
  duplicates: number;
  stale: number;
  rejected: number;
  /** Records that could not be mapped at all, plus fields left out. */
  ignored: number;
  /** The page limit was reached: more is ready, the next round starts at once. */
  behind: boolean;
}

export interface PollerStatus {
  vendor: Vendor;
  state: 'waiting' | 'polling' | 'standby' | 'stopped';
  pollSeconds: number;
  lastRoundAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /** The cursor the next round starts from (as last stored by this instance, or read at start). */
  cursor: string | null;
  lastRound: RoundResult | null;
  totals: { rounds: number; pages: number; records: number; accepted: number; requests: number; waitedSec: number };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export class PollerRunner {
  private readonly http: FetchVendorHttp;
  private readonly abort = new AbortController();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<RoundResult> | null = null;
  private stopped = false;
  private standby = false;
  private cursor: string | null = null;
  private lastRoundAt: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastErrorAt: number | null = null;
  private lastError: string | null = null;
  private lastRound: RoundResult | null = null;
  private readonly totals = { rounds: 0, pages: 0, records: 0, accepted: 0 };

  constructor(private readonly options: PollerRunnerOptions) {
    this.http = new FetchVendorHttp({
      api: options.api,
      vendor: options.vendor,
      signal: this.abort.signal,
      now: options.now,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  get vendor(): Vendor {
    return this.options.vendor;
  }

  /** Starts the loop: a first round at once, then one every pollSeconds. */
  start(): void {
    if (this.stopped || this.timer !== null) return;
    this.schedule(0);
  }

  /** Stops the loop; a round in flight is cut short (its page is not half-applied: the cursor moves only after a page). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error('poller stopped'));
    await this.running?.catch(() => undefined);
    await this.options.state.release(this.options.vendor).catch(() => undefined);
  }

  /** Runs one round now (after the one in flight, if any), for tests and operators. */
  async pollNow(): Promise<RoundResult> {
    while (this.running !== null) await this.running.catch(() => undefined);
    return this.execute();
  }

  status(): PollerStatus {
    return {
      vendor: this.options.vendor,
      state: this.stopped ? 'stopped' : this.running !== null ? 'polling' : this.standby ? 'standby' : 'waiting',
      pollSeconds: this.options.pollSeconds(),
      lastRoundAt: iso(this.lastRoundAt),
      lastSuccessAt: iso(this.lastSuccessAt),
      lastErrorAt: iso(this.lastErrorAt),
      lastError: this.lastError,
      cursor: this.cursor,
      lastRound: this.lastRound,
      totals: { ...this.totals, requests: this.http.requests, waitedSec: Math.round(this.http.waitedMs / 1000) },
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running !== null) return this.schedule(1_000);
      this.execute().then(
        (result) => this.schedule(result.behind ? 0 : this.options.pollSeconds() * 1000),
        () => this.schedule(this.options.pollSeconds() * 1000),
      );
    }, delayMs);
    this.timer.unref();
  }

  private execute(): Promise<RoundResult> {
    const round = this.round().finally(() => {
      this.running = null;
    });
    this.running = round;
    return round;
  }

  private async round(): Promise<RoundResult> {
    const { vendor, poller, state, log } = this.options;
    const result: RoundResult = { polled: false, pages: 0, records: 0, accepted: 0, duplicates: 0, stale: 0, rejected: 0, ignored: 0, behind: false };
    const startedAt = this.options.now();
    this.lastRoundAt = startedAt;
    const leaseMs = Math.max(MIN_LEASE_MS, 3 * this.options.pollSeconds() * 1000);
    try {
      if (!(await state.acquire(vendor, leaseMs))) {
        if (!this.standby) log.info({ vendor }, `${vendor} poller: another instance polls; standing by`);
        this.standby = true;
        return result;
      }
      if (this.standby) log.info({ vendor }, `${vendor} poller: took over polling`);
      this.standby = false;
      result.polled = true;
      let cursor = await state.get(vendor);
      this.cursor = cursor;
      for (;;) {
        const page = await poller.fetchPage(this.http, cursor, startedAt - FIRST_POLL_LOOKBACK_MS);
        if (this.stopped) throw new Error('poller stopped');
        await this.applyPage(page.records, result);
        // Only after the page is in: a crash in between re-fetches it, and dedup absorbs that.
        await state.set(vendor, page.cursor);
        cursor = page.cursor;
        this.cursor = cursor;
        result.pages++;
        if (!page.more) break;
        if (result.pages >= MAX_PAGES_PER_ROUND) {
          result.behind = true;
          break;
        }
        if (!(await state.acquire(vendor, leaseMs))) {
          log.warn({ vendor }, `${vendor} poller: lost the lease mid-round; another instance continues from the stored cursor`);
          break;
        }
      }
      this.lastSuccessAt = this.options.now();
      this.lastError = null;
      this.lastRound = result;
      this.totals.rounds++;
      if (result.records > 0 || result.rejected > 0) {
        log.info({ vendor, ...result, ms: this.options.now() - startedAt }, `${vendor} poll: ${result.records} records, ${result.accepted} applied`);
      }
      return result;
    } catch (error) {
      if (this.stopped) return result;
      this.lastErrorAt = this.options.now();
      this.lastError = (error as Error).message;
      this.lastRound = result;
      log.warn({ vendor, pages: result.pages }, `${vendor} poll failed (retried in ${this.options.pollSeconds()} s): ${this.lastError}`);
      throw error;
    }
  }

  private async applyPage(records: readonly unknown[], result: RoundResult): Promise<void> {
    const { poller, vendor, log } = this.options;
    const context = batchContext(this.options.context());
    const events: WatchEvent[] = [];
    for (const record of records) {
      result.records++;
      try {
        const mapped = fitToRules(poller.mapRecord(record, context), context);
        context.remember(mapped);
        events.push(...mapped.events);
        if (mapped.ignored.length > 0) log.debug({ vendor, ignored: mapped.ignored }, `${vendor} poll: parts of a record were not used`);
      } catch (error) {
        // One odd record must not hold the cursor back for ever: said, skipped.
        if (!(error instanceof MappingError)) throw error;
        result.ignored++;
        log.warn({ vendor }, `${vendor} poll: a record was skipped: ${error.message}`);
      }
    }
    for (let i = 0; i < events.length; i += INGEST_CHUNK) {
      const summary = await this.options.ingest(events.slice(i, i + INGEST_CHUNK));
      result.accepted += summary.accepted;
      result.duplicates += summary.duplicates;
      result.stale += summary.stale;
      result.rejected += summary.rejected.length;
      this.totals.accepted += summary.accepted;
    }
    this.totals.pages++;
    this.totals.records += records.length;
  }
}
