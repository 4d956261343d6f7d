// The screens' HTTP reads (docs/contract.md#the-numbers, #dashboards-as-code) with the page's token. The live channel carries the numbers;
// these are the few things it does not: ticket lists and a dashboard before the socket's answer.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GETs `path` as JSON with the bearer token; fails with ApiError on a non-2xx answer. */
export async function getJson<T>(path: string, token: string | null, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { headers, signal, cache: 'no-store' });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // Not the JSON error shape (a proxy's page): the status line says enough.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}
