// The one ingest path: HTTP, connectors and the simulator all come through here. Validate
// each event, drop duplicates and record the batch (the store, in one step), apply it to the
// live model (stale updates are ignored there), then wait until the store has it on disk
// before answering.
import type { LiveModel } from '../domain/live-model.js';
import type { IngestSummary, WatchEvent } from '../../contract/domain.js';
import { validateEvent, type ParsedTimes } from '../domain/validate-event.js';
import type { JournalEntry, LiveStore, LoadedState } from '../store/live-store.js';
import { parseBatch, type BatchFormat } from '../domain/parse-batch.js';
import { LabelCounts } from '../metrics/label-counts.js';
import { sourceLabelOf, type EventResult } from '../metrics/event-source.js';

export interface IngestDeps {
  model: LiveModel;
  store: LiveStore;
  now: () => number;
}

export class IngestService {
  /** Totals since start, for /healthz and the logs. */
  readonly totals = { accepted: 0, duplicates: 0, stale: 0, rejected: 0 };
  lastEventAt: number | null = null;
  /** When events of each `ticket.source` were last applied here (the alerts' no-events rules). */
  readonly lastEventAtBySource = new Map<string, number>();
  /** Events in since start (not replays), by source (capped, see LabelCounts) and result, for /metrics. */
  readonly bySource = new LabelCounts<EventResult>();
  /** Told whenever events were applied: the live feed (screens hear of it), the broadcast-delay metric. */
  private readonly appliedListeners: (() => void)[] = [];

  constructor(private readonly deps: IngestDeps) {}

  onApply(listener: () => void): void {
    this.appliedListeners.push(listener);
  }

  /** Parses and ingests a raw body; throws BatchError for a body that is not a batch at all. */
  async ingestRaw(raw: Buffer, format: BatchFormat): Promise<IngestSummary> {
    const parsed = parseBatch(raw.toString('utf8'), format);
    return this.ingest(parsed.items, { raw, format }, parsed.rejected);
  }

  /** Ingests already-parsed candidates (the simulator and connectors). */
  async ingestEvents(items: readonly unknown[]): Promise<IngestSummary> {
    return this.ingest(items, null, []);
  }

  private async ingest(items: readonly unknown[], source: JournalEntry | null, rejected: IngestSummary['rejected']): Promise<IngestSummary> {
    const unparsed = new Set(rejected.map((r) => r.index));
    const valid: WatchEvent[] = [];
    const times: ParsedTimes[] = [];
    for (let index = 0; index < items.length; index++) {
      if (unparsed.has(index)) continue;
      const result = validateEvent(items[index], this.deps.now());
      if (result.ok) {
        valid.push(result.event);
        times.push(result.times);
      } else rejected.push({ index, error: result.error });
    }
    rejected.sort((a, b) => a.index - b.index);
    for (const r of rejected) this.bySource.add(sourceLabelOf(items[r.index]), 'rejected');
    const summary: IngestSummary = { accepted: 0, duplicates: 0, stale: 0, rejected };
    this.totals.rejected += rejected.length;
    if (valid.length === 0) return summary;

    const { store, now } = this.deps;
    // The raw body as it came, unless part of it was refused: then only the accepted events, so
    // that a replay never meets an event that was answered "rejected" (see validateEvent's `now`).
    const entry = source !== null && rejected.length === 0 ? source : { raw: Buffer.from(JSON.stringify(valid)), format: 'json' as const };
    // Throws when the store cannot keep the batch: nothing of it was kept (the route says 503),
    // unless it is a StoreOutcomeUnknownError (the route says so).
    const fresh = await store.commit({ ...entry, events: valid }, now());
    const events = valid.filter((_, i) => fresh[i]);
    const eventTimes = times.filter((_, i) => fresh[i]);
    summary.duplicates = valid.length - events.length;
    if (summary.duplicates > 0) for (let i = 0; i < valid.length; i++) if (!fresh[i]) this.bySource.add(sourceLabelOf(valid[i]), 'duplicate');
    // Applied in the same turn as the commit's answer: a checkpoint (a timer) cannot fall between.
    if (events.length > 0) this.applyAll(events, eventTimes, summary, true);
    this.totals.accepted += summary.accepted;
    this.totals.duplicates += summary.duplicates;
    this.totals.stale += summary.stale;
    // After the apply, not between commit and apply: a checkpoint must never seal a segment whose
    // batch the model has not applied. Concurrent requests wait here for one shared sync; the
    // answer (202) comes only once it has finished.
    await store.sync?.();
    return summary;
  }

  private applyAll(events: readonly WatchEvent[], times: readonly ParsedTimes[], summary: IngestSummary, counted = false): void {
    const at = this.deps.now();
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const result = this.deps.model.apply(event, at, times[i]) === 'accepted' ? 'accepted' : 'stale';
      summary[result]++;
      if (counted) this.bySource.add(sourceLabelOf(event), result);
      if (event.type === 'ticket') this.lastEventAtBySource.set(event.ticket.source, at);
    }
    this.lastEventAt = at;
    this.tellApplied();
  }

  private tellApplied(): void {
    for (const listener of this.appliedListeners) listener();
  }

  /**
   * Applies events that another instance accepted (distributed mode): already validated and
   * deduplicated there, so only the stale rule applies; the model parses their times.
   */
  applyFromLog(events: readonly WatchEvent[]): void {
    const at = this.deps.now();
    for (const event of events) {
      this.deps.model.apply(event, at);
      if (event.type === 'ticket') this.lastEventAtBySource.set(event.ticket.source, at);
    }
    // The one instance that evaluates the alerts' no-events rules must count every instance's events.
    if (events.length > 0) this.lastEventAt = at;
    this.tellApplied();
  }

  /**
   * Puts a whole saved state back into the model, then the journal not yet folded into it: at
   * start, and in distributed mode when the shared log was lost and read again (RedisStore).
   * Answers how many journal events were applied.
   */
  restore(state: LoadedState, remember: (ids: string[]) => boolean[]): number {
    this.deps.model.restore(state.tickets, state.agents, this.deps.now());
    const replayed = this.replay(state.journal, remember);
    this.tellApplied();
    return replayed;
  }

  /**
   * Replays the journal after a restart: the batches were accepted before the stop but not yet
   * checkpointed. A journal row holds the whole raw batch, so its duplicates are dropped again
   * by `remember` (the store's seen ids); an update older than what the model holds is stale.
   */
  replay(entries: readonly JournalEntry[], remember: (ids: string[]) => boolean[]): number {
    let applied = 0;
    for (const entry of entries) {
      const { items } = parseBatch(entry.raw.toString('utf8'), entry.format);
      const events: WatchEvent[] = [];
      const times: ParsedTimes[] = [];
      for (const item of items) {
        const result = validateEvent(item, null);
        if (!result.ok) continue;
        events.push(result.event);
        times.push(result.times);
      }
      const fresh = remember(events.map((event) => event.id));
      const summary: IngestSummary = { accepted: 0, duplicates: 0, stale: 0, rejected: [] };
      this.applyAll(
        events.filter((_, i) => fresh[i]),
        times.filter((_, i) => fresh[i]),
        summary,
      );
      applied += summary.accepted;
    }
    return applied;
  }
}
