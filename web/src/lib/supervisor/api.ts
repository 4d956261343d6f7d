// The supervisor page's writes (alerts, walls) with the page's token; reads go through live/api.ts.
import { ApiError } from '../live/api.js';

/** POSTs `body` as JSON with the bearer token; fails with ApiError on a non-2xx answer. */
export async function postJson<T>(path: string, token: string | null, body: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body ?? {}), cache: 'no-store' });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const answer = (await response.json()) as { error?: { message?: string } };
      if (answer.error?.message) message = answer.error.message;
    } catch {
      // Not the JSON error shape: the status line says enough.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

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

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
