// The supervisor's panels read again on a period; HTTP itself goes through api/http.ts.

/**
 * Calls `run` now and every `everyMs` after the previous call settled, until the returned stop is
 * called. A failing call does not stop the polling.
 */
export function poll(run: () => Promise<unknown>, everyMs: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const tick = async (): Promise<void> => {
    try {
      await run();
    } catch {
      // `run` keeps its own error; the next tick tries again.
    }
    if (!stopped) timer = setTimeout(() => void tick(), everyMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}
