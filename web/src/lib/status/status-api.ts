// The status page's one read (docs/contract.md#status-page): `GET /api/v1/status`, with the page's
// token when it has one (none is needed when the server says STATUS_PUBLIC=1).
import type { StatusView } from '../../../../contract/status.js';
import { getJson } from '../api/http.js';

export function fetchStatus(token: string | null, signal?: AbortSignal): Promise<StatusView> {
  return getJson<StatusView>('/api/v1/status', token, signal);
}

/** The Atom feed's address; the token rides in the query, as a feed reader cannot send headers. */
export function feedUrl(token: string | null): string {
  return token ? `/status/feed.atom?token=${encodeURIComponent(token)}` : '/status/feed.atom';
}
