// How the server's V8 heap grows, set at the start of the process and fitted to its size every 2 s (server/main.ts, and the
// bench's server process, which mirrors it). By default V8 lets the heap grow to ~1.5–4× what
// survived the last full collection before collecting again, and keeps those pages: after a load of
// a million tickets the heap held ~450 MB for ~240 MB live. Growing by 20% at a time measured
// 471 → 346 MB RSS at 300,000 tickets, with ingest within the machine's noise; 10% took a
// million tickets from 601 to 570 MB (docs/performance.md#memory). NODE_OPTIONS can still set other V8 flags; an explicit
// --heap-growing-percent there wins.
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 10;

/**
 * The room a small heap gets before its next full collection. 10% of a small heap is a few MB,
 * which ingest promotes in a fraction of a second: the ingest bench (a model growing to ~60 MB)
 * ran 41 full collections in 17 s. Up to SMALL_HEAP_BYTES a heap grows by this much instead; a
 * bigger one (a few hundred thousand tickets and more) by 10%, as memory is what counts there (a
 * million tickets in 600 MB: 32 MB of room at ~200 MB used measured 590 MB against 571-573).
 */
const MIN_HEADROOM_BYTES = 32 * 2 ** 20;
const SMALL_HEAP_BYTES = 128 * 2 ** 20;
/** How often the percent is fitted to the heap's size. */
const REFIT_MS = 2_000;

/** Whether tuneHeap set the percent (not the operator's own flag). */
let tuned = false;
/** The percent last set, and whether growingFreely holds it at 100 meanwhile. */
let current = HEAP_GROWING_PERCENT;
let freely = false;

/** The growing percent for a heap of `usedBytes`: 10, or for a small heap up to 100 to give it MIN_HEADROOM_BYTES. */
export function growingPercentFor(usedBytes: number): number {
  if (usedBytes >= SMALL_HEAP_BYTES) return HEAP_GROWING_PERCENT;
  const wanted = Math.ceil((100 * MIN_HEADROOM_BYTES) / Math.max(1, usedBytes));
  return Math.min(100, Math.max(HEAP_GROWING_PERCENT, wanted));
}

function setPercent(percent: number): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

function refit(): void {
  if (freely) return;
  const percent = growingPercentFor(v8.getHeapStatistics().used_heap_size);
  if (percent === current) return;
  current = percent;
  setPercent(percent);
}

export function tuneHeap(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
  if (given) return false;
  if (!tuned) setInterval(refit, REFIT_MS).unref();
  tuned = true;
  current = -1;
  refit();
  return true;
}

/**
 * While a restart puts the model back, the heap may double before collecting: it grows from
 * nothing to the whole model then, and growing by 20% a time a million tickets took ~45 full
 * collections (~3.5 s of a restart's CPU; doubling, ~20–40 MB more RSS after it). Only where
 * tuneHeap set the percent; it is set back when `task` ends.
 */
export async function growingFreely<T>(task: () => Promise<T>): Promise<T> {
  if (!tuned || freely) return task();
  freely = true;
  setPercent(100);
  try {
    return await task();
  } finally {
    freely = false;
    current = -1;
    refit();
  }
}
