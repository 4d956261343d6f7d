// The live state as screens read it: the last whole state in a `$state.raw` field that every
// message replaces wholesale (a deep `$state` proxy over big arrays is slow, and nothing edits the
// state in place), when each section last arrived (per-widget freshness), and a bounded history of
// every number for the sparklines.
import type { DeltaMessage, StateMessage } from '../../../../contract/live-events.js';
import { STATE_SECTIONS, type LiveState, type StateSection } from '../../../../contract/domain.js';
import { HISTORY_WINDOW_MS, MetricHistory, type Sample } from './metric-history.js';
import { applyDelta, sectionTimesAfter, type SectionTimes } from './state-apply.js';

export class LiveStateStore {
  #state = $state.raw<LiveState | null>(null);
  #sectionAt = $state.raw<SectionTimes | null>(null);
  // The buffers themselves are not reactive (a proxy over typed arrays would only cost); bumping
  // the version tells readers.
  readonly #history = new MetricHistory();
  #historyVersion = $state(0);

  get state(): LiveState | null {
    return this.#state;
  }

  get sectionAt(): SectionTimes | null {
    return this.#sectionAt;
  }

  series(path: string, now: number, windowMs = HISTORY_WINDOW_MS): Sample[] {
    void this.#historyVersion;
    return this.#history.series(path, now, windowMs);
  }

  whole(message: StateMessage, now: number): void {
    this.#state = message;
    this.#arrived(STATE_SECTIONS, now);
  }

  /** Applies a delta that follows the last message (the caller checked `seq`); there is a state. */
  delta(message: DeltaMessage, now: number): void {
    if (this.#state === null) return;
    const { state, sections } = applyDelta(this.#state, message);
    this.#state = state;
    this.#arrived(sections, now);
  }

  #arrived(sections: readonly StateSection[], now: number): void {
    if (sections.length > 0) this.#sectionAt = sectionTimesAfter(this.#sectionAt, sections, now);
    if (this.#state) {
      this.#history.record(this.#state, now);
      this.#historyVersion++;
    }
  }
}
