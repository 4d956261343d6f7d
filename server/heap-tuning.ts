// How the server's V8 heap grows, set once at the start of the process (server/main.ts, and the
// bench's server process, which mirrors it). By default V8 lets the heap grow to ~1.5–4× what
// survived the last full collection before collecting again, and keeps those pages: after a load of
// a million tickets the heap held ~450 MB for ~240 MB live. Growing by 20% at a time measured
// 471 → 346 MB RSS at 300,000 tickets, with ingest within the machine's noise; 10% took a
// million tickets from 601 to 570 MB (docs/performance.md#memory). NODE_OPTIONS can still set other V8 flags; an explicit
// --heap-growing-percent there wins.
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 10;

/** Whether tuneHeap set the percent (not the operator's own flag). */
let tuned = false;

export function tuneHeap(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
  if (given) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  tuned = true;
  return true;
}

/**
 * While a restart puts the model back, the heap may double before collecting: it grows from
 * nothing to the whole model then, and growing by 20% a time a million tickets took ~45 full
 * collections (~3.5 s of a restart's CPU; doubling, ~20–40 MB more RSS after it). Only where
 * tuneHeap set the percent; it is set back when `task` ends.
 */
export async function growingFreely<T>(task: () => Promise<T>): Promise<T> {
  if (!tuned) return task();
  v8.setFlagsFromString('--heap-growing-percent=100');
  try {
    return await task();
  } finally {
    v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  }
}
