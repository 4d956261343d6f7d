// The one ingest path: HTTP, connectors and the simulator all come through here. Validate
// each event, drop duplicates and record the batch (the store, in one step), apply it to the
// live model (stale updates are ignored there), then wait until the store has it on disk
// before answering.
import type { LiveModel } from '../domain/live-model.js';
import type { IngestSummary, WatchEvent } from '../../contract/domain.js';
import { validateEvent, type ParsedTimes } from '../domain/validate-event.js';
import type { JournalEntry, LiveStore, LoadedState } from '../store/live-store.js';
import { parseBatchBytes, type BatchFormat } from '../domain/parse-batch.js';
import { LabelCounts } from '../metrics/label-counts.js';
import { sourceLabelOf, type EventResult } from '../metrics/event-source.js';
import { RecoveringError } from './live-readiness.js';
import { growingFreely } from '../heap-tuning.js';

export interface IngestDeps {
  model: LiveModel;
  store: LiveStore;
  now: () => number;
}

/** What a restore in slices tells as it goes (LiveReadiness). */
export interface RestoreProgress {
  loaded(ticketsTotal: number, journalBatchesTotal: number): void;
  ticketsRestored(tickets: number): void;
  journalReplayed(batches: number): void;
  readonly abandoned: boolean;
}

/** Journal events replayed between two turns of the event loop at start. */
const REPLAY_EVENTS_PER_TURN = 5_000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  /**
   * While a restore in slices runs, no new event may reach the half-restored model (a ticket's
   * older checkpointed row would land on top of it): the routes answer 503 before this, and the
   * pollers and the demo start after; this refuses anything else.
   */
  private restoring = false;

  constructor(private readonly deps: IngestDeps) {}

  onApply(listener: () => void): void {
    this.appliedListeners.push(listener);
  }

  /** Parses and ingests a raw body; throws BatchError for a body that is not a batch at all. */
  async ingestRaw(raw: Buffer, format: BatchFormat): Promise<IngestSummary> {
    if (this.restoring) throw new RecoveringError();
    const parsed = parseBatchBytes(raw, format);
    return this.ingest(parsed.items, { raw, format }, parsed.rejected);
  }

  /** Ingests already-parsed candidates (the simulator and connectors). */
  async ingestEvents(items: readonly unknown[]): Promise<IngestSummary> {
    if (this.restoring) throw new RecoveringError();
    return this.ingest(items, null, []);
  }

  private async ingest(items: readonly unknown[], source: JournalEntry | null, rejected: IngestSummary['rejected']): Promise<IngestSummary> {
    const summary = await this.keep(items, source, rejected);
    // Only the summary waits here: the batch's objects were `keep`'s alone and are garbage by now,
    // rather than surviving the collections that other requests' bodies set off meanwhile.
    // After the apply, not between commit and apply: a checkpoint must never seal a segment whose
    // batch the model has not applied. Concurrent requests wait here for one shared sync; the
    // answer (202) comes only once it has finished.
    if (summary.accepted + summary.stale + summary.duplicates > 0) await this.deps.store.sync?.();
    return summary;
  }

  /** Validates, records (store.commit) and applies a batch; its summary, with nothing counted when no event was valid. */
  private async keep(items: readonly unknown[], source: JournalEntry | null, rejected: IngestSummary['rejected']): Promise<IngestSummary> {
    // The lines that did not parse come in index order: skipped by walking them alongside.
    const unparsed = rejected.length;
    let nextUnparsed = 0;
    const valid: WatchEvent[] = [];
    const times: ParsedTimes[] = [];
    for (let index = 0; index < items.length; index++) {
      if (nextUnparsed < unparsed && rejected[nextUnparsed]!.index === index) {
        nextUnparsed++;
        continue;
      }
      const result = validateEvent(items[index], this.deps.now());
      if (result.ok) {
        valid.push(result.event);
        times.push(result.times);
      } else rejected.push({ index, error: result.error });
    }
    if (unparsed > 0 && rejected.length > unparsed) rejected.sort((a, b) => a.index - b.index);
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
    let events = valid;
    let eventTimes = times;
    for (let i = 0; i < valid.length; i++) if (!fresh[i]) summary.duplicates++;
    if (summary.duplicates > 0) {
      events = valid.filter((_, i) => fresh[i]);
      eventTimes = times.filter((_, i) => fresh[i]);
      for (let i = 0; i < valid.length; i++) if (!fresh[i]) this.bySource.add(sourceLabelOf(valid[i]), 'duplicate');
    }
    // Applied in the same turn as the commit's answer: a checkpoint (a timer) cannot fall between.
    if (events.length > 0) this.applyAll(events, eventTimes, summary, true);
    this.totals.accepted += summary.accepted;
    this.totals.duplicates += summary.duplicates;
    this.totals.stale += summary.stale;
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
   * Puts a whole saved state back into the model in one turn, then the journal not yet folded
   * into it: in distributed mode, when the shared log was lost and read again (RedisStore), as
   * the reader must not move on before it is in. Answers how many journal events were applied.
   */
  restore(state: LoadedState, remember: (ids: string[]) => boolean[]): number {
    const { model, now } = this.deps;
    for (const slice of state.tickets) model.restoreTickets(slice, now());
    model.finishRestore(state.agents, now());
    let replayed = 0;
    for (const entry of state.journal) replayed += this.replayEntry(entry, remember);
    this.tellApplied();
    return replayed;
  }

  /**
   * The restore at start, a slice at a time with a turn of the event loop between slices, so that
   * a million tickets never hold the loop for seconds (the server listens meanwhile, /healthz
   * answers). Tells `progress` as it goes; stops between slices once `progress.abandoned` (the
   * app is closing). Answers how many journal events were applied.
   */
  async restoreInSlices(state: LoadedState, remember: (ids: string[]) => boolean[], progress: RestoreProgress): Promise<number> {
    this.restoring = true;
    try {
      return await growingFreely(() => this.restoreSlices(state, remember, progress));
    } finally {
      this.restoring = false;
    }
  }

  private async restoreSlices(state: LoadedState, remember: (ids: string[]) => boolean[], progress: RestoreProgress): Promise<number> {
    const { model, now } = this.deps;
    progress.loaded(state.ticketCount, state.journal.length);
    let tickets = 0;
    for (const slice of state.tickets) {
      model.restoreTickets(slice, now());
      tickets += slice.length;
      progress.ticketsRestored(tickets);
      await nextTurn();
      if (progress.abandoned) return 0;
    }
    model.finishRestore(state.agents, now());
    // The journal after the checkpoint, in order, a few thousand events per turn.
    let replayed = 0;
    let sinceTurn = 0;
    for (let i = 0; i < state.journal.length; i++) {
      const applied = this.replayEntry(state.journal[i]!, remember);
      replayed += applied;
      sinceTurn += applied;
      if (sinceTurn >= REPLAY_EVENTS_PER_TURN || i === state.journal.length - 1) {
        sinceTurn = 0;
        progress.journalReplayed(i + 1);
        await nextTurn();
        if (progress.abandoned) return replayed;
      }
    }
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
    for (const entry of entries) applied += this.replayEntry(entry, remember);
    return applied;
  }

  private replayEntry(entry: JournalEntry, remember: (ids: string[]) => boolean[]): number {
    const { items } = parseBatchBytes(entry.raw, entry.format);
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
    return summary.accepted;
  }
}
