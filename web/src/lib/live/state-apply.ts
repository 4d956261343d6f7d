// How messages change the live state (docs/contract.md#live-channel), pure: a whole `state`
// replaces everything, a `delta` replaces the sections it carries (each one whole, never merged
// inside), and each section notes when it last arrived, for per-widget freshness.
import { STATE_SECTIONS, type LiveState, type StateSection } from '../../../../contract/domain.js';
import type { DeltaMessage } from '../../../../contract/live-events.js';

/** Client time (ms) at which each section of the state last arrived. */
export type SectionTimes = Readonly<Record<StateSection, number>>;

/** `current` with the sections `delta` carries replaced, and which sections those were. */
export function applyDelta(current: LiveState, delta: DeltaMessage): { state: LiveState; sections: StateSection[] } {
  const { seq, at, ...sections } = delta;
  return { state: { ...current, ...sections, seq, at }, sections: STATE_SECTIONS.filter((s) => delta[s] !== undefined) };
}

/** The times after `sections` arrived at `now`; the first arrival dates every section `now`. */
export function sectionTimesAfter(previous: SectionTimes | null, sections: readonly StateSection[], now: number): SectionTimes {
  const times: Record<StateSection, number> = { ...(previous ?? initialTimes(now)) };
  for (const section of sections) times[section] = now;
  return times;
}

function initialTimes(now: number): Record<StateSection, number> {
  return Object.fromEntries(STATE_SECTIONS.map((s) => [s, now])) as Record<StateSection, number>;
}
