// The one way the screens speak HTTP to the API (docs/contract.md#the-numbers): the page's token as
// a bearer, `no-store` (a wall must never be shown a cached number), JSON both ways, and the API's
// one error shape `{"error":{"code","message"}}` turned into an ApiError. The live channel carries
// the numbers; these calls are the few things it does not (ticket lists, history, writes).

/** The API's error answer; some carry more beside `error` (a 409 carries the current incident). */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** A refused or failed call: the HTTP status (0 when no answer came), the API's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole parsed answer, or null when it was not JSON. */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  /** Sent as JSON; a GET sends none. */
  body?: unknown;
  /** Sent as it is with its own content type instead of `body` (a CSV file, a JSON file read from disk). */
  raw?: { text: string; contentType: string };
  /** Beside accept, content-type and authorization (If-Match, Idempotency-Key, …). */
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/** The headers of a call: JSON accepted, JSON sent when there is a body, the bearer when there is a token. */
export function requestHeaders(token: string | null, hasBody: boolean, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (hasBody) headers['content-type'] = 'application/json';
  Object.assign(headers, extra);
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

/** The error of a non-2xx answer: the API's code and message when it used its shape, else the status line. */
export function apiErrorOf(status: number, statusText: string, body: unknown): ApiError {
  const error = isErrorBody(body) ? body.error : null;
  const statusLine = `${status} ${statusText}`.trim();
  return new ApiError(status, error?.code ?? `http_${status}`, error?.message || statusLine, body);
}

/** Whether `body` is the API's error shape. */
export function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** Whether the server refused the call for who the token is (401, 403), not for what was asked. */
export function isDenied(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

/** The words of any failure, for a line on the screen. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls the API and answers the parsed JSON (null for an empty or non-JSON 2xx answer). Fails with
 * an ApiError: the API's own on a non-2xx answer, status 0 when no answer came at all. An abort
 * fails with the browser's AbortError, untouched, so callers can tell "I stopped" from "it broke".
 */
export async function request(path: string, token: string | null, options: RequestOptions = {}): Promise<unknown> {
  const { method = 'GET', body, raw, headers, signal } = options;
  const hasBody = (body !== undefined || raw !== undefined) && method !== 'GET';
  // A raw body names its own content type, over the JSON one.
  const extra = raw === undefined ? headers : { ...headers, 'content-type': raw.contentType };
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: requestHeaders(token, hasBody, extra),
      body: !hasBody ? undefined : raw !== undefined ? raw.text : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', errorMessage(error));
  }
  const parsed = await jsonOf(response);
  if (!response.ok) throw apiErrorOf(response.status, response.statusText, parsed);
  return parsed;
}

/** GETs `path` as `T`. */
export async function getJson<T>(path: string, token: string | null, signal?: AbortSignal): Promise<T> {
  return (await request(path, token, { signal })) as T;
}

/** POSTs `body` (an empty object when absent) and answers the JSON as `T`. */
export async function postJson<T>(path: string, token: string | null, body: unknown = {}, headers?: Readonly<Record<string, string>>): Promise<T> {
  return (await request(path, token, { method: 'POST', body, headers })) as T;
}

/** PUTs `text` as it is, with `contentType` (`text/csv`, `application/json`), and answers the JSON as `T`. */
export async function putRaw<T>(path: string, token: string | null, text: string, contentType: string): Promise<T> {
  return (await request(path, token, { method: 'PUT', raw: { text, contentType } })) as T;
}

// An empty answer or a proxy's HTML page is not an error of its own: the status says enough.
async function jsonOf(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}
