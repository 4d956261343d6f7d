// Where the roster is kept: SQLite under DATA_DIR, or the Redis every instance shares. An upload
// is merged with the stored shifts around its range (roster.ts) and written in one step, so a
// refused upload changes nothing and two uploads never interleave.
import { MAX_SHIFT_HOURS, mergeRoster, rangeOf, type Shift, type UploadedShift } from './roster.js';

/** Shifts are at most this long, so only stored shifts starting this close to an upload can overlap it. */
export const NEIGHBOURHOOD_MS = MAX_SHIFT_HOURS * 3_600_000;

export type RosterWrite = { ok: true; stored: number; replaced: number } | { ok: false; errors: string[] };

export interface RosterStore {
  readonly kind: 'embedded' | 'redis';
  /** Shifts that overlap `[from, to)`, by start. */
  shifts(from: number, to: number): Promise<Shift[]>;
  /** Merges an upload (replacing the stored shifts that start inside its range), or refuses it naming the overlaps. */
  replace(upload: readonly UploadedShift[]): Promise<RosterWrite>;
  close(): Promise<void>;
}

/** The merge both stores do: the neighbourhood read, the rule, what to delete and what to write. */
export function planReplace(
  neighbourhood: readonly Shift[],
  upload: readonly UploadedShift[],
): { ok: false; errors: string[] } | { ok: true; from: number; to: number; write: Shift[]; replaced: number } {
  const { from, to } = rangeOf(upload);
  const merged = mergeRoster(neighbourhood, upload);
  if (!merged.ok) return merged;
  const write = merged.shifts.filter((s) => s.start >= from && s.start < to);
  return { ok: true, from, to, write, replaced: merged.replaced };
}
