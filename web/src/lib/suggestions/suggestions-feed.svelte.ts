// The open suggestions of surge detection (docs/contract.md#surge-detection) for one screen, as a
// Svelte 5 class: the whole list from the `suggestions` live event (sent on connect and on every
// change, so a reconnect needs no read of its own), less the ones this screen has just declared or
// dismissed until the server's next message says so itself. One per live connection (feedOf), so a
// decision made on one page is still known after a client-side navigation to another.
import type { SuggestionCard } from '../../../../contract/suggestions.js';
import type { LiveClient } from '../live/live-client.svelte.js';
import { decidedAtOf, openSuggestionsOf } from './present.js';

export class SuggestionsFeed {
  readonly #live: LiveClient;
  // Replaced wholesale on each change (no deep proxies); keyed by id, which is data: Maps.
  #decided = $state.raw<ReadonlyMap<string, string>>(new Map());

  constructor(live: LiveClient) {
    this.#live = live;
  }

  /** The open suggestions, newest first as the server lists them; empty before the first message. */
  get open(): SuggestionCard[] {
    return openSuggestionsOf(this.#live.suggestions, this.#decided);
  }

  /**
   * A declare or dismiss succeeded: the suggestion is hidden here at once, before the live event,
   * as of the server's time of the decision (its answer's history), else of this page's clock.
   */
  decided(id: string, answered: SuggestionCard | null): void {
    const next = new Map(this.#decided);
    next.set(id, answered === null ? new Date().toISOString() : decidedAtOf(answered));
    this.#decided = next;
  }
}

const feeds = new WeakMap<LiveClient, SuggestionsFeed>();

/** The one feed of a live connection, made on first use. */
export function feedOf(live: LiveClient): SuggestionsFeed {
  let feed = feeds.get(live);
  if (feed === undefined) {
    feed = new SuggestionsFeed(live);
    feeds.set(live, feed);
  }
  return feed;
}
